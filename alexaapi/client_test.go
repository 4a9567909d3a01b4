package alexaapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"spasmcoach/alexaapi"
)

// testToken is the apiAccessToken the tests send; no error message or log
// line may contain it.
const testToken = "eyJ0eXAiOiJKV1Qi.test-token.Sig_-9"

// stallDeadline is the deadline given to calls whose server never answers.
// The tests assert the classification, never the elapsed time.
const stallDeadline = 50 * time.Millisecond

// apiWant is the request the stand-in Alexa API expects.
type apiWant struct {
	method string
	// path is the escaped path, e.g. "/v1/alerts/timers/a%2Fb".
	path string
	// bodyFile names the expected JSON body in testdata/; "" means the
	// request must have no body.
	bodyFile string
}

// apiAnswer is what the stand-in Alexa API answers.
type apiAnswer struct {
	status int
	body   string
	// stall makes the handler block until the client gives up.
	stall bool
}

// apiStub is a local HTTP server standing in for an Alexa API. It checks
// every request exactly (method, path, Authorization, Accept,
// Content-Type, JSON body) and plays one answer.
type apiStub struct {
	*httptest.Server
	hits atomic.Int32
}

func newAPIStub(t testing.TB, want apiWant, ans apiAnswer) *apiStub {
	t.Helper()
	var wantBody any
	if want.bodyFile != "" {
		wantBody = readJSONFile(t, want.bodyFile)
	}
	release := make(chan struct{})
	s := &apiStub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		checkAPIRequest(t, r, want, wantBody)
		if ans.stall {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		if ans.body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(ans.status)
		_, _ = io.WriteString(w, ans.body)
	}))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(release) }) // runs first: frees a stalled handler
	return s
}

