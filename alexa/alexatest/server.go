package alexatest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"spasmcoach/alexaapi"
)

// Operations of the Alexa APIs a Server answers, as Calls and Count name
// them.
const (
	OpTimeZone       = "time-zone"       // GET /v2/devices/{deviceId}/settings/System.timeZone
	OpCreateTimer    = "create-timer"    // POST /v1/alerts/timers
	OpListTimers     = "list-timers"     // GET /v1/alerts/timers
	OpDeleteTimers   = "delete-timers"   // DELETE /v1/alerts/timers
	OpGetTimer       = "get-timer"       // GET /v1/alerts/timers/{id}
	OpDeleteTimer    = "delete-timer"    // DELETE /v1/alerts/timers/{id}
	OpPauseTimer     = "pause-timer"     // POST /v1/alerts/timers/{id}/pause
	OpResumeTimer    = "resume-timer"    // POST /v1/alerts/timers/{id}/resume
	OpCreateReminder = "create-reminder" // POST /v1/alerts/reminders
	OpDeleteReminder = "delete-reminder" // DELETE /v1/alerts/reminders/{alertToken}
)

// Stall, given to Fail, makes an operation hang until the caller gives up.
const Stall = -1

// Token is the bearer token a Server accepts unless told otherwise.
const Token = "secret-api-token"

// maxTimers is the Timers API's limit on timers at once.
const maxTimers = 10

// TB is the part of testing.TB a Server reports to.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Call is one request a Server received.
type Call struct {
	Op, Method, Path string
	Body             []byte
}

// Server answers the Alexa Timers, Reminders and Settings APIs on a
// loopback port, as documented
// (https://developer.amazon.com/en-US/docs/alexa/smapi/alexa-timers-api-reference.html,
// https://developer.amazon.com/en-US/docs/alexa/smapi/alexa-reminders-api-reference.html,
// https://developer.amazon.com/en-US/docs/alexa/smapi/alexa-settings-api-reference.html):
// it keeps timers and reminders in memory (a timer that rang is gone, as
// one that was cancelled), checks each request exactly (method, path, no
// query, bearer token, Accept and Content-Type, the documented JSON body
// shape) and records it. Requests that break the documentation are
// reported to the TB it was made with, if any, and still answered.
// Fail, SetDelay and OnCall script failures, latency and races.
type Server struct {
	// URL is the base URL to put in a request's context.System.apiEndpoint.
	URL string
	// Token is the bearer token accepted; others get 401. DeviceID, when
	// set, is the only device whose Settings may be read. Now is the
	// clock of the timers (default time.Now). OnCall, when set, is called
	// with each call's operation before it is answered. Set them before
	// the first call.
	Token    string
	DeviceID string
	Now      func() time.Time
	OnCall   func(op string)

	tb  TB
	srv *httptest.Server

	mu           sync.Mutex
	zone         string
	granted      map[string]bool // nil: scopes are not checked
	status       map[string]int
	delay        map[string]time.Duration
	calls        []Call
	timers       map[string]*timer
	order        []string
	reminders    map[string]string
	nextTimer    int
	nextReminder int
	events       []string
}

// NewServer starts a Server that reports to tb (nil for none) and answers
// the time zone America/New_York. With a tb that has Cleanup (a
// testing.TB), it is closed when the test ends; otherwise call Close.
func NewServer(tb TB) *Server {
	s := &Server{
		Token: Token, zone: "America/New_York", tb: tb,
		status: map[string]int{}, delay: map[string]time.Duration{},
		timers: map[string]*timer{}, reminders: map[string]string{},
	}
	s.srv = httptest.NewServer(s.routes())
	s.URL = s.srv.URL
	if c, ok := tb.(interface{ Cleanup(func()) }); ok {
		c.Cleanup(s.Close)
	}
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Client returns the real Alexa API client over the server's connections.
func (s *Server) Client() *alexaapi.Client { return alexaapi.New(s.srv.Client()) }

// SetZone makes the Settings API answer zone from now on.
func (s *Server) SetZone(zone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zone = zone
}

// Fail makes op answer with status from now on, in the APIs' error shape
// ({code, message}), or hang with Stall; 0 restores success.
func (s *Server) Fail(op string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status[op] = status
}

// SetDelay makes op answer after d (or when the caller gives up).
func (s *Server) SetDelay(op string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay[op] = d
}

// Grant sets whether a permission scope is granted, as the user would in
// the Alexa app or by voice. Once Grant was called, the timers and
// reminders operations answer 401 for a scope not granted, as Alexa does;
// before, scopes are not checked.
func (s *Server) Grant(scope string, granted bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.granted == nil {
		s.granted = map[string]bool{}
	}
	s.granted[scope] = granted
}

// Calls returns the calls received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Count returns how many calls of op were received.
func (s *Server) Count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Op == op {
			n++
		}
	}
	return n
}

