package intents_test

import (
	"testing"

	"spasmcoach/intents"
)

// TestHoldLastsTheSession: "that hurts" during the stretch keeps the next
// rounds from going further, for that conversation only. The stored state
// holds nothing of it once the conversation ends: by the user's stop (the
// skill ends the session), or when Alexa ends it.
func TestHoldLastsTheSession(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(c *coach, l *listener)
	}{
		{"the user stops", func(c *coach, l *listener) {
			l.say("ok stop now", intents.IntentStop)
			c.expectClosed()
		}},
		{"Alexa ends the session", func(c *coach, _ *listener) { c.endSession("EXCEEDED_MAX_REPROMPTS") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCoach(t)
			l := listen(c)
			c.onStep(4)
			l.say("start the stretch", intents.IntentStartStretch)
			l.say("ow that hurts", intents.IntentDistress)
			if s, _ := stored(t, c.st, c.u.userID); !s.Hold {
				t.Fatalf("after 'that hurts' the session does not hold the range: %+v", s)
			}
			tc.end(c, l)
			if s, _ := stored(t, c.st, c.u.userID); s.Hold {
				t.Errorf("the stored state keeps the hold after the session: %+v", s)
			}
		})
	}
}
