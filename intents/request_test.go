package intents_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/intents"
)

// readFixture returns a request fixture from testdata/requests.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "requests", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func decodeFixture(tb testing.TB, name string) *alexa.Request {
	tb.Helper()
	r, err := intents.DecodeRequest(readFixture(tb, name))
	if err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	return r
}

func TestDecodeFixtures(t *testing.T) {
	tests := []struct {
		file  string
		check func(t *testing.T, r *alexa.Request)
	}{
		{"launch.json", func(t *testing.T, r *alexa.Request) {
			want(t, "type", r.Type(), alexa.RequestLaunch)
			want(t, "alexa-go type", r.Body.ReqBody.Type, alexa.RequestLaunch) //nolint:staticcheck // alexa-go's own embedded field is what is checked
			want(t, "new", r.NewSession(), true)
			want(t, "session id", r.SessionID(), "amzn1.echo-api.session.0000-launch")
			want(t, "request id", r.RequestID() != "", true)
			want(t, "timestamp", r.Body.Timestamp != "", true)
			want(t, "apiEndpoint", r.Context.System.APIEndpoint, "https://api.amazonalexa.com")
			want(t, "apiAccessToken", r.Context.System.APIAccessToken, "secret-api-token")
			want(t, "deviceId", r.Context.System.Device.DeviceID, "amzn1.ask.device.TESTDEVICE1")
			want(t, "APL supported", r.Context.System.Device.SupportedInterfaces["Alexa.Presentation.APL"] != nil, true)
			want(t, "timers scope", r.ScopeStatus(alexaapi.ScopeTimers), alexa.ScopeGranted)
			want(t, "reminders scope", r.ScopeStatus(alexaapi.ScopeReminders), "")
			want(t, "skill ids", fmt.Sprint(r.ApplicationIDs()), "[amzn1.ask.skill.test-skill]")
			want(t, "session state of a new session", r.SessionState() == nil, true)
			want(t, "user key", intents.UserKey(r), sha("amzn1.ask.account.TESTUSER1"))
		}},
		{"intent_slots.json", func(t *testing.T, r *alexa.Request) {
			want(t, "intent", r.Body.Intent.Name, intents.IntentSetPackTimer)
			want(t, "alexa-go intent", r.Body.Intent.Intent.Name, intents.IntentSetPackTimer) //nolint:staticcheck // alexa-go's own embedded field is what is checked
			want(t, "locale", r.Body.Locale, "en-GB")
			want(t, "dialogState", r.Body.DialogState, "COMPLETED")
			pack := r.Body.Intent.Slots[intents.SlotPack]
			want(t, "pack value", pack.Value, "ice pack")
			want(t, "pack resolution code", pack.Resolutions.PerAuthority[0].Status.Code, alexa.ResolutionMatch)
			want(t, "pack resolution id", pack.Resolutions.PerAuthority[0].Values[0].Value.ID, "COLD")
			want(t, "minutes", r.Body.Intent.Slots[intents.SlotMinutes].Value, "15")
			want(t, "person", r.Context.System.Person.PersonID, "amzn1.ask.person.TESTPERSON1")
			// The recognised person has their own place in the routine.
			want(t, "user key", intents.UserKey(r), sha("amzn1.ask.person.TESTPERSON1"))
			want(t, "session state", string(r.SessionState()), `{
        "sv": 1,
        "v": 3,
        "u": 1773151200,
        "st": 5,
        "ep": 1773151200,
        "br": 1773151200,
        "h": 31
      }`)
			zone, ok := r.SessionZone()
			want(t, "zone", zone+fmt.Sprint(ok), "America/New_Yorktrue")
		}},
		{"session_ended_error.json", func(t *testing.T, r *alexa.Request) {
			want(t, "reason", r.Body.Reason, "ERROR")
			want(t, "error type", r.Body.Error.Type, "INVALID_RESPONSE")
			want(t, "error message", strings.HasPrefix(r.Body.Error.Message, "An exception"), true)
			want(t, "no state in empty attributes", r.SessionState() == nil, true)
		}},
		{"skill_permission_accepted.json", func(t *testing.T, r *alexa.Request) {
			want(t, "in session", r.InSession(), false)
			want(t, "no session id", r.SessionID(), "")
			want(t, "not a new session", r.NewSession(), false)
			// Without a session, the user comes from context.System.
			want(t, "user key", intents.UserKey(r), sha("amzn1.ask.account.TESTUSER1"))
			want(t, "created", r.Body.EventCreationTime, "2026-03-10T14:02:59Z")
			want(t, "published", r.Body.EventPublishingTime, "2026-03-10T14:03:00Z")
			want(t, "accepted", r.Body.EventBody.AcceptedPermissions[0].Scope, alexaapi.ScopeTimers)
			_, ok := r.SessionZone()
			want(t, "zone carried", ok, false)
		}},
		{"skill_disabled.json", func(t *testing.T, r *alexa.Request) {
			want(t, "type", r.Type(), alexa.RequestSkillDisabled)
			want(t, "in session", r.InSession(), false)
			want(t, "user key", intents.UserKey(r), sha("amzn1.ask.account.TESTUSER1"))
		}},
		{"connections_response.json", func(t *testing.T, r *alexa.Request) {
			b := r.Body
			want(t, "name", b.Name, alexa.ConnectionAskFor)
			want(t, "status code", b.Status.Code, "200")
			want(t, "status message", b.Status.Message, "OK")
			want(t, "payload status", b.PayloadStatus(), alexa.AskForAccepted)
			want(t, "token", b.Token, "min=20&pack=cold&perm=timers")
			zone, ok := r.SessionZone()
			want(t, "zone asked, unknown", zone+fmt.Sprint(ok), "true")
		}},
		{"can_fulfill.json", func(t *testing.T, r *alexa.Request) {
			want(t, "type", r.Type(), alexa.RequestCanFulfillIntent)
			want(t, "intent", r.Body.Intent.Name, intents.IntentSetPackTimer)
			want(t, "minutes", r.Body.Intent.Slots[intents.SlotMinutes].Value, "twenty")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) { tc.check(t, decodeFixture(t, tc.file)) })
	}
}

