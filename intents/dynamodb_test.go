package intents_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/skill"
	"spasmcoach/store"
	"spasmcoach/store/dynalitetest"
)

// dynamoCoach is a coach whose handler keeps state in DynamoDB (dynalite),
// through a client that counts every DynamoDB call, with the fake Alexa
// APIs. Its st reads the same table through a client that is not counted.
type dynamoCoach struct {
	*coach
	calls *dynalitetest.CountingClient
}

func newDynamoCoach(t *testing.T, endpoint, table string, opts ...intents.Option) *dynamoCoach {
	t.Helper()
	calls := dynalitetest.NewCountingClient(dynalitetest.Client(t, endpoint))
	ddb, err := store.NewDynamoDB(calls, table)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := store.NewDynamoDB(dynalitetest.Client(t, endpoint), table)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.New(t0)
	api := newFakeAPI(t, clk)
	h, sink := newHandler(t, ddb, clk, append([]intents.Option{intents.WithAlerts(api.Client())}, opts...)...)
	u := defaultUser()
	u.userID = "amzn1.ask.account.DYNAMO-" + t.Name()
	u.apiEndpoint = api.URL
	return &dynamoCoach{
		coach: &coach{convo: newConvo(t, h, clk, u), st: &spyStore{Store: reader}, api: api, clk: clk, log: sink},
		calls: calls,
	}
}

// sessionCopy returns the state the next request's session carries, and
// whether it carries one.
func (c *dynamoCoach) sessionCopy() (skill.State, bool) {
	c.tb.Helper()
	if !c.s.Open || len(c.s.Attributes.State) == 0 {
		return skill.State{}, false
	}
	s, err := skill.Decode(c.s.Attributes.State)
	if err != nil {
		c.tb.Fatal(err)
	}
	return s, true
}

// storedCopy returns the stored state.
func (c *dynamoCoach) storedCopy() skill.State {
	c.tb.Helper()
	s, _ := stored(c.tb, c.st, c.u.userID)
	return s
}