func checkAPIRequest(t testing.TB, r *http.Request, want apiWant, wantBody any) {
	t.Helper()
	if r.Method != want.method {
		t.Errorf("method = %s, want %s", r.Method, want.method)
	}
	if got := r.URL.EscapedPath(); got != want.path {
		t.Errorf("path = %s, want %s", got, want.path)
	}
	if r.URL.RawQuery != "" {
		t.Errorf("query = %q, want none", r.URL.RawQuery)
	}
	if got := r.Header.Values("Authorization"); len(got) != 1 || got[0] != "Bearer "+testToken {
		t.Errorf("Authorization = %q, want exactly [Bearer <token>]", got)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept = %q, want application/json", got)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("read request body: %v", err)
		return
	}
	if wantBody == nil {
		if len(body) != 0 {
			t.Errorf("request body = %q, want none", body)
		}
		return
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	var gotBody any
	if err := json.Unmarshal(body, &gotBody); err != nil {
		t.Errorf("request body is not JSON: %v\n%s", err, body)
		return
	}
	if !reflect.DeepEqual(gotBody, wantBody) {
		t.Errorf("request body:\n%s\nwant (testdata/%s):\n%s", body, want.bodyFile, mustJSON(t, wantBody))
	}
}

func readJSONFile(t testing.TB, name string) any {
	t.Helper()
	data := readFile(t, name)
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
	return v
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func endpoint(s *apiStub) alexaapi.Endpoint {
	return alexaapi.Endpoint{BaseURL: s.URL, Token: testToken}
}

// apiOp is one Client call as the status-matrix tests run it.
type apiOp struct {
	name   string
	want   apiWant
	okBody string
	run    func(ctx context.Context, c *alexaapi.Client, ep alexaapi.Endpoint) error
}

var testTimerRequest = alexaapi.TimerRequest{
	Duration: 20 * time.Minute,
	Label:    "Cold pack",
	Locale:   "en-US",
	Announce: "Time to take the cold pack off & rest.",
}

var testReminderRequest = alexaapi.ReminderRequest{
	// 11:00:00.672 at UTC+1 is 10:00:00.672 UTC, as in the testdata.
	RequestTime: time.Date(2026, 3, 1, 11, 0, 0, 672_000_000, time.FixedZone("CET", 3600)),
	After:       time.Hour,
	Locale:      "en-US",
	Text:        "Time for your next cold pack.",
}

func apiOps(t testing.TB) []apiOp {
	return []apiOp{
		{
			name:   "CreateTimer",
			want:   apiWant{method: "POST", path: "/v1/alerts/timers", bodyFile: "create_timer_request.json"},
			okBody: string(readFile(t, "create_timer_response.json")),
			run: func(ctx context.Context, c *alexaapi.Client, ep alexaapi.Endpoint) error {
				_, err := c.CreateTimer(ctx, ep, testTimerRequest)
				return err
			},
		},
		{
			name:   "GetTimer",
			want:   apiWant{method: "GET", path: "/v1/alerts/timers/amzn1.ask.timer.7f3c"},
			okBody: string(readFile(t, "create_timer_response.json")),
			run: func(ctx context.Context, c *alexaapi.Client, ep alexaapi.Endpoint) error {
				_, err := c.GetTimer(ctx, ep, "amzn1.ask.timer.7f3c")
				return err
			},
		},
		{
			name: "DeleteTimer",
			want: apiWant{method: "DELETE", path: "/v1/alerts/timers/amzn1.ask.timer.7f3c"},
			run: func(ctx context.Context, c *alexaapi.Client, ep alexaapi.Endpoint) error {
				return c.DeleteTimer(ctx, ep, "amzn1.ask.timer.7f3c")
			},
		},
		{
			name:   "ListTimers",
			want:   apiWant{method: "GET", path: "/v1/alerts/timers"},
			okBody: string(readFile(t, "list_timers_response.json")),
			run: func(ctx context.Context, c *alexaapi.Client, ep alexaapi.Endpoint) error {
				_, err := c.ListTimers(ctx, ep)
				return err
			},
		},
		{
			name:   "CreateReminder",
			want:   apiWant{method: "POST", path: "/v1/alerts/reminders", bodyFile: "create_reminder_request.json"},
			okBody: string(readFile(t, "create_reminder_response.json")),
			run: func(ctx context.Context, c *alexaapi.Client, ep alexaapi.Endpoint) error {
				_, err := c.CreateReminder(ctx, ep, testReminderRequest)
				return err
			},
		},
		{
			name:   "TimeZone",
			want:   apiWant{method: "GET", path: "/v2/devices/amzn1.ask.device.AB%2FC/settings/System.timeZone"},
			okBody: `"America/Los_Angeles"`,
			run: func(ctx context.Context, c *alexaapi.Client, ep alexaapi.Endpoint) error {
				_, err := c.TimeZone(ctx, ep, "amzn1.ask.device.AB/C")
				return err
			},
		},
	}
}

// TestStatusMatrix plays every answer to every call and checks how the
// error is classified.
func TestStatusMatrix(t *testing.T) {
	answers := []struct {
		name     string
		answer   apiAnswer
		want     alexaapi.Outcome
		wantCode string
	}{
		{"200", apiAnswer{status: 200}, alexaapi.OK, ""},
		{"400", apiAnswer{status: 400, body: `{"code":"INVALID_DURATION","message":"Duration must be at most 2 hours."}`}, alexaapi.Rejected, "INVALID_DURATION"},
		{"401", apiAnswer{status: 401, body: `{"code":"UNAUTHORIZED","message":"Request is not authorized."}`}, alexaapi.NeedPermission, "UNAUTHORIZED"},
		{"403", apiAnswer{status: 403, body: `{"code":"FORBIDDEN","message":"Permission not granted."}`}, alexaapi.NeedPermission, "FORBIDDEN"},
		{"404", apiAnswer{status: 404, body: `{"code":"TIMER_NOT_FOUND","message":"Timer not found."}`}, alexaapi.NotFound, "TIMER_NOT_FOUND"},
		{"429", apiAnswer{status: 429, body: `{"code":"RATE_EXCEEDED","message":"Too many requests."}`}, alexaapi.Unavailable, "RATE_EXCEEDED"},
		{"500", apiAnswer{status: 500, body: `{"code":"INTERNAL_SERVER_ERROR","message":"Internal error."}`}, alexaapi.Unavailable, "INTERNAL_SERVER_ERROR"},
		{"504 device offline", apiAnswer{status: 504, body: `{"code":"DEVICE_OFFLINE","message":"Device offline."}`}, alexaapi.Unavailable, "DEVICE_OFFLINE"},
		{"503 no body", apiAnswer{status: 503}, alexaapi.Unavailable, ""},
		{"502 html body", apiAnswer{status: 502, body: "<html>Bad gateway</html>"}, alexaapi.Unavailable, ""},
		{"stall past deadline", apiAnswer{stall: true}, alexaapi.Unavailable, ""},
	}
	c := alexaapi.New(nil)
	for _, op := range apiOps(t) {
		for _, a := range answers {
			t.Run(op.name+"/"+a.name, func(t *testing.T) {
				ans := a.answer
				if ans.status == 200 {
					ans.body = op.okBody
				}
				s := newAPIStub(t, op.want, ans)
				ctx, cancel := context.WithTimeout(context.Background(), stallDeadline)
				defer cancel()
				if !ans.stall {
					// Answers come at once; only the stall needs the short deadline.
					ctx = context.Background()
				}
				err := op.run(ctx, c, endpoint(s))
				if got := alexaapi.Classify(err); got != a.want {
					t.Fatalf("Classify(%v) = %v, want %v", err, got, a.want)
				}
				if n := s.hits.Load(); n != 1 && !ans.stall {
					t.Errorf("server hit %d times, want 1", n)
				}
				if err == nil {
					return
				}
				if msg := err.Error(); !strings.HasPrefix(msg, "alexaapi: ") || strings.Contains(msg, testToken) {
					t.Errorf("error %q: want the alexaapi prefix and no token", msg)
				}
				if ans.stall {
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("stall: error %v does not wrap context.DeadlineExceeded", err)
					}
					return
				}
				var apiErr *alexaapi.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("error %v is not an *APIError", err)
				}
				if apiErr.Status != ans.status || apiErr.Code != a.wantCode {
					t.Errorf("APIError = %+v, want status %d code %q", apiErr, ans.status, a.wantCode)
				}
				if got, want := alexaapi.IsPermission(err), a.want == alexaapi.NeedPermission; got != want {
					t.Errorf("IsPermission = %v, want %v", got, want)
				}
				if got, want := alexaapi.IsNotFound(err), a.want == alexaapi.NotFound; got != want {
					t.Errorf("IsNotFound = %v, want %v", got, want)
				}
				if got, want := alexaapi.IsBadRequest(err), a.want == alexaapi.Rejected; got != want {
					t.Errorf("IsBadRequest = %v, want %v", got, want)
				}
			})
		}
	}
}

