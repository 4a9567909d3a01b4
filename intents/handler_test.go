package intents_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/internal/testutil/golden"
	"spasmcoach/skill"
)

func TestNewValidates(t *testing.T) {
	st := openStore(t)
	tests := []struct {
		name string
		st   intents.Store
		opts []intents.Option
	}{
		{"no store", nil, nil},
		{"nil clock", st, []intents.Option{intents.WithClock(nil)}},
		{"nil logger", st, []intents.Option{intents.WithLogger(nil)}},
		{"zero turn budget", st, []intents.Option{intents.WithBudget(0, time.Second)}},
		{"zero call budget", st, []intents.Option{intents.WithBudget(time.Second, 0)}},
		{"call longer than turn", st, []intents.Option{intents.WithBudget(time.Second, 2*time.Second)}},
	}
	for _, tc := range tests {
		if _, err := intents.New(tc.st, tc.opts...); !errors.Is(err, intents.ErrConfig) {
			t.Errorf("%s: New = %v, want ErrConfig", tc.name, err)
		}
	}
	h, err := intents.New(st)
	if err != nil {
		t.Fatal(err)
	}
	if !h.AcceptsAnySkillID() {
		t.Error("a handler without WithSkillIDs should accept any skill ID")
	}
}

func TestSkillIDRefused(t *testing.T) {
	clk := clock.New(t0)
	h, _ := newHandler(t, noStore{t}, clk)
	tests := []struct{ name, json string }{
		{"other skill", `{"version":"1.0","context":{"System":{"application":{"applicationId":"amzn1.ask.skill.other"},"user":{"userId":"u"}}},"request":{"type":"LaunchRequest","requestId":"r"}}`},
		{"other session skill", `{"version":"1.0","session":{"new":true,"application":{"applicationId":"amzn1.ask.skill.other"},"user":{"userId":"u"}},"context":{"System":{"application":{"applicationId":"` + testSkillID + `"}}},"request":{"type":"LaunchRequest"}}`},
		{"no skill", `{"version":"1.0","request":{"type":"LaunchRequest"}}`},
		{"skill event", `{"version":"1.0","context":{"System":{"application":{"applicationId":"amzn1.ask.skill.other"},"user":{"userId":"u"}}},"request":{"type":"AlexaSkillEvent.SkillDisabled"}}`},
	}
	for _, tc := range tests {
		out, err := h.Invoke(context.Background(), []byte(tc.json))
		if !errors.Is(err, intents.ErrSkillID) || out != nil {
			t.Errorf("%s: Invoke = %s, %v; want ErrSkillID", tc.name, out, err)
		}
	}
	// With an empty allow-list, any skill ID is accepted.
	open, err := intents.New(noStore{t}, intents.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	head, _, found := strings.Cut(tests[0].json, `"request"`)
	if !found {
		t.Fatalf("no request in %s", tests[0].json)
	}
	out, err := open.Invoke(context.Background(), []byte(head+`"request":{"type":"Unknown"}}`))
	if err != nil {
		t.Fatalf("empty allow-list refused a request: %v", err)
	}
	checkResponse(t, out)
}

func TestMalformedJSON(t *testing.T) {
	clk := clock.New(t0)
	h, sink := newHandler(t, noStore{t}, clk)
	for _, in := range []string{``, `{`, `not json`, `[1,2]`, `{"request":{"type":7}}`, "\x00\xff", `{"session":{"attributes":[]}}`} {
		env := invoke(t, h, []byte(in))
		r := env.Response
		if r.OutputSpeech == nil || r.OutputSpeech.Type != alexa.SpeechPlainText || r.ShouldEndSession == nil || !*r.ShouldEndSession {
			t.Errorf("malformed %q: want a short spoken apology that ends the session, got %+v", in, r)
		}
	}
	if !strings.Contains(sink.String(), "malformed request") {
		t.Error("malformed requests not logged")
	}
}

func TestUnknownRequestTypes(t *testing.T) {
	clk := clock.New(t0)
	h, sink := newHandler(t, noStore{t}, clk)
	c := newConvo(t, h, clk, defaultUser())
	for _, typ := range []string{"AudioPlayer.PlaybackStarted", "System.ExceptionEncountered", "Alexa.Presentation.APL.UserEvent", "Reminders.ReminderCreated", ""} {
		env := c.send(typ, typ, nil)
		if b, _ := env.Encode(); string(b) != `{"version":"1.0","response":{}}` {
			t.Errorf("%q: response %s, want the empty response", typ, b)
		}
	}
	// A connection this skill never asked for.
	env := c.send("upsell", alexa.RequestConnectionsResponse, map[string]any{"name": "Upsell", "status": map[string]any{"code": "200"}})
	if b, _ := env.Encode(); string(b) != `{"version":"1.0","response":{}}` {
		t.Errorf("Upsell response: %s", b)
	}
	if !strings.Contains(sink.String(), "request type not handled") {
		t.Error("unknown request types not logged")
	}
}

func TestSkillEvents(t *testing.T) {
	clk := clock.New(t0)
	st := &spyStore{Store: openStore(t)}
	h, sink := newHandler(t, st, clk)
	u := defaultUser()
	if _, err := st.Put(context.Background(), sha(u.userID), []byte(`{"sv":1,"st":4,"ep":1773151200}`), 0); err != nil {
		t.Fatal(err)
	}
	c := newConvo(t, h, clk, u)
	for _, typ := range []string{alexa.RequestSkillEnabled, alexa.RequestPermissionAccepted, alexa.RequestPermissionChanged, "AlexaSkillEvent.SkillAccountLinked"} {
		env := c.send(typ, typ, map[string]any{"eventCreationTime": "2026-03-10T14:00:00Z"})
		if !reflect.DeepEqual(env.Response, alexa.Response{}) || env.SessionAttributes != nil {
			t.Errorf("%s: response %s, want empty", typ, c.lastRaw)
		}
	}
	if _, v := stored(t, st, u.userID); v != 1 {
		t.Errorf("skill events changed the stored state: version %d", v)
	}
	// Disabling the skill deletes everything stored about the user.
	env := c.send("disabled", alexa.RequestSkillDisabled, nil)
	if !reflect.DeepEqual(env.Response, alexa.Response{}) {
		t.Errorf("SkillDisabled response %s", c.lastRaw)
	}
	if s, v := stored(t, st, u.userID); s != (skill.State{}) || v != 0 {
		t.Errorf("after SkillDisabled the store holds %+v at version %d", s, v)
	}
	if !strings.Contains(sink.String(), `"outcome":"deleted"`) {
		t.Errorf("deletion not logged:\n%s", sink.String())
	}
	// The fixture too.
	out, err := h.Invoke(context.Background(), readFixture(t, "skill_disabled.json"))
	if err != nil || string(out) != `{"version":"1.0","response":{}}` {
		t.Errorf("fixture: %s, %v", out, err)
	}
}

func TestSessionEndedFixture(t *testing.T) {
	clk := clock.New(t0)
	st := &spyStore{Store: openStore(t)}
	h, sink := newHandler(t, st, clk)
	out, err := h.Invoke(context.Background(), readFixture(t, "session_ended_error.json"))
	if err != nil || string(out) != `{"version":"1.0","response":{}}` {
		t.Fatalf("SessionEndedRequest: %s, %v; want the empty response", out, err)
	}
	for _, want := range []string{`"reason":"ERROR"`, `"errorType":"INVALID_RESPONSE"`, `"errorMessage":"An exception occurred`} {
		if !strings.Contains(sink.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, sink.String())
		}
	}
	// A first-time user whose session ended: nothing changed, nothing
	// written.
	if _, puts, _ := st.counts(); puts != 0 {
		t.Errorf("%d writes for a session end that changed nothing", puts)
	}
}