// TestDynamoDBCallsPerSession counts the DynamoDB calls of a ten-turn
// session against dynalite: one GetItem for the whole session (the first
// turn; the others take the state from the session attributes), one
// PutItem for each turn that changes the state, none for a turn that
// changes nothing. Whether a turn changed the state is read from the
// session attributes before and after it (the store, for the last turn,
// which closes the session), and is also stated turn by turn.
func TestDynamoDBCallsPerSession(t *testing.T) {
	endpoint := dynaliteOrSkip(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	c := newDynamoCoach(t, endpoint, table)

	turns := []struct {
		label   string
		turn    func()
		changes bool
	}{
		// A first launch starts an episode and gives the briefing.
		{"launch", func() { c.launch() }, true},
		{"continue", func() { c.say(intents.IntentResume); c.expect("Step one") }, true},
		{"next", func() { c.say(intents.IntentNext); c.expect("Step two") }, true},
		{"next", func() { c.say(intents.IntentNext); c.expect("Step three") }, true},
		{"start breathing", func() { c.say(intents.IntentStartBreathing); c.expect("Breathe in") }, true},
		{"slower", func() { c.say(intents.IntentSlower) }, true},
		// Help while "another set?" is pending repeats the
		// question: nothing changes, nothing is written.
		{"help", func() { c.say(intents.IntentHelp); c.expectOpen() }, false},
		// Repeat ("again") while "another set?" is pending counts one
		// more set of breaths (Act.Set and Act.Done go up), so it
		// is saved.
		{"repeat", func() { c.say(intents.IntentRepeat); c.expect("Breathe in") }, true},
		// Where am I says so and asks the same question again: nothing
		// changes.
		{"where am I", func() { c.say(intents.IntentWhereAmI); c.expect("on step 3") }, false},
		// Stop ends the session and drops the pending question (Ask), which
		// is saved.
		{"stop", func() { c.say(intents.IntentStop); c.expect("on step 3"); c.expectClosed() }, true},
	}
	var puts int64
	for i, tc := range turns {
		before, ok := c.sessionCopy()
		if !ok {
			before = c.storedCopy()
		}
		prev := c.calls.Calls()
		c.pause(7 * time.Second)
		tc.turn()
		after, ok := c.sessionCopy()
		if !ok {
			after = c.storedCopy()
		}
		got := c.calls.Calls()
		changed := before != after
		t.Logf("turn %d %-15s changed=%v GetItem %d PutItem %d", i+1, tc.label, changed, got.GetItem-prev.GetItem, got.PutItem-prev.PutItem)
		if changed != tc.changes {
			t.Errorf("turn %d (%s): state changed = %v, want %v\nbefore %+v\nafter  %+v", i+1, tc.label, changed, tc.changes, before, after)
		}
		wantPuts := int64(0)
		if changed {
			wantPuts = 1
		}
		if n := got.PutItem - prev.PutItem; n != wantPuts {
			t.Errorf("turn %d (%s): %d PutItem, want %d (state changed: %v)", i+1, tc.label, n, wantPuts, changed)
		}
		puts += wantPuts
		if got.DeleteItem != 0 {
			t.Errorf("turn %d (%s): %d DeleteItem", i+1, tc.label, got.DeleteItem)
		}
	}
	got := c.calls.Calls()
	if got.GetItem != 1 {
		t.Errorf("%d GetItem in one session, want exactly 1", got.GetItem)
	}
	if got.PutItem != puts {
		t.Errorf("%d PutItem in the session, want %d", got.PutItem, puts)
	}
	if _, v := stored(t, c.st, c.u.userID); v != puts {
		t.Errorf("stored version %d after %d writes", v, puts)
	}
}

// TestDynamoDBCallsTimerTurns counts the DynamoDB calls of the turns with
// an effect. The new state is saved before the effect runs (so
// that a conflict stops the timer from being created twice), and an
// effect's outcome that changes the state is applied and saved as a second
// step. So "yes" to the pack timer writes twice: the answer (the question
// cleared), then the timer's outcome (its id, when the pack went on, the
// reminder question). Each step writes only when it changes the state.
func TestDynamoDBCallsTimerTurns(t *testing.T) {
	endpoint := dynaliteOrSkip(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	c := newDynamoCoach(t, endpoint, table)
	c.onPackQuestion()
	if got := c.calls.Calls(); got.GetItem != 1 {
		t.Errorf("%d GetItem before the timer, want 1", got.GetItem)
	}

	turns := []struct {
		label  string
		turn   func()
		puts   int64
		effect string // fake API operation, called once
	}{
		// The answer, then the timer's outcome.
		{"yes to the timer", func() { c.say(intents.IntentYes); c.expect("Done. Your cold pack timer will ring in 20 minutes") }, 2, alexatest.OpCreateTimer},
		// The answer clears the question; the reminder's outcome keeps its
		// alert token, to cancel it with a pack cancelled early.
		{"yes to the reminder", func() { c.say(intents.IntentYes); c.expect("I'll remind you in an hour") }, 2, alexatest.OpCreateReminder},
		// Asking changes nothing; the timer's status confirms the end time
		// the state already holds.
		{"time left", func() { c.say(intents.IntentPackTimeLeft); c.expect("About 15 minutes left") }, 0, alexatest.OpGetTimer},
		// Asking changes nothing; the outcome clears the timer.
		{"cancel", func() { c.say(intents.IntentCancelPackTimer); c.expect("cancelled your cold pack timer") }, 1, alexatest.OpDeleteTimer},
	}
	_, base := stored(t, c.st, c.u.userID)
	var puts int64
	for _, tc := range turns {
		c.pause(time.Minute)
		if tc.label == "time left" {
			c.pause(3 * time.Minute)
		}
		prev := c.calls.Calls()
		calls := c.api.Count(tc.effect)
		tc.turn()
		got := c.calls.Calls()
		if n := got.PutItem - prev.PutItem; n != tc.puts {
			t.Errorf("%s: %d PutItem, want %d", tc.label, n, tc.puts)
		}
		if n := got.GetItem - prev.GetItem; n != 0 {
			t.Errorf("%s: %d GetItem inside the session", tc.label, n)
		}
		if n := c.api.Count(tc.effect) - calls; n != 1 {
			t.Errorf("%s: %d %s calls, want 1", tc.label, n, tc.effect)
		}
		puts += tc.puts
		// The session carries what was saved last.
		s, v := stored(t, c.st, c.u.userID)
		if sess := c.state(); sess != s {
			t.Errorf("%s: the session carries %+v, the store holds %+v", tc.label, sess, s)
		}
		if v != base+puts {
			t.Errorf("%s: stored version %d, want %d", tc.label, v, base+puts)
		}
	}
	if got := c.calls.Calls(); got.GetItem != 1 {
		t.Errorf("%d GetItem in the session, want 1", got.GetItem)
	}
}

// stepWords are the step numbers as the step introductions say them.
var stepWords = [...]string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// TestDynamoDBTwoDevices: one user talks from two devices at once, each in
// its own session with its own copy of the state in the session
// attributes, through the real handler on DynamoDB (dynalite): 50 turns,
// two at a time. Every turn either applies (it says the step its session
// then carries) or answers the conflict apology, and the stored version
// counts exactly the turns that saved: no write is lost.
func TestDynamoDBTwoDevices(t *testing.T) {
	endpoint := dynaliteOrSkip(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	a := newDynamoCoach(t, endpoint, table)
	a.onStep(5)
	ub := a.u
	ub.deviceID = "amzn1.ask.device.TESTDEVICE2"
	b := newConvo(t, a.h, a.clk, ub)
	b.launch()
	b.expect("on step 5")
	b.say(intents.IntentYes)
	b.expect("Step five")
	// a's copy of the state is stale now: its first write must conflict.
	_, v0 := stored(t, a.st, a.u.userID)
	since := len(a.log.String())

	b.s.Requests = 5000 // request IDs apart from a's, to find each turn's log line

	const rounds = 25
	// result is what one turn's response says.
	type result struct {
		requestID string
		apology   bool
		version   int64 // of the state the session carries on
	}
	turn := func(c *convo, r int) result {
		switch {
		case c == b:
			c.say(intents.IntentGoToStep, intents.SlotStep, fmt.Sprint(2+r%7))
		case r%2 == 0:
			c.say(intents.IntentNext)
		default:
			c.say(intents.IntentPrevious)
		}
		res := result{requestID: fmt.Sprintf("amzn1.echo-api.request.%04d", c.s.Requests)}
		resp := c.last.Response
		c.expectOpen()
		if resp.OutputSpeech != nil && resp.OutputSpeech.Type == alexa.SpeechPlainText &&
			strings.HasPrefix(resp.OutputSpeech.Text, "Sorry, another of your devices") {
			if c.last.SessionAttributes != nil && c.last.SessionAttributes.State != nil {
				t.Errorf("the conflict apology carried a state: %s", c.lastRaw)
			}
			res.apology = true
			return res
		}
		s := c.state()
		res.version = c.sessionVersion()
		switch {
		case s.Step == skill.LastStep && strings.HasPrefix(c.said(), "That's the last step"):
		case !strings.Contains(c.said(), "Step "+stepWords[s.Step]+"."):
			t.Errorf("a turn neither applied nor apologised: the session is on step %d, and it said: %s", s.Step, c.said())
		}
		return res
	}
	var results []result
	for r := range rounds {
		var wg sync.WaitGroup
		round := make([]result, 2)
		for i, c := range []*convo{a.convo, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				round[i] = turn(c, r)
			}()
		}
		wg.Wait()
		results = append(results, round...)
	}

	// What the turns' log lines say happened.
	outcome := map[string]string{} // request ID → outcome
	retries := 0
	for _, l := range logLines(t, a.log.String()[since:]) {
		switch l.str("msg") {
		case "turn":
			outcome[l.str("requestId")] = l.str("outcome")
		case "store write conflict; applying again":
			retries++
		}
	}
	var saved, unchanged, apologies int
	versions := map[int64]int{} // version saved → turns that say they saved it
	for _, res := range results {
		switch o := outcome[res.requestID]; {
		case res.apology && o == "conflict":
			apologies++
		case !res.apology && o == "saved":
			saved++
			versions[res.version]++
		case !res.apology && o == "unchanged":
			unchanged++
		default:
			t.Errorf("turn %s: apology %v, logged outcome %q", res.requestID, res.apology, o)
		}
	}
	t.Logf("%d turns: %d applied (%d saved, %d unchanged), %d conflict apologies; %d retries after a conflict",
		len(results), saved+unchanged, saved, unchanged, apologies, retries)
	if saved+unchanged+apologies != 2*rounds {
		t.Errorf("%d turns accounted for, want %d", saved+unchanged+apologies, 2*rounds)
	}
	if retries+apologies == 0 {
		t.Error("no write conflicted: the two devices never raced")
	}
	// Each saved turn wrote the next version, and no two the same one.
	for v := v0 + 1; v <= v0+int64(saved); v++ {
		if versions[v] != 1 {
			t.Errorf("version %d was saved by %d turns, want 1", v, versions[v])
		}
	}
	s, v := stored(t, a.st, a.u.userID)
	if v != v0+int64(saved) {
		t.Errorf("stored version %d, want %d + %d saved turns: a write was lost", v, v0, saved)
	}
	if err := s.Check(); err != nil {
		t.Errorf("stored state: %v", err)
	}
}
