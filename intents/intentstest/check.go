// Package intentstest checks skill responses against Alexa's rules and
// ours, for the tests of every package that produces one: intents itself,
// the Lambda entry point and cmd/spasmcoach (chat and serve). It is test
// support, as net/http/httptest is, and is imported only by _test.go
// files.
//
// CheckResponse is the one check: every test runs it on every response
// it gets, whatever produced it.
package intentstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/skill"
	"spasmcoach/speech"
)

// CheckResponse checks one response envelope, raw as it goes to Alexa,
// against Alexa's rules and ours, reports every violation on tb, and
// returns the response decoded. It stops the test (tb.Fatalf) only when
// raw is not a response envelope at all.
//
//   - valid JSON of exactly our envelope's shape (alexa.Envelope, no
//     unknown fields), with version "1.0", nothing after it, and no HTML
//     escaping (<speak> is sent as is);
//   - no stray fields: no "audioItem", no "image" outside a card, no empty
//     objects (but an empty response);
//   - outputSpeech and reprompt: PlainText with text, or SSML that passes
//     speech.Validate (tags Alexa supports, size limits), and a known
//     playBehavior;
//   - a reprompt comes with shouldEndSession false, and a session left
//     open has a reprompt; a response with an AskFor directive has no
//     reprompt and leaves shouldEndSession out;
//   - directives: at most one Connections.SendRequest AskFor, of the
//     documented shape for a scope alexaapi knows, and at most one
//     Alexa.Presentation.APLA.RenderDocument whose document and data pass
//     speech.ValidateAPLA (the APLA 0.91 component set, every Speech's
//     SSML valid), whose every slot fits its cue (speech.Model.FitsSlot
//     with speech.AlexaModel), and which with the outputSpeech plays at
//     most speech.MaxAudio by the model;
//   - the whole response under MaxResponseBytes;
//   - cards carry exactly the fields of their type;
//   - canFulfillIntent values are YES, NO or MAYBE (slots' canFulfill YES
//     or NO), with no speech, shouldEndSession or attributes beside it;
//   - session attributes carry a state that decodes and keeps its
//     invariants.
func CheckResponse(tb testing.TB, raw []byte) *alexa.Envelope {
	tb.Helper()
	for _, esc := range []string{`\u003c`, `\u003e`, `\u0026`} {
		if bytes.Contains(raw, []byte(esc)) {
			tb.Errorf("response has HTML escaping %s: %s", esc, raw)
		}
	}
	env := decodeEnvelope(tb, raw)
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		tb.Fatalf("response is not a JSON object: %v\n%s", err, raw)
	}
	checkStray(tb, "", generic, raw)
	if env.Version != alexa.ResponseVersion {
		tb.Errorf("version %q, want %s", env.Version, alexa.ResponseVersion)
	}
	r := env.Response
	checkSpeech(tb, "outputSpeech", r.OutputSpeech)
	checkSession(tb, r, raw)
	askFor := checkDirectives(tb, r, raw)
	if len(raw) >= MaxResponseBytes {
		tb.Errorf("response of %d bytes, want under %d", len(raw), MaxResponseBytes)
	}
	if askFor > 0 && (r.Reprompt != nil || r.ShouldEndSession != nil) {
		tb.Errorf("AskFor with a reprompt or shouldEndSession: %s", raw)
	}
	if c := r.Card; c != nil {
		checkCard(tb, c, raw)
	}
	if cf := r.CanFulfillIntent; cf != nil {
		checkCanFulfill(tb, cf, r.OutputSpeech != nil || r.ShouldEndSession != nil || env.SessionAttributes != nil, raw)
	}
	if a := env.SessionAttributes; a != nil && len(a.State) > 0 {
		s, err := skill.Decode(a.State)
		if err != nil {
			tb.Errorf("session state does not decode: %v", err)
		} else if err := s.Check(); err != nil {
			tb.Errorf("session state: %v", err)
		}
	}
	return &env
}

// MaxResponseBytes bounds a whole response: 24 KB, the limit reported for
// Alexa responses (newer references reportedly allow more; this keeps the
// older, smaller one).
const MaxResponseBytes = 24 * 1024

