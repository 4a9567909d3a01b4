package intents_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/internal/testutil/golden"
	"spasmcoach/skill"
)

// coach is a handler on an embedded store in a temporary folder, with a
// local stand-in for the Alexa APIs, and one user talking to it.
type coach struct {
	*convo
	st  *spyStore
	api *alexatest.Server
	clk *clock.Clock
	// log is what the handler logged.
	log *logSink
}

func newCoach(t *testing.T, opts ...intents.Option) *coach {
	t.Helper()
	clk := clock.New(t0)
	api := newFakeAPI(t, clk)
	st := &spyStore{Store: openStore(t)}
	opts = append([]intents.Option{intents.WithAlerts(api.Client())}, opts...)
	h, sink := newHandler(t, st, clk, opts...)
	u := defaultUser()
	u.apiEndpoint = api.URL
	return &coach{convo: newConvo(t, h, clk, u), st: st, api: api, clk: clk, log: sink}
}

// next advances the clock a little, as a person takes a moment to answer.
func (c *coach) pause(d time.Duration) { c.clk.Advance(d) }

// onStep brings a new user through the briefing to step n.
func (c *coach) onStep(n int) {
	c.tb.Helper()
	c.launch()
	c.expect("Welcome to Back Spasm Coach")
	c.say(intents.IntentResume)
	c.expect("Step one")
	if n != 1 {
		c.say(intents.IntentGoToStep, intents.SlotStep, fmt.Sprint(n))
		if got := c.state().Step; got != n {
			c.tb.Fatalf("on step %d, want %d", got, n)
		}
	}
}

