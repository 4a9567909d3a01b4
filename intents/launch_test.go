package intents_test

import (
	"testing"
	"time"

	"spasmcoach/intents"
	"spasmcoach/skill"
	"spasmcoach/store/dynalitetest"
)

// TestLaunchWritesNothing: a returning user's launch that only asks
// "Shall we pick up there?" reads the state once and writes nothing; the
// question travels in the session, and the answer saves what follows from
// it. A launch with more to keep (the day's briefing) saves it at once.
func TestLaunchWritesNothing(t *testing.T) {
	endpoint := dynaliteOrSkip(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	c := newDynamoCoach(t, endpoint, table)
	c.onStep(3)
	c.say(intents.IntentStop)
	c.expectClosed()
	before := c.storedCopy()

	c.pause(time.Hour)
	c.calls.Reset()
	c.launch()
	c.expect("Last time you were on step 3", "Shall we pick up there?")
	if got := c.calls.Calls(); got.GetItem != 1 || got.PutItem != 0 {
		t.Errorf("returning user's launch: %d GetItem, %d PutItem; want 1 and 0", got.GetItem, got.PutItem)
	}
	if s, _ := c.sessionCopy(); s.Ask != skill.AskResume {
		t.Errorf("the session does not carry the question: %+v", s)
	}
	if after := c.storedCopy(); after != before {
		t.Errorf("the launch changed the stored state:\n%+v\n%+v", before, after)
	}
	c.say(intents.IntentYes)
	c.expectOpen()
	if got := c.calls.Calls(); got.GetItem != 1 || got.PutItem != 1 {
		t.Errorf("after yes: %d GetItem, %d PutItem; want 1 and 1", got.GetItem, got.PutItem)
	}
	if s := c.storedCopy(); s.Ask == skill.AskResume || s.Step != 3 {
		t.Errorf("after yes, stored: %+v", s)
	}
	// The user walks away during the question: the end of the session
	// saves once.
	c.say(intents.IntentStop)
	c.pause(time.Hour)
	c.calls.Reset()
	c.launch()
	c.expect("Shall we pick up there?")
	c.endSession("USER_INITIATED")
	if got := c.calls.Calls(); got.GetItem != 1 || got.PutItem != 1 {
		t.Errorf("launch and end of session: %d GetItem, %d PutItem; want 1 and 1", got.GetItem, got.PutItem)
	}
	if s := c.storedCopy(); s.Ask != skill.AskNothing {
		t.Errorf("after the end of the session, stored question %d", s.Ask)
	}

	// The next day's launch gives the briefing, which is saved at once.
	c.pause(24 * time.Hour)
	c.calls.Reset()
	c.launch()
	c.expect("First, a quick safety check.")
	if got := c.calls.Calls(); got.GetItem != 1 || got.PutItem != 1 {
		t.Errorf("next day's launch: %d GetItem, %d PutItem; want 1 and 1", got.GetItem, got.PutItem)
	}
	if s := c.storedCopy(); s.Briefed != skill.At(c.clk.Now()) {
		t.Errorf("the briefing was not saved: %+v", s)
	}
}
