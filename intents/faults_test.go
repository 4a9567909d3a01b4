package intents_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/internal/testutil/faultproxy"
	"spasmcoach/skill"
	"spasmcoach/store"
	"spasmcoach/store/dynalitetest"
)

var errDown = errors.New("store is down")

// expectApology fails unless the last response is a short plain apology
// that keeps the session open (with a reprompt) or closes it.
func (c *convo) expectApology(open bool) {
	c.tb.Helper()
	r := c.last.Response
	if r.OutputSpeech == nil || r.OutputSpeech.Type != alexa.SpeechPlainText || !strings.HasPrefix(r.OutputSpeech.Text, "Sorry") {
		c.tb.Errorf("want a spoken apology, got %s", c.lastRaw)
	}
	if open {
		c.expectOpen()
	} else {
		c.expectClosed()
	}
}

func TestStoreDownWithoutSessionCopy(t *testing.T) {
	c := newCoach(t)
	c.st.getHook = func(context.Context, string) (store.Item, error) { return store.Item{}, errDown }
	c.launch()
	c.expectApology(true)
	if c.last.SessionAttributes != nil && c.last.SessionAttributes.State != nil {
		t.Errorf("an apology carried a state: %s", c.lastRaw)
	}
	if _, puts, _ := c.st.counts(); puts != 0 {
		t.Errorf("%d writes while the store is down", puts)
	}
	// The store comes back: the user carries on.
	c.st.getHook = nil
	c.say(intents.IntentHelp)
	c.expect("I coach you through a back spasm")
}

// TestStoreWriteFailsMidSession: the store fails after the session has a
// copy of the state: the user hears the real answer, the session keeps the
// new state with the last version really saved, and nothing is lost when
// the store comes back.
func TestStoreWriteFailsMidSession(t *testing.T) {
	c := newCoach(t)
	c.onStep(2)
	before, v := stored(t, c.st, c.u.userID)
	c.st.getHook = func(context.Context, string) (store.Item, error) { return store.Item{}, errDown }
	c.st.putHook = func(context.Context, string, []byte, int64) (int64, error) { return 0, errDown }
	c.say(intents.IntentNext)
	c.expect("Step three")
	c.expectOpen()
	if s, sv := c.state(), c.sessionVersion(); s.Step != 3 || sv != v {
		t.Errorf("session state on step %d at version %d, want step 3 at the saved version %d", s.Step, sv, v)
	}
	if s, v2 := stored(t, c.st, c.u.userID); s != before || v2 != v {
		t.Errorf("the store changed while down: %+v at %d", s, v2)
	}
	c.say(intents.IntentNext)
	c.expect("Step four")
	// Back up: the next write carries everything the session kept.
	c.st.getHook, c.st.putHook = nil, nil
	c.say(intents.IntentNext)
	c.expect("Step five")
	if s, v2 := stored(t, c.st, c.u.userID); s.Step != 5 || v2 != v+1 {
		t.Errorf("after the store came back: step %d at version %d, want step 5 at %d", s.Step, v2, v+1)
	}
	if gets, _, _ := c.st.counts(); gets != 1 {
		t.Errorf("%d store reads in one session", gets)
	}
}