// checkAPLA checks an APLA RenderDocument directive (see CheckResponse).
func checkAPLA(tb testing.TB, d alexa.Directive, out *alexa.OutputSpeech, raw []byte) {
	tb.Helper()
	if d.Token == "" || d.Name != "" || d.Payload != nil || len(d.Document) == 0 || d.Datasources == nil {
		tb.Errorf("bad APLA directive: %s", raw)
		return
	}
	data, err := json.Marshal(d.Datasources)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := speech.ValidateAPLA(d.Document, data)
	if err != nil {
		tb.Errorf("%v: %s", err, raw)
		return
	}
	m := speech.AlexaModel()
	if err := checkSlots(m, c); err != nil {
		tb.Errorf("%v: %s", err, raw)
	}
	total := m.APLADuration(c)
	if out != nil && out.Type == alexa.SpeechSSML {
		total += m.SSMLDuration(speech.SSML(out.SSML))
	}
	if total > speech.MaxAudio {
		tb.Errorf("the response plays %v, want at most %v: %s", total, speech.MaxAudio, raw)
	}
}

// checkSlots checks that every slot of an inflated document (a Mixer of a
// Silence and a trimmed Speech) fits its cue.
func checkSlots(m speech.Model, c *speech.APLAComponent) error {
	if c.Type == "Mixer" && len(c.Items) == 2 && c.Items[1].Trim {
		text, err := speech.SSMLText(speech.SSML(c.Items[1].Content))
		if err != nil {
			return err
		}
		if !m.FitsSlot(text, c.Items[0].Silence) {
			return fmt.Errorf("cue %q does not fit its %v slot", text, c.Items[0].Silence)
		}
	}
	for _, k := range c.Items {
		if err := checkSlots(m, k); err != nil {
			return err
		}
	}
	return nil
}

func oneOf(s string, options ...string) bool { return slices.Contains(options, s) }

// checkStray reports the fields Alexa does not expect anywhere in v (at
// path in the response): audioItem, image outside a card, empty objects.
func checkStray(tb testing.TB, path string, v any, raw []byte) {
	tb.Helper()
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 && path != "response" {
			tb.Errorf("empty object at %s: %s", path, raw)
		}
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			switch {
			case k == "audioItem":
				tb.Errorf("stray audioItem at %s: %s", p, raw)
			case k == "image" && path != "response.card":
				tb.Errorf("stray image at %s: %s", p, raw)
			}
			if path == "sessionAttributes" && k == "state" {
				continue // the state's own encoding
			}
			checkStray(tb, p, e, raw)
		}
	case []any:
		for _, e := range x {
			checkStray(tb, path+"[]", e, raw)
		}
	}
}

// checkSpeech checks one outputSpeech (what names it: outputSpeech or
// reprompt); nil is fine.
func checkSpeech(tb testing.TB, what string, s *alexa.OutputSpeech) {
	tb.Helper()
	if s == nil {
		return
	}
	switch s.Type {
	case alexa.SpeechPlainText:
		if s.Text == "" || s.SSML != "" {
			tb.Errorf("%s: PlainText with text %q and ssml %q", what, s.Text, s.SSML)
		}
	case alexa.SpeechSSML:
		if s.SSML == "" || s.Text != "" {
			tb.Errorf("%s: SSML with ssml %q and text %q", what, s.SSML, s.Text)
		}
		if err := speech.Validate(speech.SSML(s.SSML)); err != nil {
			tb.Errorf("%s: invalid SSML: %v\n%s", what, err, s.SSML)
		}
	default:
		tb.Errorf("%s: type %q", what, s.Type)
	}
	if !oneOf(s.PlayBehavior, "", alexa.PlayBehaviorEnqueue, alexa.PlayBehaviorReplaceAll, "REPLACE_ENQUEUED") {
		tb.Errorf("%s: playBehavior %q", what, s.PlayBehavior)
	}
}

// checkCard checks that a card carries exactly the fields of its type.
func checkCard(tb testing.TB, c *alexa.Card, raw []byte) {
	tb.Helper()
	switch c.Type {
	case alexa.CardSimple:
		if c.Title == "" || c.Content == "" || c.Text != "" || c.Image != nil || c.Permissions != nil {
			tb.Errorf("bad Simple card: %s", raw)
		}
	case alexa.CardStandard:
		if c.Title == "" || c.Text == "" || c.Content != "" || c.Permissions != nil ||
			(c.Image != nil && c.Image.SmallImageURL == "" && c.Image.LargeImageURL == "") {
			tb.Errorf("bad Standard card: %s", raw)
		}
	case alexa.CardAskForPermissions:
		if len(c.Permissions) == 0 || c.Title != "" || c.Content != "" || c.Text != "" || c.Image != nil {
			tb.Errorf("bad AskForPermissionsConsent card: %s", raw)
		}
		for _, p := range c.Permissions {
			if !oneOf(p, alexaapi.Scopes...) {
				tb.Errorf("card asks for unknown scope %q", p)
			}
		}
	default:
		tb.Errorf("card type %q: %s", c.Type, raw)
	}
}

