package intents_test

import (
	"encoding/json"
	"strings"
	"testing"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/golden"
)

// TestResponseGolden pins the exact JSON of each kind of response.
func TestResponseGolden(t *testing.T) {
	zone := "Europe/London"
	tests := []struct {
		name string
		env  *alexa.Envelope
	}{
		{"ssml_listen", &alexa.Envelope{
			Version:           alexa.ResponseVersion,
			SessionAttributes: &alexa.Attributes{State: json.RawMessage(`{"sv":1,"v":2,"st":3,"ep":1773151200}`), Zone: &zone},
			Response: alexa.Response{
				OutputSpeech:     alexa.SSMLSpeech(`<speak>Step 3. Breathe in &amp; out.<break time="1s"/></speak>`),
				Card:             alexa.SimpleCard("Step 3: Slow breathing", "Breathe in for 5 & out for 3.5 <slowly>."),
				Reprompt:         &alexa.Reprompt{OutputSpeech: alexa.SSMLSpeech("<speak>Say next step, or repeat.</speak>")},
				ShouldEndSession: alexa.Bool(false),
			},
		}},
		{"plain_end", &alexa.Envelope{
			Version: alexa.ResponseVersion,
			Response: alexa.Response{
				OutputSpeech:     alexa.PlainSpeech("Okay. Rest, and go gently."),
				ShouldEndSession: alexa.Bool(true),
			},
		}},
		{"standard_card", &alexa.Envelope{
			Version: alexa.ResponseVersion,
			Response: alexa.Response{
				OutputSpeech: &alexa.OutputSpeech{Type: alexa.SpeechSSML, SSML: "<speak>Here is the stretch.</speak>",
					PlayBehavior: alexa.PlayBehaviorReplaceAll},
				Card: alexa.StandardCard("The stretch", "Knees to chest, gently.", &alexa.Image{
					SmallImageURL: "https://example.com/s.png", LargeImageURL: "https://example.com/l.png"}),
				ShouldEndSession: alexa.Bool(true),
			},
		}},
		{"consent_card", &alexa.Envelope{
			Version: alexa.ResponseVersion,
			Response: alexa.Response{
				OutputSpeech:     alexa.PlainSpeech("I've put a card in your Alexa app."),
				Card:             alexa.ConsentCard(alexaapi.ScopeTimers),
				ShouldEndSession: alexa.Bool(true),
			},
		}},
		{"askfor", &alexa.Envelope{
			Version:           alexa.ResponseVersion,
			SessionAttributes: &alexa.Attributes{State: json.RawMessage(`{"sv":1,"v":4,"st":5,"ep":1773151200,"q":9}`)},
			Response: alexa.Response{
				OutputSpeech: alexa.SSMLSpeech("<speak>To ring on your Echo, I need your permission to set timers.</speak>"),
				Directives:   []alexa.Directive{intents.AskForDirective(alexaapi.ScopeTimers, "min=20&pack=cold&perm=timers")},
			},
		}},
		{"canfulfill", &alexa.Envelope{
			Version: alexa.ResponseVersion,
			Response: alexa.Response{CanFulfillIntent: &alexa.CanFulfillIntent{
				CanFulfill: alexa.CanFulfillYes,
				Slots: map[string]alexa.CanFulfillSlot{
					"pack":    {CanUnderstand: alexa.CanFulfillYes, CanFulfill: alexa.CanFulfillYes},
					"minutes": {CanUnderstand: alexa.CanFulfillYes, CanFulfill: alexa.CanFulfillYes},
				},
			}},
		}},
		{"empty", alexa.EmptyEnvelope()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.env.Encode()
			if err != nil {
				t.Fatal(err)
			}
			checkResponse(t, b)
			golden.Check(t, "testdata/responses/"+tc.name+".json", indent(t, b))
		})
	}
}

func TestEmptyEnvelopeExact(t *testing.T) {
	b, err := alexa.EmptyEnvelope().Encode()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"version":"1.0","response":{}}` {
		t.Errorf("empty response = %s", got)
	}
}

// TestEncodeKeepsMarkup: the encoding is the Lambda runtime's (no HTML
// escaping), with no trailing newline.
func TestEncodeKeepsMarkup(t *testing.T) {
	env := &alexa.Envelope{Version: "1.0", Response: alexa.Response{
		OutputSpeech: alexa.SSMLSpeech("<speak>a &amp; b</speak>"),
	}}
	b, err := env.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>a &amp; b</speak>"}}}`
	if string(b) != want {
		t.Errorf("Encode() = %s\nwant %s", b, want)
	}
	if strings.HasSuffix(string(b), "\n") {
		t.Error("trailing newline")
	}
}

// TestAskForDirectiveShape pins the directive to the documented v2 AskFor
// shape: Connections.SendRequest named AskFor, an
// AskForPermissionsConsentRequest payload of @version "2" with
// permissionScopes of consentLevel ACCOUNT, and a token
// (https://developer.amazon.com/en-US/docs/alexa/smapi/voice-permissions-for-timers.html).
func TestAskForDirectiveShape(t *testing.T) {
	b, err := json.Marshal(intents.AskForDirective(alexaapi.ScopeReminders, "perm=reminders"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::alerts:reminders:skill:readwrite","consentLevel":"ACCOUNT"}]},"token":"perm=reminders"}`
	if string(b) != want {
		t.Errorf("directive = %s\nwant %s", b, want)
	}
}
