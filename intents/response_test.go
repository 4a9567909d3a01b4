package intents_test

import (
	"encoding/json"
	"strings"
	"testing"

	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/golden"
)

// TestResponseGolden pins the exact JSON of each kind of response.
func TestResponseGolden(t *testing.T) {
	zone := "Europe/London"
	tests := []struct {
		name string
		env  *intents.Envelope
	}{
		{"ssml_listen", &intents.Envelope{
			Version:           intents.ResponseVersion,
			SessionAttributes: &intents.Attributes{State: json.RawMessage(`{"sv":1,"v":2,"st":3,"ep":1773151200}`), Zone: &zone},
			Response: intents.Response{
				OutputSpeech:     intents.SSMLSpeech(`<speak>Step 3. Breathe in &amp; out.<break time="1s"/></speak>`),
				Card:             intents.SimpleCard("Step 3: Slow breathing", "Breathe in for 5 & out for 3.5 <slowly>."),
				Reprompt:         &intents.Reprompt{OutputSpeech: intents.SSMLSpeech("<speak>Say next step, or repeat.</speak>")},
				ShouldEndSession: intents.Bool(false),
			},
		}},
		{"plain_end", &intents.Envelope{
			Version: intents.ResponseVersion,
			Response: intents.Response{
				OutputSpeech:     intents.PlainSpeech("Okay. Rest, and go gently."),
				ShouldEndSession: intents.Bool(true),
			},
		}},
		{"standard_card", &intents.Envelope{
			Version: intents.ResponseVersion,
			Response: intents.Response{
				OutputSpeech: &intents.OutputSpeech{Type: intents.SpeechSSML, SSML: "<speak>Here is the stretch.</speak>",
					PlayBehavior: intents.PlayBehaviorReplaceAll},
				Card: intents.StandardCard("The stretch", "Knees to chest, gently.", &intents.Image{
					SmallImageURL: "https://example.com/s.png", LargeImageURL: "https://example.com/l.png"}),
				ShouldEndSession: intents.Bool(true),
			},
		}},
		{"consent_card", &intents.Envelope{
			Version: intents.ResponseVersion,
			Response: intents.Response{
				OutputSpeech:     intents.PlainSpeech("I've put a card in your Alexa app."),
				Card:             intents.ConsentCard(alexaapi.ScopeTimers),
				ShouldEndSession: intents.Bool(true),
			},
		}},
		{"askfor", &intents.Envelope{
			Version:           intents.ResponseVersion,
			SessionAttributes: &intents.Attributes{State: json.RawMessage(`{"sv":1,"v":4,"st":5,"ep":1773151200,"q":9}`)},
			Response: intents.Response{
				OutputSpeech: intents.SSMLSpeech("<speak>To ring on your Echo, I need your permission to set timers.</speak>"),
				Directives:   []intents.Directive{intents.AskForDirective(alexaapi.ScopeTimers, "min=20&pack=cold&perm=timers")},
			},
		}},
		{"canfulfill", &intents.Envelope{
			Version: intents.ResponseVersion,
			Response: intents.Response{CanFulfillIntent: &intents.CanFulfillIntent{
				CanFulfill: intents.CanFulfillYes,
				Slots: map[string]intents.CanFulfillSlot{
					"pack":    {CanUnderstand: intents.CanFulfillYes, CanFulfill: intents.CanFulfillYes},
					"minutes": {CanUnderstand: intents.CanFulfillYes, CanFulfill: intents.CanFulfillYes},
				},
			}},
		}},
		{"empty", intents.EmptyEnvelope()},
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
	b, err := intents.EmptyEnvelope().Encode()
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
	env := &intents.Envelope{Version: "1.0", Response: intents.Response{
		OutputSpeech: intents.SSMLSpeech("<speak>a &amp; b</speak>"),
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

// TestAskForDirectiveShape pins the directive against alexa.md §4.2.
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
