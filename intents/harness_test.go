package intents_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/skill"
	"spasmcoach/speech"
	"spasmcoach/store"
)

// Compile-time checks: the real types satisfy the interfaces the handler
// consumes, and the handler is an aws-lambda-go lambda.Handler.
var (
	_ intents.Store  = (*store.Embedded)(nil)
	_ intents.Store  = (*store.DynamoDB)(nil)
	_ intents.Alerts = (*alexaapi.Client)(nil)
	_ interface {
		Invoke(context.Context, []byte) ([]byte, error)
	} = (*intents.Handler)(nil)
)

// testSkillID is the skill ID of every test request.
const testSkillID = alexatest.SkillID

// t0 is when every test conversation starts: a Tuesday afternoon in UTC.
var t0 = time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)

// openStore opens an embedded store in a fresh temporary folder.
func openStore(tb testing.TB) *store.Embedded {
	tb.Helper()
	st, err := store.OpenEmbedded(filepath.Join(tb.TempDir(), "state.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	return st
}

// logSink records log lines, and fails the test on any that holds a
// secret (a token or a raw user ID) or tells of a panic the test did not
// expect.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// panics are the panic values the test expects in "panic in turn"
	// lines (expectPanic).
	panics []string
}

// expectPanic allows "panic in turn" lines whose panic value is p; any
// other still fails the test.
func (l *logSink) expectPanic(p string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.panics = append(l.panics, p)
}

// unexpectedPanic returns the first "panic in turn" line whose panic the
// test did not expect, or "".
func (l *logSink) unexpectedPanic() string {
	out := l.String()
	l.mu.Lock()
	allowed := slices.Clone(l.panics)
	l.mu.Unlock()
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, `"msg":"panic in turn"`) {
			continue
		}
		var rec struct {
			Panic string `json:"panic"`
		}
		if json.Unmarshal([]byte(line), &rec) != nil || !slices.Contains(allowed, rec.Panic) {
			return line
		}
	}
	return ""
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// secrets never appear in a log line.
var secrets = regexp.MustCompile(`secret-api-token|amzn1\.ask\.account\.|amzn1\.ask\.person\.|person-access-token`)

func newLogger(tb testing.TB) (*slog.Logger, *logSink) {
	sink := &logSink{}
	tb.Cleanup(func() {
		out := sink.String()
		if m := secrets.FindString(out); m != "" {
			tb.Errorf("a log line holds a secret (%q):\n%s", m, out)
		}
		if line := sink.unexpectedPanic(); line != "" {
			tb.Errorf("a turn panicked (%s):\n%s", line, out)
		}
	})
	return slog.New(slog.NewJSONHandler(sink, &slog.HandlerOptions{Level: slog.LevelDebug})), sink
}