// TestConflictTwice: two conflicts in a row give a short apology with the
// session open; nothing is written by this turn and no effect runs.
func TestConflictTwice(t *testing.T) {
	c := newCoach(t)
	c.onPackQuestion()
	inner := c.st.Store
	c.st.putHook = func(ctx context.Context, key string, data []byte, expected int64) (int64, error) {
		// Another device writes first, every time.
		item, err := inner.Get(ctx, key)
		if err != nil {
			return 0, err
		}
		if _, err := inner.Put(ctx, key, item.Data, item.Version); err != nil {
			return 0, err
		}
		return inner.Put(ctx, key, data, expected)
	}
	c.say(intents.IntentYes)
	c.expectApology(true)
	if n := c.api.Count(alexatest.OpCreateTimer); n != 0 {
		t.Errorf("%d timers created by a turn that was not saved", n)
	}
	if c.last.SessionAttributes != nil && c.last.SessionAttributes.State != nil {
		t.Errorf("the stale state was carried on: %s", c.lastRaw)
	}
	s, _ := stored(t, c.st, c.u.userID)
	if s.Ask != skill.AskTimer || s.Timer.ID != "" {
		t.Errorf("stored state changed by the failed turn: %+v", s)
	}
	// Next turn: the state is read again and the user can say yes again.
	c.st.putHook = nil
	gets, _, _ := c.st.counts()
	c.say(intents.IntentYes)
	c.expect("Done. Your cold pack timer")
	if g, _, _ := c.st.counts(); g != gets+1 {
		t.Errorf("the state was not reloaded after the apology")
	}
	if n := c.api.Count(alexatest.OpCreateTimer); n != 1 {
		t.Errorf("%d timers created, want 1", n)
	}
}

// TestConflictWithoutTimeLeft: a conflict that comes when the turn's time
// is spent is not retried.
func TestConflictWithoutTimeLeft(t *testing.T) {
	c := newCoach(t, intents.WithBudget(200*time.Millisecond, 200*time.Millisecond))
	c.onStep(2)
	c.st.putHook = func(ctx context.Context, _ string, _ []byte, expected int64) (int64, error) {
		<-ctx.Done() // slow, and then someone else had written
		return 0, &store.ConflictError{Expected: expected}
	}
	gets, _, _ := c.st.counts()
	c.say(intents.IntentNext)
	c.expectApology(true)
	if g, _, _ := c.st.counts(); g != gets {
		t.Errorf("reloaded (%d reads) with no time left", g-gets)
	}
}

func TestNewerStateNotOverwritten(t *testing.T) {
	c := newCoach(t)
	key := sha(c.u.userID)
	newer := []byte(`{"sv":99,"st":4,"future":true}`)
	if _, err := c.st.Put(context.Background(), key, newer, 0); err != nil {
		t.Fatal(err)
	}
	c.launch()
	c.expectApology(false)
	item, err := c.st.Get(context.Background(), key)
	if err != nil || string(item.Data) != string(newer) || item.Version != 1 {
		t.Errorf("newer state touched: %s at %d, %v", item.Data, item.Version, err)
	}
}

func TestCorruptStateStartsAfresh(t *testing.T) {
	c := newCoach(t)
	key := sha(c.u.userID)
	if _, err := c.st.Put(context.Background(), key, []byte(`{not json`), 0); err != nil {
		t.Fatal(err)
	}
	c.launch()
	c.expect("Welcome to Back Spasm Coach")
	if s, v := stored(t, c.st, c.u.userID); v != 2 || s.Step != 1 {
		t.Errorf("after a corrupt state: step %d at version %d", s.Step, v)
	}
}

func TestTamperedSessionStateIgnored(t *testing.T) {
	c := newCoach(t)
	c.onStep(3)
	c.s.Attributes.State = []byte(`{"sv":1,"st":42,"ep":5}`) // breaks the invariants
	gets, _, _ := c.st.counts()
	c.say(intents.IntentWhereAmI)
	c.expect("on step 3")
	if g, _, _ := c.st.counts(); g != gets+1 {
		t.Error("a tampered session state was used instead of the store")
	}
}

func TestForgetFails(t *testing.T) {
	c := newCoach(t)
	c.onStep(4)
	_, v := stored(t, c.st, c.u.userID)
	c.say(intents.IntentForgetMe)
	c.st.deleteHook = func(context.Context, string) error { return errDown }
	c.say(intents.IntentYes)
	c.expectApology(true)
	if s, v2 := stored(t, c.st, c.u.userID); v2 < v || s.Step != 4 {
		t.Errorf("after a failed forget: step %d at version %d", s.Step, v2)
	}
	c.st.deleteHook = nil
	c.say(intents.IntentForgetMe)
	c.say(intents.IntentYes)
	c.expect("deleted everything")
}

