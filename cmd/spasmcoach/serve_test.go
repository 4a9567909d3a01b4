package main

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/alexaverify"
	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/intents/intentstest"
	"spasmcoach/internal/testutil/pki"
	"spasmcoach/store"
)

const (
	testSkillID  = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
	otherSkillID = "amzn1.ask.skill.99999999-8888-7777-6666-555555555555"
)

// countingStore is an intents.Store that counts every call, to prove that
// refused requests never reach the store.
type countingStore struct {
	intents.Store
	calls atomic.Int64
}

var _ intents.Store = (*countingStore)(nil)

func (s *countingStore) Get(ctx context.Context, key string) (store.Item, error) {
	s.calls.Add(1)
	return s.Store.Get(ctx, key)
}

func (s *countingStore) Put(ctx context.Context, key string, data []byte, expected int64) (int64, error) {
	s.calls.Add(1)
	return s.Store.Put(ctx, key, data, expected)
}

func (s *countingStore) Delete(ctx context.Context, key string) error {
	s.calls.Add(1)
	return s.Store.Delete(ctx, key)
}

// logBuffer collects log output safely from many goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// Take returns what was logged since the last call.
func (l *logBuffer) Take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// testServer is the skill web service on an httptest server, verifying
// with the test PKI at a fixed clock (testPKI().T0, so that a timestamp
// 151 s off is off by exactly that), on an embedded store in a temporary
// directory.
type testServer struct {
	*httptest.Server
	db    *store.Embedded
	count *countingStore
	logs  *logBuffer
	fetch *pki.Fetcher
}