// TestSessionEndedSaves: a session that ends with a question pending
// forgets the question, and saves that.
func TestSessionEndedSaves(t *testing.T) {
	clk := clock.New(t0)
	st := &spyStore{Store: openStore(t)}
	h, _ := newHandler(t, st, clk)
	u := defaultUser()
	pending := skill.State{Schema: 1, Step: 5, Episode: skill.At(t0), Briefed: skill.At(t0), Updated: skill.At(t0),
		Ask: skill.AskTimer, Plan: skill.PackPlan{Pack: skill.PackCold, Minutes: 20}}
	data, _ := skill.Encode(pending)
	if _, err := st.Put(context.Background(), sha(u.userID), data, 0); err != nil {
		t.Fatal(err)
	}
	c := newConvo(t, h, clk, u)
	c.endSession("EXCEEDED_MAX_REPROMPTS")
	s, v := stored(t, st, u.userID)
	if v != 2 || s.Ask != skill.AskNothing || s.Plan != (skill.PackPlan{}) || s.Step != 5 {
		t.Errorf("after the session ended: %+v at version %d", s, v)
	}
}

func TestNoUser(t *testing.T) {
	clk := clock.New(t0)
	h, _ := newHandler(t, noStore{t}, clk)
	u := defaultUser()
	u.userID = ""
	c := newConvo(t, h, clk, u)
	c.launch()
	c.expectClosed()
	if c.last.Response.OutputSpeech.Type != alexa.SpeechPlainText {
		t.Errorf("want a plain apology, got %s", c.lastRaw)
	}
}

