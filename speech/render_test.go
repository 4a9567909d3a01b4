package speech

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// token is one piece of a rendered document: text, or a break.
type token struct {
	text   string
	break_ time.Duration
}

// decode parses ssml and returns its text and breaks in order, failing
// the test if it is not a valid document.
func decode(t testing.TB, ssml SSML) []token {
	t.Helper()
	if err := Validate(ssml); err != nil && !errors.Is(err, ErrTooLong) {
		t.Fatalf("invalid SSML: %v\n%s", err, ssml)
	}
	toks, err := tokens(ssml)
	if err != nil {
		t.Fatalf("decoding: %v\n%s", err, ssml)
	}
	return toks
}

func tokens(ssml SSML) ([]token, error) {
	d := xml.NewDecoder(strings.NewReader(string(ssml)))
	var toks []token
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return toks, nil
		}
		if err != nil {
			return nil, err
		}
		switch tk := tok.(type) {
		case xml.CharData:
			if len(toks) > 0 && toks[len(toks)-1].text != "" {
				toks[len(toks)-1].text += string(tk)
			} else {
				toks = append(toks, token{text: string(tk)})
			}
		case xml.StartElement:
			if tk.Name.Local == "break" {
				d, err := parseBreak(attrValue(tk.Attr, "time"))
				if err != nil {
					return nil, err
				}
				toks = append(toks, token{break_: d})
			}
		}
	}
}

func parseBreak(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(v, "ms"); ok {
		i, err := strconv.Atoi(n)
		return time.Duration(i) * time.Millisecond, err
	}
	n, _ := strings.CutSuffix(v, "s")
	i, err := strconv.Atoi(n)
	return time.Duration(i) * time.Second, err
}

// texts returns the text pieces of toks joined by spaces, and the total
// of their breaks.
func texts(toks []token) (string, time.Duration) {
	var parts []string
	var total time.Duration
	for _, tk := range toks {
		if tk.text != "" {
			parts = append(parts, tk.text)
		}
		total += tk.break_
	}
	return strings.Join(parts, " "), total
}

func script(build func(s *Script)) Script {
	var s Script
	build(&s)
	return s
}

