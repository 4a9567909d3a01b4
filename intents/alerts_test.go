package intents_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/golden"
	"spasmcoach/skill"
)

// onReminderQuestion brings a coach to a cold pack timer just set, and
// "Want me to remind you about the next pack in an hour?".
func (c *coach) onReminderQuestion() {
	c.tb.Helper()
	c.onPackQuestion()
	c.say(intents.IntentYes)
	c.expect("Done. Your cold pack timer will ring in 20 minutes", "remind you about the next pack")
}

// expectReminderCreated fails unless the last reminder the fake API
// received is the next-pack reminder, asked for now.
func (c *coach) expectReminderCreated() {
	c.tb.Helper()
	want := `{"requestTime":"` + c.clk.Now().UTC().Format("2006-01-02T15:04:05.000") + `",
		"trigger":{"type":"SCHEDULED_RELATIVE","offsetInSeconds":3600},
		"alertInfo":{"spokenInfo":{"content":[{"locale":"en-US","text":"Back Spasm Coach here. If you still need it, your next cold pack is due."}]}},
		"pushNotification":{"status":"ENABLED"}}`
	if !jsonEqual(c.tb, c.api.Body(alexatest.OpCreateReminder), want) {
		c.tb.Errorf("create reminder body: %s", c.api.Body(alexatest.OpCreateReminder))
	}
}

// expectConsentCard fails unless the last response carries the consent
// card for scope, keeps the session open, and asks for nothing by voice.
func (c *coach) expectConsentCard(scope string) {
	c.tb.Helper()
	r := c.last.Response
	if r.Card == nil || r.Card.Type != alexa.CardAskForPermissions || len(r.Card.Permissions) != 1 || r.Card.Permissions[0] != scope {
		c.tb.Errorf("no consent card for %s: %s", scope, c.lastRaw)
	}
	if len(r.Directives) != 0 {
		c.tb.Errorf("a directive after the permission answer: %s", c.lastRaw)
	}
	c.expectOpen()
}

// expectRoutineGoesOn fails unless "next" from step 5 goes to step 6 with
// nothing pending.
func (c *coach) expectRoutineGoesOn() {
	c.tb.Helper()
	c.say(intents.IntentNext)
	c.expect("Step six")
	c.expectOpen()
	if s := c.state(); s.Step != 6 || s.Ask != skill.AskNothing {
		c.tb.Errorf("after the routine went on: step %d, question %d", s.Step, s.Ask)
	}
}

