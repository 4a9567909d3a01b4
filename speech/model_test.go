package speech

import (
	"strings"
	"testing"
	"time"
)

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		word            string
		syl, cons, long int
	}{
		// The breathing cues.
		{"in", 1, 1, 0},
		{"two", 1, 1, 1},
		{"three", 1, 2, 1},
		{"four", 1, 2, 1},
		{"five", 1, 2, 1},
		{"hold", 1, 3, 1},
		{"out", 1, 1, 1},
		{"breathe", 1, 3, 1},
		// Silent e and -ed; a final -es stays a syllable (takes: 2 + 3 cons
		// weighs what 1 long + 3 cons does).
		{"time", 1, 2, 1},
		{"takes", 2, 3, 0},
		{"curled", 1, 4, 0},
		{"rested", 2, 4, 0},
		{"changes", 2, 4, 0},
		{"muscles", 2, 5, 0},
		{"gentle", 2, 4, 0},
		{"she", 1, 1, 1},
		// Vowel teams.
		{"slowly", 2, 3, 1},
		{"station", 2, 4, 1},
		{"saying", 2, 3, 0},
		// Consonant spellings.
		{"catch", 1, 2, 0},
		{"knee", 1, 1, 1},
		{"lamb", 1, 2, 0},
		{"box", 1, 3, 0},
		{"queen", 1, 3, 1},
		{"high", 1, 1, 1},
		// Contractions (apostrophes dropped before analysis), with a
		// syllabic n.
		{"shouldnt", 2, 5, 1},
		{"wasnt", 2, 4, 0},
		{"lets", 1, 3, 0},
		// Irregular.
		{"one", 1, 2, 0},
		{"every", 2, 2, 1},
		{"minutes", 2, 4, 0},
	} {
		got := analyze([]byte(tc.word))
		if got != (shape{tc.syl, tc.cons, tc.long}) {
			t.Errorf("%s: got %d syllables, %d consonants, %d long; want %d, %d, %d",
				tc.word, got.syl, got.cons, got.long, tc.syl, tc.cons, tc.long)
		}
	}
}

func TestMeasure(t *testing.T) {
	pts := func(words ...string) int {
		p := 0
		for _, w := range words {
			p += analyze([]byte(w)).points()
		}
		return p
	}
	for _, tc := range []struct {
		text string
		want weight
	}{
		{"", weight{}},
		{"   \t", weight{}},
		{"Breathe in", weight{points: pts("breathe", "in"), stop: true}},
		{"BREATHE IN", weight{points: pts("breathe", "in"), stop: true}},
		{"Lie still, then rest. Good!", weight{points: pts("lie", "still", "then", "rest", "good"), clauses: 1, sentences: 2}},
		{"Wait... what?!", weight{points: pts("wait", "what"), sentences: 2}},
		{"12", weight{points: pts("twelve"), stop: true}},
		{"21", weight{points: pts("twenty", "one"), stop: true}},
		{"100", weight{points: pts("one", "hundred")}},
		{"1,500", weight{points: pts("one", "five", "hundred"), clauses: 1}},   // no thousands
		{"2026", weight{points: pts("two", "zero", "two", "six"), stop: true}}, // over 999: digit by digit
		{"007", weight{points: pts("zero", "zero", "seven")}},
		{"2.5", weight{points: pts("two", "point", "five"), stop: true}},
		{"10:30", weight{points: pts("ten", "thirty"), stop: true}},
		{"12:05 PM", weight{points: pts("twelve", "zero", "five", "pee", "em"), stop: true}},
		{"50%", weight{points: pts("fifty", "percent")}},
		{"ice & heat", weight{points: pts("ice", "and", "heat")}},
		{"TV", weight{points: pts("tee", "vee"), stop: true}},
		{"OK", weight{points: pts("ok")}},
		// A letter outside ASCII counts as one that carries a vowel.
		{"café", weight{points: pts("cafa"), stop: true}},
		{"日本", weight{points: pts("aa")}},
		{"three", weight{points: pts("three")}}, // th is not a stop
		{"city", weight{points: pts("city")}},   // nor is a soft c
	} {
		if got := measure(tc.text); got != tc.want {
			t.Errorf("measure(%q) = %+v, want %+v", tc.text, got, tc.want)
		}
	}
}