// mustTestServer starts a verifying server (or a development one when dev
// is set) whose handler accepts testSkillID.
func mustTestServer(tb testing.TB, dev bool) *testServer {
	tb.Helper()
	db, err := store.OpenEmbedded(tb.TempDir() + "/state.db")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	ts := &testServer{db: db, count: &countingStore{Store: db}, logs: &logBuffer{}, fetch: pki.NewFetcher(testPKI().Files)}
	logger := slog.New(slog.NewTextHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	turn, err := config.Config{SkillIDs: []string{testSkillID}, Pacing: intents.PacingAPLA}.NewHandler(ts.count, logger)
	if err != nil {
		tb.Fatal(err)
	}
	srv := &skillServer{turn: turn, maxBody: maxRequestBody, logger: logger}
	if !dev {
		t0 := testPKI().T0
		srv.verifier = alexaverify.NewVerifier(
			alexaverify.WithVerifyClock(func() time.Time { return t0 }),
			alexaverify.WithApplicationIDs(testSkillID),
			alexaverify.WithCertFetcher(ts.fetch),
			alexaverify.WithRootCAs(testPKI().Roots),
			alexaverify.WithVerifyLogger(logger),
		)
	}
	ts.Server = httptest.NewServer(srv.Handler("/"))
	tb.Cleanup(ts.Close)
	return ts
}

// reqSpec describes a request body for the tests.
type reqSpec struct {
	typ          string
	user         string
	at           time.Time
	rawTimestamp *string // overrides at: the JSON value, or "" to leave it out
	appID        string  // context and session; "-" leaves both out
	sessionAppID string  // overrides the session's application ID
	intent       string
	noSession    bool
	pad          int // bytes of padding in the session attributes
}

// body returns the request JSON of r, as the Alexa simulator builds it.
func (r reqSpec) body() []byte {
	if r.typ == "" {
		r.typ = alexa.RequestLaunch
	}
	if r.appID == "" {
		r.appID = testSkillID
	}
	if r.at.IsZero() {
		r.at = testPKI().T0 // the verifying servers' clock
	}
	sim := alexatest.NewSession(r.user)
	sim.SkillID, sim.DeviceID, sim.Tag = r.appID, "amzn1.ask.device.TEST", randomUUID()+"-"
	sim.APIEndpoint, sim.APIToken = "https://api.amazonalexa.com", "test-token"
	sim.Now = func() time.Time { return r.at }
	body := alexa.Body{}
	body.Type = r.typ
	if r.intent != "" {
		in := alexatest.Intent(r.intent)
		body.Intent = &in
	}
	if alexatest.IsEvent(r.typ) {
		body.EventCreationTime = r.at.UTC().Format(time.RFC3339)
		body.EventPublishingTime = body.EventCreationTime
	}
	req := sim.Request(body)
	switch {
	case r.noSession:
		req.Session = nil
	case r.sessionAppID != "":
		req.Session.Application.ApplicationID = r.sessionAppID
	}
	if r.pad > 0 && req.Session != nil {
		req.Session.Attributes.State = json.RawMessage(strconv.Quote(strings.Repeat("x", r.pad)))
	}
	b, err := req.Encode()
	if err != nil {
		panic(err)
	}
	return r.patch(b)
}

// patch edits what the simulator cannot send: a raw or missing timestamp,
// no application IDs.
func (r reqSpec) patch(b []byte) []byte {
	if r.rawTimestamp == nil && r.appID != "-" {
		return b
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	request := m["request"].(map[string]any)
	if r.rawTimestamp != nil {
		delete(request, "timestamp")
		if *r.rawTimestamp != "" {
			request["timestamp"] = json.RawMessage(*r.rawTimestamp)
		}
	}
	if r.appID == "-" {
		delete(m["context"].(map[string]any)["System"].(map[string]any), "application")
		if session, ok := m["session"].(map[string]any); ok && r.sessionAppID == "" {
			delete(session, "application")
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// userKey is the store key of a user, as the handler derives it.
func userKey(tb testing.TB, user string) string {
	tb.Helper()
	req, err := intents.DecodeRequest(reqSpec{user: user}.body())
	if err != nil {
		tb.Fatal(err)
	}
	return intents.UserKey(req)
}

// chunked hides a body's length, so that the client sends it chunked.
type chunked struct{ io.Reader }

func ptr(s string) *string { return &s }

// forgedCase is one request that must be refused.
type forgedCase struct {
	name string
	rule string // the rule the log line names
	// build returns the request's headers and body for a user.
	build func(user string) (http.Header, io.Reader)
}

// signed returns a LaunchRequest for user, signed and pointing at certURL,
// after edit changes the headers.
func signed(certURL string, spec reqSpec, edit func(http.Header)) (http.Header, io.Reader) {
	body := spec.body()
	h := testPKI().Headers(certURL, body)
	if edit != nil {
		edit(h)
	}
	return h, bytes.NewReader(body)
}

func forgedCases() []forgedCase {
	now := testPKI().T0
	url := func(u string) func(string) (http.Header, io.Reader) {
		return func(user string) (http.Header, io.Reader) { return signed(u, reqSpec{user: user}, nil) }
	}
	spec := func(edit func(*reqSpec)) func(string) (http.Header, io.Reader) {
		return func(user string) (http.Header, io.Reader) {
			s := reqSpec{user: user}
			edit(&s)
			return signed(pki.CertURL, s, nil)
		}
	}
	header := func(edit func(h http.Header, body []byte)) func(string) (http.Header, io.Reader) {
		return func(user string) (http.Header, io.Reader) {
			body := reqSpec{user: user}.body()
			h := testPKI().Headers(pki.CertURL, body)
			edit(h, body)
			return h, bytes.NewReader(body)
		}
	}
	rawBody := func(body string) func(string) (http.Header, io.Reader) {
		return func(string) (http.Header, io.Reader) {
			return testPKI().Headers(pki.CertURL, []byte(body)), strings.NewReader(body)
		}
	}
	return []forgedCase{
		// SignatureCertChainUrl rules.
		{"cert URL missing", "cert-url-missing", header(func(h http.Header, _ []byte) { h.Del(alexaverify.HeaderSignatureCertChainURL) })},
		{"cert URL http", "cert-url-scheme", url("http://s3.amazonaws.com/echo.api/echo-api-cert.pem")},
		{"cert URL other host", "cert-url-host", url("https://notamazon.com/echo.api/echo-api-cert.pem")},
		{"cert URL look-alike host", "cert-url-host", url("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem")},
		{"cert URL port 563", "cert-url-port", url("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem")},
		{"cert URL path case", "cert-url-path", url("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem")},
		{"cert URL other path", "cert-url-path", url("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem")},
		{"cert URL path escapes with ..", "cert-url-path", url("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem")},
		{"cert URL with query", "cert-url-invalid", url("https://s3.amazonaws.com/echo.api/echo-api-cert.pem?x=1")},
		{"cert URL with user info", "cert-url-invalid", url("https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem")},
		{"cert URL relative", "cert-url-invalid", url("/echo.api/echo-api-cert.pem")},

		// The certificate chain.
		{"certificate expired", "cert-expired", url(pki.CertBase + "expired.pem")},
		{"certificate not yet valid", "cert-not-yet-valid", url(pki.CertBase + "not-yet-valid.pem")},
		{"certificate for another name", "cert-san", url(pki.CertBase + "wrong-san.pem")},
		{"chain to an untrusted root", "cert-untrusted", url(pki.CertBase + "untrusted.pem")},
		{"chain without its intermediate", "cert-untrusted", url(pki.CertBase + "no-intermediate.pem")},
		{"chain not PEM", "cert-chain-malformed", url(pki.CertBase + "garbage.pem")},
		{"chain not found", "cert-fetch", url(pki.CertBase + "missing.pem")},

		// The signature.
		{"body tampered after signing", "signature-invalid", func(user string) (http.Header, io.Reader) {
			body := reqSpec{user: user}.body()
			h := testPKI().Headers(pki.CertURL, body)
			return h, bytes.NewReader(bytes.Replace(body, []byte(`"LaunchRequest"`), []byte(`"IntentRequest"`), 1))
		}},
		{"signed with another key", "signature-invalid", header(func(h http.Header, body []byte) {
			h.Set(alexaverify.HeaderSignature256, pki.Sign(testPKI().OtherKey, crypto.SHA256, body))
		})},
		{"signature missing", "signature-missing", header(func(h http.Header, _ []byte) { h.Del(alexaverify.HeaderSignature256) })},
		{"SHA-1 signature only", "signature-missing", header(func(h http.Header, body []byte) {
			h.Del(alexaverify.HeaderSignature256)
			h.Set(alexaverify.HeaderSignatureSHA1, pki.Sign(testPKI().LeafKey, crypto.SHA1, body))
		})},
		{"SHA-1 signature in Signature-256", "signature-invalid", header(func(h http.Header, body []byte) {
			h.Set(alexaverify.HeaderSignature256, pki.Sign(testPKI().LeafKey, crypto.SHA1, body))
		})},
		{"signature not base64", "signature-encoding", header(func(h http.Header, _ []byte) { h.Set(alexaverify.HeaderSignature256, "not base64!") })},

		// The timestamp.
		{"timestamp 151 s old", "timestamp-out-of-range", spec(func(s *reqSpec) { s.at = now.Add(-151 * time.Second) })},
		{"timestamp 151 s ahead", "timestamp-out-of-range", spec(func(s *reqSpec) { s.at = now.Add(151 * time.Second) })},
		{"old request replayed after a day", "timestamp-out-of-range", spec(func(s *reqSpec) { s.at = now.Add(-24 * time.Hour) })},
		{"skill event past one hour", "timestamp-out-of-range", spec(func(s *reqSpec) {
			s.typ, s.noSession, s.at = "AlexaSkillEvent.SkillEnabled", true, now.Add(-61*time.Minute)
		})},
		{"skill event one hour ahead", "timestamp-out-of-range", spec(func(s *reqSpec) {
			s.typ, s.noSession, s.at = "AlexaSkillEvent.SkillEnabled", true, now.Add(61*time.Minute)
		})},
		{"timestamp malformed", "timestamp-invalid", spec(func(s *reqSpec) { s.rawTimestamp = ptr(`"yesterday"`) })},
		{"timestamp missing", "timestamp-invalid", spec(func(s *reqSpec) { s.rawTimestamp = ptr("") })},

		// The application ID.
		{"another skill's request", "application-id", spec(func(s *reqSpec) { s.appID = otherSkillID })},
		{"no application ID", "application-id", spec(func(s *reqSpec) { s.appID = "-" })},
		{"another skill in the session only", "skill-id", spec(func(s *reqSpec) { s.sessionAppID = otherSkillID })},

		// The body.
		{"body over 256 KiB", "body-too-large", spec(func(s *reqSpec) { s.pad = 300 << 10 })},
		{"body over 256 KiB, chunked", "body-too-large", func(user string) (http.Header, io.Reader) {
			h, body := signed(pki.CertURL, reqSpec{user: user, pad: 300 << 10}, nil)
			return h, chunked{body}
		}},
		{"body not JSON", "body-malformed", rawBody(`{"version":"1.0","request":`)},
		{"body empty", "body-malformed", rawBody(``)},
		{"body a JSON array", "body-malformed", rawBody(`[{"request":{"type":"LaunchRequest"}}]`)},
		{"body without request type", "body-malformed", rawBody(`{"version":"1.0","request":{"timestamp":"2026-01-01T00:00:00Z"}}`)},
	}
}

// TestServeRefusesForgedRequests sends each forged or broken request
// through the real HTTP handler: each gets 400, one log line naming its
// rule, and no store call; nothing is stored for its user.
func TestServeRefusesForgedRequests(t *testing.T) {
	ts := mustTestServer(t, false)
	cases := forgedCases()
	if len(cases) < 25 {
		t.Fatalf("only %d forged cases", len(cases))
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			user := "amzn1.ask.account.FORGED-" + strings.ReplaceAll(tc.name, " ", "-")
			header, body := tc.build(user)
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/", body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header = header
			before := ts.count.calls.Load()
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400; body %q", resp.StatusCode, got)
			}
			if n := ts.count.calls.Load() - before; n != 0 {
				t.Errorf("the store was called %d times", n)
			}
			logs := ts.logs.Take()
			refused := 0
			for line := range strings.Lines(logs) {
				if strings.Contains(line, `msg="request refused"`) {
					refused++
					if !strings.Contains(line, " rule="+tc.rule+" ") {
						t.Errorf("log line names the wrong rule, want %s:\n%s", tc.rule, line)
					}
				}
			}
			if refused != 1 {
				t.Errorf("%d 'request refused' log lines, want 1:\n%s", refused, logs)
			}
			if item, err := ts.db.Get(context.Background(), userKey(t, user)); err != nil || item.Data != nil {
				t.Errorf("store Get after case %d = %q, %v; want nothing stored", i, item.Data, err)
			}
		})
	}
}

// TestServeAcceptsGenuineRequests sends requests signed as Alexa signs
// them, in each accepted form: 200 with a valid response, state saved.
func TestServeAcceptsGenuineRequests(t *testing.T) {
	ts := mustTestServer(t, false)
	now := testPKI().T0
	const user = "amzn1.ask.account.GENUINE"
	tests := []struct {
		name     string
		certURL  string
		spec     reqSpec
		speaks   bool
		ends     bool
		wantSays string
	}{
		{"launch", pki.CertURL, reqSpec{user: user}, true, false, ""},
		{"cert URL with port 443 and upper-case host", "https://S3.AMAZONAWS.COM:443/echo.api/echo-api-cert.pem",
			reqSpec{user: user, typ: "IntentRequest", intent: "AMAZON.HelpIntent"}, true, false, ""},
		{"cert URL with ../ that stays under /echo.api/", "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
			reqSpec{user: user, typ: "IntentRequest", intent: "AMAZON.RepeatIntent"}, true, false, ""},
		{"timestamp 140 s old", pki.CertURL, reqSpec{user: user, at: now.Add(-140 * time.Second), typ: "IntentRequest", intent: "AMAZON.HelpIntent"}, true, false, ""},
		{"timestamp 140 s ahead", pki.CertURL, reqSpec{user: user, at: now.Add(140 * time.Second), typ: "IntentRequest", intent: "AMAZON.HelpIntent"}, true, false, ""},
		{"skill event 59 minutes old", pki.CertURL, reqSpec{user: user, typ: "AlexaSkillEvent.SkillEnabled", noSession: true, at: now.Add(-59 * time.Minute)}, false, false, ""},
		{"session ended", pki.CertURL, reqSpec{user: user, typ: "SessionEndedRequest"}, false, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			header, body := signed(tc.certURL, tc.spec, nil)
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/", body)
			req.Header = header
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200; body %q; logs:\n%s", resp.StatusCode, out, ts.logs.Take())
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			env := intentstest.CheckResponse(t, out)
			if env.Version != "1.0" {
				t.Errorf("version %q", env.Version)
			}
			speech, isSSML := spoken(env.Response.OutputSpeech)
			if tc.speaks {
				if !isSSML || !strings.HasPrefix(speech, "<speak>") || speech == "<speak></speak>" {
					t.Errorf("no SSML speech in %s", out)
				}
			} else if speech != "" {
				t.Errorf("unexpected speech %q", speech)
			}
			if strings.Contains(ts.logs.Take(), "request refused") {
				t.Error("a genuine request was logged as refused")
			}
		})
	}
	item, err := ts.db.Get(context.Background(), userKey(t, user))
	if err != nil || item.Version == 0 {
		t.Errorf("after the genuine requests the user's state is %+v, %v; want a stored item", item, err)
	}
	if n := ts.fetch.Total(); n != 1 {
		t.Errorf("the certificate chain was downloaded %d times, want once (cached)", n)
	}
}

// TestServeRoutes checks the methods and paths around the skill endpoint.
func TestServeRoutes(t *testing.T) {
	ts := mustTestServer(t, false)
	tests := []struct {
		method, path string
		status       int
		body         string
		allow        string
	}{
		{http.MethodGet, "/healthz", http.StatusOK, "ok", ""},
		{http.MethodHead, "/healthz", http.StatusOK, "", ""},
		{http.MethodGet, "/", http.StatusMethodNotAllowed, "", "POST"},
		{http.MethodPut, "/", http.StatusMethodNotAllowed, "", "POST"},
		{http.MethodDelete, "/", http.StatusMethodNotAllowed, "", "POST"},
		{http.MethodPost, "/healthz", http.StatusMethodNotAllowed, "", ""},
		{http.MethodPost, "/other", http.StatusNotFound, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, ts.URL+tc.path, nil)
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.body != "" && string(body) != tc.body {
				t.Errorf("body %q, want %q", body, tc.body)
			}
			if tc.allow != "" && resp.Header.Get("Allow") != tc.allow {
				t.Errorf("Allow %q, want %q", resp.Header.Get("Allow"), tc.allow)
			}
		})
	}
	if n := ts.count.calls.Load(); n != 0 {
		t.Errorf("the store was called %d times", n)
	}
}

