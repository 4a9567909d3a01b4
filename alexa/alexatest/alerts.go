package alexatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"spasmcoach/alexaapi"
)

// timer is a timer the Server holds: its JSON is the Timers API's.
type timer struct {
	alexaapi.TimerJSON

	trigger time.Time
	left    time.Duration // while paused
}

func (s *Server) timeZone(w http.ResponseWriter, _ *http.Request, _ []byte) {
	s.mu.Lock()
	zone := s.zone
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, zone)
}

// timerCreate is the part of a create-timer body the Server reads.
type timerCreate struct {
	Duration           string `json:"duration"`
	TimerLabel         string `json:"timerLabel"`
	TriggeringBehavior struct {
		Operation struct {
			TextToAnnounce []struct {
				Text string `json:"text"`
			} `json:"textToAnnounce"`
		} `json:"operation"`
	} `json:"triggeringBehavior"`
}

func (s *Server) createTimer(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in timerCreate
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
		return
	}
	d, err := alexaapi.ParseISODuration(in.Duration)
	switch {
	case err != nil || d <= 0 || d > 2*time.Hour:
		apiError(w, http.StatusBadRequest, "INVALID_DURATION", "a timer lasts from one second to two hours")
		return
	case len([]rune(in.TimerLabel)) > alexaapi.MaxTimerLabel:
		apiError(w, http.StatusBadRequest, "INVALID_TIMER_LABEL", "label too long")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.timers) >= maxTimers {
		apiError(w, http.StatusBadRequest, "MAX_TIMERS_EXCEEDED", "at most 10 timers at once")
		return
	}
	now := s.now().UTC()
	s.nextTimer++
	t := &timer{TimerJSON: alexaapi.TimerJSON{
		ID: fmt.Sprintf("timer-%d", s.nextTimer), Status: string(alexaapi.TimerOn), Duration: in.Duration,
		TimerLabel: in.TimerLabel, CreatedTime: now.Format(time.RFC3339), UpdatedTime: now.Format(time.RFC3339),
	}, trigger: now.Add(d)}
	t.TriggerTime = t.trigger.Format(time.RFC3339)
	s.timers[t.ID] = t
	s.order = append(s.order, t.ID)
	event := fmt.Sprintf("timer %s set for %s", quoteLabel(in.TimerLabel), spokenDuration(d))
	if ann := in.TriggeringBehavior.Operation.TextToAnnounce; len(ann) > 0 {
		event += fmt.Sprintf("; when it rings: %q", ann[0].Text)
	}
	s.events = append(s.events, event)
	writeJSON(w, http.StatusOK, t)
}

// liveLocked returns the timer id, or nil when there is none or it has
// rung. s.mu is held.
func (s *Server) liveLocked(id string) *timer {
	t, ok := s.timers[id]
	if !ok {
		return nil
	}
	if t.Status == string(alexaapi.TimerOn) && !s.now().Before(t.trigger) {
		delete(s.timers, id) // it rang: gone, as a cancelled one
		return nil
	}
	return t
}

// timerByID looks the path's timer up, answering 404 when there is none.
// s.mu is held.
func (s *Server) timerByID(w http.ResponseWriter, r *http.Request) *timer {
	t := s.liveLocked(r.PathValue("id"))
	if t == nil {
		apiError(w, http.StatusNotFound, "TIMER_NOT_FOUND", "Timer not found")
	}
	return t
}

func (s *Server) listTimers(w http.ResponseWriter, _ *http.Request, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := struct {
		TotalCount int      `json:"totalCount"`
		Timers     []*timer `json:"timers"`
	}{Timers: []*timer{}}
	for _, id := range s.order {
		if t := s.liveLocked(id); t != nil {
			list.Timers = append(list.Timers, t)
		}
	}
	list.TotalCount = len(list.Timers)
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) deleteTimers(w http.ResponseWriter, _ *http.Request, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.timers) > 0 {
		s.events = append(s.events, "all timers cancelled")
	}
	s.timers, s.order = map[string]*timer{}, nil
	w.WriteHeader(http.StatusOK)
}

func (s *Server) getTimer(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.timerByID(w, r); t != nil {
		writeJSON(w, http.StatusOK, t)
	}
}

func (s *Server) deleteTimer(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.timerByID(w, r); t != nil {
		delete(s.timers, t.ID)
		s.events = append(s.events, fmt.Sprintf("timer %s cancelled", quoteLabel(t.TimerLabel)))
		w.WriteHeader(http.StatusOK)
	}
}

func (s *Server) pauseTimer(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.changeTimer(w, r, alexaapi.TimerOn, "only a running timer can be paused", "paused", func(t *timer) {
		t.left = t.trigger.Sub(s.now())
		t.Status, t.RemainingTimeWhenPaused = string(alexaapi.TimerPaused), alexaapi.FormatISODuration(t.left.Round(time.Second))
	})
}

func (s *Server) resumeTimer(w http.ResponseWriter, r *http.Request, _ []byte) {
	s.changeTimer(w, r, alexaapi.TimerPaused, "only a paused timer can be resumed", "resumed", func(t *timer) {
		t.trigger = s.now().Add(t.left)
		t.TriggerTime, t.Status, t.RemainingTimeWhenPaused = t.trigger.UTC().Format(time.RFC3339), string(alexaapi.TimerOn), ""
	})
}

// changeTimer applies change to the path's timer if its status is from,
// and records the event "timer <label> <done>"; a timer in another status
// gets 400 INVALID_STATE with the message refusal.
func (s *Server) changeTimer(w http.ResponseWriter, r *http.Request, from alexaapi.TimerStatus, refusal, done string, change func(*timer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.timerByID(w, r)
	switch {
	case t == nil:
	case t.Status != string(from):
		apiError(w, http.StatusBadRequest, "INVALID_STATE", refusal)
	default:
		change(t)
		s.events = append(s.events, fmt.Sprintf("timer %s %s", quoteLabel(t.TimerLabel), done))
		w.WriteHeader(http.StatusOK)
	}
}

// reminderCreate is the part of a create-reminder body the Server reads.
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

func (s *Server) createReminder(w http.ResponseWriter, _ *http.Request, body []byte) {
	var in reminderCreate
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, http.StatusBadRequest, "INVALID_REQUEST", err.Error())
		return
	}
	text := ""
	if c := in.AlertInfo.SpokenInfo.Content; len(c) > 0 {
		text = c[0].Text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextReminder++
	token := fmt.Sprintf("reminder-%d", s.nextReminder)
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

func (s *Server) deleteReminder(w http.ResponseWriter, r *http.Request, _ []byte) {
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

// quoteLabel quotes a timer label for an event line.
func quoteLabel(label string) string {
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
	var parts []string
	for _, u := range []struct {
		n    int
		unit string
	}{{int(d / time.Hour), "hour"}, {int(d % time.Hour / time.Minute), "minute"}, {int(d % time.Minute / time.Second), "second"}} {
		switch {
		case u.n == 1:
			parts = append(parts, "1 "+u.unit)
		case u.n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", u.n, u.unit))
		}
	}
	return strings.Join(parts, " ")
}
