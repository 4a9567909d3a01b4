package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"spasmcoach/alexaapi"
)

// scopeTimers is the permission scope of the Alexa Timers API.
const scopeTimers = "alexa::alerts:timers:skill:readwrite"

// scopeReminders is the permission scope of the Alexa Reminders API.
const scopeReminders = "alexa::alerts:reminders:skill:readwrite"

// maxStubTimers is the Timers API's limit on timers at once.
const maxStubTimers = 10

// alexaStub is a small in-process stand-in for the Alexa REST APIs the skill
// calls (Timers, Reminders, the time-zone setting), so that `chat` can set a
// pack timer with no Alexa device. It listens on loopback over plain HTTP
// (alexaapi allows http only for loopback hosts), accepts one bearer token,
// keeps timers and reminders in memory, and records what an Echo would do
// ("timer 'Cold pack' set for 20 minutes") as events for the chat to print.
//
// Nothing rings: a timer only exists until chat exits. A scope that is not
// granted makes the matching calls fail with 401, as Alexa does, so the
// skill's permission path can be tried (chat --no-timers).
type alexaStub struct {
	token    string
	timeZone string
	now      func() time.Time

	mu        sync.Mutex
	granted   map[string]bool
	timers    map[string]*stubTimer
	order     []string // timer ids in creation order
	reminders map[string]string
	nextID    int
	events    []string

	srv *http.Server
	ln  net.Listener
}

// stubTimer is a timer the stand-in holds, in the Timers API's wire form.
type stubTimer struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Duration    string `json:"duration"`
	TriggerTime string `json:"triggerTime"`
	TimerLabel  string `json:"timerLabel,omitempty"`
	CreatedTime string `json:"createdTime"`
	UpdatedTime string `json:"updatedTime"`
	Remaining   string `json:"remainingTimeWhenPaused,omitempty"`

	trigger time.Time
	left    time.Duration // while paused
}

// newAlexaStub returns a stand-in that accepts token, answers time-zone
// questions with timeZone, and grants the scopes given.
func newAlexaStub(token, timeZone string, granted ...string) *alexaStub {
	s := &alexaStub{
		token:     token,
		timeZone:  timeZone,
		now:       time.Now,
		granted:   make(map[string]bool),
		timers:    make(map[string]*stubTimer),
		reminders: make(map[string]string),
	}
	for _, g := range granted {
		s.granted[g] = true
	}
	return s
}

// Start listens on a free loopback port and serves in the background.
func (s *alexaStub) Start() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start Alexa API stand-in: %w", err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// URL is the base URL to put in a request's context.System.apiEndpoint.
func (s *alexaStub) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops the server.
func (s *alexaStub) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// Grant sets whether a scope is granted, as the user would in the Alexa app
// or by voice.
func (s *alexaStub) Grant(scope string, granted bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.granted[scope] = granted
}

// Granted reports whether a scope is granted.
func (s *alexaStub) Granted(scope string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.granted[scope]
}

// TakeEvents returns the events recorded since the last call and forgets
// them.
func (s *alexaStub) TakeEvents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := s.events
	s.events = nil
	return ev
}

// routes maps the Alexa API operations the skill uses to the stand-in's
// handlers; anything else gets 404 in the APIs' error shape.
func (s *alexaStub) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/alerts/timers", s.needs(scopeTimers, s.createTimer))
	mux.HandleFunc("GET /v1/alerts/timers", s.needs(scopeTimers, s.listTimers))
	mux.HandleFunc("DELETE /v1/alerts/timers", s.needs(scopeTimers, s.deleteAllTimers))
	mux.HandleFunc("GET /v1/alerts/timers/{id}", s.needs(scopeTimers, s.getTimer))
	mux.HandleFunc("DELETE /v1/alerts/timers/{id}", s.needs(scopeTimers, s.deleteTimer))
	mux.HandleFunc("POST /v1/alerts/timers/{id}/pause", s.needs(scopeTimers, s.pauseTimer))
	mux.HandleFunc("POST /v1/alerts/timers/{id}/resume", s.needs(scopeTimers, s.resumeTimer))
	mux.HandleFunc("POST /v1/alerts/reminders", s.needs(scopeReminders, s.createReminder))
	mux.HandleFunc("DELETE /v1/alerts/reminders/{token}", s.needs(scopeReminders, s.deleteReminder))
	mux.HandleFunc("GET /v2/devices/{device}/settings/System.timeZone", s.needs("", s.getTimeZone))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "the local stand-in does not implement "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// needs checks the bearer token and, unless scope is empty, the scope.
