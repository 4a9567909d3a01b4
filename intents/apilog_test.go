package intents_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa/alexatest"
	"spasmcoach/intents"
)

// logLine is one decoded JSON log line.
type logLine map[string]any

func (l logLine) str(key string) string {
	s, _ := l[key].(string)
	return s
}

// logLines decodes the JSON log lines in out.
func logLines(tb testing.TB, out string) []logLine {
	tb.Helper()
	var lines []logLine
	for _, raw := range strings.Split(strings.TrimSpace(out), "\n") {
		if raw == "" {
			continue
		}
		var l logLine
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			tb.Fatalf("log line is not JSON: %v\n%s", err, raw)
		}
		lines = append(lines, l)
	}
	return lines
}

// turnLog returns what the handler logged from byte offset since on, and
// the turn line of the convo's last request.
func (c *coach) turnLog(since int) ([]logLine, logLine) {
	c.tb.Helper()
	lines := logLines(c.tb, c.log.String()[since:])
	id := fmt.Sprintf("amzn1.echo-api.request.%04d", c.s.Requests)
	for _, l := range lines {
		if l.str("msg") == "turn" && l.str("requestId") == id {
			return lines, l
		}
	}
	c.tb.Fatalf("no turn line for %s in:\n%s", id, c.log.String()[since:])
	return nil, nil
}

