package speech

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// checkInflated runs CheckAPLA when the document inflated.
func checkInflated(m Model, s Script, c *APLAComponent) error {
	if c == nil {
		return nil
	}
	return m.CheckAPLA(s, c)
}

// renderAPLA renders s as APLA, validates the directive's two halves as
// JSON and checks its slots against s.
func renderAPLA(tb testing.TB, r Renderer, s Script) (SSML, *APLA, *APLAComponent) {
	tb.Helper()
	intro, a := r.APLA(s)
	if a == nil {
		tb.Fatalf("no APLA for a script with a paced sequence")
	}
	data, err := json.Marshal(a.Data)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := ValidateAPLA(a.Document, data)
	if err != nil {
		tb.Fatalf("invalid APLA: %v\n%s", err, data)
	}
	if err := r.Model.CheckAPLA(s, c); err != nil {
		tb.Fatalf("APLA off the beat: %v\n%s", err, data)
	}
	if intro != "" {
		if err := Validate(intro); err != nil {
			tb.Fatalf("invalid introduction: %v", err)
		}
	}
	return intro, a, c
}

func TestAPLAWithoutPacedIsSSML(t *testing.T) {
	r := Renderer{Model: AlexaModel()}
	var s Script
	s.Say("Step two.").Pause(2 * time.Second).Say("Next?")
	ssml, a := r.APLA(s)
	if a != nil || ssml != r.SSML(s) {
		t.Errorf("APLA of a script without cues = %q, %v; want the SSML alone", ssml, a)
	}
}

func TestAPLAParts(t *testing.T) {
	r := Renderer{Model: AlexaModel()}
	var s Script
	s.Say("Okay.").Pause(1500*time.Millisecond).
		Pace([]Cue{{At: 0, Text: "Breathe in"}, {At: 2 * time.Second, Text: "out & down"}}, 4*time.Second).
		Say("And rest.").Say("Stay soft.").Pause(30 * time.Second).Pause(time.Second).Say("Another?")
	intro, a, c := renderAPLA(t, r, s)
	if intro != `<speak>Okay.<break time="1500ms"/></speak>` {
		t.Errorf("intro %s", intro)
	}
	want := []APLAPart{
		{MS: 2000, T: "Breathe in"},
		{MS: 2000, T: "out &amp; down"},
		{T: "And rest. Stay soft."},
		{MS: 31000},
		{T: "Another?"},
	}
	got := a.Data.Audio.Parts
	if len(got) != len(want) {
		t.Fatalf("parts %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if d := r.Model.APLADuration(c); d != 4*time.Second+31*time.Second+
		r.Model.Duration("And rest. Stay soft.")+r.Model.Duration("Another?") {
		t.Errorf("duration %v", d)
	}
}

func TestSlots(t *testing.T) {
	m := AlexaModel()
	beat := 760 * time.Millisecond // the fastest pace
	var cues []Cue
	for i, w := range []string{"Breathe in", "two", "three", "four", "five"} {
		cues = append(cues, Cue{At: time.Duration(i) * beat, Text: w})
	}
	slots := m.Slots(Paced{Cues: cues, Length: 5 * beat})
	if slots[0].Text != "Breathe in" || slots[0].Cues != 2 || slots[0].Length != 2*beat {
		t.Errorf("a cue too long for one beat gets two: %+v", slots[0])
	}
	var sum time.Duration
	for _, sl := range slots {
		sum += sl.Length
		if !m.FitsSlot(sl.Text, sl.Length) {
			t.Errorf("%q does not fit %v", sl.Text, sl.Length)
		}
	}
	if want := m.PlannedLength(Paced{Cues: cues, Length: 5 * beat}); sum != want {
		t.Errorf("slots add up to %v, want %v", sum, want)
	}
	// A last cue too long for the sequence makes it longer.
	long := m.Slots(Paced{Cues: []Cue{{Text: "Breathe in, slowly and deeply, through your nose"}}, Length: time.Second})
	if !m.FitsSlot(long[0].Text, long[0].Length) || long[0].Length <= time.Second {
		t.Errorf("overlong last cue: %+v", long)
	}
}

func TestValidateAPLARejects(t *testing.T) {
	doc := string(APLADocument())
	data := `{"audio":{"parts":[{"ms":1000,"t":"two"}]}}`
	for _, tc := range []struct{ name, doc, data, want string }{
		{"version", strings.Replace(doc, `"0.91"`, `"1.0"`, 1), data, "version"},
		{"type", strings.Replace(doc, `"Mixer"`, `"Mixxer"`, 1), data, "not an APLA component"},
		{"property", strings.Replace(doc, `"contentType"`, `"contentKind"`, 1), data, "no property"},
		{"contentType", strings.Replace(doc, `"SSML"`, `"XML"`, 1), data, "contentType"},
		{"duration value", strings.Replace(doc, `"trimToParent"`, `"trim"`, 1), data, "auto or trimToParent"},
		{"silence without duration", strings.Replace(doc, `{"type":"Silence","duration":"${data.ms}"}`, `{"type":"Silence"}`, 1), data, "needs"},
		{"fractional ms", doc, `{"audio":{"parts":[{"ms":1000.5,"t":"two"}]}}`, "whole number"},
		{"negative ms", doc, `{"audio":{"parts":[{"ms":-5,"t":""}]}}`, "nothing to say"},
		{"bad SSML", doc, `{"audio":{"parts":[{"ms":1000,"t":"<break time=\"11s\"/>"}]}}`, "SSML Alexa does not support"},
		{"unescaped", doc, `{"audio":{"parts":[{"ms":1000,"t":"a & b"}]}}`, "malformed"},
		{"not bound", strings.Replace(doc, "payload.audio", "nothing.audio", 1), data, "not bound"},
		{"data not an array", doc, `{"audio":{"parts":5}}`, "not an array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ValidateAPLA([]byte(tc.doc), []byte(tc.data))
			if !errors.Is(err, ErrAPLA) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ValidateAPLA = %v, want an ErrAPLA about %q", err, tc.want)
			}
		})
	}
	if c, err := ValidateAPLA([]byte(doc), []byte(data)); err != nil || len(c.Items) != 1 || c.Items[0].Items[0].Type != "Mixer" {
		t.Errorf("the valid document: %v, %+v", err, c)
	}
}