func TestSSML(t *testing.T) {
	// A model with round numbers: 6 points (one average syllable) take
	// 100 ms, every phrase 100 ms more, a stop closure 50 ms.
	m := Model{SyllablesPerSecond: 10, PhraseOverhead: 100 * time.Millisecond, StopClosure: 50 * time.Millisecond,
		CommaPause: 200 * time.Millisecond, SentencePause: 400 * time.Millisecond}
	sec := time.Second
	for _, tc := range []struct {
		name string
		s    Script
		want SSML
	}{
		{"empty", Script{}, `<speak></speak>`},
		{"one line", script(func(s *Script) { s.Say("Lie still.") }),
			`<speak>Lie still.</speak>`},
		{"lines joined by a space", script(func(s *Script) { s.Say("One.").Say("Two.") }),
			`<speak>One. Two.</speak>`},
		{"escaped once", script(func(s *Script) { s.Say(`a & b < c > d "e" 'f' &amp;`) }),
			`<speak>a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos; &amp;amp;</speak>`},
		{"sanitized", script(func(s *Script) { s.Say(" \tHello,\x00\x1f world\r\n\n\xff\xfe\uFFFE\uFFFF!\u0085 ") }),
			`<speak>Hello, world !</speak>`},
		{"nothing left after sanitizing", script(func(s *Script) { s.Say("\x01\x02 \t").Say("Next.") }),
			`<speak>Next.</speak>`},
		{"pause in ms", script(func(s *Script) { s.Say("a").Pause(1500 * time.Millisecond).Say("b") }),
			`<speak>a<break time="1500ms"/>b</speak>`},
		{"pause in s", script(func(s *Script) { s.Say("a").Pause(3 * sec).Say("b") }),
			`<speak>a<break time="3s"/>b</speak>`},
		{"exactly the limit", script(func(s *Script) { s.Pause(MaxBreak) }),
			`<speak><break time="10s"/></speak>`},
		{"long pause split", script(func(s *Script) { s.Say("a").Pause(25*sec + 300*time.Millisecond).Say("b") }),
			`<speak>a<break time="10s"/><break time="10s"/><break time="5300ms"/>b</speak>`},
		{"adjacent pauses merged", script(func(s *Script) { s.Pause(6 * sec).Pause(6 * sec) }),
			`<speak><break time="10s"/><break time="2s"/></speak>`},
		{"sub-millisecond pause dropped", script(func(s *Script) { s.Say("a").Pause(400 * time.Microsecond).Say("b") }),
			`<speak>a b</speak>`},
		{"paced", script(func(s *Script) {
			s.Pace([]Cue{{At: 0, Text: "in"}, {At: sec, Text: "out"}}, 2*sec)
		}),
			// "in" is 5 points: 83 ms + 100 ms; "out" 6 points: 100 + 100 ms.
			`<speak>in<break time="817ms"/>out<break time="800ms"/></speak>`},
		{"paced stop starts early", script(func(s *Script) {
			s.Pace([]Cue{{At: 0, Text: "in"}, {At: sec, Text: "two"}}, 2*sec)
		}),
			// "two" (250 ms with its closure) starts 50 ms before its beat.
			`<speak>in<break time="767ms"/>two<break time="800ms"/></speak>`},
		{"paced gap over the limit", script(func(s *Script) {
			s.Pace([]Cue{{At: 0, Text: "in"}, {At: 15 * sec, Text: "out"}}, 16*sec)
		}),
			`<speak>in<break time="10s"/><break time="4817ms"/>out<break time="800ms"/></speak>`},
		{"paced then pause merged", script(func(s *Script) {
			s.Pace([]Cue{{At: 0, Text: "in"}}, sec).Pause(sec).Say("Rest.")
		}),
			`<speak>in<break time="1817ms"/>Rest.</speak>`},
		{"overrun catches up", script(func(s *Script) {
			// The first cue (26 points: 433 ms + 100 ms) overruns its
			// 300 ms; the next follows at once (183 ms), and the silence
			// after it shrinks so that the one after is on its beat.
			s.Pace([]Cue{{At: 0, Text: "everybody inhale"}, {At: 300 * time.Millisecond, Text: "in"}, {At: sec, Text: "out"}}, 2*sec)
		}),
			`<speak>everybody inhale in<break time="284ms"/>out<break time="800ms"/></speak>`},
		{"empty cue keeps its beat", script(func(s *Script) {
			s.Pace([]Cue{{At: 0, Text: "in"}, {At: sec, Text: ""}, {At: 2 * sec, Text: "out"}}, 3*sec)
		}),
			`<speak>in<break time="1817ms"/>out<break time="800ms"/></speak>`},
		{"cue text escaped", script(func(s *Script) {
			// "in and out": 5 + 7 + 6 points, 300 ms + 100 ms.
			s.Pace([]Cue{{At: 0, Text: "in & <out>"}}, 2*sec)
		}),
			`<speak>in &amp; &lt;out&gt;<break time="1600ms"/></speak>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Renderer{Model: m}.SSML(tc.s)
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if err := Validate(got); err != nil {
				t.Errorf("invalid: %v", err)
			}
		})
	}
}

// TestSSMLTiming checks the rendered timeline against ScriptDuration: the
// breaks plus the model's time for each text add up to the script's
// duration, and every paced cue starts on its beat.
func TestSSMLTiming(t *testing.T) {
	m := AlexaModel()
	s, cues, _ := breathingSet(t, 6)
	toks := decode(t, Renderer{Model: m}.SSML(s))
	var now time.Duration
	var starts []time.Duration
	for _, tk := range toks {
		if tk.text == "" {
			now += tk.break_
			continue
		}
		starts = append(starts, now)
		now += m.Duration(tk.text)
	}
	if got := m.ScriptDuration(s); now != got {
		t.Errorf("breaks and texts add up to %v, ScriptDuration says %v", now, got)
	}
	// starts: the opening line, each cue, the closing line.
	if len(starts) != len(cues)+2 {
		t.Fatalf("%d texts, want %d", len(starts), len(cues)+2)
	}
	zero := starts[1] + m.Onset(cues[0].Text)
	for i, c := range cues {
		heard := starts[1+i] + m.Onset(c.Text)
		if d := heard - zero - c.At; d.Abs() > time.Millisecond {
			t.Errorf("cue %d %q heard at %v, beat %v", i, c.Text, heard-zero, c.At)
		}
	}
	if end := starts[len(starts)-1] - zero; end != 57*time.Second {
		t.Errorf("closing line at %v, want at the set's end, 57s", end)
	}
}

// TestModelSwap renders one count with different models: the breaks
// follow the model's parameters, so a test or a calibration can swap them.
func TestModelSwap(t *testing.T) {
	s := script(func(s *Script) {
		s.Pace([]Cue{{At: 0, Text: "in"}, {At: time.Second, Text: "out"}}, 2*time.Second)
	})
	for _, tc := range []struct {
		name string
		m    Model
		want SSML
	}{
		{"zero model: no compensation", Model{},
			`<speak>in<break time="1s"/>out<break time="1s"/></speak>`},
		{"rate only", Model{SyllablesPerSecond: 5},
			`<speak>in<break time="833ms"/>out<break time="800ms"/></speak>`},
		{"rate and overhead", Model{SyllablesPerSecond: 5, PhraseOverhead: 200 * time.Millisecond},
			`<speak>in<break time="633ms"/>out<break time="600ms"/></speak>`},
		{"slower voice", Model{SyllablesPerSecond: 2.5, PhraseOverhead: 200 * time.Millisecond},
			`<speak>in<break time="467ms"/>out<break time="400ms"/></speak>`},
		{"measured words win", Model{SyllablesPerSecond: 5, Words: map[string]time.Duration{"in": 123 * time.Millisecond}},
			`<speak>in<break time="877ms"/>out<break time="800ms"/></speak>`},
		{"Alexa", AlexaModel(),
			`<speak>in<break time="683ms"/>out<break time="650ms"/></speak>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := (Renderer{Model: tc.m}).SSML(s)
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if err := Validate(got); err != nil {
				t.Errorf("invalid SSML: %v\n%s", err, got)
			}
		})
	}
}

