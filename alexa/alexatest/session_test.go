package alexatest_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
)

const timersScope = "alexa::alerts:timers:skill:readwrite"

func testSession() *alexatest.Session {
	s := alexatest.NewSession("amzn1.ask.account.LOCAL")
	s.APIEndpoint, s.APIToken = "http://127.0.0.1:1", "tok"
	s.Scopes = map[string]string{timersScope: alexa.ScopeGranted}
	s.Now = func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }
	return s
}

// decoded decodes a request the way the skill reads it: one Unmarshal.
func decoded(tb testing.TB, b []byte) *alexa.Request {
	tb.Helper()
	var r alexa.Request
	if err := json.Unmarshal(b, &r); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
	return &r
}

func receive(tb testing.TB, s *alexatest.Session, resp string) {
	tb.Helper()
	if _, err := s.Receive([]byte(resp)); err != nil {
		tb.Fatal(err)
	}
}

// TestSessionFollows follows the session through launch, turns that carry
// attributes, the end of the session, a one-shot and a SessionEndedRequest.
func TestSessionFollows(t *testing.T) {
	s := testSession()
	launch := decoded(t, s.Launch())
	if launch.Type() != alexa.RequestLaunch || !launch.NewSession() {
		t.Fatalf("launch: type %s, new session %v", launch.Type(), launch.NewSession())
	}
	if sys := launch.Context.System; sys.APIEndpoint != "http://127.0.0.1:1" || sys.APIAccessToken != "tok" ||
		sys.Device.DeviceID != s.DeviceID {
		t.Errorf("context.System: endpoint %q, token %q, device %q", sys.APIEndpoint, sys.APIAccessToken, sys.Device.DeviceID)
	}
	if got := launch.ScopeStatus(timersScope); got != alexa.ScopeGranted {
		t.Errorf("timers scope %q", got)
	}
	if ids := launch.ApplicationIDs(); len(ids) != 1 || ids[0] != alexatest.SkillID {
		t.Errorf("application IDs %v", ids)
	}
	if launch.Body.Timestamp != "2026-03-01T12:00:00Z" || launch.Body.Locale != "en-US" ||
		!strings.HasPrefix(launch.RequestID(), "amzn1.echo-api.request.") {
		t.Errorf("request: timestamp %q, locale %q, ID %q", launch.Body.Timestamp, launch.Body.Locale, launch.RequestID())
	}
	sessionID := s.SessionID()
	if launch.SessionID() != sessionID {
		t.Errorf("session ID %q, want %q", launch.SessionID(), sessionID)
	}

	// The skill keeps the session open and sends attributes back.
	receive(t, s, `{"version":"1.0","sessionAttributes":{"state":{"st":3}},"response":{"shouldEndSession":false}}`)
	next := decoded(t, s.Intent("AMAZON.NextIntent"))
	if next.NewSession() || s.SessionID() != sessionID {
		t.Errorf("second turn: new %v, session %s (was %s)", next.NewSession(), s.SessionID(), sessionID)
	}
	if got := string(next.SessionState()); got != `{"st":3}` {
		t.Errorf("attributes carried: %s", got)
	}
	if next.Body.Intent.Name != "AMAZON.NextIntent" || next.Body.Intent.ConfirmationStatus != "NONE" {
		t.Errorf("intent %+v", next.Body.Intent)
	}

	// The skill ends the session; the next words open a new one.
	receive(t, s, `{"version":"1.0","response":{"shouldEndSession":true}}`)
	if s.Open {
		t.Fatal("session still open after shouldEndSession true")
	}
	oneShot := decoded(t, s.Intent("StartBreathingIntent"))
	if !oneShot.NewSession() || s.SessionID() == sessionID || oneShot.SessionState() != nil {
		t.Errorf("one-shot after the end: new %v, session %s", oneShot.NewSession(), oneShot.SessionID())
	}

	ended := decoded(t, s.SessionEnded("USER_INITIATED"))
	if ended.Type() != alexa.RequestSessionEnded || ended.Body.Reason != "USER_INITIATED" || s.Open {
		t.Errorf("session ended: reason %q, open %v", ended.Body.Reason, s.Open)
	}
}

// TestSessionAskFor follows Alexa's voice permission request: the
// directive keeps the session open, and the answer is a
// Connections.Response carrying the token and the status.
func TestSessionAskFor(t *testing.T) {
	s := testSession()
	s.Scopes[timersScope] = "DENIED"
	s.FollowGrants = true
	s.Launch()
	receive(t, s, `{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor",
		"payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"`+timersScope+`","consentLevel":"ACCOUNT"}]},
		"token":"tok-1"}]}}`)
	if scope, asking := s.Asking(); !s.Open || !asking || scope != timersScope {
		t.Fatalf("after AskFor: open %v, asking %v, scope %q", s.Open, asking, scope)
	}
	req := decoded(t, s.AnswerAskFor(alexa.AskForAccepted))
	body := req.Body
	if req.Type() != alexa.RequestConnectionsResponse || body.Name != "AskFor" || body.Token != "tok-1" ||
		body.Status == nil || body.Status.Code != "200" || body.PayloadStatus() != "ACCEPTED" {
		t.Errorf("answer %+v", body)
	}
	if _, asking := s.Asking(); req.ScopeStatus(timersScope) != alexa.ScopeGranted || asking || req.NewSession() {
		t.Errorf("scope %q, asking %v, new session %v", req.ScopeStatus(timersScope), asking, req.NewSession())
	}
}

// TestSessionEvents checks that skill events come outside any session and
// close the one that was open.
func TestSessionEvents(t *testing.T) {
	s := testSession()
	s.Launch()
	r := decoded(t, s.Event(alexa.RequestSkillDisabled, nil))
	if r.InSession() || r.Type() != alexa.RequestSkillDisabled || r.Body.EventCreationTime != "2026-03-01T12:00:00Z" ||
		r.UserID() != s.UserID || s.Open {
		t.Errorf("event: in session %v, type %s, created %q, user %q, open %v",
			r.InSession(), r.Type(), r.Body.EventCreationTime, r.UserID(), s.Open)
	}
}

// TestSlots checks the slot builders: a value as said, a matched and an
// unmatched entity resolution.
func TestSlots(t *testing.T) {
	in := alexatest.Intent("SetPackTimerIntent",
		alexatest.Slot("minutes", "15"),
		alexatest.Resolved("pack", "ice pack", "cold", "COLD"),
		alexatest.Resolved("exercise", "juggling", "", ""))
	if in.Name != "SetPackTimerIntent" || len(in.Slots) != 3 {
		t.Fatalf("intent %+v", in)
	}
	if m := in.Slots["minutes"]; m.Value != "15" || m.Resolutions != nil {
		t.Errorf("minutes %+v", m)
	}
	p := in.Slots["pack"].Resolutions.PerAuthority[0]
	if p.Status.Code != alexa.ResolutionMatch || p.Values[0].Value.ID != "COLD" || !strings.HasPrefix(p.Authority, "amzn1.er-authority.echo-sdk.") {
		t.Errorf("pack %+v", p)
	}
	if e := in.Slots["exercise"].Resolutions.PerAuthority[0]; e.Status.Code != "ER_SUCCESS_NO_MATCH" || e.Values != nil {
		t.Errorf("exercise %+v", e)
	}
}
