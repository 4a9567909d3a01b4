package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/infra"
	"spasmcoach/intents"
	"spasmcoach/utterance"
)

func testEmulator() *alexaEmulator {
	return &alexaEmulator{
		appID: localSkillID, userID: localUserID, deviceID: localDeviceID, locale: "en-US",
		endpoint: "http://127.0.0.1:1", token: "tok",
		scopes: map[string]string{scopeTimers: statusGranted},
		now:    func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) },
	}
}

func mustResolver(tb testing.TB) *utterance.Resolver {
	tb.Helper()
	m, err := infra.Model("en-US")
	if err != nil {
		tb.Fatal(err)
	}
	r, err := utterance.NewResolver(m)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// decoded encodes a request the way chat sends it and decodes it the way
// the handler reads it.
func decoded(tb testing.TB, req alexaRequest) *alexa.Request {
	tb.Helper()
	b, err := marshalJSON(req, false)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := intents.DecodeRequest(b)
	if err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
	return r
}

// TestEmulatorSessions follows the session through launch, turns that
// carry attributes, the end of the session and a one-shot.
func TestEmulatorSessions(t *testing.T) {
	a := testEmulator()
	res := mustResolver(t)

	launch := decoded(t, a.Launch())
	if launch.Type() != "LaunchRequest" || !launch.NewSession() {
		t.Fatalf("launch: type %s, new session %v", launch.Type(), launch.NewSession())
	}
	if sys := launch.Context.System; sys.APIEndpoint != "http://127.0.0.1:1" || sys.APIAccessToken != "tok" || sys.Device.DeviceID != localDeviceID {
		t.Errorf("context.System: endpoint %q, token %q, device %q", sys.APIEndpoint, sys.APIAccessToken, sys.Device.DeviceID)
	}
	if got := launch.ScopeStatus(scopeTimers); got != statusGranted {
		t.Errorf("timers scope %q", got)
	}
	if ids := launch.ApplicationIDs(); len(ids) != 1 || ids[0] != localSkillID {
		t.Errorf("application IDs %v", ids)
	}
	if launch.Body.Timestamp != "2026-03-01T12:00:00Z" || launch.Body.Locale != "en-US" ||
		!strings.HasPrefix(launch.RequestID(), "amzn1.echo-api.request.") {
		t.Errorf("request: timestamp %q, locale %q, ID %q", launch.Body.Timestamp, launch.Body.Locale, launch.RequestID())
	}
	if launch.SessionID() != a.sessionID {
		t.Errorf("session ID %q, want %q", launch.SessionID(), a.sessionID)
	}
	sessionID := a.sessionID

	// The skill keeps the session open and sends attributes back.
	a.Receive(&skillResponse{SessionAttributes: json.RawMessage(`{"state":{"st":3}}`), Response: responseWith(false)})
	next := decoded(t, a.Intent(res.Resolve("next step")))
	if next.NewSession() || a.sessionID != sessionID {
		t.Errorf("second turn: new %v, session %s (was %s)", next.NewSession(), a.sessionID, sessionID)
	}
	if got := string(next.SessionState()); got != `{"st":3}` {
		t.Errorf("attributes carried: %s", got)
	}
	if next.Body.Intent.Name != "AMAZON.NextIntent" || next.Body.Intent.ConfirmationStatus != "NONE" {
		t.Errorf("intent %+v", next.Body.Intent)
	}

	// The skill ends the session; the next words open a new one.
	a.Receive(&skillResponse{Response: responseWith(true)})
	if a.open {
		t.Fatal("session still open after shouldEndSession true")
	}
	oneShot := decoded(t, a.Intent(res.Resolve("start breathing")))
	if !oneShot.NewSession() || a.sessionID == sessionID || oneShot.SessionState() != nil {
		t.Errorf("one-shot after the end: new %v, session %s", oneShot.NewSession(), oneShot.SessionID())
	}

	ended := decoded(t, a.SessionEnded(reasonUserInitiated))
	if ended.Type() != "SessionEndedRequest" || ended.Body.Reason != "USER_INITIATED" || a.open {
		t.Errorf("session ended: reason %q, open %v", ended.Body.Reason, a.open)
	}
}

func responseWith(end bool) (r struct {
	OutputSpeech     *outputSpeech `json:"outputSpeech"`
	Card             *card         `json:"card"`
	Reprompt         *reprompt     `json:"reprompt"`
	Directives       []directive   `json:"directives"`
	ShouldEndSession *bool         `json:"shouldEndSession"`
}) {
	r.ShouldEndSession = &end
	return r
}

// TestEmulatorSlots checks the slots of an IntentRequest, with entity
// resolution for custom types.
func TestEmulatorSlots(t *testing.T) {
	a := testEmulator()
	a.startSession()
	req := decoded(t, a.Intent(mustResolver(t).Resolve("set an ice pack timer for fifteen minutes")))
	in := req.Body.Intent
	if in.Name != intents.IntentSetPackTimer {
		t.Fatalf("intent %s", in.Name)
	}
	pack := in.Slots[intents.SlotPack]
	if pack.Value != "ice pack" || pack.Resolutions == nil || len(pack.Resolutions.PerAuthority) != 1 {
		t.Fatalf("pack slot %+v", pack)
	}
	auth := pack.Resolutions.PerAuthority[0]
	if auth.Status.Code != "ER_SUCCESS_MATCH" || len(auth.Values) != 1 || auth.Values[0].Value.ID != "COLD" ||
		!strings.HasPrefix(auth.Authority, "amzn1.er-authority.echo-sdk.") {
		t.Errorf("resolution %+v", auth)
	}
	if min := in.Slots[intents.SlotMinutes]; min.Value != "15" || min.Resolutions != nil {
		t.Errorf("minutes slot %+v", min)
	}

	// An unfilled slot is sent with its name only.
	req = decoded(t, a.Intent(mustResolver(t).Resolve("start breathing")))
	for name, s := range req.Body.Intent.Slots {
		if s.Name != name || s.Value != "" || s.ConfirmationStatus != "NONE" {
			t.Errorf("unfilled slot %s: %+v", name, s)
		}
	}

	// A value the type does not list: ER_SUCCESS_NO_MATCH.
	s := a.slot("pack", utterance.SlotValue{Type: "PACK", Value: "bag of sand"})
	if s.Resolutions == nil || s.Resolutions.PerAuthority[0].Status.Code != "ER_SUCCESS_NO_MATCH" || s.Resolutions.PerAuthority[0].Values != nil {
		t.Errorf("unlisted value: %+v", s)
	}

	// Nothing matched: the fallback intent.
	req = decoded(t, a.Intent(mustResolver(t).Resolve("what's the weather like")))
	if req.Body.Intent.Name != intents.IntentFallback {
		t.Errorf("fallback: %s", req.Body.Intent.Name)
	}
}

// TestEmulatorAskFor follows Alexa's voice permission request: the
// directive keeps the session open, and the answer is a
// Connections.Response carrying the token and the status.
func TestEmulatorAskFor(t *testing.T) {
	a := testEmulator()
	a.scopes[scopeTimers] = statusDenied
	a.Launch()
	var resp skillResponse
	if err := json.Unmarshal([]byte(`{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor",
		"payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"`+scopeTimers+`","consentLevel":"ACCOUNT"}]},
		"token":"tok-1"}]}}`), &resp); err != nil {
		t.Fatal(err)
	}
	a.Receive(&resp)
	if !a.open || !a.Pending() || a.askScope != scopeTimers {
		t.Fatalf("after AskFor: open %v, pending %v, scope %q", a.open, a.Pending(), a.askScope)
	}
	req := decoded(t, a.AskForAnswer(askForAccepted))
	body := req.Body
	if req.Type() != "Connections.Response" || body.Name != "AskFor" || body.Token != "tok-1" ||
		body.Status == nil || body.Status.Code != "200" || body.PayloadStatus() != "ACCEPTED" {
		t.Errorf("answer %+v", body)
	}
	if req.ScopeStatus(scopeTimers) != statusGranted || a.Pending() || req.NewSession() {
		t.Errorf("scope %q, pending %v, new session %v", req.ScopeStatus(scopeTimers), a.Pending(), req.NewSession())
	}
}

// TestAlexaStub drives the stand-in with the real Alexa API client.
func TestAlexaStub(t *testing.T) {
	stub := newAlexaStub("tok", "Europe/Berlin", scopeTimers, scopeReminders)
	if err := stub.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stub.Close() })
	client := alexaapi.New(&http.Client{Timeout: 5 * time.Second})
	ep := alexaapi.Endpoint{BaseURL: stub.URL(), Token: "tok"}
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
	if loc, err := client.TimeZone(ctx, ep, localDeviceID); err != nil || loc.String() != "Europe/Berlin" {
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
	if got := stub.TakeEvents(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Without the permission, or with another token: 401, which the skill
	// takes as "ask for the permission".
	stub.Grant(scopeTimers, false)
	if _, err := client.CreateTimer(ctx, ep, alexaapi.TimerRequest{Duration: time.Minute, Locale: "en-US", Announce: "x"}); alexaapi.Classify(err) != alexaapi.NeedPermission {
		t.Errorf("without permission: %v", err)
	}
	stub.Grant(scopeTimers, true)
	if _, err := client.CreateTimer(ctx, alexaapi.Endpoint{BaseURL: stub.URL(), Token: "other"}, alexaapi.TimerRequest{Duration: time.Minute, Locale: "en-US", Announce: "x"}); alexaapi.Classify(err) != alexaapi.NeedPermission {
		t.Errorf("wrong token: %v", err)
	}
	if _, err := client.CreateTimer(ctx, ep, alexaapi.TimerRequest{Duration: 3 * time.Hour, Locale: "en-US", Announce: "x"}); alexaapi.Classify(err) != alexaapi.Rejected {
		t.Errorf("3-hour timer: %v", err)
	}
}

func TestSpokenDuration(t *testing.T) {
	tests := map[time.Duration]string{
		20 * time.Minute:                 "20 minutes",
		time.Minute:                      "1 minute",
		90 * time.Second:                 "1 minute 30 seconds",
		2 * time.Hour:                    "2 hours",
		time.Hour + time.Second:          "1 hour 1 second",
		0:                                "0 seconds",
		1500 * time.Millisecond:          "2 seconds",
		45*time.Second + time.Nanosecond: "45 seconds",
	}
	for d, want := range tests {
		if got := spokenDuration(d); got != want {
			t.Errorf("spokenDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
