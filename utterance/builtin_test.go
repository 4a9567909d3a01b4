package utterance

import (
	"testing"

	"spasmcoach/infra"
)

// TestBuiltinPhrases: every built-in phrasing resolves to its intent with
// the real model: no sample of another intent takes it.
func TestBuiltinPhrases(t *testing.T) {
	m, err := infra.Model("en-US")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewResolver(m)
	if err != nil {
		t.Fatal(err)
	}
	for intent, phrases := range builtinPhrases {
		if m.Intent(intent) == nil {
			t.Errorf("built-in phrasings for %s, which the model lacks", intent)
			continue
		}
		for _, p := range phrases {
			if got := r.Resolve(p); got.Intent != intent || got.Confidence != Exact {
				t.Errorf("Resolve(%q) = %s (%s, sample %q), want %s", p, got.Intent, got.Confidence, got.Sample, intent)
			}
		}
	}
}