// TestReminderPermissionFlow: the next-pack reminder when the reminders
// permission is missing, by the API's answer or by the request's scopes.
func TestReminderPermissionFlow(t *testing.T) {
	for _, status := range []int{401, 403} {
		t.Run(fmt.Sprintf("API %d, accepted", status), func(t *testing.T) {
			c := newCoach(t)
			c.api.Fail(alexatest.OpCreateReminder, status)
			c.onReminderQuestion()
			c.say(intents.IntentYes)
			c.expect("To remind you, I need your permission for reminders.")
			c.expectAskFor(alexaapi.ScopeReminders)
			if tok := c.last.Response.Directives[0].Token; tok != "perm=reminders" {
				t.Errorf("token %q, want perm=reminders", tok)
			}
			if n := c.api.Count(alexatest.OpCreateReminder); n != 1 {
				t.Fatalf("%d reminder calls before the permission answer, want 1 (refused)", n)
			}
			c.api.Fail(alexatest.OpCreateReminder, 0)
			c.pause(10 * time.Second) // Alexa asks, the user answers
			c.answerPermission(alexa.AskForAccepted)
			c.expect("Thanks.", "I'll remind you in an hour")
			c.expectOpen()
			if n := c.api.Count(alexatest.OpCreateReminder); n != 2 {
				t.Errorf("%d reminder calls, want 2 (refused, then created)", n)
			}
			c.expectReminderCreated()
			if n := c.api.Count(alexatest.OpCreateTimer); n != 1 {
				t.Errorf("%d timers created, want the one from before", n)
			}
			c.expectRoutineGoesOn()
			if status == 403 {
				golden.Check(t, "testdata/conversations/reminder_askfor_accepted.txt", []byte(c.script.String()))
			}
		})
	}
	for _, status := range []string{alexa.AskForDenied, alexa.AskForNotAnswered} {
		t.Run("API 403, "+status, func(t *testing.T) {
			c := newCoach(t)
			c.api.Fail(alexatest.OpCreateReminder, 403)
			c.onReminderQuestion()
			c.say(intents.IntentYes)
			c.expectAskFor(alexaapi.ScopeReminders)
			c.answerPermission(status)
			c.expect("No problem. You can say, Alexa, remind me in an hour.", "card in your Alexa app")
			c.expectConsentCard(alexaapi.ScopeReminders)
			if n := c.api.Count(alexatest.OpCreateReminder); n != 1 {
				t.Errorf("%d reminder calls, want only the refused one", n)
			}
			c.expectRoutineGoesOn()
		})
	}
	t.Run("scope denied in the request, accepted", func(t *testing.T) {
		c := newCoach(t)
		c.u.scopes = map[string]string{alexaapi.ScopeTimers: alexa.ScopeGranted, alexaapi.ScopeReminders: "DENIED"}
		c.onReminderQuestion()
		c.say(intents.IntentYes)
		c.expect("To remind you, I need your permission for reminders.")
		c.expectAskFor(alexaapi.ScopeReminders)
		if n := c.api.Count(alexatest.OpCreateReminder); n != 0 {
			t.Errorf("%d reminder calls while the request shows the scope denied", n)
		}
		// The answer's request may still show the scope denied: the API
		// answers for itself.
		c.answerPermission(alexa.AskForAccepted)
		c.expect("Thanks.", "I'll remind you in an hour")
		if n := c.api.Count(alexatest.OpCreateReminder); n != 1 {
			t.Errorf("%d reminders created, want 1", n)
		}
		c.expectReminderCreated()
		c.expectRoutineGoesOn()
	})
	t.Run("scope denied in the request, denied", func(t *testing.T) {
		c := newCoach(t)
		c.u.scopes = map[string]string{alexaapi.ScopeReminders: "DENIED"}
		c.onReminderQuestion()
		c.say(intents.IntentYes)
		c.expectAskFor(alexaapi.ScopeReminders)
		c.answerPermission(alexa.AskForDenied)
		c.expect("remind me in an hour", "card in your Alexa app")
		c.expectConsentCard(alexaapi.ScopeReminders)
		if n := c.api.Count(alexatest.OpCreateReminder); n != 0 {
			t.Errorf("%d reminder calls", n)
		}
		c.expectRoutineGoesOn()
	})
}

// TestReminderFailures: a reminder the API cannot create gets a short
// apology with what to say instead, and the routine goes on.
func TestReminderFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
	}{{"500", 500}, {"503", 503}, {"429", 429}, {"stall", alexatest.Stall}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCoach(t, intents.WithBudget(2*time.Second, 300*time.Millisecond))
			c.api.Fail(alexatest.OpCreateReminder, tc.status)
			c.onReminderQuestion()
			c.say(intents.IntentYes)
			c.expect("I couldn't set the reminder. You can say, Alexa, remind me in an hour.")
			c.expectOpen()
			if r := c.last.Response; len(r.Directives) != 0 || r.Card != nil && r.Card.Type == alexa.CardAskForPermissions {
				t.Errorf("a failure asked for a permission: %s", c.lastRaw)
			}
			if s := c.state(); s.Timer.ID != "timer-1" || s.Ask != skill.AskNothing {
				t.Errorf("after a failed reminder: %+v", s)
			}
			c.expectRoutineGoesOn()
		})
	}
}

// withPackTimer brings a coach to a running cold pack timer, with no
// reminder.
func (c *coach) withPackTimer() {
	c.tb.Helper()
	c.onReminderQuestion()
	c.say(intents.IntentNo)
	c.expect("Okay, no reminder")
}

