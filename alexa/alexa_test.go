package alexa_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"spasmcoach/alexa"
)

const timersScope = "alexa::alerts:timers:skill:readwrite"

// decode reads testdata/name into a Request with one json.Unmarshal.
func decode(tb testing.TB, name string) (*alexa.Request, []byte) {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	var r alexa.Request
	if err := json.Unmarshal(raw, &r); err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	return &r, raw
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestDecode checks that one Unmarshal fills both the fields alexa-go's
// embedded types hold and the ones this package adds.
func TestDecode(t *testing.T) {
	tests := map[string]func(t *testing.T, r *alexa.Request){
		"launch_request.json": func(t *testing.T, r *alexa.Request) {
			eq(t, "type (alexa-go)", r.Type(), alexa.RequestLaunch)
			eq(t, "locale (alexa-go)", r.Body.Locale, "en-GB")
			eq(t, "new (alexa-go)", r.NewSession(), true)
			eq(t, "apiEndpoint", r.Context.System.APIEndpoint, "https://api.eu.amazonalexa.com")
			eq(t, "apiAccessToken", r.Context.System.APIAccessToken, "AxThk...")
			eq(t, "device", r.Context.System.Device.DeviceID, "amzn1.ask.device.[unique-value-here]")
			eq(t, "no state", r.SessionState() == nil, true)
			_, ok := r.SessionZone()
			eq(t, "no zone in a new session", ok, false)
		},
		"intent_request.json": func(t *testing.T, r *alexa.Request) {
			eq(t, "session id (alexa-go)", r.SessionID(), "amzn1.echo-api.session.[unique-value-here]")
			eq(t, "dialogState (alexa-go)", r.Body.DialogState, "COMPLETED")
			eq(t, "intent name (alexa-go)", r.Body.Intent.Name, "SetPackTimerIntent")
			eq(t, "intent confirmation", r.Body.Intent.ConfirmationStatus, "NONE")
			pack := r.Body.Intent.Slots["pack"]
			eq(t, "slot value (alexa-go)", pack.Value, "ice pack")
			eq(t, "resolution status", pack.Resolutions.PerAuthority[0].Status.Code, alexa.ResolutionMatch)
			eq(t, "resolved id", pack.Resolutions.PerAuthority[0].Values[0].Value.ID, "COLD")
			eq(t, "unfilled slot", r.Body.Intent.Slots["minutes"].Value, "")
			eq(t, "timers scope", r.ScopeStatus(timersScope), alexa.ScopeGranted)
			eq(t, "other scope", r.ScopeStatus("alexa::alerts:reminders:skill:readwrite"), "")
			eq(t, "person first", r.UserID(), "amzn1.ask.person.[unique-value-here]")
			eq(t, "supported interfaces", len(r.Context.System.Device.SupportedInterfaces), 1)
			zone, ok := r.SessionZone()
			eq(t, "zone", zone+fmt.Sprint(ok), "Europe/Londontrue")
		},
		"connections_response.json": func(t *testing.T, r *alexa.Request) {
			eq(t, "name", r.Body.Name, alexa.ConnectionAskFor)
			eq(t, "status code", r.Body.Status.Code, "200")
			eq(t, "payload status", r.Body.PayloadStatus(), alexa.AskForAccepted)
			eq(t, "payload scope", r.Body.Payload.PermissionScope, timersScope)
			eq(t, "token", r.Body.Token, "token-sent-with-the-request")
		},
		"session_ended_request.json": func(t *testing.T, r *alexa.Request) {
			eq(t, "reason (alexa-go)", r.Body.Reason, "ERROR")
			eq(t, "error type", r.Body.Error.Type, "INVALID_RESPONSE")
			eq(t, "no payload", r.Body.PayloadStatus(), "")
		},
		"skill_permission_accepted.json": func(t *testing.T, r *alexa.Request) {
			eq(t, "in session", r.InSession(), false)
			eq(t, "session id", r.SessionID(), "")
			eq(t, "user from the context", r.UserID(), "amzn1.ask.account.[unique-value-here]")
			eq(t, "created", r.Body.EventCreationTime, "2026-03-10T14:03:59Z")
			eq(t, "accepted", r.Body.EventBody.AcceptedPermissions[0].Scope, timersScope)
			eq(t, "skill ids", fmt.Sprint(r.ApplicationIDs()), "[amzn1.ask.skill.[unique-value-here]]")
		},
		"skill_disabled.json": func(t *testing.T, r *alexa.Request) {
			eq(t, "type", r.Type(), alexa.RequestSkillDisabled)
			eq(t, "new session", r.NewSession(), false)
		},
	}
	for name, check := range tests {
		t.Run(name, func(t *testing.T) {
			r, _ := decode(t, name)
			check(t, r)
		})
	}
}

// notModelled are documented request fields the skill does not read.
var notModelled = []string{
	"context.AudioPlayer",
	"context.System.device.persistentEndpointId",
	"context.System.user.permissions.consentToken",
	"session.user.permissions.consentToken",
	"request.shouldLinkResultBeReturned",
	"request.body.userInformationPersistenceStatus",
}

// TestDecodeLossless checks that every field of every request file is
// decoded with its value, apart from notModelled: encoding the Request
// gives each of them back.
func TestDecodeLossless(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, file := range files {
		name := filepath.Base(file)
		if strings.HasPrefix(name, "response_") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			r, raw := decode(t, name)
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			got, in := leaves(t, b), leaves(t, raw)
			for path, v := range in {
				if modelled(path) && !reflect.DeepEqual(got[path], v) {
					t.Errorf("%s = %v, want %v", path, got[path], v)
				}
			}
		})
	}
}