// TestRoutine is the whole routine in one conversation, then a new session
// that picks up where the first left off.
func TestRoutine(t *testing.T) {
	c := newCoach(t)

	// First launch: the disclaimer and the safety briefing.
	c.launch()
	c.expect("Welcome to Back Spasm Coach", "not medical advice", "warning signs", "say continue")
	c.expectOpen()
	c.pause(20 * time.Second)
	c.say(intents.IntentResume)
	c.expect("Step one. Stop and rest.")
	c.expectOpen()
	if c.last.Response.Card == nil || !strings.HasPrefix(c.last.Response.Card.Title, "Step 1") {
		t.Errorf("step 1 has no card: %s", c.lastRaw)
	}
	c.pause(30 * time.Second)
	c.say(intents.IntentNext)
	c.expect("Step two")
	c.say(intents.IntentNext)
	c.expect("Step three. Slow breathing.")

	// Breathing, counted.
	c.say(intents.IntentStartBreathing)
	c.expect("Breathe in")
	c.expectOpen()
	c.pause(time.Minute)
	c.say(intents.IntentSlower)
	c.expectOpen()
	c.say(intents.IntentNext)
	c.expect("Step four")

	// The stretch.
	c.say(intents.IntentStartStretch)
	c.expectOpen()
	c.pause(time.Minute)
	c.say(intents.IntentNext)
	c.expect("Step five")

	// A cold pack timer on the user's Echo, confirmed by voice first.
	c.say(intents.IntentSetPackTimer, intents.SlotPack, "ice pack")
	c.expect("Shall I start a 20-minute cold pack timer?")
	if n := c.api.Count(alexatest.OpCreateTimer); n != 0 {
		t.Fatalf("a timer was created before the user said yes (%d)", n)
	}
	c.say(intents.IntentYes)
	c.expect("Done. Your cold pack timer will ring in 20 minutes", "remind you about the next pack")
	c.expectOpen()
	if n := c.api.Count(alexatest.OpCreateTimer); n != 1 {
		t.Fatalf("%d timers created, want 1", n)
	}
	if !jsonEqual(t, c.api.Body(alexatest.OpCreateTimer), `{"duration":"PT20M","timerLabel":"Cold pack",
		"creationBehavior":{"displayExperience":{"visibility":"VISIBLE"}},
		"triggeringBehavior":{"operation":{"type":"ANNOUNCE","textToAnnounce":[{"locale":"en-US","text":"Time to take the cold pack off."}]},
		"notificationConfig":{"playAudible":true}}}`) {
		t.Errorf("create timer body: %s", c.api.Body(alexatest.OpCreateTimer))
	}
	if s := c.state(); s.Timer.ID != "timer-1" || s.Timer.Pack != skill.PackCold {
		t.Errorf("timer not kept in the state: %+v", s.Timer)
	}
	// The reminder for the next pack.
	c.say(intents.IntentYes)
	c.expect("remind you in an hour")
	if !jsonEqual(t, c.api.Body(alexatest.OpCreateReminder), `{"requestTime":"`+c.clk.Now().UTC().Format("2006-01-02T15:04:05.000")+`",
		"trigger":{"type":"SCHEDULED_RELATIVE","offsetInSeconds":3600},
		"alertInfo":{"spokenInfo":{"content":[{"locale":"en-US","text":"Back Spasm Coach here. If you still need it, your next cold pack is due."}]}},
		"pushNotification":{"status":"ENABLED"}}`) {
		t.Errorf("create reminder body: %s", c.api.Body(alexatest.OpCreateReminder))
	}
	c.pause(5 * time.Minute)
	c.say(intents.IntentPackTimeLeft)
	c.expect("15 minutes left on your cold pack")
	c.expectOpen()

	// On through the last steps to the exercises.
	for _, step := range []string{"Step six", "Step seven", "Step eight", "Step nine"} {
		c.say(intents.IntentNext)
		c.expect(step)
		c.expectOpen()
	}
	c.say(intents.IntentStartExercise, intents.SlotExercise, "knee rolls")
	c.expectOpen()
	c.say(intents.IntentStop)
	c.expect("on step 9", "Your pack timer will still ring")
	c.expectClosed()
	_, v := stored(t, c.st, c.u.userID)

	// A new session an hour later resumes at the same place.
	gets, _, _ := c.st.counts()
	if gets != 1 {
		t.Errorf("%d store reads in the first session, want 1", gets)
	}
	c.pause(time.Hour)
	c.launch()
	c.expect("Last time you were on step 9", "Shall we pick up there?")
	c.expectOpen()
	c.say(intents.IntentYes)
	c.expectOpen()
	if s := c.state(); s.Step != 9 {
		t.Errorf("resumed on step %d, want 9", s.Step)
	}
	if gets, _, _ = c.st.counts(); gets != 2 {
		t.Errorf("%d store reads after two sessions, want 2", gets)
	}
	if s, v2 := stored(t, c.st, c.u.userID); v2 <= v || s.Step != 9 {
		t.Errorf("stored state after the second session: step %d, version %d (was %d)", s.Step, v2, v)
	}
	// The time zone is read once: the second session takes the one stored
	// with the state an hour earlier.
	if n := c.api.Count(alexatest.OpTimeZone); n != 1 {
		t.Errorf("time zone read %d times in two sessions, want 1", n)
	}
	golden.Check(t, "testdata/conversations/routine.txt", []byte(c.script.String()))
}

// TestEveryStepCommands: help, repeat, previous, go to step N and fallback
// work at every step, keep the session open, and leave the user where they
// should be.
func TestEveryStepCommands(t *testing.T) {
	c := newCoach(t)
	c.onStep(1)
	for n := skill.FirstStep; n <= skill.LastStep; n++ {
		c.say(intents.IntentGoToStep, intents.SlotStep, fmt.Sprint(n))
		c.expect(fmt.Sprintf("Step %s", []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}[n]))
		c.expectOpen()

		c.say(intents.IntentHelp)
		c.expect(fmt.Sprintf("You're on step %d", n))
		c.expectOpen()

		c.say(intents.IntentRepeat)
		c.expectOpen()
		if s := c.state(); s.Step != n {
			t.Errorf("repeat moved from step %d to %d", n, s.Step)
		}

		c.say(intents.IntentFallback)
		c.expect("Sorry")
		c.expectOpen()

		c.say("AMAZON.ShuffleOnIntent") // not in the model: a fallback too
		c.expect("Sorry")
		c.expectOpen()

		c.say(intents.IntentWhereAmI)
		c.expect(fmt.Sprintf("on step %d", n))
		c.expectOpen()

		c.say(intents.IntentPrevious)
		c.expectOpen()
		if s, want := c.state(), max(n-1, 1); s.Step != want {
			t.Errorf("previous from step %d went to %d", n, s.Step)
		}
	}
	// Odd step numbers get a helpful question, not an error.
	for _, v := range []string{"12", "?", "banana", "", "zero"} {
		c.say(intents.IntentGoToStep, intents.SlotStep, v)
		c.expect("step")
		c.expectOpen()
	}
}