func (s *alexaStub) needs(scope string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
			apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "invalid access token")
			return
		}
		if scope != "" && !s.Granted(scope) {
			apiError(w, http.StatusUnauthorized, "UNAUTHORIZED", "the user has not granted "+scope)
			return
		}
		h(w, r)
	}
}

// timerCreate is the part of a create-timer body the stand-in reads.
type timerCreate struct {
	Duration           string `json:"duration"`
	TimerLabel         string `json:"timerLabel"`
	TriggeringBehavior struct {
		Operation struct {
			Type           string `json:"type"`
			TextToAnnounce []struct {
				Locale string `json:"locale"`
				Text   string `json:"text"`
			} `json:"textToAnnounce"`
		} `json:"operation"`
	} `json:"triggeringBehavior"`
}

func (s *alexaStub) createTimer(w http.ResponseWriter, r *http.Request) {
	var in timerCreate
	if err := decodeBody(r, &in); err != nil {
		apiError(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
		return
	}
	d, err := alexaapi.ParseISODuration(in.Duration)
	switch {
	case err != nil:
		apiError(w, http.StatusBadRequest, "INVALID_DURATION", err.Error())
		return
	case d <= 0 || d > 2*time.Hour:
		apiError(w, http.StatusBadRequest, "INVALID_DURATION", "a timer lasts from one second to two hours")
		return
	case len([]rune(in.TimerLabel)) > alexaapi.MaxTimerLabel:
		apiError(w, http.StatusBadRequest, "INVALID_TIMER_LABEL", "label too long")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.timers) >= maxStubTimers {
		apiError(w, http.StatusBadRequest, "MAX_TIMERS_EXCEEDED", "at most 10 timers at once")
		return
	}
	now := s.now().UTC()
	s.nextID++
	t := &stubTimer{
		ID:          fmt.Sprintf("local-timer-%d", s.nextID),
		Status:      string(alexaapi.TimerOn),
		Duration:    alexaapi.FormatISODuration(d),
		TimerLabel:  in.TimerLabel,
		CreatedTime: now.Format(time.RFC3339),
		UpdatedTime: now.Format(time.RFC3339),
		trigger:     now.Add(d),
	}
	t.TriggerTime = t.trigger.Format(time.RFC3339)
	s.timers[t.ID] = t
	s.order = append(s.order, t.ID)
	event := fmt.Sprintf("timer %s set for %s", labelOrUnnamed(in.TimerLabel), spokenDuration(d))
	if ops := in.TriggeringBehavior.Operation; len(ops.TextToAnnounce) > 0 {
		event += fmt.Sprintf("; when it rings: %q", ops.TextToAnnounce[0].Text)
	}
	s.events = append(s.events, event)
	writeJSON(w, http.StatusOK, t)
}

func (s *alexaStub) listTimers(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := struct {
		TotalCount int          `json:"totalCount"`
		Timers     []*stubTimer `json:"timers"`
	}{Timers: []*stubTimer{}}
	for _, id := range s.order {
		if t, ok := s.timers[id]; ok {
			s.refreshLocked(t)
			list.Timers = append(list.Timers, t)
		}
	}
	list.TotalCount = len(list.Timers)
	writeJSON(w, http.StatusOK, list)
}

func (s *alexaStub) deleteAllTimers(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.timers) > 0 {
		s.events = append(s.events, "all timers cancelled")
	}
	s.timers = make(map[string]*stubTimer)
	s.order = nil
	w.WriteHeader(http.StatusOK)
}

// timerByID looks a timer up, answering 404 when it does not exist. s.mu is
// held.
func (s *alexaStub) timerByID(w http.ResponseWriter, r *http.Request) *stubTimer {
	t, ok := s.timers[r.PathValue("id")]
	if !ok {
		apiError(w, http.StatusNotFound, "TIMER_NOT_FOUND", "timer not found")
		return nil
	}
	s.refreshLocked(t)
	return t
}

// refreshLocked marks a timer whose time has come as OFF. s.mu is held.
func (s *alexaStub) refreshLocked(t *stubTimer) {
	if t.Status == string(alexaapi.TimerOn) && !s.now().Before(t.trigger) {
		t.Status = string(alexaapi.TimerOff)
	}
}

func (s *alexaStub) getTimer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.timerByID(w, r); t != nil {
		writeJSON(w, http.StatusOK, t)
	}
}

func (s *alexaStub) deleteTimer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.timerByID(w, r)
	if t == nil {
		return
	}
	delete(s.timers, t.ID)
	s.events = append(s.events, fmt.Sprintf("timer %s cancelled", labelOrUnnamed(t.TimerLabel)))
	w.WriteHeader(http.StatusOK)
}