// Body returns the body of the last call of op.
func (s *Server) Body(op string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.calls) - 1; i >= 0; i-- {
		if s.calls[i].Op == op {
			return s.calls[i].Body
		}
	}
	return nil
}

// Reset forgets the calls received so far.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// TakeEvents returns what an Echo would have done since the last call
// ("timer 'Cold pack' set for 20 minutes; ..."), and forgets it.
func (s *Server) TakeEvents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := s.events
	s.events = nil
	return ev
}

func (s *Server) errorf(format string, args ...any) {
	if s.tb != nil {
		s.tb.Helper()
		s.tb.Errorf("Alexa API: "+format, args...)
	}
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// routes maps each operation to its handler; anything else is reported
// and gets 404 in the APIs' error shape.
func (s *Server) routes() http.Handler {
	timers, reminders := alexaapi.ScopeTimers, alexaapi.ScopeReminders
	mux := http.NewServeMux()
	for _, r := range []struct {
		pattern, op, scope string
		h                  func(http.ResponseWriter, *http.Request, []byte)
	}{
		{"GET /v2/devices/{device}/settings/System.timeZone", OpTimeZone, "", s.timeZone},
		{"POST /v1/alerts/timers", OpCreateTimer, timers, s.createTimer},
		{"GET /v1/alerts/timers", OpListTimers, timers, s.listTimers},
		{"DELETE /v1/alerts/timers", OpDeleteTimers, timers, s.deleteTimers},
		{"GET /v1/alerts/timers/{id}", OpGetTimer, timers, s.getTimer},
		{"DELETE /v1/alerts/timers/{id}", OpDeleteTimer, timers, s.deleteTimer},
		{"POST /v1/alerts/timers/{id}/pause", OpPauseTimer, timers, s.pauseTimer},
		{"POST /v1/alerts/timers/{id}/resume", OpResumeTimer, timers, s.resumeTimer},
		{"POST /v1/alerts/reminders", OpCreateReminder, reminders, s.createReminder},
		{"DELETE /v1/alerts/reminders/{token}", OpDeleteReminder, reminders, s.deleteReminder},
	} {
		mux.HandleFunc(r.pattern, s.operation(r.op, r.scope, r.h))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorf("unexpected %s %s", r.Method, r.URL.Path)
		apiError(w, http.StatusNotFound, "NOT_FOUND", "no such operation: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// operation wraps an operation's handler: it checks and records the call,
// runs the scripted hook, latency and failure, checks the token and the
// scope, then answers.
func (s *Server) operation(op, scope string, h func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		s.check(op, r, body)
		s.mu.Lock()
		s.calls = append(s.calls, Call{Op: op, Method: r.Method, Path: r.URL.Path, Body: body})
		status, delay := s.status[op], s.delay[op]
		granted := s.granted == nil || scope == "" || s.granted[scope]
		s.mu.Unlock()
		if s.OnCall != nil {
			s.OnCall(op)
		}
		if !wait(r, delay) {
			return
		}
		switch {
		case status == Stall:
			<-r.Context().Done()
		case status != 0:
			apiError(w, status, fmt.Sprintf("ERROR_%d", status), "scripted failure")
		case r.Header.Get("Authorization") != "Bearer "+s.Token:
			apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "invalid access token")
		case !granted:
			apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "the user has not granted "+scope)
		default:
			h(w, r, body)
		}
	}
}

// wait waits d, and reports whether the caller is still there.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// check reports what in a request breaks the documentation: the token,
// Accept, a query, a body on GET or DELETE, Content-Type and the JSON shape
// of a POST body, the device of a Settings read.
func (s *Server) check(op string, r *http.Request, body []byte) {
	if got := r.Header.Get("Authorization"); got != "Bearer "+s.Token {
		s.errorf("%s: Authorization is not the request's bearer token", op)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		s.errorf("%s: Accept %q", op, got)
	}
	if r.URL.RawQuery != "" {
		s.errorf("%s: unexpected query %q", op, r.URL.RawQuery)
	}
	if op == OpTimeZone && s.DeviceID != "" &&
		r.URL.EscapedPath() != "/v2/devices/"+url.PathEscape(s.DeviceID)+"/settings/System.timeZone" {
		s.errorf("%s: path %s is not the request's device", op, r.URL.EscapedPath())
	}
	if r.Method != http.MethodPost {
		if len(body) > 0 {
			s.errorf("%s: unexpected body %s", op, body)
		}
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.errorf("%s: Content-Type %q", op, ct)
	}
	if shape, ok := bodyShapes[op]; ok {
		if err := checkShape(op, body, shape); err != nil {
			s.errorf("%s: %v", op, err)
		}
	}
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError answers in the Alexa APIs' error shape, {code, message}.
func apiError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]string{"code": code, "message": message})
}