// TestOddSlots: missing or odd slot values get a helpful answer.
func TestOddSlots(t *testing.T) {
	c := newCoach(t)
	c.onStep(5)
	c.say(intents.IntentSetPackTimer, intents.SlotMinutes, "forty five minutes")
	c.expect("Twenty minutes is the most", "20-minute")
	c.say(intents.IntentNo)
	c.say(intents.IntentSetPackTimer, intents.SlotMinutes, "?")
	c.expect("I didn't catch how long")
	c.say(intents.IntentNo)
	c.say(intents.IntentPreferPack, intents.SlotPack, "banana")
	c.expect("Do you prefer cold, or heat?")
	c.say(intents.IntentStartBreathing, intents.SlotBreaths, "purple")
	c.expect("I didn't catch how many")
	c.expectOpen()
}

// onPackQuestion brings a coach to "Shall I start a 20-minute cold pack
// timer?".
func (c *coach) onPackQuestion() {
	c.tb.Helper()
	c.onStep(5)
	c.say(intents.IntentSetPackTimer, intents.SlotPack, "cold")
	c.expect("Shall I start a 20-minute cold pack timer?")
}

// expectAskFor fails unless the last response asks for the timers
// permission by voice.
func (c *coach) expectAskFor(scope string) {
	c.tb.Helper()
	r := c.last.Response
	if len(r.Directives) != 1 || r.Directives[0].Payload == nil ||
		r.Directives[0].Payload.PermissionScopes[0].PermissionScope != scope {
		c.tb.Fatalf("no AskFor %s: %s", scope, c.lastRaw)
	}
	if r.ShouldEndSession != nil || r.Reprompt != nil {
		c.tb.Errorf("AskFor with shouldEndSession or a reprompt: %s", c.lastRaw)
	}
}

