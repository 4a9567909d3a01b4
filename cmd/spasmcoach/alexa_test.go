package main

import (
	"context"
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

// decoded decodes a request the way the handler reads it.
func decoded(tb testing.TB, b []byte) *alexa.Request {
	tb.Helper()
	r, err := intents.DecodeRequest(b)
	if err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
	return r
}

// TestChatSlots checks the slots of the IntentRequest chat sends for what
// was typed, with entity resolution for custom types.
func TestChatSlots(t *testing.T) {
	api := newAlexaAPI("tok", "UTC", false)
	defer api.Close()
	sim := newAlexaSession(localSkillID, localUserID, "en-US", api, false)
	intent := func(text string) *alexa.Request {
		m := mustResolver(t).Resolve(text)
		return decoded(t, sim.Intent(m.Intent, intentSlots(m)...))
	}
	req := intent("set an ice pack timer for fifteen minutes")
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
	for name, s := range intent("start breathing").Body.Intent.Slots {
		if s.Name != name || s.Value != "" || s.ConfirmationStatus != "NONE" {
			t.Errorf("unfilled slot %s: %+v", name, s)
		}
	}

	// A value the type does not list: ER_SUCCESS_NO_MATCH.
	s := intentSlots(utterance.Match{Slots: map[string]utterance.SlotValue{"pack": {Type: "PACK", Value: "bag of sand"}}})[0]
	if s.Resolutions == nil || s.Resolutions.PerAuthority[0].Status.Code != "ER_SUCCESS_NO_MATCH" || s.Resolutions.PerAuthority[0].Values != nil {
		t.Errorf("unlisted value: %+v", s)
	}

	// Nothing matched: the fallback intent.
	if req := intent("what's the weather like"); req.Body.Intent.Name != intents.IntentFallback {
		t.Errorf("fallback: %s", req.Body.Intent.Name)
	}
}

// TestChatAlexa checks chat's stand-in Alexa: the requests name the
// stand-in APIs and show the timers scope as the API grants it, and an
// answer by voice changes both.
func TestChatAlexa(t *testing.T) {
	for _, noTimers := range []bool{false, true} {
		api := newAlexaAPI(localAPIToken, "Europe/Berlin", noTimers)
		defer api.Close()
		sim := newAlexaSession(localSkillID, localUserID, "en-GB", api, noTimers)
		launch := decoded(t, sim.Launch())
		want := alexa.ScopeGranted
		if noTimers {
			want = "DENIED"
		}
		if sys := launch.Context.System; sys.APIEndpoint != api.URL || sys.APIAccessToken != localAPIToken ||
			sys.Device.DeviceID != localDeviceID || launch.Body.Locale != "en-GB" ||
			launch.ScopeStatus(alexaapi.ScopeTimers) != want || launch.ScopeStatus(alexaapi.ScopeReminders) != alexa.ScopeGranted {
			t.Errorf("no timers %v: launch %+v", noTimers, launch)
		}
		client := alexaapi.New(&http.Client{Timeout: 5 * time.Second})
		ep := alexaapi.Endpoint{BaseURL: api.URL, Token: localAPIToken}
		_, err := client.CreateTimer(context.Background(), ep, alexaapi.TimerRequest{Duration: time.Minute, Locale: "en-US", Announce: "x"})
		if got := alexaapi.Classify(err) == alexaapi.NeedPermission; got != noTimers {
			t.Errorf("no timers %v: create timer: %v", noTimers, err)
		}
		if loc, err := client.TimeZone(context.Background(), ep, localDeviceID); err != nil || loc.String() != "Europe/Berlin" {
			t.Errorf("time zone: %v, %v", loc, err)
		}
	}
}