// TestServeDevMode checks that development mode answers unsigned requests
// and still refuses oversized bodies and other skills.
func TestServeDevMode(t *testing.T) {
	ts := mustTestServer(t, true)
	post := func(body []byte) (int, []byte) {
		t.Helper()
		resp, err := ts.Client().Post(ts.URL+"/", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode == http.StatusOK {
			intentstest.CheckResponse(t, out)
		}
		return resp.StatusCode, out
	}
	if status, out := post(reqSpec{user: "amzn1.ask.account.DEV"}.body()); status != http.StatusOK || !bytes.Contains(out, []byte("<speak>")) {
		t.Errorf("unsigned launch: %d %s", status, out)
	}
	if status, _ := post(reqSpec{user: "amzn1.ask.account.DEV", pad: 300 << 10}.body()); status != http.StatusBadRequest {
		t.Errorf("oversized body: status %d, want 400", status)
	}
	if status, _ := post(reqSpec{user: "amzn1.ask.account.DEV", appID: otherSkillID}.body()); status != http.StatusBadRequest {
		t.Errorf("another skill: status %d, want 400", status)
	}
	if status, out := post([]byte("not json")); status != http.StatusOK || !json.Valid(out) {
		t.Errorf("malformed body in dev mode: %d %s; want the handler's spoken answer", status, out)
	}
}

// TestListenLoopbackOnly checks what development mode agrees to listen on.
func TestListenLoopbackOnly(t *testing.T) {
	lan := "192.0.2.10" // TEST-NET-1, refused before any bind is tried
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
				lan = ipn.IP.String()
				break
			}
		}
	}
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"localhost:0", true},
		{"[::1]:0", true},
		{"127.0.0.2:0", true},
		{"0.0.0.0:0", false},
		{":0", false},
		{"[::]:0", false},
		{net.JoinHostPort(lan, "0"), false},
		{"[::ffff:" + lan + "]:0", false},
		{"no-port", false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			ln, err := listen(context.Background(), tc.addr, true)
			if tc.ok {
				if err != nil {
					t.Fatalf("listen: %v", err)
				}
				defer func() { _ = ln.Close() }()
				if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
					t.Errorf("bound %s", ip)
				}
				return
			}
			if err == nil {
				_ = ln.Close()
				t.Fatalf("listened on %s", ln.Addr())
			}
		})
	}
}

func TestServeConfigCheck(t *testing.T) {
	tests := []struct {
		name string
		cfg  serveConfig
		ok   bool
	}{
		{"defaults", serveConfig{path: "/"}, true},
		{"TLS", serveConfig{path: "/alexa", tlsCert: "c.pem", tlsKey: "k.pem"}, true},
		{"cert without key", serveConfig{path: "/", tlsCert: "c.pem"}, false},
		{"key without cert", serveConfig{path: "/", tlsKey: "k.pem"}, false},
		{"relative path", serveConfig{path: "alexa"}, false},
		{"path is the health check", serveConfig{path: "/healthz"}, false},
		{"pattern characters", serveConfig{path: "/{x}"}, false},
	}
	for _, tc := range tests {
		if err := tc.cfg.check(); (err == nil) != tc.ok {
			t.Errorf("%s: check() = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