// TestCancelTimerGone: "cancel the pack timer" after it rang: Alexa's
// DELETE answers 404, and the user hears it already finished.
func TestCancelTimerGone(t *testing.T) {
	c := newCoach(t)
	c.withPackTimer()
	c.pause(21 * time.Minute)
	c.say(intents.IntentCancelPackTimer)
	c.expect("That timer has already finished")
	c.expectOpen()
	if n := c.api.Count(alexatest.OpDeleteTimer); n != 1 {
		t.Errorf("%d delete calls, want 1", n)
	}
	if s := c.state(); s.Timer != (skill.Timer{}) {
		t.Errorf("a finished timer kept in the state: %+v", s.Timer)
	}
	if s, _ := stored(t, c.st, c.u.userID); s.Timer != (skill.Timer{}) {
		t.Errorf("a finished timer kept in the store: %+v", s.Timer)
	}
	// Nothing left to cancel: no call.
	c.say(intents.IntentCancelPackTimer)
	c.expect("There's no pack timer running")
	if n := c.api.Count(alexatest.OpDeleteTimer); n != 1 {
		t.Errorf("%d delete calls, want 1", n)
	}
}

// TestTimerPermissionLost: the timers permission is withdrawn while a pack
// timer runs (the API answers 401 or 403, or the request shows the scope
// denied). "Cancel the pack timer" and "how long is left" ask for it by
// voice, and once it is granted the request is carried out in the same
// turn, without the user asking again.
func TestTimerPermissionLost(t *testing.T) {
	requests := []struct {
		name, intent, op string
		then, done       string
		check            func(t *testing.T, c *coach)
	}{
		{"cancel", intents.IntentCancelPackTimer, alexatest.OpDeleteTimer, "cancel-pack", "Okay, I've cancelled your cold pack timer.",
			func(t *testing.T, c *coach) {
				if s := c.state(); s.Timer != (skill.Timer{}) {
					t.Errorf("cancelled timer kept: %+v", s.Timer)
				}
			}},
		{"time left", intents.IntentPackTimeLeft, alexatest.OpGetTimer, "pack-left", "About 15 minutes left on your cold pack.",
			func(t *testing.T, c *coach) {
				if s := c.state(); s.Timer.ID != "timer-1" {
					t.Errorf("timer lost: %+v", s.Timer)
				}
			}},
	}
	for _, rq := range requests {
		for _, how := range []string{"API 401", "API 403", "scope denied"} {
			t.Run(rq.name+", "+how+", accepted", func(t *testing.T) {
				c := newCoach(t)
				c.withPackTimer()
				c.pause(5 * time.Minute)
				calls := 0
				switch how {
				case "API 401":
					c.api.Fail(rq.op, 401)
					calls = 1
				case "API 403":
					c.api.Fail(rq.op, 403)
					calls = 1
				default:
					c.u.scopes = map[string]string{alexaapi.ScopeTimers: "DENIED"}
				}
				c.say(rq.intent)
				c.expect("To reach your pack timer, I need your permission for timers")
				c.expectAskFor(alexaapi.ScopeTimers)
				if tok := c.last.Response.Directives[0].Token; !strings.Contains(tok, "then="+rq.then) {
					t.Errorf("token %q does not carry the request", tok)
				}
				if n := c.api.Count(rq.op); n != calls {
					t.Fatalf("%d %s calls before the answer, want %d", n, rq.op, calls)
				}
				c.api.Fail(rq.op, 0)
				c.answerPermission(alexa.AskForAccepted)
				c.expect(rq.done)
				c.expectOpen()
				if n := c.api.Count(rq.op); n != calls+1 {
					t.Errorf("%d %s calls, want %d", n, rq.op, calls+1)
				}
				if s := c.state(); s.Ask != skill.AskNothing {
					t.Errorf("question %d still pending", s.Ask)
				}
				if s, _ := stored(t, c.st, c.u.userID); s.Ask != skill.AskNothing {
					t.Errorf("stored question %d still pending", s.Ask)
				}
				rq.check(t, c)
				c.expectRoutineGoesOn()
			})
		}
		t.Run(rq.name+", accepted after the session state was lost", func(t *testing.T) {
			c := newCoach(t)
			c.withPackTimer()
			c.pause(5 * time.Minute)
			c.api.Fail(rq.op, 403)
			c.say(rq.intent)
			c.expectAskFor(alexaapi.ScopeTimers)
			c.api.Fail(rq.op, 0)
			c.s.Attributes = alexa.Attributes{}
			c.answerPermission(alexa.AskForAccepted)
			c.expect(rq.done)
			rq.check(t, c)
		})
		t.Run(rq.name+", denied", func(t *testing.T) {
			c := newCoach(t)
			c.withPackTimer()
			c.api.Fail(rq.op, 403)
			c.say(rq.intent)
			c.expectAskFor(alexaapi.ScopeTimers)
			c.answerPermission(alexa.AskForDenied)
			c.expect("You can ask Alexa about your timers directly", "card in your Alexa app")
			c.expectConsentCard(alexaapi.ScopeTimers)
			if n := c.api.Count(rq.op); n != 1 {
				t.Errorf("%d %s calls after a denial, want only the refused one", n, rq.op)
			}
			if s := c.state(); s.Timer.ID != "timer-1" {
				t.Errorf("the timer was forgotten after a denial: %+v", s.Timer)
			}
			c.expectRoutineGoesOn()
		})
	}
	// A pack plan waiting for the permission wins over a request: the
	// token carries the plan, and the answer sets the timer.
	t.Run("a plan waiting", func(t *testing.T) {
		c := newCoach(t)
		c.u.scopes = map[string]string{alexaapi.ScopeTimers: "DENIED"}
		c.onPackQuestion()
		c.say(intents.IntentYes)
		if tok := c.last.Response.Directives[0].Token; strings.Contains(tok, "then=") {
			t.Errorf("token %q carries a request", tok)
		}
	})
}

