package utterance_test

import (
	"testing"

	"spasmcoach/utterance"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Start Breathing!", "start breathing"},
		{"  next\tstep  ", "next step"},
		{"let's do the stretch", "let us do the stretch"},
		{"lets do the stretch", "let us do the stretch"},
		{"let’s do the stretch", "let us do the stretch"},
		{"What's step four?", "what is step 4"},
		{"I can't feel my legs", "i can not feel my legs"},
		{"i cannot feel my legs", "i can not feel my legs"},
		{"I'll use heat", "i will use heat"},
		{"I feel ill", "i feel ill"}, // "ill" is a word, only "i'll" expands
		{"we're well", "we are well"},
		{"the pack's on", "the pack is on"},
		{"the packs on", "the packs on"},
		{"my bum's gone numb", "my bum is gone numb"},
		{"I- I can't move", "i can not move"},
		{"it really really hurts", "it really hurts"},
		{"ow ow ow", "ow"},
		{"five five", "5 5"},
		{"hang on, hang on", "hang on"},
		{"I can't move, I can't move", "i can not move"},
		{"step 4 4", "step 4 4"},
		{"'quoted'", "quoted"},
		{"Alexa, um, next please", "next"},
		{"ok", "okay"},
		{"alright", "all right"},
		{"set an ice-pack timer", "set an ice pack timer"},
		{"heat/cold", "heat cold"},
		{"fifteen", "15"},
		{"twenty one", "21"},
		{"twenty-one", "21"},
		{"ninety nine", "99"},
		{"twenty", "20"},
		{"zero", "0"},
		{"a hundred", "100"},
		{"one hundred and five", "105"},
		{"three hundred twenty", "320"},
		{"two thousand and twelve", "2012"},
		{"nine hundred and ninety nine thousand nine hundred and ninety nine", "999999"},
		{"five ten", "5 10"},
		{"twenty twenty", "20 20"},
		{"one two three", "123"},
		{"five six", "5 6"},
		{"call nine one one", "call 911"},
		{"call 9-1-1", "call 911"},
		{"call 911", "call 911"},
		{"ring triple nine", "ring 999"},
		{"call triple zero", "call 000"},
		{"call 000", "call 000"},
		{"call zero zero zero", "call 000"},
		{"dial one oh eight", "dial 108"},
		{"dial double one two", "dial 112"},
		{"double one", "double 1"},
		{"oh no", "oh no"},
		{"step 05", "step 5"},
		{"a minute", "a minute"},
		{"hundred", "hundred"},
		{"thousand", "thousand"},
		{"five and six", "5 and 6"},
		{"07", "7"},
		{"2.5 minutes", "2.5 minutes"},
		{"end.", "end"},
		{"1.", "1"},
		{"next one", "next 1"},
		{"Ça va", "ça va"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := utterance.Normalize(tc.in)
			if got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := utterance.Normalize(got); again != got {
				t.Errorf("Normalize is not idempotent: %q then %q", got, again)
			}
		})
	}
}

// FuzzNormalize: Normalize is idempotent, and Resolve and ParseInvocation
// take any text without panicking.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"start breathing", "set an ice-pack timer for fifteen minutes", "let’s go",
		"one hundred and", "ask back spasm coach to", "{pack}", "a hundred thousand", "'''", "2.5.5"} {
		f.Add(s)
	}
	r := mustResolver(f, "en-US")
	f.Fuzz(func(t *testing.T, s string) {
		n := utterance.Normalize(s)
		if again := utterance.Normalize(n); again != n {
			t.Errorf("Normalize(%q) = %q, then %q", s, n, again)
		}
		m := r.Resolve(s)
		if m.Intent == "" {
			t.Errorf("Resolve(%q) has no intent", s)
		}
		if inv := utterance.ParseInvocation(s, "back spasm coach"); !inv.Launch && inv.Utterance != "" {
			t.Errorf("ParseInvocation(%q) = %+v: an utterance without a launch", s, inv)
		}
	})
}
