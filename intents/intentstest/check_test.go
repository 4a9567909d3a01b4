package intentstest_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"spasmcoach/intents/intentstest"
	"spasmcoach/speech"
)

// recorder is a testing.TB that records what a check reports instead of
// failing the test; Fatalf ends the goroutine, as it ends a test.
type recorder struct {
	testing.TB
	errs  []string
	fatal bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	runtime.Goexit()
}

// check runs CheckResponse on raw with a recorder.
func check(t *testing.T, raw string) *recorder {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		intentstest.CheckResponse(rec, []byte(raw))
	}()
	<-done
	return rec
}

const (
	ssmlSpeech = `"outputSpeech":{"type":"SSML","ssml":"<speak>Step 3.</speak>"}`
	reprompt   = `"reprompt":{"outputSpeech":{"type":"SSML","ssml":"<speak>Say next.</speak>"}}`
	askFor     = `"directives":[{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"2",` +
		`"permissionScopes":[{"permissionScope":"alexa::alerts:timers:skill:readwrite","consentLevel":"ACCOUNT"}]},"token":"t"}]`
)

// TestCheckResponseAccepts: responses of every shape the skill sends pass
// without a report, and come back decoded.
func TestCheckResponseAccepts(t *testing.T) {
	tests := map[string]string{
		"empty":           `{"version":"1.0","response":{}}`,
		"listening":       `{"version":"1.0","sessionAttributes":{"state":{"sv":1,"v":2,"st":3,"ep":1773151200},"tz":"Europe/London"},"response":{` + ssmlSpeech + `,` + reprompt + `,"shouldEndSession":false}}`,
		"plain, ends":     `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Bye."},"shouldEndSession":true}}`,
		"askfor":          `{"version":"1.0","response":{` + ssmlSpeech + `,` + askFor + `}}`,
		"simple card":     `{"version":"1.0","response":{` + ssmlSpeech + `,"card":{"type":"Simple","title":"T","content":"C & <c>"},"shouldEndSession":true}}`,
		"standard card":   `{"version":"1.0","response":{` + ssmlSpeech + `,"card":{"type":"Standard","title":"T","text":"x","image":{"smallImageUrl":"https://a.test/s.png"}}}}`,
		"consent card":    `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"See the app."},"card":{"type":"AskForPermissionsConsent","permissions":["alexa::alerts:timers:skill:readwrite"]},"shouldEndSession":true}}`,
		"canfulfill":      `{"version":"1.0","response":{"canFulfillIntent":{"canFulfill":"MAYBE","slots":{"pack":{"canUnderstand":"YES","canFulfill":"NO"}}}}}`,
		"play behaviour":  `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>Hi.</speak>","playBehavior":"REPLACE_ALL"}}}`,
		"indented output": "{\n  \"version\": \"1.0\",\n  \"response\": {}\n}\n",
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			rec := check(t, raw)
			if len(rec.errs) > 0 {
				t.Errorf("reported:\n%s", strings.Join(rec.errs, "\n"))
			}
		})
	}
	env := intentstest.CheckResponse(t, []byte(`{"version":"1.0","response":{`+ssmlSpeech+`,`+reprompt+`,"shouldEndSession":false}}`))
	if env.Response.OutputSpeech.SSML != "<speak>Step 3.</speak>" || *env.Response.ShouldEndSession {
		t.Errorf("decoded %+v", env.Response)
	}
}

// aplaDirective is an APLA directive with the document Renderer.APLA
// writes and the given parts.
func aplaDirective(parts string) string {
	return `{"type":"Alexa.Presentation.APLA.RenderDocument","token":"paced","document":` + string(speech.APLADocument()) +
		`,"datasources":{"audio":{"parts":[` + parts + `]}}}`
}