// TestNoToken checks that no call reaches the network without a token.
func TestNoToken(t *testing.T) {
	tokens := []struct {
		name  string
		token string
		want  alexaapi.Outcome
	}{
		{"empty", "", alexaapi.NoToken},
		{"blank", "  ", alexaapi.NoToken},
		{"newline", "abc\r\nX-Evil: 1", alexaapi.Rejected},
		{"space", "abc def", alexaapi.Rejected},
	}
	for _, op := range apiOps(t) {
		for _, tk := range tokens {
			t.Run(op.name+"/"+tk.name, func(t *testing.T) {
				s := newAPIStub(t, op.want, apiAnswer{status: 200, body: op.okBody})
				err := op.run(context.Background(), alexaapi.New(nil), alexaapi.Endpoint{BaseURL: s.URL, Token: tk.token})
				if got := alexaapi.Classify(err); got != tk.want {
					t.Errorf("Classify(%v) = %v, want %v", err, got, tk.want)
				}
				if tk.want == alexaapi.NoToken && !errors.Is(err, alexaapi.ErrNoToken) {
					t.Errorf("error %v does not wrap ErrNoToken", err)
				}
				if strings.TrimSpace(tk.token) != "" && strings.Contains(err.Error(), tk.token) {
					t.Errorf("error %q contains the token", err)
				}
				if n := s.hits.Load(); n != 0 {
					t.Errorf("server hit %d times, want 0", n)
				}
			})
		}
	}
}