func (s *alexaStub) pauseTimer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.timerByID(w, r)
	if t == nil {
		return
	}
	if t.Status != string(alexaapi.TimerOn) {
		apiError(w, http.StatusBadRequest, "INVALID_STATE", "only a running timer can be paused")
		return
	}
	t.left = t.trigger.Sub(s.now())
	t.Status, t.Remaining = string(alexaapi.TimerPaused), alexaapi.FormatISODuration(t.left.Round(time.Second))
	s.events = append(s.events, fmt.Sprintf("timer %s paused", labelOrUnnamed(t.TimerLabel)))
	w.WriteHeader(http.StatusOK)
}

func (s *alexaStub) resumeTimer(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.timerByID(w, r)
	if t == nil {
		return
	}
	if t.Status != string(alexaapi.TimerPaused) {
		apiError(w, http.StatusBadRequest, "INVALID_STATE", "only a paused timer can be resumed")
		return
	}
	t.trigger = s.now().Add(t.left)
	t.TriggerTime, t.Status, t.Remaining = t.trigger.UTC().Format(time.RFC3339), string(alexaapi.TimerOn), ""
	s.events = append(s.events, fmt.Sprintf("timer %s resumed", labelOrUnnamed(t.TimerLabel)))
	w.WriteHeader(http.StatusOK)
}

// reminderCreate is the part of a create-reminder body the stand-in reads.
type reminderCreate struct {
	Trigger struct {
		Type            string `json:"type"`
		OffsetInSeconds int64  `json:"offsetInSeconds"`
		ScheduledTime   string `json:"scheduledTime"`
	} `json:"trigger"`
	AlertInfo struct {
		SpokenInfo struct {
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"spokenInfo"`
	} `json:"alertInfo"`
}

func (s *alexaStub) createReminder(w http.ResponseWriter, r *http.Request) {
	var in reminderCreate
	if err := decodeBody(r, &in); err != nil {
		apiError(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
		return
	}
	text := ""
	if c := in.AlertInfo.SpokenInfo.Content; len(c) > 0 {
		text = c[0].Text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	token := fmt.Sprintf("local-reminder-%d", s.nextID)
	s.reminders[token] = text
	when := in.Trigger.ScheduledTime
	if in.Trigger.Type == "SCHEDULED_RELATIVE" {
		when = "in " + spokenDuration(time.Duration(in.Trigger.OffsetInSeconds)*time.Second)
	}
	s.events = append(s.events, fmt.Sprintf("reminder set %s: %q", when, text))
	now := s.now().UTC().Format(time.RFC3339)
	writeJSON(w, http.StatusCreated, map[string]string{
		"alertToken": token, "createdTime": now, "updatedTime": now, "status": "ON", "version": "1",
		"href": "/v1/alerts/reminders/" + token,
	})
}

func (s *alexaStub) deleteReminder(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	token := r.PathValue("token")
	if _, ok := s.reminders[token]; !ok {
		apiError(w, http.StatusNotFound, "NOT_FOUND", "reminder not found")
		return
	}
	delete(s.reminders, token)
	s.events = append(s.events, "reminder cancelled")
	w.WriteHeader(http.StatusOK)
}

func (s *alexaStub) getTimeZone(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.timeZone)
}

// decodeBody decodes a JSON body of at most 64 KiB into v.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed body: %w", err)
	}
	return nil
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

// labelOrUnnamed quotes a timer label for an event line.
func labelOrUnnamed(label string) string {
	if label == "" {
		return "(no label)"
	}
	return "'" + label + "'"
}

// spokenDuration says a duration the way a person would: "20 minutes",
// "1 hour 30 minutes", "45 seconds".
func spokenDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d <= 0 {
		return "0 seconds"
	}
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	add := func(n int, unit string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+unit)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", n, unit))
		}
	}
	add(h, "hour")
	add(m, "minute")
	add(s, "second")
	return strings.Join(parts, " ")
}

// localTimeZone returns the IANA name of the local time zone, for the
// stand-in's Settings API: $TZ when it names a zone, else the target of
// /etc/localtime, else "UTC".
func localTimeZone(getenv func(string) string) string {
	if tz := strings.TrimPrefix(getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil && tz != "Local" {
			return tz
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(filepath.ToSlash(target), "zoneinfo/"); ok {
			if _, err := time.LoadLocation(name); err == nil {
				return name
			}
		}
	}
	return "UTC"
}