// TestNextPackTime: "when is my next pack" says the clock time in the
// device's time zone when the Settings API gives it, a relative time when
// it fails, and the zone is read once per session either way.
func TestNextPackTime(t *testing.T) {
	tests := []struct {
		name   string
		zone   string
		status int
		want   string
	}{
		// The pack goes on at 14:00 UTC on 10 March 2026: due at 15:00 UTC.
		{"New York", "America/New_York", 0, "Your next cold pack is due in 50 minutes, at about 11:00 AM, if you still need it."},
		{"Kolkata", "Asia/Kolkata", 0, "Your next cold pack is due in 50 minutes, at about 8:30 PM, if you still need it."},
		{"London", "Europe/London", 0, "Your next cold pack is due in 50 minutes, at about 3:00 PM, if you still need it."},
		{"Settings 500", "America/New_York", 500, "Your next cold pack is due in 50 minutes, if you still need it."},
		{"Settings 403", "America/New_York", 403, "Your next cold pack is due in 50 minutes, if you still need it."},
		{"Settings stalls", "America/New_York", alexatest.Stall, "Your next cold pack is due in 50 minutes, if you still need it."},
		{"unknown zone", "Mars/Olympus_Mons", 0, "Your next cold pack is due in 50 minutes, if you still need it."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCoach(t, intents.WithBudget(2*time.Second, 300*time.Millisecond))
			c.api.SetZone(tc.zone)
			c.api.Fail(alexatest.OpTimeZone, tc.status)
			c.onStep(5)
			c.say(intents.IntentNextPack)
			c.expect("You haven't had a pack yet. A cold pack is the one for now.")
			c.say(intents.IntentSetPackTimer)
			c.say(intents.IntentYes)
			c.expect("Done.")
			c.say(intents.IntentNo)
			c.pause(10 * time.Minute)
			c.say(intents.IntentNextPack)
			c.expect(tc.want)
			c.expectOpen()
			if n := c.api.Count(alexatest.OpTimeZone); n != 1 {
				t.Errorf("time zone read %d times in one session, want 1", n)
			}
			// The zone goes on in the session: "" when it could not be read.
			if z := c.last.SessionAttributes.Zone; z == nil || (*z != "") != (tc.status == 0 && tc.name != "unknown zone") {
				t.Errorf("session carries zone %v", z)
			}
			c.pause(55 * time.Minute)
			c.say(intents.IntentNextPack)
			c.expect("You can put the next cold pack on now")
			if n := c.api.Count(alexatest.OpTimeZone); n != 1 {
				t.Errorf("time zone read %d times in one session, want 1", n)
			}
		})
	}
}