// TestBaseURL checks that the request's apiEndpoint is used as given, with
// or without trailing slashes, and that unusable ones make no call.
func TestBaseURL(t *testing.T) {
	tests := []struct {
		name    string
		base    func(stubURL string) string
		prefix  string // path prefix the server must see
		invalid bool
	}{
		{name: "plain", base: func(u string) string { return u }},
		{name: "trailing slash", base: func(u string) string { return u + "/" }},
		{name: "two trailing slashes", base: func(u string) string { return u + "//" }},
		{name: "surrounding space", base: func(u string) string { return " " + u + " " }},
		{name: "path prefix", base: func(u string) string { return u + "/proxy/" }, prefix: "/proxy"},
		{name: "localhost", base: func(u string) string { return strings.Replace(u, "127.0.0.1", "localhost", 1) }},
		{name: "empty", base: func(string) string { return "" }, invalid: true},
		{name: "no scheme", base: func(u string) string { return strings.TrimPrefix(u, "http://") }, invalid: true},
		{name: "http to a remote host", base: func(string) string { return "http://api.amazonalexa.com" }, invalid: true},
		{name: "ftp", base: func(string) string { return "ftp://api.amazonalexa.com" }, invalid: true},
		{name: "user info", base: func(string) string { return "https://user:pass@api.amazonalexa.com" }, invalid: true},
		{name: "query", base: func(string) string { return "https://api.amazonalexa.com/?x=1" }, invalid: true},
		{name: "fragment", base: func(string) string { return "https://api.amazonalexa.com/#x" }, invalid: true},
		{name: "malformed", base: func(string) string { return "https://api.amazon%zzalexa.com" }, invalid: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAPIStub(t, apiWant{method: "GET", path: tt.prefix + "/v1/alerts/timers"},
				apiAnswer{status: 200, body: string(readFile(t, "list_timers_response.json"))})
			ep := alexaapi.Endpoint{BaseURL: tt.base(s.URL), Token: testToken}
			_, err := alexaapi.New(nil).ListTimers(context.Background(), ep)
			if tt.invalid {
				if !errors.Is(err, alexaapi.ErrInvalidEndpoint) || alexaapi.Classify(err) != alexaapi.Unavailable {
					t.Errorf("error %v: want ErrInvalidEndpoint, Unavailable", err)
				}
				if n := s.hits.Load(); n != 0 {
					t.Errorf("server hit %d times, want 0", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := s.hits.Load(); n != 1 {
				t.Errorf("server hit %d times, want 1", n)
			}
		})
	}
}

// TestErrorBodies checks that error bodies are read with a bound and never
// leak the token or control characters into the message.
func TestErrorBodies(t *testing.T) {
	huge := `{"code":"INTERNAL","message":"` + strings.Repeat("x", 4<<20) + `"}`
	tests := []struct {
		name        string
		status      int
		body        string
		wantCode    string
		wantMessage string
	}{
		{"huge JSON body", 500, huge, "", ""},
		{"huge junk body", 500, strings.Repeat("<html>", 1<<20), "", ""},
		{"long message", 400, `{"code":"BAD","message":"` + strings.Repeat("é", 1000) + `"}`, "BAD", strings.Repeat("é", 256) + "…"},
		{"token echoed", 403, `{"code":"FORBIDDEN","message":"token ` + testToken + ` lacks scope"}`, "FORBIDDEN", "token (redacted) lacks scope"},
		{"control characters", 400, `{"code":"BAD","message":"line one\nline two\u0000"}`, "BAD", "line one line two"},
		{"type instead of code", 404, `{"type":"DEVICE_NOT_FOUND","message":"no device"}`, "DEVICE_NOT_FOUND", "no device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAPIStub(t, apiWant{method: "DELETE", path: "/v1/alerts/timers/t1"}, apiAnswer{status: tt.status, body: tt.body})
			err := alexaapi.New(nil).DeleteTimer(context.Background(), endpoint(s), "t1")
			var apiErr *alexaapi.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			if apiErr.Status != tt.status || apiErr.Code != tt.wantCode || apiErr.Message != tt.wantMessage {
				t.Errorf("APIError = {%d %q %q}, want {%d %q %q}", apiErr.Status, apiErr.Code, apiErr.Message, tt.status, tt.wantCode, tt.wantMessage)
			}
			if msg := err.Error(); len(msg) > 2048 || strings.Contains(msg, testToken) || strings.ContainsAny(msg, "\n\x00") {
				t.Errorf("error message is unsafe or unbounded (%d bytes): %.200q", len(msg), msg)
			}
		})
	}
}

// TestResponseLimits checks that successful answers are read with a bound
// and that unusable ones count as Unavailable.
func TestResponseLimits(t *testing.T) {
	tests := []struct {
		name string
		body string
		opts []alexaapi.Option
	}{
		{"over the limit", `{"totalCount":0,"timers":[],"nextToken":"` + strings.Repeat("x", 2048) + `"}`, []alexaapi.Option{alexaapi.WithMaxResponseBytes(1024)}},
		{"over the default limit", `"` + strings.Repeat("x", alexaapi.DefaultMaxResponseBytes) + `"`, nil},
		{"not JSON", "<html>ok</html>", nil},
		{"empty", "", nil},
		{"wrong shape", `["a"]`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAPIStub(t, apiWant{method: "GET", path: "/v1/alerts/timers"}, apiAnswer{status: 200, body: tt.body})
			_, err := alexaapi.New(nil, tt.opts...).ListTimers(context.Background(), endpoint(s))
			if !errors.Is(err, alexaapi.ErrBadResponse) || alexaapi.Classify(err) != alexaapi.Unavailable {
				t.Errorf("error %v: want ErrBadResponse, Unavailable", err)
			}
		})
	}
}