// TestPanicBecomesApology: even a bug answers with a valid response, and
// the panic is logged as an error (the harness logger still checks every
// line for secrets, and for any other panic).
func TestPanicBecomesApology(t *testing.T) {
	clk := clock.New(t0)
	st := &spyStore{Store: openStore(t)}
	st.getHook = func(context.Context, string) (store.Item, error) { panic("boom") }
	h, sink := newHandler(t, st, clk)
	sink.expectPanic("boom")
	c := newConvo(t, h, clk, defaultUser())
	c.launch()
	c.expectApology(false)
	var panics []logLine
	for _, l := range logLines(t, sink.String()) {
		if l.str("msg") == "panic in turn" {
			panics = append(panics, l)
		}
	}
	if len(panics) != 1 || panics[0].str("level") != "ERROR" || panics[0].str("panic") != "boom" ||
		panics[0].str("requestId") != "amzn1.echo-api.request.0001" {
		t.Errorf("panic not logged once as an error with its request:\n%s", sink.String())
	}
	if !strings.Contains(sink.String(), `"msg":"turn"`) || !strings.Contains(sink.String(), `"outcome":"panic"`) {
		t.Errorf("the turn line does not say it panicked:\n%s", sink.String())
	}
}

// --- the DynamoDB backend against real faults ---

// dynaliteOrSkip starts dynalite, or skips the test without Node (never
// with CI set: dynalitetest fails the test then).
func dynaliteOrSkip(t *testing.T) string {
	t.Helper()
	if _, ok := dynalitetest.CLI(t); !ok && os.Getenv("CI") == "" {
		t.Skip("dynalite not installed (run npm ci); skipping the DynamoDB fault tests")
	}
	return dynalitetest.Start(t)
}

