package alexatest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa/alexatest"
	"spasmcoach/alexaapi"
)

// recorder is a TB that records what a Server reports.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, format)
}

// TestServer drives the Server with the real Alexa API client.
func TestServer(t *testing.T) {
	s := alexatest.NewServer(t)
	s.SetZone("Europe/Berlin")
	s.Grant(alexaapi.ScopeTimers, true)
	s.Grant(alexaapi.ScopeReminders, true)
	client := alexaapi.New(&http.Client{Timeout: 5 * time.Second})
	ep := alexaapi.Endpoint{BaseURL: s.URL, Token: alexatest.Token}
	ctx := context.Background()

	timer, err := client.CreateTimer(ctx, ep, alexaapi.TimerRequest{Duration: 20 * time.Minute, Label: "Cold pack", Locale: "en-US", Announce: "Take the pack off."})
	if err != nil {
		t.Fatal(err)
	}
	if timer.ID == "" || timer.Status != alexaapi.TimerOn || timer.Duration != 20*time.Minute || timer.Label != "Cold pack" {
		t.Errorf("timer %+v", timer)
	}
	if got, err := client.GetTimer(ctx, ep, timer.ID); err != nil || got.ID != timer.ID {
		t.Errorf("get: %+v, %v", got, err)
	}
	if err := client.DeleteTimer(ctx, ep, timer.ID); err != nil {
		t.Errorf("delete: %v", err)
	}
	if _, err := client.GetTimer(ctx, ep, timer.ID); alexaapi.Classify(err) != alexaapi.NotFound {
		t.Errorf("get after delete: %v", err)
	}
	if loc, err := client.TimeZone(ctx, ep, "amzn1.ask.device.X"); err != nil || loc.String() != "Europe/Berlin" {
		t.Errorf("time zone: %v, %v", loc, err)
	}
	if _, err := client.CreateReminder(ctx, ep, alexaapi.ReminderRequest{RequestTime: time.Now(), After: 90 * time.Minute, Locale: "en-US", Text: "Next pack."}); err != nil {
		t.Errorf("reminder: %v", err)
	}
	want := []string{
		`timer 'Cold pack' set for 20 minutes; when it rings: "Take the pack off."`,
		`timer 'Cold pack' cancelled`,
		`reminder set in 1 hour 30 minutes: "Next pack."`,
	}
	if got := s.TakeEvents(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Count(alexatest.OpCreateTimer) != 1 || s.Count(alexatest.OpGetTimer) != 2 || len(s.Body(alexatest.OpCreateReminder)) == 0 {
		t.Errorf("calls %+v", s.Calls())
	}

	// Without the permission: 401, which the skill takes as "ask for the
	// permission".
	s.Grant(alexaapi.ScopeTimers, false)
	if _, err := client.CreateTimer(ctx, ep, alexaapi.TimerRequest{Duration: time.Minute, Locale: "en-US", Announce: "x"}); alexaapi.Classify(err) != alexaapi.NeedPermission {
		t.Errorf("without permission: %v", err)
	}
	s.Grant(alexaapi.ScopeTimers, true)
	if _, err := client.CreateTimer(ctx, ep, alexaapi.TimerRequest{Duration: 3 * time.Hour, Locale: "en-US", Announce: "x"}); alexaapi.Classify(err) != alexaapi.Rejected {
		t.Errorf("3-hour timer: %v", err)
	}
}

// TestServerScripts checks the knobs: a scripted failure, a stall, a
// delay, the hook, and a timer that rang.
func TestServerScripts(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := alexatest.NewServer(t)
	s.Now = func() time.Time { return now }
	var seen []string
	s.OnCall = func(op string) { seen = append(seen, op) }
	client := alexaapi.New(&http.Client{Timeout: 5 * time.Second})
	ep := alexaapi.Endpoint{BaseURL: s.URL, Token: alexatest.Token}
	ctx := context.Background()

	s.Fail(alexatest.OpTimeZone, 503)
	if _, err := client.TimeZone(ctx, ep, "d"); alexaapi.Classify(err) != alexaapi.Unavailable {
		t.Errorf("scripted 503: %v", err)
	}
	s.Fail(alexatest.OpTimeZone, alexatest.Stall)
	sctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	if _, err := client.TimeZone(sctx, ep, "d"); err == nil {
		t.Error("a stalled call answered")
	}
	cancel()
	s.Fail(alexatest.OpTimeZone, 0)
	s.SetDelay(alexatest.OpTimeZone, 20*time.Millisecond)
	if loc, err := client.TimeZone(ctx, ep, "d"); err != nil || loc.String() != "America/New_York" {
		t.Errorf("delayed: %v, %v", loc, err)
	}
	if strings.Join(seen, ",") != "time-zone,time-zone,time-zone" {
		t.Errorf("hook saw %v", seen)
	}

	timer, err := client.CreateTimer(ctx, ep, alexaapi.TimerRequest{Duration: time.Minute, Label: "Heat", Locale: "en-US", Announce: "x"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := client.GetTimer(ctx, ep, timer.ID); alexaapi.Classify(err) != alexaapi.NotFound {
		t.Errorf("a timer that rang: %v", err)
	}
}

// TestServerReports checks that requests that break the documentation are
// reported: another token, a missing Accept, a body of the wrong shape, an
// unknown path, another device's Settings.
func TestServerReports(t *testing.T) {
	rec := &recorder{}
	s := alexatest.NewServer(rec)
	defer s.Close()
	s.DeviceID = "amzn1.ask.device.MINE"
	const zonePath = "/v2/devices/amzn1.ask.device.MINE/settings/System.timeZone"
	for _, tc := range []struct {
		name, method, path, token, accept, body string
		status                                  int
	}{
		{"another token", "GET", zonePath, "other", "application/json", "", 401},
		{"no Accept", "GET", zonePath, alexatest.Token, "", "", 200},
		{"another device", "GET", "/v2/devices/amzn1.ask.device.OTHER/settings/System.timeZone", alexatest.Token, "application/json", "", 200},
		{"wrong shape", "POST", "/v1/alerts/timers", alexatest.Token, "application/json", `{"duration":"PT1M"}`, 200},
		{"unknown path", "GET", "/v1/alerts/nothing/here", alexatest.Token, "application/json", "", 404},
	} {
		rec.errs = nil
		if got := send(t, tc.method, s.URL+tc.path, tc.token, tc.accept, tc.body); got != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.status)
		}
		if len(rec.errs) == 0 {
			t.Errorf("%s: not reported", tc.name)
		}
	}
}

// TestServerPauseResume: a running timer pauses, keeping the time left,
// and resumes from it; pausing a paused timer or resuming a running one is
// refused with 400, as the Timers API refuses a change from the wrong
// status.
func TestServerPauseResume(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := alexatest.NewServer(t)
	s.Now = func() time.Time { return now }
	client, ctx := s.Client(), t.Context()
	ep := alexaapi.Endpoint{BaseURL: s.URL, Token: alexatest.Token}
	timer, err := client.CreateTimer(ctx, ep, alexaapi.TimerRequest{Duration: 20 * time.Minute, Label: "Cold pack", Locale: "en-US", Announce: "x"})
	if err != nil {
		t.Fatal(err)
	}
	post := func(action string) int {
		return send(t, http.MethodPost, s.URL+"/v1/alerts/timers/"+timer.ID+"/"+action, alexatest.Token, "application/json", "")
	}
	now = now.Add(5 * time.Minute)
	for _, step := range []struct {
		action string
		status int
	}{{"resume", 400}, {"pause", 200}, {"pause", 400}} {
		if got := post(step.action); got != step.status {
			t.Errorf("%s: status %d, want %d", step.action, got, step.status)
		}
	}
	got, err := client.GetTimer(ctx, ep, timer.ID)
	if err != nil || got.Status != alexaapi.TimerPaused || got.RemainingWhenPaused != 15*time.Minute {
		t.Errorf("paused timer %+v, %v; want PAUSED with 15 minutes left", got, err)
	}
	now = now.Add(time.Hour) // a paused timer does not ring
	if got := post("resume"); got != 200 {
		t.Errorf("resume: status %d, want 200", got)
	}
	got, err = client.GetTimer(ctx, ep, timer.ID)
	if err != nil || got.Status != alexaapi.TimerOn || !got.TriggerTime.Equal(now.Add(15*time.Minute)) {
		t.Errorf("resumed timer %+v, %v; want ON, ringing 15 minutes from now", got, err)
	}
	want := "timer 'Cold pack' set for 20 minutes; when it rings: \"x\"\ntimer 'Cold pack' paused\ntimer 'Cold pack' resumed"
	if got := strings.Join(s.TakeEvents(), "\n"); got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
}

// send makes a request as the Alexa API client does (bearer token, a
// JSON content type on a POST), with the Accept header accept ("" for
// none), and returns its status.
func send(t *testing.T, method, url, token, accept, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	return res.StatusCode
}