// TestCheckResponseReports: each broken response gets a report that says
// what is wrong; a body that is no envelope stops the test.
func TestCheckResponseReports(t *testing.T) {
	tests := []struct {
		name, raw, want string
		fatal           bool
	}{
		{"not JSON", `{"version":`, "not our envelope", true},
		{"unknown field", `{"version":"1.0","response":{},"extra":1}`, "not our envelope", true},
		{"two values", `{"version":"1.0","response":{}} {}`, "data after the response", true},
		{"HTML escaping", `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"\u003cspeak>Hi.\u003c/speak>"}}}`, `HTML escaping \u003c`, false},
		{"version", `{"version":"2.0","response":{}}`, `version "2.0"`, false},
		{"stray image", `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"x","image":{}}}}`, "not our envelope", true},
		{"empty object", `{"version":"1.0","sessionAttributes":{},"response":{}}`, "empty object at sessionAttributes", false},
		{"invalid SSML", `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak>a & b</speak>"}}}`, "outputSpeech: invalid SSML", false},
		{"unsupported tag", `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak><blink>a</blink></speak>"}}}`, "outputSpeech: invalid SSML", false},
		{"break over 10 s", `{"version":"1.0","response":{"outputSpeech":{"type":"SSML","ssml":"<speak><break time=\"11s\"/></speak>"}}}`, "invalid SSML", false},
		{"SSML in a PlainText", `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","ssml":"<speak>x</speak>"}}}`, "PlainText with text", false},
		{"speech type", `{"version":"1.0","response":{"outputSpeech":{"type":"Text","text":"x"}}}`, `outputSpeech: type "Text"`, false},
		{"play behaviour", `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"x","playBehavior":"LATER"}}}`, `playBehavior "LATER"`, false},
		{"invalid reprompt", `{"version":"1.0","response":{"reprompt":{"outputSpeech":{"type":"SSML","ssml":"<speak>"}},"shouldEndSession":false}}`, "reprompt: invalid SSML", false},
		{"reprompt and end", `{"version":"1.0","response":{` + ssmlSpeech + `,` + reprompt + `,"shouldEndSession":true}}`, "reprompt without shouldEndSession false", false},
		{"reprompt, end left out", `{"version":"1.0","response":{` + ssmlSpeech + `,` + reprompt + `}}`, "reprompt without shouldEndSession false", false},
		{"open without reprompt", `{"version":"1.0","response":{` + ssmlSpeech + `,"shouldEndSession":false}}`, "session left open without a reprompt", false},
		{"askfor with end", `{"version":"1.0","response":{` + ssmlSpeech + `,` + askFor + `,"shouldEndSession":true}}`, "AskFor with a reprompt or shouldEndSession", false},
		{"askfor without token", `{"version":"1.0","response":{"directives":[{"type":"Connections.SendRequest","name":"AskFor","payload":{"@type":"AskForPermissionsConsentRequest","@version":"2","permissionScopes":[{"permissionScope":"alexa::alerts:timers:skill:readwrite","consentLevel":"ACCOUNT"}]}}]}}`, "bad AskFor directive", false},
		{"askfor unknown scope", strings.Replace(`{"version":"1.0","response":{`+askFor+`}}`, "alexa::alerts:timers:skill:readwrite", "alexa::profile:email:read", 1), "bad AskFor directive", false},
		{"two askfor", `{"version":"1.0","response":{"directives":[` + strings.TrimSuffix(strings.TrimPrefix(askFor, `"directives":[`), "]") + `,` + strings.TrimSuffix(strings.TrimPrefix(askFor, `"directives":[`), "]") + `]}}`, "2 AskFor directives", false},
		{"APLA version", `{"version":"1.0","response":{"directives":[` + strings.Replace(aplaDirective(`{"ms":1000,"t":"two"}`), `"0.91"`, `"1.0"`, 1) + `]}}`, "version 1.0, want APLA 0.91", false},
		{"APLA unknown component", `{"version":"1.0","response":{"directives":[` + strings.Replace(aplaDirective(`{"ms":1000,"t":"two"}`), `"Mixer"`, `"Blender"`, 1) + `]}}`, "not an APLA component", false},
		{"APLA slot too short", `{"version":"1.0","response":{"directives":[` + aplaDirective(`{"ms":200,"t":"Breathe in"}`) + `]}}`, `cue "Breathe in" does not fit its 200ms slot`, false},
		{"APLA bad speech", `{"version":"1.0","response":{"directives":[` + aplaDirective(`{"ms":0,"t":"a & b"}`) + `]}}`, "malformed SSML", false},
		{"APLA fractional silence", `{"version":"1.0","response":{"directives":[` + aplaDirective(`{"ms":1000.5,"t":""}`) + `]}}`, "not our envelope", true},
		{"APLA over 240 s", `{"version":"1.0","response":{"directives":[` + aplaDirective(`{"ms":241000,"t":""}`) + `]}}`, "plays 4m1s, want at most 4m0s", false},
		{"APLA without data", `{"version":"1.0","response":{"directives":[{"type":"Alexa.Presentation.APLA.RenderDocument","token":"t","document":{"type":"APLA"}}]}}`, "bad APLA directive", false},
		{"two APLA", `{"version":"1.0","response":{"directives":[` + aplaDirective(`{"ms":1000,"t":"two"}`) + `,` + aplaDirective(`{"ms":1000,"t":"two"}`) + `]}}`, "2 APLA directives", false},
		{"over 24 KB", `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"` + strings.Repeat("a", 25000) + `"}}}`, "want under 24576", false},
		{"other directive", `{"version":"1.0","response":{"directives":[{"type":"Dialog.Delegate"}]}}`, `unexpected directive "Dialog.Delegate"`, false},
		{"simple card with text", `{"version":"1.0","response":{"card":{"type":"Simple","title":"T","text":"x"}}}`, "bad Simple card", false},
		{"standard card with empty image", `{"version":"1.0","response":{"card":{"type":"Standard","title":"T","text":"x","image":{}}}}`, "empty object at response.card.image", false},
		{"consent card with a title", `{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","title":"T","permissions":["alexa::alerts:timers:skill:readwrite"]}}}`, "bad AskForPermissionsConsent card", false},
		{"consent card unknown scope", `{"version":"1.0","response":{"card":{"type":"AskForPermissionsConsent","permissions":["alexa::profile:email:read"]}}}`, `unknown scope "alexa::profile:email:read"`, false},
		{"card type", `{"version":"1.0","response":{"card":{"type":"LinkAccount"}}}`, `card type "LinkAccount"`, false},
		{"canfulfill value", `{"version":"1.0","response":{"canFulfillIntent":{"canFulfill":"PERHAPS"}}}`, `canFulfill "PERHAPS"`, false},
		{"canfulfill slot", `{"version":"1.0","response":{"canFulfillIntent":{"canFulfill":"YES","slots":{"pack":{"canUnderstand":"YES","canFulfill":"MAYBE"}}}}}`, "canFulfill slot pack", false},
		{"canfulfill with speech", `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"x"},"canFulfillIntent":{"canFulfill":"YES"}}}`, "canFulfillIntent with other fields", false},
		{"state does not decode", `{"version":"1.0","sessionAttributes":{"state":"nonsense"},"response":{}}`, "session state does not decode", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := check(t, tc.raw)
			found := false
			for _, e := range rec.errs {
				found = found || strings.Contains(e, tc.want)
			}
			if !found {
				t.Errorf("no report containing %q; reported:\n%s", tc.want, strings.Join(rec.errs, "\n"))
			}
			if rec.fatal != tc.fatal {
				t.Errorf("fatal %v, want %v", rec.fatal, tc.fatal)
			}
		})
	}
}