func modelled(path string) bool {
	for _, p := range notModelled {
		if path == p || strings.HasPrefix(path, p+".") {
			return false
		}
	}
	return true
}

// leaves maps the dotted path of every leaf of a JSON document (empty
// objects and arrays count as leaves) to its value.
func leaves(tb testing.TB, b []byte) map[string]any {
	tb.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	out := map[string]any{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 0 {
				out[prefix] = x
			}
			for k, e := range x {
				walk(strings.TrimPrefix(prefix+"."+k, "."), e)
			}
		case []any:
			if len(x) == 0 {
				out[prefix] = x
			}
			for i, e := range x {
				walk(fmt.Sprintf("%s.%d", prefix, i), e)
			}
		default:
			out[prefix] = v
		}
	}
	walk("", v)
	return out
}

// TestResponses decodes each documented response strictly (no field the
// types lack) and encodes it again unchanged.
func TestResponses(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "response_*.json"))
	if len(files) == 0 {
		t.Fatal("no response files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var env alexa.Envelope
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&env); err != nil {
				t.Fatal(err)
			}
			out, err := env.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := leaves(t, out), leaves(t, raw); !reflect.DeepEqual(got, want) {
				t.Errorf("encoded %s\nwant %s", out, raw)
			}
		})
	}
}

// TestEncodeNoHTMLEscape checks that SSML is sent as written, and that the
// constructors set exactly the fields of their type.
func TestEncodeNoHTMLEscape(t *testing.T) {
	env := alexa.EmptyEnvelope()
	env.Response.OutputSpeech = alexa.SSMLSpeech("<speak>Ice & heat</speak>")
	env.Response.Card = alexa.ConsentCard(timersScope)
	env.Response.ShouldEndSession = alexa.Bool(true)
	out, err := env.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Ice & heat</speak>"},` +
		`"card":{"type":"AskForPermissionsConsent","permissions":["` + timersScope + `"]},"shouldEndSession":true}}`
	if string(out) != want {
		t.Errorf("Encode() =\n%s\nwant\n%s", out, want)
	}
}

// TestRequestEncode checks that a request is sent as written: "&" and "<"
// in a slot value unescaped, and no trailing newline.
func TestRequestEncode(t *testing.T) {
	r, _ := decode(t, "intent_request.json")
	var slot alexa.Slot
	slot.Name, slot.Value = "note", "ice & <heat>"
	r.Body.Intent.Slots = map[string]alexa.Slot{"note": slot}
	out, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"value":"ice & <heat>"`)) || bytes.HasSuffix(out, []byte("\n")) {
		t.Errorf("Encode() = %s", out)
	}
}
