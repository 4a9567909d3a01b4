package speech

import (
	"testing"
	"time"
)

// benchSet is a realistic breathing turn: an introduction, a pause, six
// breaths of the default pattern (54 cues), and a check-in.
func benchSet(b *testing.B) Script {
	cues, length := skillSet(b, false, 6)
	var s Script
	s.Say("I'll count with you. Breathe in as I count to five, hold for one, then breathe out as I count to three.")
	s.Pause(1500 * time.Millisecond)
	s.Pace(cues, length)
	s.Say("Nice and slow. Another set?")
	return s
}

func BenchmarkSSMLBreathingSet(b *testing.B) {
	r := Renderer{Model: AlexaModel()}
	s := benchSet(b)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(r.SSML(s))
	}
	b.ReportMetric(float64(n), "bytes")
}

func BenchmarkTranscriptBreathingSet(b *testing.B) {
	r := Renderer{Model: AlexaModel()}
	s := benchSet(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Transcript(s)
	}
}

func BenchmarkValidateBreathingSet(b *testing.B) {
	ssml := Renderer{Model: AlexaModel()}.SSML(benchSet(b))
	b.ReportAllocs()
	for b.Loop() {
		if err := Validate(ssml); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDuration(b *testing.B) {
	m := AlexaModel()
	for _, bc := range []struct{ name, text string }{
		{"cue", "Breathe in"},
		{"line", "Wrap the pack in a thin towel & keep it on for 15 to 20 minutes, never more."},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = m.Duration(bc.text)
			}
		})
	}
}