func want[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// ignoredFields are the request fields that neither alexa-go nor our types
// decode, on purpose: nothing in the skill uses them.
var ignoredFields = []string{
	"context.Viewport",
	"context.System.user.permissions.consentToken",
	"session.user.permissions.consentToken",
	"request.shouldLinkResultBeReturned",
	"request.body.userInformationPersistenceStatus",
}

// TestDecodeLossless checks that every field of every fixture is decoded, by
// alexa-go's embedded types or by ours, with its value, apart from ignoredFields.
func TestDecodeLossless(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw := readFixture(t, filepath.Base(file))
			r, err := intents.DecodeRequest(raw)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]any{}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			flatten(t, "", b, got)
			in := map[string]any{}
			flatten(t, "", raw, in)
			for path, v := range in {
				if ignored(path) {
					continue
				}
				g, ok := got[path]
				if !ok {
					t.Errorf("%s not decoded", path)
				} else if !reflect.DeepEqual(g, v) {
					t.Errorf("%s = %v, want %v", path, g, v)
				}
			}
		})
	}
}

func ignored(path string) bool {
	for _, p := range ignoredFields {
		if path == p || strings.HasPrefix(path, p+".") {
			return true
		}
	}
	return false
}

// flatten adds every leaf of the JSON document b to out, keyed by its dotted
// path; empty objects and arrays count as leaves.
func flatten(tb testing.TB, prefix string, b []byte, out map[string]any) {
	tb.Helper()
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	walk(prefix, v, out)
}

func walk(prefix string, v any, out map[string]any) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out[prefix] = x
		}
		for k, e := range x {
			walk(join(k), e, out)
		}
	case []any:
		if len(x) == 0 {
			out[prefix] = x
		}
		for i, e := range x {
			walk(join(fmt.Sprint(i)), e, out)
		}
	default:
		out[prefix] = v
	}
}

// TestRoundTrip encodes what was decoded and decodes it again: the types
// keep everything they read.
func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			r := decodeFixture(t, filepath.Base(file))
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var again alexa.Request
			if err := json.Unmarshal(b, &again); err != nil {
				t.Fatal(err)
			}
			b2, _ := json.Marshal(again)
			if !bytes.Equal(b, b2) {
				t.Errorf("round trip changed the request:\n%s\n%s", b, b2)
			}
		})
	}
}

func TestDecodeMalformed(t *testing.T) {
	for _, in := range []string{
		``, `{`, `null x`, `[]`, `"launch"`, `{"request":{"type":5}}`,
		`{"session":{"new":"yes"}}`, `{"request":{"intent":{"slots":[]}}}`,
	} {
		if _, err := intents.DecodeRequest([]byte(in)); !errors.Is(err, intents.ErrMalformed) {
			t.Errorf("DecodeRequest(%q) = %v, want ErrMalformed", in, err)
		}
	}
	// An empty object decodes: it is then a request of no known type.
	if r, err := intents.DecodeRequest([]byte(`{}`)); err != nil || r.Type() != "" || intents.UserKey(r) != "" {
		t.Errorf("DecodeRequest({}) = %+v, %v", r, err)
	}
}

func TestUserKeySources(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"person first", `{"session":{"user":{"userId":"u1"}},"context":{"System":{"person":{"personId":"p1"},"user":{"userId":"u1"}}}}`, sha("p1")},
		{"session user", `{"session":{"user":{"userId":"u1"}},"context":{"System":{"user":{"userId":"u2"}}}}`, sha("u1")},
		{"context user", `{"context":{"System":{"user":{"userId":"u2"}}}}`, sha("u2")},
		{"empty person", `{"context":{"System":{"person":{"personId":""},"user":{"userId":"u2"}}}}`, sha("u2")},
		{"nobody", `{"request":{"type":"LaunchRequest"}}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := intents.DecodeRequest([]byte(tc.json))
			if err != nil {
				t.Fatal(err)
			}
			if got := intents.UserKey(r); got != tc.want {
				t.Errorf("UserKey() = %q, want %q", got, tc.want)
			}
			if got := intents.UserKey(r); got != "" && (len(got) != 64 || strings.Contains(got, "u1") || strings.Contains(got, "u2")) {
				t.Errorf("UserKey() = %q is not a hex SHA-256", got)
			}
		})
	}
}

func TestApplicationIDs(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{}`, "[]"},
		{`{"context":{"System":{"application":{"applicationId":"a"}}}}`, "[a]"},
		{`{"session":{"application":{"applicationId":"a"}},"context":{"System":{"application":{"applicationId":"a"}}}}`, "[a]"},
		{`{"session":{"application":{"applicationId":"b"}},"context":{"System":{"application":{"applicationId":"a"}}}}`, "[a b]"},
		{`{"session":{"application":{"applicationId":"b"}}}`, "[b]"},
	}
	for _, tc := range tests {
		r, err := intents.DecodeRequest([]byte(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(r.ApplicationIDs()); got != tc.want {
			t.Errorf("ApplicationIDs(%s) = %s, want %s", tc.json, got, tc.want)
		}
	}
}
