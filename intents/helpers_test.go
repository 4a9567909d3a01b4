package intents_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/skill"
	"spasmcoach/speech"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// golden compares got with testdata/<name>, or rewrites the file with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./intents -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line where two texts differ, with its number.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n want: " + w + "\n got:  " + g
		}
	}
	return "(no line differs)"
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// indent pretty-prints JSON without changing its escaping.
func indent(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		tb.Fatalf("invalid JSON %s: %v", b, err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// checkResponse checks one response against Alexa's rules and ours, and
// returns it decoded. Every test runs it on every response it gets.
//
//   - valid JSON of exactly our envelope's shape (no unknown fields), with
//     version "1.0" and no HTML escaping (<speak> is sent as is);
//   - no stray fields: no "audioItem", no "image" outside a Standard card,
//     no empty objects (but an empty response);
//   - outputSpeech and reprompt: PlainText with text, or SSML that passes
//     speech.Validate;
//   - a reprompt comes with shouldEndSession false, and a session left open
//     has a reprompt; a response with an AskFor directive has no reprompt
//     and leaves shouldEndSession out;
//   - cards carry exactly the fields of their type;
//   - session attributes carry a state that decodes and keeps its
//     invariants.
func checkResponse(tb testing.TB, raw []byte) *intents.Envelope {
	tb.Helper()
	for _, esc := range []string{`\u003c`, `\u003e`, `\u0026`} {
		if bytes.Contains(raw, []byte(esc)) {
			tb.Errorf("response has HTML escaping %s: %s", esc, raw)
		}
	}
	var env intents.Envelope
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		tb.Fatalf("response is not our envelope: %v\n%s", err, raw)
	}
	if dec.More() {
		tb.Fatalf("data after the response: %s", raw)
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		tb.Fatal(err)
	}
	checkStray(tb, "", generic, raw)
	if env.Version != "1.0" {
		tb.Errorf("version %q, want 1.0", env.Version)
	}
	r := env.Response
	checkSpeech(tb, "outputSpeech", r.OutputSpeech)
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
	askFor := 0
	for _, d := range r.Directives {
		switch d.Type {
		case intents.DirectiveSendRequest:
			askFor++
			checkAskFor(tb, d, raw)
		default:
			tb.Errorf("unexpected directive %q", d.Type)
		}
	}
	if askFor > 1 {
		tb.Errorf("%d AskFor directives", askFor)
	}
	if askFor > 0 && (r.Reprompt != nil || r.ShouldEndSession != nil) {
		tb.Errorf("AskFor with a reprompt or shouldEndSession: %s", raw)
	}
	if c := r.Card; c != nil {
		checkCard(tb, c, raw)
	}
	if cf := r.CanFulfillIntent; cf != nil {
		if !oneOf(cf.CanFulfill, "YES", "NO", "MAYBE") {
			tb.Errorf("canFulfill %q", cf.CanFulfill)
		}
		for name, s := range cf.Slots {
			if !oneOf(s.CanUnderstand, "YES", "NO", "MAYBE") || !oneOf(s.CanFulfill, "YES", "NO") {
				tb.Errorf("canFulfill slot %s = %+v", name, s)
			}
		}
		if r.OutputSpeech != nil || r.ShouldEndSession != nil || env.SessionAttributes != nil {
			tb.Errorf("canFulfillIntent with other fields: %s", raw)
		}
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

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

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

func checkSpeech(tb testing.TB, what string, s *intents.OutputSpeech) {
	tb.Helper()
	if s == nil {
		return
	}
	switch s.Type {
	case intents.SpeechPlainText:
		if s.Text == "" || s.SSML != "" {
			tb.Errorf("%s: PlainText with text %q and ssml %q", what, s.Text, s.SSML)
		}
	case intents.SpeechSSML:
		if s.SSML == "" || s.Text != "" {
			tb.Errorf("%s: SSML with ssml %q and text %q", what, s.SSML, s.Text)
		}
		if err := speech.Validate(speech.SSML(s.SSML)); err != nil {
			tb.Errorf("%s: invalid SSML: %v\n%s", what, err, s.SSML)
		}
	default:
		tb.Errorf("%s: type %q", what, s.Type)
	}
	if !oneOf(s.PlayBehavior, "", "ENQUEUE", "REPLACE_ALL", "REPLACE_ENQUEUED") {
		tb.Errorf("%s: playBehavior %q", what, s.PlayBehavior)
	}
}

func checkCard(tb testing.TB, c *intents.Card, raw []byte) {
	tb.Helper()
	switch c.Type {
	case intents.CardSimple:
		if c.Title == "" || c.Content == "" || c.Text != "" || c.Image != nil || c.Permissions != nil {
			tb.Errorf("bad Simple card: %s", raw)
		}
	case intents.CardStandard:
		if c.Title == "" || c.Text == "" || c.Content != "" || c.Permissions != nil ||
			(c.Image != nil && c.Image.SmallImageURL == "" && c.Image.LargeImageURL == "") {
			tb.Errorf("bad Standard card: %s", raw)
		}
	case intents.CardAskForPermissions:
		if len(c.Permissions) == 0 || c.Title != "" || c.Content != "" || c.Text != "" || c.Image != nil {
			tb.Errorf("bad AskForPermissionsConsent card: %s", raw)
		}
		for _, p := range c.Permissions {
			if !oneOf(p, alexaapi.Scopes...) {
				tb.Errorf("card asks for unknown scope %q", p)
			}
		}
	default:
		tb.Errorf("card type %q", c.Type)
	}
}

func checkAskFor(tb testing.TB, d intents.Directive, raw []byte) {
	tb.Helper()
	p := d.Payload
	if d.Name != "AskFor" || d.Token == "" || p == nil || p.Type != "AskForPermissionsConsentRequest" ||
		p.Version != "2" || len(p.PermissionScopes) != 1 || p.PermissionScopes[0].ConsentLevel != "ACCOUNT" ||
		!oneOf(p.PermissionScopes[0].PermissionScope, alexaapi.Scopes...) {
		tb.Errorf("bad AskFor directive: %s", raw)
	}
}