func TestPermissionFlow(t *testing.T) {
	t.Run("not granted, accepted", func(t *testing.T) {
		c := newCoach(t)
		c.u.scopes = map[string]string{alexaapi.ScopeTimers: "DENIED"}
		c.onPackQuestion()
		c.say(intents.IntentYes)
		c.expect("I need your permission to set timers")
		c.expectAskFor(alexaapi.ScopeTimers)
		if tok := c.last.Response.Directives[0].Token; !strings.Contains(tok, "perm=timers") || !strings.Contains(tok, "min=20") {
			t.Errorf("token %q does not carry the permission and the plan", tok)
		}
		if n := c.api.Count(alexatest.OpCreateTimer); n != 0 {
			t.Errorf("%d timer calls while the scope is denied", n)
		}
		// Alexa asks; the user says yes. The request may still show the
		// scope as denied.
		c.answerPermission(alexa.AskForAccepted)
		c.expect("Thanks.", "Done. Your cold pack timer will ring in 20 minutes")
		c.expectOpen()
		if n := c.api.Count(alexatest.OpCreateTimer); n != 1 {
			t.Errorf("%d timers created, want 1", n)
		}
		golden.Check(t, "testdata/conversations/askfor_accepted.txt", []byte(c.script.String()))
	})
	t.Run("accepted after the session state was lost", func(t *testing.T) {
		c := newCoach(t)
		c.u.scopes = map[string]string{alexaapi.ScopeTimers: "DENIED"}
		c.onPackQuestion()
		c.say(intents.IntentYes)
		c.expectAskFor(alexaapi.ScopeTimers)
		c.s.Attributes = alexa.Attributes{} // the answer arrives without the session's copy
		c.answerPermission(alexa.AskForAccepted)
		c.expect("Done. Your cold pack timer will ring in 20 minutes")
	})
	for _, status := range []string{alexa.AskForDenied, alexa.AskForNotAnswered} {
		t.Run(status, func(t *testing.T) {
			c := newCoach(t)
			c.u.scopes = map[string]string{alexaapi.ScopeTimers: "DENIED"}
			c.onPackQuestion()
			c.say(intents.IntentYes)
			c.expectAskFor(alexaapi.ScopeTimers)
			c.answerPermission(status)
			c.expect("You can still say, Alexa, set a timer for 20 minutes", "card in your Alexa app")
			c.expectOpen()
			card := c.last.Response.Card
			if card == nil || card.Type != alexa.CardAskForPermissions || card.Permissions[0] != alexaapi.ScopeTimers {
				t.Errorf("no consent card: %s", c.lastRaw)
			}
			if n := c.api.Count(alexatest.OpCreateTimer); n != 0 {
				t.Errorf("%d timers created after %s", n, status)
			}
			// The routine goes on.
			c.say(intents.IntentNext)
			c.expect("Step six")
		})
	}
	for _, status := range []int{401, 403} {
		t.Run(fmt.Sprintf("API %d", status), func(t *testing.T) {
			c := newCoach(t)
			c.api.Fail(alexatest.OpCreateTimer, status)
			c.onPackQuestion()
			c.say(intents.IntentYes)
			c.expect("I need your permission to set timers")
			c.expectAskFor(alexaapi.ScopeTimers)
			c.api.Fail(alexatest.OpCreateTimer, 0)
			c.answerPermission(alexa.AskForAccepted)
			c.expect("Done.")
			if n := c.api.Count(alexatest.OpCreateTimer); n != 2 {
				t.Errorf("%d timer calls, want 2 (refused, then created)", n)
			}
		})
	}
}

func TestTimerFailures(t *testing.T) {
	tests := []struct {
		name   string
		status int
		say    string
	}{
		{"server error", 500, "I couldn't set the timer"},
		{"device offline", 504, "I couldn't set the timer"},
		{"throttled", 429, "I couldn't set the timer"},
		{"bad request", 400, "something went wrong with that timer"},
		{"stalled", alexatest.Stall, "I couldn't set the timer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCoach(t, intents.WithBudget(2*time.Second, 300*time.Millisecond))
			c.api.Fail(alexatest.OpCreateTimer, tc.status)
			c.onPackQuestion()
			c.say(intents.IntentYes)
			c.expect(tc.say, "set a timer for 20 minutes")
			c.expectOpen()
			if s := c.state(); s.Timer.ID != "" || s.Step != 5 {
				t.Errorf("after a failed timer: %+v", s)
			}
			c.say(intents.IntentNext)
			c.expect("Step six")
		})
	}
	t.Run("no token", func(t *testing.T) {
		c := newCoach(t)
		c.u.token = ""
		c.onPackQuestion()
		c.say(intents.IntentYes)
		c.expect("I couldn't set the timer", "set a timer for 20 minutes")
		c.expectOpen()
		if n := c.api.Count(alexatest.OpCreateTimer); n != 0 {
			t.Errorf("%d API calls without a token", n)
		}
	})
	t.Run("no Alexa API client", func(t *testing.T) {
		clk := clock.New(t0)
		h, _ := newHandler(t, openStore(t), clk)
		c := &coach{convo: newConvo(t, h, clk, defaultUser()), clk: clk}
		c.onPackQuestion()
		c.say(intents.IntentYes)
		c.expect("I couldn't set the timer")
		c.expectOpen()
	})
}