// TestAlexaAPIFailuresLogged: every failed call to the Timers, Reminders
// or Settings API is logged once, at WARN for 400, unexpected statuses,
// timeouts and stalls, at INFO for a permission that is needed (401, 403)
// or a timer that is gone (404), with the operation, the status, and the
// API's own error code and message; never the token, the user or the
// device. The turn line names each effect's outcome.
func TestAlexaAPIFailuresLogged(t *testing.T) {
	onQuestion := func(c *coach) { c.onPackQuestion() }
	withTimer := func(c *coach) {
		c.onPackQuestion()
		c.say(intents.IntentYes)
		c.expect("Done.")
	}
	tests := []struct {
		name    string
		op      string // fake API operation to fail
		status  int
		before  func(c *coach)
		turn    func(c *coach)
		level   string
		apiOp   string
		code    string // the API's error code, "" for none
		effects string
	}{
		{"create timer 400", alexatest.OpCreateTimer, 400, onQuestion, yes, "WARN", "create-timer", "ERROR_400", "set-timer:rejected"},
		{"create timer 500", alexatest.OpCreateTimer, 500, onQuestion, yes, "WARN", "create-timer", "ERROR_500", "set-timer:unavailable"},
		{"create timer 429", alexatest.OpCreateTimer, 429, onQuestion, yes, "WARN", "create-timer", "ERROR_429", "set-timer:unavailable"},
		{"create timer 504", alexatest.OpCreateTimer, 504, onQuestion, yes, "WARN", "create-timer", "ERROR_504", "set-timer:unavailable"},
		{"create timer 409", alexatest.OpCreateTimer, 409, onQuestion, yes, "WARN", "create-timer", "ERROR_409", "set-timer:unavailable"},
		{"create timer stalls", alexatest.OpCreateTimer, alexatest.Stall, onQuestion, yes, "WARN", "create-timer", "", "set-timer:timeout"},
		{"create timer 401", alexatest.OpCreateTimer, 401, onQuestion, yes, "INFO", "create-timer", "ERROR_401", "set-timer:need-permission,ask-permission:timers"},
		{"create timer 403", alexatest.OpCreateTimer, 403, onQuestion, yes, "INFO", "create-timer", "ERROR_403", "set-timer:need-permission,ask-permission:timers"},
		{"delete timer 404", alexatest.OpDeleteTimer, 404, withTimer, say(intents.IntentCancelPackTimer), "INFO", "delete-timer", "ERROR_404", "cancel-timer:not-found"},
		{"delete timer 403", alexatest.OpDeleteTimer, 403, withTimer, say(intents.IntentCancelPackTimer), "INFO", "delete-timer", "ERROR_403", "cancel-timer:need-permission,ask-permission:timers"},
		{"get timer 500", alexatest.OpGetTimer, 500, withTimer, say(intents.IntentPackTimeLeft), "WARN", "get-timer", "ERROR_500", "check-timer:unavailable"},
		{"create reminder 400", alexatest.OpCreateReminder, 400, withTimer, yes, "WARN", "create-reminder", "ERROR_400", "set-reminder:rejected"},
		{"create reminder 500", alexatest.OpCreateReminder, 500, withTimer, yes, "WARN", "create-reminder", "ERROR_500", "set-reminder:unavailable"},
		{"create reminder 403", alexatest.OpCreateReminder, 403, withTimer, yes, "INFO", "create-reminder", "ERROR_403", "set-reminder:need-permission,ask-permission:reminders"},
		{"time zone 500", alexatest.OpTimeZone, 500, nil, (*coach).launchTurn, "WARN", "get-time-zone", "ERROR_500", ""},
		{"time zone 400", alexatest.OpTimeZone, 400, nil, (*coach).launchTurn, "WARN", "get-time-zone", "ERROR_400", ""},
		{"time zone stalls", alexatest.OpTimeZone, alexatest.Stall, nil, (*coach).launchTurn, "WARN", "get-time-zone", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCoach(t, intents.WithBudget(2*time.Second, 300*time.Millisecond))
			if tc.before != nil {
				tc.before(c)
			}
			c.api.Fail(tc.op, tc.status)
			since := len(c.log.String())
			tc.turn(c)
			lines, turn := c.turnLog(since)

			var failed []logLine
			for _, l := range lines {
				if l.str("msg") == "alexa api call failed" {
					failed = append(failed, l)
				}
			}
			if len(failed) != 1 {
				t.Fatalf("%d failure lines, want 1:\n%s", len(failed), c.log.String()[since:])
			}
			l := failed[0]
			if l.str("level") != tc.level || l.str("op") != tc.apiOp {
				t.Errorf("failure logged at %s for %q, want %s for %q: %v", l.str("level"), l.str("op"), tc.level, tc.apiOp, l)
			}
			if tc.status == alexatest.Stall {
				if l["timeout"] != true || l["status"] != nil {
					t.Errorf("a stalled call is not logged as a timeout: %v", l)
				}
			} else {
				if l["status"] != float64(tc.status) || l.str("code") != tc.code || l.str("message") != "scripted failure" {
					t.Errorf("failure line lacks status %d, code %s and the API's message: %v", tc.status, tc.code, l)
				}
			}
			if l.str("requestId") != turn.str("requestId") {
				t.Errorf("failure line not tied to its turn: %v", l)
			}
			raw := c.log.String()[since:]
			for _, secret := range []string{c.u.userID, c.u.deviceID, sha(c.u.userID), c.api.Token} {
				if strings.Contains(raw, secret) {
					t.Errorf("the log holds %q:\n%s", secret, raw)
				}
			}
			if got := turn.str("effects"); got != tc.effects {
				t.Errorf("turn line effects %q, want %q: %v", got, tc.effects, turn)
			}
		})
	}
}

// TestAlexaAPISuccessLoggedQuietly: a call that succeeds is logged at
// debug only, and the turn line still names the effect's outcome.
func TestAlexaAPISuccessLoggedQuietly(t *testing.T) {
	c := newCoach(t)
	c.onPackQuestion()
	since := len(c.log.String())
	c.say(intents.IntentYes)
	c.expect("Done.")
	lines, turn := c.turnLog(since)
	for _, l := range lines {
		if strings.HasPrefix(l.str("msg"), "alexa api") && l.str("level") != "DEBUG" {
			t.Errorf("a successful call logged above debug: %v", l)
		}
	}
	if turn.str("effects") != "set-timer:ok" || turn.str("outcome") != "saved" || turn.str("level") != "INFO" {
		t.Errorf("turn line %v, want effects set-timer:ok", turn)
	}
	// A turn without effects says so.
	since = len(c.log.String())
	c.say(intents.IntentWhereAmI)
	if _, turn := c.turnLog(since); turn.str("effects") != "" {
		t.Errorf("effects %q on a turn without any", turn.str("effects"))
	}
}

func yes(c *coach) { c.say(intents.IntentYes) }

func say(intent string) func(*coach) { return func(c *coach) { c.say(intent) } }

func (c *coach) launchTurn() { c.launch() }