// newHandler builds a handler on st with a test clock and logger.
func newHandler(tb testing.TB, st intents.Store, clk *clock.Clock, opts ...intents.Option) (*intents.Handler, *logSink) {
	tb.Helper()
	log, sink := newLogger(tb)
	opts = append([]intents.Option{
		intents.WithClock(clk.Now),
		intents.WithLogger(log),
		intents.WithSkillIDs(testSkillID),
	}, opts...)
	h, err := intents.New(st, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return h, sink
}

// invoke runs one request through the handler and checks the response.
func invoke(tb testing.TB, h *intents.Handler, req []byte) *alexa.Envelope {
	tb.Helper()
	out, err := h.Invoke(context.Background(), req)
	if err != nil {
		tb.Fatalf("Invoke: %v\nrequest: %s", err, req)
	}
	return checkResponse(tb, out)
}

// user is who talks to the skill, and from where.
type user struct {
	userID   string
	personID string
	deviceID string
	locale   string
	// api is the Alexa API base URL and token; empty for none.
	apiEndpoint, token string
	// scopes are the permission scopes the request shows, scope → status.
	scopes map[string]string
}

func defaultUser() user {
	return user{
		userID:      "amzn1.ask.account.TESTUSER1",
		deviceID:    "amzn1.ask.device.TESTDEVICE1",
		locale:      "en-US",
		apiEndpoint: "https://api.amazonalexa.com",
		token:       "secret-api-token",
	}
}

// convo is one user's conversation with the handler: an
// alexatest.Session builds the requests Alexa would send, carries the
// session attributes from response to request and starts a new session
// whenever the skill closed one; convo checks every response and keeps a
// transcript.
type convo struct {
	tb      testing.TB
	h       *intents.Handler
	clk     *clock.Clock
	u       user
	s       *alexatest.Session
	script  strings.Builder
	last    *alexa.Envelope
	lastRaw []byte
}

func newConvo(tb testing.TB, h *intents.Handler, clk *clock.Clock, u user) *convo {
	s := alexatest.NewSession(u.userID)
	s.Now = clk.Now
	return &convo{tb: tb, h: h, clk: clk, u: u, s: s}
}

// request builds a request of type typ with extra request fields, from
// the user as c.u says now.
func (c *convo) request(typ string, fields map[string]any) []byte {
	b, err := json.Marshal(fields)
	if err != nil {
		c.tb.Fatal(err)
	}
	var body alexa.Body
	if err := json.Unmarshal(b, &body); err != nil {
		c.tb.Fatal(err)
	}
	body.Type = typ
	c.sync()
	return c.s.Send(body)
}

// sync gives the session who talks, and from where, as c.u says now.
func (c *convo) sync() {
	s, u := c.s, c.u
	s.UserID, s.PersonID, s.DeviceID, s.Locale = u.userID, u.personID, u.deviceID, u.locale
	s.APIEndpoint, s.APIToken, s.Scopes = u.apiEndpoint, u.token, u.scopes
}

// send sends a request of type typ with extra request fields.
func (c *convo) send(label, typ string, fields map[string]any) *alexa.Envelope {
	c.tb.Helper()
	return c.exchange(label, c.request(typ, fields))
}

// exchange sends a request, checks the response and follows the session.
func (c *convo) exchange(label string, req []byte) *alexa.Envelope {
	c.tb.Helper()
	out, err := c.h.Invoke(context.Background(), req)
	if err != nil {
		c.tb.Fatalf("%s: Invoke: %v", label, err)
	}
	env := checkResponse(c.tb, out)
	c.last, c.lastRaw = env, out
	c.s.ReceiveEnvelope(env)
	c.record(label, env)
	return env
}

func (c *convo) record(label string, env *alexa.Envelope) {
	fmt.Fprintf(&c.script, "> %s\n", label)
	r := env.Response
	if r.OutputSpeech != nil {
		fmt.Fprintf(&c.script, "< %s\n", spoken(r.OutputSpeech))
	}
	if r.Reprompt != nil {
		fmt.Fprintf(&c.script, "  (reprompt) %s\n", spoken(r.Reprompt.OutputSpeech))
	}
	if r.Card != nil {
		fmt.Fprintf(&c.script, "  [card %s] %s%s\n", r.Card.Type, r.Card.Title, strings.Join(r.Card.Permissions, ", "))
	}
	for _, d := range r.Directives {
		if d.Type == alexa.DirectiveAPLA {
			fmt.Fprintf(&c.script, "  [APLA] %s\n", speech.FormatTimeline(timeline(c.tb, d)))
			continue
		}
		fmt.Fprintf(&c.script, "  [directive %s %s %s]\n", d.Type, d.Name, d.Token)
	}
	switch {
	case r.ShouldEndSession == nil && len(r.Directives) > 0:
		c.script.WriteString("  (waiting for Alexa's question)\n")
	case r.ShouldEndSession != nil && *r.ShouldEndSession:
		c.script.WriteString("  (session ends)\n")
	}
}

var tags = regexp.MustCompile(`<[^>]*>`)

// spoken returns what a speech says, without markup.
func spoken(s *alexa.OutputSpeech) string {
	if s == nil {
		return ""
	}
	if s.Type == alexa.SpeechPlainText {
		return s.Text
	}
	t := tags.ReplaceAllString(s.SSML, " ")
	t = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(t)
	return strings.Join(strings.Fields(t), " ")
}

// timeline returns what an APLA directive plays (CheckResponse has
// validated it).
func timeline(tb testing.TB, d alexa.Directive) []speech.TimedText {
	tb.Helper()
	data, err := json.Marshal(d.Datasources)
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := speech.ValidateAPLA(d.Document, data)
	if err != nil {
		tb.Fatalf("APLA: %v", err)
	}
	return speech.AlexaModel().Timeline(doc)
}

// said returns what the last response said: its outputSpeech, then what
// its APLA directive says.
func (c *convo) said() string {
	s := spoken(c.last.Response.OutputSpeech)
	for _, d := range c.last.Response.Directives {
		if d.Type != alexa.DirectiveAPLA {
			continue
		}
		for _, e := range timeline(c.tb, d) {
			if e.Text != "" {
				s += " " + e.Text
			}
		}
	}
	return strings.TrimSpace(s)
}

func (c *convo) launch() *alexa.Envelope {
	c.tb.Helper()
	c.sync()
	return c.exchange("open back spasm coach", c.s.Launch())
}

// say sends an intent with slots given as name, value pairs.
func (c *convo) say(intent string, slotPairs ...string) *alexa.Envelope {
	c.tb.Helper()
	var slots []alexa.Slot
	label := intent
	for i := 0; i+1 < len(slotPairs); i += 2 {
		slots = append(slots, alexatest.Slot(slotPairs[i], slotPairs[i+1]))
		label += fmt.Sprintf(" %s=%q", slotPairs[i], slotPairs[i+1])
	}
	c.sync()
	return c.exchange(label, c.s.Intent(intent, slots...))
}

// answerPermission sends the Connections.Response to the last AskFor.
func (c *convo) answerPermission(status string) *alexa.Envelope {
	c.tb.Helper()
	c.sync()
	return c.exchange("(permission "+status+")", c.s.AnswerAskFor(status))
}

func (c *convo) endSession(reason string) {
	c.tb.Helper()
	c.sync()
	c.exchange("(session ended: "+reason+")", c.s.SessionEnded(reason))
}

// expect fails unless the last response said every phrase.
func (c *convo) expect(phrases ...string) {
	c.tb.Helper()
	s := c.said()
	for _, p := range phrases {
		if !strings.Contains(s, p) {
			c.tb.Errorf("expected %q in what was said:\n%s\n--- conversation so far ---\n%s", p, s, c.script.String())
		}
	}
}

// expectOpen fails unless the session stayed open with a reprompt.
func (c *convo) expectOpen() {
	c.tb.Helper()
	r := c.last.Response
	if r.ShouldEndSession == nil || *r.ShouldEndSession || r.Reprompt == nil {
		c.tb.Errorf("session not left open with a reprompt: %s", c.lastRaw)
	}
}

// expectClosed fails unless the session ended.
func (c *convo) expectClosed() {
	c.tb.Helper()
	r := c.last.Response
	if r.ShouldEndSession == nil || !*r.ShouldEndSession {
		c.tb.Errorf("session not closed: %s", c.lastRaw)
	}
}

// state returns the state in the last response's session attributes.
func (c *convo) state() skill.State {
	c.tb.Helper()
	if c.last.SessionAttributes == nil || len(c.last.SessionAttributes.State) == 0 {
		c.tb.Fatalf("no state in the session attributes: %s", c.lastRaw)
	}
	s, err := skill.Decode(c.last.SessionAttributes.State)
	if err != nil {
		c.tb.Fatal(err)
	}
	return s
}

// sessionVersion returns the store version the last response's session
// carries beside the state (its "v").
func (c *convo) sessionVersion() int64 {
	c.tb.Helper()
	var v struct {
		Version int64 `json:"v"`
	}
	if c.last.SessionAttributes == nil || json.Unmarshal(c.last.SessionAttributes.State, &v) != nil {
		c.tb.Fatalf("no state in the session attributes: %s", c.lastRaw)
	}
	return v.Version
}

// stored returns the user's stored state and version, read from the real
// store beneath any spyStore, so that the check is neither counted nor
// failed by a hook.
func stored(tb testing.TB, st intents.Store, userID string) (skill.State, int64) {
	tb.Helper()
	if spy, ok := st.(*spyStore); ok {
		st = spy.Store
	}
	item, err := st.Get(context.Background(), sha(userID))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := skill.Decode(item.Data)
	if err != nil {
		tb.Fatal(err)
	}
	return s, item.Version
}

// spyStore wraps a Store, counts its calls, and can replace any of them:
// a test double of our own interface, for failures a real store cannot be
// made to produce on cue.
type spyStore struct {
	intents.Store
	mu                  sync.Mutex
	gets, puts, deletes int
	getHook             func(ctx context.Context, key string) (store.Item, error)
	putHook             func(ctx context.Context, key string, data []byte, expected int64) (int64, error)
	deleteHook          func(ctx context.Context, key string) error
}

func (s *spyStore) Get(ctx context.Context, key string) (store.Item, error) {
	s.mu.Lock()
	s.gets++
	hook := s.getHook
	s.mu.Unlock()
	if hook != nil {
		return hook(ctx, key)
	}
	return s.Store.Get(ctx, key)
}

func (s *spyStore) Put(ctx context.Context, key string, data []byte, expected int64) (int64, error) {
	s.mu.Lock()
	s.puts++
	hook := s.putHook
	s.mu.Unlock()
	if hook != nil {
		return hook(ctx, key, data, expected)
	}
	return s.Store.Put(ctx, key, data, expected)
}

func (s *spyStore) Delete(ctx context.Context, key string) error {
	s.mu.Lock()
	s.deletes++
	hook := s.deleteHook
	s.mu.Unlock()
	if hook != nil {
		return hook(ctx, key)
	}
	return s.Store.Delete(ctx, key)
}

// counts returns the number of Get, Put and Delete calls so far.
func (s *spyStore) counts() (gets, puts, deletes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gets, s.puts, s.deletes
}

// noStore fails the test on any store call.
type noStore struct{ tb testing.TB }

func (n noStore) Get(context.Context, string) (store.Item, error) {
	n.tb.Error("unexpected store Get")
	return store.Item{}, nil
}

func (n noStore) Put(context.Context, string, []byte, int64) (int64, error) {
	n.tb.Error("unexpected store Put")
	return 0, errors.New("no store")
}

func (n noStore) Delete(context.Context, string) error {
	n.tb.Error("unexpected store Delete")
	return nil
}

// newFakeAPI starts the Alexa API fake, its timers on the test clock.
func newFakeAPI(tb testing.TB, clk *clock.Clock) *alexatest.Server {
	s := alexatest.NewServer(tb)
	s.Now = clk.Now
	return s
}

// jsonEqual reports whether two JSON documents are equal as values.
func jsonEqual(tb testing.TB, a []byte, b string) bool {
	tb.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		tb.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		tb.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}