// TestTransportErrors checks that failures before any answer are
// Unavailable and that a context without a deadline gets the default one.
func TestTransportErrors(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		s := httptest.NewServer(http.NotFoundHandler())
		url := s.URL
		s.Close()
		_, err := alexaapi.New(nil).ListTimers(context.Background(), alexaapi.Endpoint{BaseURL: url, Token: testToken})
		if got := alexaapi.Classify(err); got != alexaapi.Unavailable {
			t.Errorf("Classify(%v) = %v, want Unavailable", err, got)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		s := newAPIStub(t, apiWant{method: "GET", path: "/v1/alerts/timers"}, apiAnswer{status: 200, body: "{}"})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := alexaapi.New(nil).ListTimers(ctx, endpoint(s))
		if !errors.Is(err, context.Canceled) || alexaapi.Classify(err) != alexaapi.Unavailable {
			t.Errorf("error %v: want context.Canceled, Unavailable", err)
		}
	})
	t.Run("default timeout", func(t *testing.T) {
		s := newAPIStub(t, apiWant{method: "GET", path: "/v1/alerts/timers"}, apiAnswer{stall: true})
		c := alexaapi.New(nil, alexaapi.WithDefaultTimeout(stallDeadline))
		_, err := c.ListTimers(context.Background(), endpoint(s))
		if !errors.Is(err, context.DeadlineExceeded) || alexaapi.Classify(err) != alexaapi.Unavailable {
			t.Errorf("error %v: want context.DeadlineExceeded, Unavailable", err)
		}
	})
	t.Run("no redirects", func(t *testing.T) {
		var hits atomic.Int32
		target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
		defer target.Close()
		s := httptest.NewServer(http.RedirectHandler(target.URL+"/v1/alerts/timers", http.StatusTemporaryRedirect))
		defer s.Close()
		_, err := alexaapi.New(nil).ListTimers(context.Background(), alexaapi.Endpoint{BaseURL: s.URL, Token: testToken})
		if alexaapi.Classify(err) != alexaapi.Unavailable || hits.Load() != 0 {
			t.Errorf("error %v, redirect target hit %d times: want Unavailable and no hit", err, hits.Load())
		}
	})
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want alexaapi.Outcome
	}{
		{nil, alexaapi.OK},
		{fmt.Errorf("x: %w", alexaapi.ErrNoToken), alexaapi.NoToken},
		{fmt.Errorf("x: %w", alexaapi.ErrInvalidRequest), alexaapi.Rejected},
		{fmt.Errorf("x: %w", alexaapi.ErrInvalidEndpoint), alexaapi.Unavailable},
		{fmt.Errorf("x: %w", alexaapi.ErrBadResponse), alexaapi.Unavailable},
		{&alexaapi.APIError{Status: 400}, alexaapi.Rejected},
		{&alexaapi.APIError{Status: 401}, alexaapi.NeedPermission},
		{&alexaapi.APIError{Status: 403}, alexaapi.NeedPermission},
		{&alexaapi.APIError{Status: 404}, alexaapi.NotFound},
		{&alexaapi.APIError{Status: 409}, alexaapi.Unavailable},
		{&alexaapi.APIError{Status: 429}, alexaapi.Unavailable},
		{&alexaapi.APIError{Status: 307}, alexaapi.Unavailable},
		{fmt.Errorf("wrapped twice: %w", fmt.Errorf("x: %w", &alexaapi.APIError{Status: 403})), alexaapi.NeedPermission},
		{context.DeadlineExceeded, alexaapi.Unavailable},
		{errors.New("anything"), alexaapi.Unavailable},
	}
	for _, tt := range tests {
		if got := alexaapi.Classify(tt.err); got != tt.want {
			t.Errorf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	if got := alexaapi.Outcome(99).String(); got != "Outcome(99)" {
		t.Errorf("Outcome(99).String() = %q", got)
	}
}

func TestAPIErrorMessage(t *testing.T) {
	tests := []struct {
		err  alexaapi.APIError
		want string
	}{
		{alexaapi.APIError{Status: 403, Code: "FORBIDDEN", Message: "no"}, "HTTP 403 Forbidden: FORBIDDEN: no"},
		{alexaapi.APIError{Status: 504}, "HTTP 504 Gateway Timeout"},
		{alexaapi.APIError{Status: 599, Message: "odd"}, "HTTP 599: odd"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

// TestTokenNeverShown checks the Endpoint's printed forms and the logs.
func TestTokenNeverShown(t *testing.T) {
	ep := alexaapi.Endpoint{BaseURL: "https://api.amazonalexa.com", Token: testToken}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	logger.Info("endpoint", "ep", ep)
	printed := fmt.Sprintf("%v %+v %#v %s", ep, ep, ep, ep) + logs.String()
	if strings.Contains(printed, testToken) {
		t.Errorf("token shown: %s", printed)
	}
	if !strings.Contains(printed, "api.amazonalexa.com") {
		t.Errorf("base URL not shown: %s", printed)
	}

	// The client's own logs, for a success and a failure.
	logs.Reset()
	c := alexaapi.New(nil, alexaapi.WithLogger(logger))
	ok := newAPIStub(t, apiWant{method: "DELETE", path: "/v1/alerts/timers/t1"}, apiAnswer{status: 200})
	if err := c.DeleteTimer(context.Background(), endpoint(ok), "t1"); err != nil {
		t.Fatal(err)
	}
	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close()
	_ = c.DeleteTimer(context.Background(), alexaapi.Endpoint{BaseURL: refused.URL, Token: testToken}, "t1")
	if strings.Contains(logs.String(), testToken) || strings.Contains(logs.String(), "Bearer") {
		t.Errorf("token in logs:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "op=\"delete timer\"") {
		t.Errorf("logs do not name the operation:\n%s", logs.String())
	}
}