func TestText(t *testing.T) {
	r := Renderer{Model: AlexaModel()}
	for _, tc := range []struct {
		name string
		s    Script
		want string
	}{
		{"empty", Script{}, ""},
		{"lines only", script(func(s *Script) {
			s.Say("First.").Pause(time.Second).Pace([]Cue{{At: 0, Text: "in"}}, time.Second).Say("Second & last.")
		}), "First. Second & last."},
		{"sanitized", script(func(s *Script) { s.Say("\x00 a\n b ").Say(" \t ").Say("c") }), "a b c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Text(tc.s); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTranscript(t *testing.T) {
	r := Renderer{Model: AlexaModel()}
	for _, tc := range []struct {
		name string
		s    Script
		want string
	}{
		{"empty", Script{}, ""},
		{"pauses", script(func(s *Script) {
			s.Say("a").Pause(250 * time.Millisecond).Pause(75 * time.Second).Say("b")
		}), "a (pause 0.25s) (pause 75s) b"},
		{"paced", script(func(s *Script) {
			s.Pace([]Cue{{At: 0, Text: "Breathe in"}, {At: 1500 * time.Millisecond, Text: ""}, {At: 62500 * time.Millisecond, Text: "and\nout"}}, 70*time.Second)
		}), "[Breathe in @0s · @1.5s · and out @62.5s | 70s]"},
		{"text kept plain", script(func(s *Script) { s.Say(`<b> & "c"`) }), `<b> & "c"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Transcript(tc.s); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"  lead and trail  ", "lead and trail"},
		{"a\t\n\r\v\f b", "a b"},
		{"a\u00a0\u2003b", "a b"},      // Unicode spaces
		{"a\x00\x08\x1b\x7fb", "ab"},   // C0 controls, DEL
		{"a\u0080\u009fb", "ab"},       // C1 controls
		{"a\xff\xc3(b", "a(b"},         // invalid UTF-8
		{"a\uFFFE\uFFFFb", "ab"},       // not XML characters
		{"a\uFFFDb", "a\uFFFDb"},       // a real replacement character stays
		{"café ☕ 日本 😀", "café ☕ 日本 😀"}, // everything else stays
		{"<&>\"'", "<&>\"'"},           // no escaping here
		{"\U0010FFFF\U00010000", "\U0010FFFF\U00010000"},
	} {
		if got := Sanitize(tc.in); got != tc.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	m := AlexaModel()
	sec := time.Second
	for _, tc := range []struct {
		name string
		p    Paced
		want []error // each must be in the result; none means nil
	}{
		{"fine", Paced{Cues: []Cue{{At: 0, Text: "Breathe in"}, {At: sec, Text: "two"}, {At: 2 * sec, Text: "three"}}, Length: 3 * sec}, nil},
		{"cue too long", Paced{Cues: []Cue{{At: 0, Text: "Breathe in very slowly now"}, {At: sec, Text: "two"}}, Length: 2 * sec},
			[]error{ErrCueTooLong}},
		{"last cue too long for the end", Paced{Cues: []Cue{{At: 0, Text: "in"}, {At: sec, Text: "and out, slowly and gently"}}, Length: 2 * sec},
			[]error{ErrCueTooLong}},
		{"negative offset", Paced{Cues: []Cue{{At: -sec, Text: "in"}}, Length: sec}, []error{ErrCueOrder}},
		{"not increasing", Paced{Cues: []Cue{{At: 0, Text: "in"}, {At: 2 * sec, Text: "two"}, {At: 2 * sec, Text: "three"}}, Length: 5 * sec},
			[]error{ErrCueOrder}},
		{"past the end", Paced{Cues: []Cue{{At: 0, Text: "in"}, {At: 3 * sec, Text: "out"}}, Length: 3 * sec}, []error{ErrCueOrder}},
		{"several", Paced{Cues: []Cue{{At: 0, Text: "Breathe in very slowly now"}, {At: sec, Text: "two"}, {At: sec, Text: "three"}}, Length: 2 * sec},
			[]error{ErrCueTooLong, ErrCueOrder}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := m.Check(tc.p)
			if len(tc.want) == 0 {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !errors.Is(err, w) {
					t.Errorf("error %q does not wrap %v", err, w)
				}
			}
		})
	}
}

func TestScriptDuration(t *testing.T) {
	m := Model{SyllablesPerSecond: 10, PhraseOverhead: 100 * time.Millisecond}
	for _, tc := range []struct {
		name string
		s    Script
		want time.Duration
	}{
		{"empty", Script{}, 0},
		{"line and pause", script(func(s *Script) { s.Say("in").Pause(2 * time.Second) }), 2183 * time.Millisecond},
		{"paced lasts its length", script(func(s *Script) {
			s.Pace([]Cue{{At: 0, Text: "in"}, {At: time.Second, Text: "out"}}, 4*time.Second)
		}), 4 * time.Second},
		{"paced overrun lasts longer", script(func(s *Script) {
			// "everybody inhale" starts at 900 ms and takes 533 ms.
			s.Pace([]Cue{{At: 0, Text: "in"}, {At: 900 * time.Millisecond, Text: "everybody inhale"}}, time.Second)
		}), 1433 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := m.ScriptDuration(tc.s); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestValidRendering renders assorted scripts, including hostile text, and
// validates every result.
func TestValidRendering(t *testing.T) {
	hostile := []string{
		"<speak>nested</speak>", "]]><!-- -->", "&amp;&lt;", "\x00\x01\x02", "\xff\xfe",
		`<break time="20s"/>`, "<?xml version='1.0'?>", "<!DOCTYPE x>", strings.Repeat("&", 100),
	}
	r := Renderer{Model: AlexaModel()}
	for _, h := range hostile {
		var s Script
		s.Say(h).Pause(11*time.Second).Pace([]Cue{{At: 0, Text: h}, {At: time.Second, Text: h}}, 2*time.Second).Say(h)
		ssml := r.SSML(s)
		if err := Validate(ssml); err != nil {
			t.Errorf("%q: %v\n%s", h, err, ssml)
		}
		text, _ := texts(decode(t, ssml))
		clean := Sanitize(h)
		if want := strings.TrimSpace(strings.Repeat(clean+" ", 4)); clean != "" && text != want {
			t.Errorf("%q decodes to %q, want %q", h, text, want)
		}
	}
}
