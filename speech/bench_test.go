package speech

import (
	"encoding/json"
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

// BenchmarkAPLABreathingSet renders the set of BenchmarkSSMLBreathingSet
// as APLA: the introduction's SSML and the directive's data, encoded as
// JSON as it goes to Alexa. bytes counts the introduction, the document
// and the data.
func BenchmarkAPLABreathingSet(b *testing.B) {
	r := Renderer{Model: AlexaModel()}
	s := benchSet(b)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		intro, a := r.APLA(s)
		data, err := json.Marshal(a.Data)
		if err != nil {
			b.Fatal(err)
		}
		n = len(intro) + len(a.Document) + len(data)
	}
	b.ReportMetric(float64(n), "bytes")
}

// BenchmarkValidateAPLABreathingSet validates and inflates that document,
// as CheckResponse does for every response in the tests.
func BenchmarkValidateAPLABreathingSet(b *testing.B) {
	_, a := Renderer{Model: AlexaModel()}.APLA(benchSet(b))
	data, err := json.Marshal(a.Data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ValidateAPLA(a.Document, data); err != nil {
			b.Fatal(err)
		}
	}
}
