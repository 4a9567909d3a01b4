package skill_test

import (
	"strings"
	"testing"

	"spasmcoach/skill"
)

// TestStepChoices: each step's choices are three, and the first names an
// activity only when the step offers it.
func TestStepChoices(t *testing.T) {
	activities := map[string]skill.Offer{
		"start breathing":       skill.OfferBreathing,
		"start the stretch":     skill.OfferStretch,
		"set a pack timer":      skill.OfferPack,
		"start the lying twist": skill.OfferExercise,
	}
	for _, info := range skill.Steps {
		choices := strings.Split(info.Choices, ", ")
		if len(choices) != 3 || !strings.HasPrefix(choices[2], "or ") {
			t.Errorf("step %d: choices %q, want three: \"a, b, or c\"", info.Number, info.Choices)
			continue
		}
		if offer, ok := activities[choices[0]]; ok && !info.Has(offer) {
			t.Errorf("step %d offers %q but does not offer that activity", info.Number, choices[0])
		} else if !ok && choices[0] != "next step" {
			t.Errorf("step %d: first choice %q is neither an activity nor next step", info.Number, choices[0])
		}
	}
}