func TestCanFulfill(t *testing.T) {
	clk := clock.New(t0)
	h, _ := newHandler(t, noStore{t}, clk)
	c := newConvo(t, h, clk, defaultUser())
	type slots = map[string]string
	tests := []struct {
		intent string
		slots  slots
		want   string
		slot   map[string]alexa.CanFulfillSlot
	}{
		{intents.IntentStartBreathing, nil, "YES", nil},
		{intents.IntentStartStretch, nil, "YES", nil},
		{intents.IntentSetPackTimer, slots{"minutes": "fifteen", "pack": "ice"}, "MAYBE", map[string]alexa.CanFulfillSlot{
			"minutes": {CanUnderstand: "YES", CanFulfill: "YES"},
			// Understood from the raw words, without entity resolution.
			"pack": {CanUnderstand: "MAYBE", CanFulfill: "YES"},
		}},
		{intents.IntentSetPackTimer, slots{"minutes": "45"}, "MAYBE", map[string]alexa.CanFulfillSlot{
			"minutes": {CanUnderstand: "YES", CanFulfill: "NO"},
		}},
		{intents.IntentSetPackTimer, slots{"minutes": "banana"}, "MAYBE", map[string]alexa.CanFulfillSlot{
			"minutes": {CanUnderstand: "NO", CanFulfill: "NO"},
		}},
		{intents.IntentGoToStep, slots{"step": "four"}, "MAYBE", map[string]alexa.CanFulfillSlot{
			"step": {CanUnderstand: "YES", CanFulfill: "YES"},
		}},
		{intents.IntentGoToStep, slots{"step": "12"}, "MAYBE", map[string]alexa.CanFulfillSlot{
			"step": {CanUnderstand: "YES", CanFulfill: "NO"},
		}},
		{intents.IntentStartExercise, slots{"exercise": "chair twist"}, "MAYBE", nil},
		{intents.IntentWhereAmI, nil, "MAYBE", nil},
		{intents.IntentWarningSign, nil, "NO", nil},
		{intents.IntentForgetMe, nil, "NO", nil},
		{intents.IntentStop, nil, "NO", nil},
		{intents.IntentHelp, nil, "NO", nil},
		{"OrderPizzaIntent", slots{"topping": "ham"}, "NO", map[string]alexa.CanFulfillSlot{
			"topping": {CanUnderstand: "NO", CanFulfill: "NO"},
		}},
	}
	for _, tc := range tests {
		s := map[string]any{}
		for k, v := range tc.slots {
			s[k] = map[string]any{"name": k, "value": v}
		}
		env := c.send(tc.intent, alexa.RequestCanFulfillIntent, map[string]any{
			"intent": map[string]any{"name": tc.intent, "slots": s},
		})
		cf := env.Response.CanFulfillIntent
		if cf == nil || cf.CanFulfill != tc.want {
			t.Errorf("%s %v: %s, want canFulfill %s", tc.intent, tc.slots, c.lastRaw, tc.want)
			continue
		}
		for name, want := range tc.slot {
			if cf.Slots[name] != want {
				t.Errorf("%s slot %s = %+v, want %+v", tc.intent, name, cf.Slots[name], want)
			}
		}
	}
	// The recorded fixture: entity resolution matched, twenty minutes.
	out, err := h.Invoke(context.Background(), readFixture(t, "can_fulfill.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := checkResponse(t, out)
	golden.Check(t, "testdata/responses/canfulfill_fixture.json", indent(t, out))
	if env.Response.CanFulfillIntent.CanFulfill != "YES" {
		t.Errorf("fixture: %s", out)
	}
}

// TestSkillDisabledRetriesDeletion checks that a deletion that fails is
// tried again within the turn, and that one that keeps failing ends in one
// ERROR line (which the template's alarm counts) after the warnings.
func TestSkillDisabledRetriesDeletion(t *testing.T) {
	tests := []struct {
		name     string
		failures int // before the store works again
		deleted  bool
	}{
		{"fails once", 1, true},
		{"fails twice", 2, true},
		{"keeps failing", 1000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCoach(t)
			c.onStep(2)
			failed := 0
			c.st.deleteHook = func(ctx context.Context, key string) error {
				if failed < tt.failures {
					failed++
					return errDown
				}
				return c.st.Store.Delete(ctx, key)
			}
			env := c.send("disabled", alexa.RequestSkillDisabled, nil)
			if !reflect.DeepEqual(env.Response, alexa.Response{}) {
				t.Errorf("SkillDisabled response %s", c.lastRaw)
			}
			_, _, deletes := c.st.counts()
			_, v := stored(t, c.st, c.u.userID)
			logs := c.log.String()
			errorLines := strings.Count(logs, `"level":"ERROR","msg":"skill disabled: delete failed"`)
			if tt.deleted {
				if v != 0 || deletes != tt.failures+1 || errorLines != 0 || !strings.Contains(logs, `"outcome":"deleted"`) {
					t.Errorf("stored version %d after %d deletes, %d ERROR lines; want deleted on attempt %d:\n%s",
						v, deletes, errorLines, tt.failures+1, logs)
				}
				return
			}
			if v == 0 || deletes != 3 || errorLines != 1 || !strings.Contains(logs, `"outcome":"fault:delete"`) {
				t.Errorf("stored version %d after %d deletes, %d ERROR lines; want 3 attempts and one ERROR line:\n%s",
					v, deletes, errorLines, logs)
			}
			if n := strings.Count(logs, "delete failed; trying again"); n != 2 {
				t.Errorf("%d warnings before the retries, want 2", n)
			}
		})
	}
}