func TestDuration(t *testing.T) {
	m := Model{SyllablesPerSecond: 5, PhraseOverhead: 100 * time.Millisecond, StopClosure: 40 * time.Millisecond,
		CommaPause: 200 * time.Millisecond, SentencePause: 500 * time.Millisecond}
	for _, tc := range []struct {
		text string
		want time.Duration
	}{
		{"", 0},
		{"\x00 \n", 0},
		{"in", 267 * time.Millisecond},                        // 5 points: 167 ms + 100 ms
		{"two", 340 * time.Millisecond},                       // 6 points: 200 ms + 100 ms + 40 ms closure
		{"in, out.", 1167 * time.Millisecond},                 // 11 points: 367 ms + 100 + 200 + 500
		{"IN", 267 * time.Millisecond},                        // case does not matter
		{strings.Repeat("a ", 600), 60100 * time.Millisecond}, // 600 × 3 points
	} {
		if got := m.Duration(tc.text); got != tc.want {
			t.Errorf("Duration(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	// Degenerate models never panic or go negative.
	for _, bad := range []Model{
		{},
		{SyllablesPerSecond: -1, PhraseOverhead: -time.Second},
		{SyllablesPerSecond: 1e-300},
		{SyllablesPerSecond: 1e300},
	} {
		if d := bad.Duration("Breathe in, slowly."); d < 0 || d > maxDuration {
			t.Errorf("%+v: Duration = %v", bad, d)
		}
	}
}

func TestWords(t *testing.T) {
	m := AlexaModel()
	m.Words = map[string]time.Duration{"breathe in": 612 * time.Millisecond}
	for _, text := range []string{"breathe in", "Breathe in", "  BREATHE\tin "} {
		if got := m.Duration(text); got != 612*time.Millisecond {
			t.Errorf("Duration(%q) = %v, want the measured 612ms", text, got)
		}
	}
	if got, want := m.Duration("breathe out"), AlexaModel().Duration("breathe out"); got != want {
		t.Errorf("an unmeasured text: %v, want the estimate %v", got, want)
	}
}

func TestStartsWithStop(t *testing.T) {
	for text, want := range map[string]bool{
		"two": true, "Breathe in": true, "  (gently)": true, "keep": true, "curl": true, "just": true,
		"chin": true, "quiet": true, "2": true, "20": true, "10": true, "12": true, "10,000": true,
		"three": false, "in": false, "hold": false, "city": false, "phone": false, "knee": false,
		"gnome": false, "psalm": false, "1": false, "11": false, "100": false, "1,000": false,
		"0": false, "": false, "...": false, "élan": false,
	} {
		if got := startsWithStop(text); got != want {
			t.Errorf("startsWithStop(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestAlexaModelRate pins the figures that AlexaModel's documentation
// gives: 160 to 180 words per minute over coaching lines (the longer the
// sentences, the faster, as fewer sentence pauses fall in each minute),
// and 1.32 s for Polly's "Mary had a little lamb".
func TestAlexaModelRate(t *testing.T) {
	m := AlexaModel()
	lines := []string{
		"Lie on your back, with your knees bent and your feet flat on the floor.",
		"Let your arms rest by your sides, palms up.",
		"If lying down hurts, find any position that eases the pain.",
		"We'll start with slow breathing. It calms the muscle and your nerves.",
		"Breathe in through your nose as I count to five, then out through your mouth.",
		"Stop if the pain gets sharper, or spreads down your leg.",
		"A cold pack helps in the first three days. Wrap it in a thin towel.",
		"Twenty minutes is enough. Then give your skin at least an hour to recover.",
	}
	var d time.Duration
	words := 0
	for _, l := range lines {
		d += m.Duration(l)
		words += len(strings.Fields(l))
	}
	wpm := float64(words) / d.Minutes()
	if wpm < 160 || wpm > 180 {
		t.Errorf("%.0f words per minute, want 160 to 180", wpm)
	}
	t.Logf("%d words in %v: %.0f words per minute", words, d, wpm)
	if got := m.Duration("Mary had a little lamb"); got != 1317*time.Millisecond {
		t.Errorf(`"Mary had a little lamb" takes %v, the documentation says 1.32s`, got)
	}
}
