package speech

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzSeeds are texts worth starting from: markup, entities, control and
// invalid bytes, non-characters, white space, numbers, long runs.
var fuzzSeeds = []string{
	"", " ", "Breathe in", "two", "Ice & heat", `<speak>x</speak>`, `<break time="20s"/>`,
	"&amp; &lt; &#0; &#xFFFE;", "]]>", "<!-- c -->", "<?pi?>", "\x00\x01\x1f\x7f", "\xff\xfe\xc3",
	"\uFFFE\uFFFF\uFFFD", "\u0085\u00a0\u2028\u2029", "a\r\nb\rc\n", "'\"'\"", "日本語 café 😀",
	"1,000,000.25 10:30 21st 007 50% $5", strings.Repeat("a", 100), strings.Repeat("&", 2000),
}

// checkRoundTrip renders s, validates it (a too-long document must be
// otherwise valid) and checks that its text decodes to want.
func checkRoundTrip(t *testing.T, r Renderer, s Script, want string) []token {
	t.Helper()
	ssml := r.SSML(s)
	if err := Validate(ssml); err != nil {
		if !errors.Is(err, ErrTooLong) {
			t.Fatalf("invalid SSML: %v\n%q", err, ssml)
		}
		if chars(string(ssml)) < MaxChars {
			t.Fatalf("ErrTooLong for %d characters", chars(string(ssml)))
		}
	}
	toks, err := tokens(ssml)
	if err != nil {
		t.Fatalf("decoding: %v\n%q", err, ssml)
	}
	if got, _ := texts(toks); got != want {
		t.Fatalf("decodes to %q, want %q\n%q", got, want, ssml)
	}
	return toks
}

// FuzzSay renders a line of arbitrary text: the SSML is always valid (or
// valid but too long, for long text), its text decodes back to the
// sanitized input, and Text and Transcript give the sanitized line.
func FuzzSay(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	r := Renderer{Model: AlexaModel()}
	f.Fuzz(func(t *testing.T, text string) {
		var s Script
		s.Say(text)
		want := Sanitize(text)
		checkRoundTrip(t, r, s, want)
		if got := r.Text(s); got != want {
			t.Errorf("Text = %q, want %q", got, want)
		}
		if got := r.Transcript(s); got != want {
			t.Errorf("Transcript = %q, want %q", got, want)
		}
		if !utf8.ValidString(want) || strings.ContainsAny(want, "\x00\t\n\r\uFFFE\uFFFF") {
			t.Errorf("Sanitize left %q", want)
		}
		if d := r.Model.Duration(text); d < 0 {
			t.Errorf("negative duration %v", d)
		}
	})
}

// FuzzCue renders arbitrary cue text at an arbitrary offset in a paced
// sequence: the SSML is valid and decodes back to the sanitized cues, no
// break is zero or over the limit, and the breaks plus the model's time
// for each text add up to ScriptDuration.
func FuzzCue(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, int64(i*700), int64(5000+i*3000))
	}
	f.Add("two", int64(0), int64(0))
	f.Add("three", int64(-5000), int64(-1))
	f.Add("out", int64(9_000_000), int64(25_000))
	r := Renderer{Model: AlexaModel()}
	f.Fuzz(func(t *testing.T, text string, atMS, lengthMS int64) {
		// Offsets up to a day either way; the renderer must cope with
		// any order, and Check reports what is wrong.
		at := time.Duration(atMS%86_400_000) * time.Millisecond
		length := time.Duration(lengthMS%86_400_000) * time.Millisecond
		var s Script
		s.Pace([]Cue{{At: 0, Text: "Breathe in"}, {At: at, Text: text}}, length)
		want := "Breathe in"
		if clean := Sanitize(text); clean != "" {
			want += " " + clean
		}
		toks := checkRoundTrip(t, r, s, want)
		var total time.Duration
		for _, tk := range toks {
			if tk.text != "" {
				total += r.Model.Duration(tk.text)
				continue
			}
			if tk.break_ <= 0 || tk.break_ > MaxBreak {
				t.Fatalf("break of %v", tk.break_)
			}
			total += tk.break_
		}
		// When the cue's text runs into "Breathe in" (no break between),
		// they decode as one piece; time them separately instead.
		if len(toks) > 0 && toks[0].text != "" && toks[0].text != "Breathe in" {
			total += r.Model.Duration("Breathe in") + r.Model.Duration(text) - r.Model.Duration(toks[0].text)
		}
		if got := r.Model.ScriptDuration(s); total != got {
			t.Errorf("breaks and texts add up to %v, ScriptDuration says %v", total, got)
		}
		_ = r.Model.Check(*s.Parts[0].Paced)
	})
}

// FuzzScript builds a script of lines, pauses and a paced sequence from
// arbitrary input: nothing panics, and the SSML is valid or too long.
func FuzzScript(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s, int64(len(s))*1000)
	}
	r := Renderer{Model: AlexaModel()}
	f.Fuzz(func(t *testing.T, a, b string, pauseMS int64) {
		pause := time.Duration(pauseMS%3_600_000) * time.Millisecond
		var s Script
		s.Say(a).Pause(pause).Say(b)
		s.Pace([]Cue{{At: 0, Text: b}, {At: pause, Text: a}, {At: pause / 2, Text: ""}}, pause)
		s.Parts = append(s.Parts, Part{Say: a, Pause: pause}) // a part with two fields set
		ssml := r.SSML(s)
		if err := Validate(ssml); err != nil && !errors.Is(err, ErrTooLong) {
			t.Fatalf("invalid SSML: %v\n%q", err, ssml)
		}
		_ = r.Text(s)
		_ = r.Transcript(s)
		_ = r.Model.ScriptDuration(s)
	})
}

// FuzzValidate feeds arbitrary documents to Validate: it never panics,
// and whatever it accepts is well-formed XML under one <speak>.
func FuzzValidate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("<speak>" + s + "</speak>")
	}
	f.Add(`<speak><prosody rate="20%">a</prosody><break time="10s"/></speak>`)
	f.Add(`<speak><amazon:emotion name="excited" intensity="low">a</amazon:emotion></speak>`)
	f.Fuzz(func(t *testing.T, doc string) {
		if Validate(SSML(doc)) != nil {
			return
		}
		if _, err := tokens(SSML(doc)); err != nil {
			t.Fatalf("accepted a document that does not decode: %v\n%q", err, doc)
		}
		if !strings.Contains(doc, "<speak") {
			t.Fatalf("accepted a document without <speak>: %q", doc)
		}
	})
}