// TestDynamoDBFaults drives turns through the DynamoDB backend while the
// DynamoDB-API server behind it answers 500, throttles or stalls: each turn
// answers validly, the stored state is unchanged, and when the server
// recovers the session's copy is saved with nothing lost.
func TestDynamoDBFaults(t *testing.T) {
	endpoint := dynaliteOrSkip(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	for _, tc := range []struct {
		name  string
		fault *faultproxy.Fault
	}{
		{"500", dynalitetest.FaultInternalServerError},
		{"throttling", dynalitetest.FaultThrottling},
		{"stall", &faultproxy.Fault{Stall: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy := faultproxy.NewHTTP(t, endpoint, nil)
			ddb, err := store.NewDynamoDB(dynalitetest.Client(t, proxy.URL()), table)
			if err != nil {
				t.Fatal(err)
			}
			st := &spyStore{Store: ddb}
			clk := clock.New(t0)
			api := newFakeAPI(t, clk)
			h, _ := newHandler(t, st, clk, intents.WithAlerts(api.Client()),
				intents.WithBudget(1500*time.Millisecond, 300*time.Millisecond))
			u := defaultUser()
			u.userID = "amzn1.ask.account.DYNAMO-" + tc.name
			u.apiEndpoint = api.URL
			c := &coach{convo: newConvo(t, h, clk, u), st: st, api: api, clk: clk}
			c.onStep(2)
			before, v := stored(t, st, u.userID)

			proxy.Set(tc.fault)
			c.say(intents.IntentNext) // answered from the session's copy
			c.expect("Step three")
			c.expectOpen()
			if sv := c.sessionVersion(); sv != v {
				t.Errorf("session carries version %d, last saved %d", sv, v)
			}
			// A new session while it is down: a short apology, kept open.
			other := newConvo(t, h, clk, u)
			other.launch()
			other.expectApology(true)
			if proxy.Hits() == 0 {
				t.Fatal("the fault was never hit")
			}

			proxy.Set(nil)
			if s, v2 := stored(t, st, u.userID); s != before || v2 != v {
				t.Errorf("stored state changed during the fault: %+v at %d", s, v2)
			}
			c.say(intents.IntentNext)
			c.expect("Step four")
			if s, v2 := stored(t, st, u.userID); s.Step != 4 || v2 != v+1 {
				t.Errorf("after recovery: step %d at version %d", s.Step, v2)
			}
		})
	}
}

// TestDynamoDBUnreachable: the DynamoDB backend pointed at a closed port,
// or at a server that accepts connections and never answers; from the
// start of a session, and in the middle of one.
func TestDynamoDBUnreachable(t *testing.T) {
	t.Run("from the start", func(t *testing.T) {
		for name, endpoint := range map[string]string{
			"closed port": faultproxy.ClosedPort(t),
			"stalled TCP": faultproxy.New(t, "", faultproxy.Stall).URL(),
		} {
			t.Run(name, func(t *testing.T) {
				ddb, err := store.NewDynamoDB(dynalitetest.Client(t, endpoint), "spasmcoach")
				if err != nil {
					t.Fatal(err)
				}
				clk := clock.New(t0)
				h, _ := newHandler(t, ddb, clk, intents.WithBudget(time.Second, 250*time.Millisecond))
				c := newConvo(t, h, clk, defaultUser())
				c.launch()
				c.expectApology(true)
				c.say(intents.IntentNext)
				c.expectApology(true)
				c.endSession("USER_INITIATED")
			})
		}
	})
	// A session starts while DynamoDB is up, so the session attributes
	// carry the state; then DynamoDB becomes unreachable behind a TCP
	// proxy: the port closes, connections are reset, or they stall. The
	// next turn is answered from the session's copy, nothing is stored,
	// and once DynamoDB is back the session's copy is saved.
	t.Run("mid-session", func(t *testing.T) {
		endpoint := dynaliteOrSkip(t)
		table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
		reader, err := store.NewDynamoDB(dynalitetest.Client(t, endpoint), table)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []faultproxy.Mode{faultproxy.Refuse, faultproxy.Reset, faultproxy.Stall} {
			t.Run(mode.String(), func(t *testing.T) {
				proxy := faultproxy.New(t, endpoint, faultproxy.Forward)
				ddb, err := store.NewDynamoDB(dynalitetest.Client(t, proxy.URL()), table)
				if err != nil {
					t.Fatal(err)
				}
				clk := clock.New(t0)
				h, sink := newHandler(t, ddb, clk, intents.WithBudget(time.Second, 250*time.Millisecond))
				u := defaultUser()
				u.userID = "amzn1.ask.account.UNREACHABLE-" + strings.ReplaceAll(mode.String(), " ", "-")
				u.apiEndpoint, u.token = "", ""
				c := &coach{convo: newConvo(t, h, clk, u), st: &spyStore{Store: reader}, clk: clk, log: sink}
				c.onStep(2)
				before, v := stored(t, c.st, u.userID)
				if before.Step != 2 || v == 0 {
					t.Fatalf("before the fault: step %d at version %d", before.Step, v)
				}

				proxy.SetMode(mode)
				since := len(sink.String())
				c.say(intents.IntentNext) // answered from the session's copy
				c.expect("Step three")
				c.expectOpen()
				if s, sv := c.state(), c.sessionVersion(); s.Step != 3 || sv != v {
					t.Errorf("session on step %d at version %d, want step 3 at the saved version %d", s.Step, sv, v)
				}
				if !strings.Contains(sink.String()[since:], "store write failed; state kept in the session") {
					t.Errorf("the write did not fail:\n%s", sink.String()[since:])
				}
				if s, v2 := stored(t, c.st, u.userID); s != before || v2 != v {
					t.Errorf("the stored state changed while DynamoDB was unreachable: step %d at version %d", s.Step, v2)
				}

				proxy.SetMode(faultproxy.Forward)
				c.say(intents.IntentNext)
				c.expect("Step four")
				c.expectOpen()
				if s, v2 := stored(t, c.st, u.userID); s.Step != 4 || v2 != v+1 {
					t.Errorf("after recovery: step %d at version %d, want step 4 at %d", s.Step, v2, v+1)
				}
				if sv := c.sessionVersion(); sv != v+1 {
					t.Errorf("session carries version %d after recovery, want %d", sv, v+1)
				}
			})
		}
	})
}