// TestShortCue checks a cue's Short: where its Text does not fit its beat
// the short form is said, in APLA and SSML alike, and no beat is taken
// from the next cue; where Text fits, Text is said.
func TestShortCue(t *testing.T) {
	r := Renderer{Model: AlexaModel()}
	counts := []string{"two", "three", "four", "five"}
	for _, tc := range []struct {
		beat time.Duration
		want string
	}{
		{760 * time.Millisecond, "In"},          // the fastest pace
		{880 * time.Millisecond, "In"},          // one level faster than the routine's
		{time.Second, "Breathe in"},             // the routine's own pace
		{1360 * time.Millisecond, "Breathe in"}, // the slowest
	} {
		cues := []Cue{{At: 0, Text: "Breathe in", Short: "In"}}
		for i, w := range counts {
			cues = append(cues, Cue{At: time.Duration(i+1) * tc.beat, Text: w})
		}
		p := Paced{Cues: cues, Length: 5 * tc.beat}
		said := append([]string{tc.want}, counts...)
		if got := r.Model.CueTexts(p); strings.Join(got, " ") != strings.Join(said, " ") {
			t.Errorf("beat %v: CueTexts %q, want %q", tc.beat, got, said)
		}
		slots := r.Model.Slots(p)
		if len(slots) != len(cues) {
			t.Fatalf("beat %v: %d slots for %d cues: %+v", tc.beat, len(slots), len(cues), slots)
		}
		for i, sl := range slots {
			if sl.Text != said[i] || sl.Cues != 1 || !r.Model.FitsSlot(sl.Text, sl.Length) {
				t.Errorf("beat %v: slot %d %+v, want %q in one beat, fitting", tc.beat, i, sl, said[i])
			}
		}
		var s Script
		s.Pace(cues, p.Length)
		_, _, c := renderAPLA(t, r, s)
		text, err := SSMLText(r.SSML(s))
		if err != nil {
			t.Fatal(err)
		}
		if text != strings.Join(said, " ") {
			t.Errorf("beat %v: SSML says %q, want %q", tc.beat, text, strings.Join(said, " "))
		}
		if err := r.Model.Check(p); err != nil {
			t.Errorf("beat %v: SSML off the beat: %v", tc.beat, err)
		}
		if tl := FormatTimeline(r.Model.Timeline(c)); !strings.HasPrefix(tl, tc.want+" @0s · two @") {
			t.Errorf("beat %v: APLA timeline %s", tc.beat, tl)
		}
		if tr := r.Transcript(s); !strings.HasPrefix(tr, "["+tc.want+" @0s · two @") {
			t.Errorf("beat %v: transcript %s", tc.beat, tr)
		}
	}
}