func TestTimerCheckAndCancel(t *testing.T) {
	c := newCoach(t)
	c.onPackQuestion()
	c.say(intents.IntentYes)
	c.say(intents.IntentNo) // no reminder
	c.expect("Okay, no reminder")
	c.pause(8 * time.Minute)
	c.say(intents.IntentPackTimeLeft)
	c.expect("About 12 minutes left on your cold pack")
	c.say(intents.IntentCancelPackTimer)
	c.expect("cancelled your cold pack timer")
	if n := c.api.Count(alexatest.OpDeleteTimer); n != 1 {
		t.Errorf("%d delete calls", n)
	}
	if s := c.state(); s.Timer.ID != "" {
		t.Errorf("cancelled timer still in the state: %+v", s.Timer)
	}

	// A timer that already rang: the state still remembers it, the API
	// says it is gone.
	d := newCoach(t)
	d.onPackQuestion()
	d.say(intents.IntentYes)
	d.say(intents.IntentNo)
	d.pause(25 * time.Minute)
	d.say(intents.IntentPackTimeLeft)
	d.expect("That timer has already finished")
	d.expectOpen()
	d.say(intents.IntentPackTimeLeft)
	d.expect("There's no pack timer running")
	if n := d.api.Count(alexatest.OpGetTimer); n != 1 {
		t.Errorf("%d timer reads, want 1", n)
	}
}

// TestConflictRetryCreatesOneTimer: another device writes between this
// turn's read and write; the turn reloads, applies "yes" once more, saves,
// and only then creates the timer, once.
func TestConflictRetryCreatesOneTimer(t *testing.T) {
	c := newCoach(t)
	c.onPackQuestion()
	inner := c.st.Store
	first := true
	c.st.putHook = func(ctx context.Context, key string, data []byte, expected int64) (int64, error) {
		if first {
			first = false
			// The other device: a write that keeps the question pending.
			item, err := inner.Get(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := inner.Put(ctx, key, item.Data, item.Version); err != nil {
				t.Fatal(err)
			}
		}
		return inner.Put(ctx, key, data, expected)
	}
	c.say(intents.IntentYes)
	c.expect("Done. Your cold pack timer will ring in 20 minutes")
	if n := c.api.Count(alexatest.OpCreateTimer); n != 1 {
		t.Errorf("%d timers created, want exactly 1", n)
	}
	s, v := stored(t, c.st, c.u.userID)
	if s.Timer.ID != "timer-1" {
		t.Errorf("stored timer %+v", s.Timer)
	}
	if got := c.sessionVersion(); got != v {
		t.Errorf("session carries version %d, store has %d", got, v)
	}
}

func TestForgetMe(t *testing.T) {
	c := newCoach(t)
	c.onStep(4)
	c.say(intents.IntentForgetMe)
	c.expect("Are you sure?")
	c.say(intents.IntentYes)
	c.expect("deleted everything")
	c.expectClosed()
	if s, v := stored(t, c.st, c.u.userID); s != (skill.State{}) || v != 0 {
		t.Errorf("after forget me the store holds %+v at version %d", s, v)
	}
	// A new session starts from the beginning.
	c.launch()
	c.expect("Welcome to Back Spasm Coach")
}

func TestWarningSignEndsSession(t *testing.T) {
	c := newCoach(t)
	c.onStep(3)
	_, before := stored(t, c.st, c.u.userID)
	c.say(intents.IntentWarningSign)
	c.expect("call 9 1 1", "Alexa can't call")
	c.expectClosed()
	if _, v := stored(t, c.st, c.u.userID); v != before {
		t.Errorf("a warning sign changed the stored state (version %d → %d)", before, v)
	}
}

// TestPersonKeepsOwnPlace: a recognised speaker has their own place in the
// routine, apart from the account's.
func TestPersonKeepsOwnPlace(t *testing.T) {
	c := newCoach(t)
	c.u.personID = "amzn1.ask.person.TESTPERSON1"
	c.onStep(6)
	if _, v := stored(t, c.st, c.u.userID); v != 0 {
		t.Errorf("the account's state was written (version %d)", v)
	}
	if s, _ := stored(t, c.st, c.u.personID); s.Step != 6 {
		t.Errorf("the person's state is on step %d", s.Step)
	}
}