// checkAskFor checks a Connections.SendRequest directive: AskFor, version
// 2, one known scope at the ACCOUNT consent level, with a token.
func checkAskFor(tb testing.TB, d alexa.Directive, raw []byte) {
	tb.Helper()
	p := d.Payload
	if d.Name != "AskFor" || d.Token == "" || p == nil || p.Type != alexa.AskForPayloadType ||
		p.Version != alexa.AskForPayloadVersion || len(p.PermissionScopes) != 1 ||
		p.PermissionScopes[0].ConsentLevel != alexa.ConsentLevelAccount ||
		!oneOf(p.PermissionScopes[0].PermissionScope, alexaapi.Scopes...) {
		tb.Errorf("bad AskFor directive: %s", raw)
	}
}

// decodeEnvelope decodes raw strictly into our envelope: no unknown
// fields, nothing after it.
func decodeEnvelope(tb testing.TB, raw []byte) alexa.Envelope {
	tb.Helper()
	var env alexa.Envelope
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		tb.Fatalf("response is not our envelope: %v\n%s", err, raw)
	}
	if dec.More() {
		tb.Fatalf("data after the response: %s", raw)
	}
	return env
}

// checkSession checks the reprompt and shouldEndSession together: a
// reprompt keeps the session open, and an open session has a reprompt.
func checkSession(tb testing.TB, r alexa.Response, raw []byte) {
	tb.Helper()
	if r.Reprompt != nil {
		if r.Reprompt.OutputSpeech == nil {
			tb.Errorf("reprompt without outputSpeech: %s", raw)
		}
		checkSpeech(tb, "reprompt", r.Reprompt.OutputSpeech)
		if r.ShouldEndSession == nil || *r.ShouldEndSession {
			tb.Errorf("reprompt without shouldEndSession false: %s", raw)
		}
	}
	if r.ShouldEndSession != nil && !*r.ShouldEndSession && r.Reprompt == nil {
		tb.Errorf("session left open without a reprompt: %s", raw)
	}
}

// checkDirectives checks each directive, at most one of each kind, and
// returns how many AskFor directives there are.
func checkDirectives(tb testing.TB, r alexa.Response, raw []byte) int {
	tb.Helper()
	askFor, apla := 0, 0
	for _, d := range r.Directives {
		switch d.Type {
		case alexa.DirectiveSendRequest:
			askFor++
			checkAskFor(tb, d, raw)
		case alexa.DirectiveAPLA:
			apla++
			checkAPLA(tb, d, r.OutputSpeech, raw)
		default:
			tb.Errorf("unexpected directive %q: %s", d.Type, raw)
		}
	}
	if askFor > 1 {
		tb.Errorf("%d AskFor directives: %s", askFor, raw)
	}
	if apla > 1 {
		tb.Errorf("%d APLA directives: %s", apla, raw)
	}
	return askFor
}

// checkCanFulfill checks a CanFulfillIntent answer; others says whether the
// response has anything else, which it must not.
func checkCanFulfill(tb testing.TB, cf *alexa.CanFulfillIntent, others bool, raw []byte) {
	tb.Helper()
	if !oneOf(cf.CanFulfill, alexa.CanFulfillYes, alexa.CanFulfillNo, alexa.CanFulfillMaybe) {
		tb.Errorf("canFulfill %q: %s", cf.CanFulfill, raw)
	}
	for name, s := range cf.Slots {
		if !oneOf(s.CanUnderstand, alexa.CanFulfillYes, alexa.CanFulfillNo, alexa.CanFulfillMaybe) ||
			!oneOf(s.CanFulfill, alexa.CanFulfillYes, alexa.CanFulfillNo) {
			tb.Errorf("canFulfill slot %s = %+v: %s", name, s, raw)
		}
	}
	if others {
		tb.Errorf("canFulfillIntent with other fields: %s", raw)
	}
}
