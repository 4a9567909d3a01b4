package utterance_test

import (
	"testing"

	"spasmcoach/utterance"
)

func TestParseInvocation(t *testing.T) {
	const name = "back spasm coach"
	tests := []struct {
		text      string
		launch    bool
		utterance string
	}{
		// Plain launches.
		{"open back spasm coach", true, ""},
		{"Alexa, open Back Spasm Coach.", true, ""},
		{"alexa open back spasm coach", true, ""},
		{"hey alexa, open back spasm coach", true, ""},
		{"launch back spasm coach", true, ""},
		{"start back spasm coach", true, ""},
		{"begin back spasm coach", true, ""},
		{"load back spasm coach", true, ""},
		{"play back spasm coach", true, ""},
		{"run back spasm coach", true, ""},
		{"resume back spasm coach", true, ""},
		{"talk to back spasm coach", true, ""},
		{"ask back spasm coach", true, ""},
		{"open back spasm coach please", true, ""},
		{"ask back spasm coach to", true, ""},

		// One-shots.
		{"ask back spasm coach to start breathing", true, "start breathing"},
		{"Alexa, ask back spasm coach to start breathing", true, "start breathing"},
		{"tell back spasm coach I need help", true, "i need help"},
		{"tell back spasm coach that I fell", true, "i fell"},
		{"ask back spasm coach for the cold pack timer", true, "the cold pack timer"},
		{"ask back spasm coach about ice or heat", true, "ice or heat"},
		{"ask back spasm coach what step am I on", true, "what step am i on"},
		{"ask back spasm coach if I should use ice or heat", true, "i should use ice or heat"},
		{"open back spasm coach and start breathing", true, "start breathing"},
		{"open back spasm coach and then go to step four", true, "go to step 4"},
		{"start breathing with back spasm coach", true, "start breathing"},
		{"set a cold pack timer using back spasm coach", true, "set a cold pack timer"},

		// Not an invocation.
		{"start breathing", false, ""},
		{"open", false, ""},
		{"back spasm coach", false, ""},
		{"I like back spasm coach", false, ""},
		{"open back coach", false, ""},
		{"open the door", false, ""},
		{"", false, ""},
		{"with back spasm coach", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := utterance.ParseInvocation(tc.text, name)
			if got.Launch != tc.launch || got.Utterance != tc.utterance {
				t.Errorf("ParseInvocation(%q) = %+v, want Launch %v Utterance %q", tc.text, got, tc.launch, tc.utterance)
			}
			if got.OneShot() != (tc.utterance != "") {
				t.Errorf("OneShot() = %v", got.OneShot())
			}
		})
	}
}

func TestParseInvocationEmptyName(t *testing.T) {
	if got := utterance.ParseInvocation("open back spasm coach", ""); got.Launch {
		t.Errorf("ParseInvocation with no name = %+v", got)
	}
}

// TestOneShotsResolve: what a one-shot carries resolves like the same words
// said in a session.
func TestOneShotsResolve(t *testing.T) {
	r := mustResolver(t, "en-US")
	tests := []struct{ text, intent string }{
		{"ask back spasm coach to start breathing", "StartBreathingIntent"},
		{"tell back spasm coach I need help", "AMAZON.HelpIntent"},
		{"ask back spasm coach for the cold pack timer", "SetPackTimerIntent"},
		{"open back spasm coach and start breathing", "StartBreathingIntent"},
		{"ask back spasm coach to set an ice pack timer for fifteen minutes", "SetPackTimerIntent"},
		{"tell back spasm coach I can't feel my legs", "WarningSignIntent"},
		{"ask back spasm coach to go to step nine", "GoToStepIntent"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			inv := utterance.ParseInvocation(tc.text, "back spasm coach")
			if !inv.OneShot() {
				t.Fatalf("ParseInvocation(%q) = %+v, not a one-shot", tc.text, inv)
			}
			if got := r.Resolve(inv.Utterance); got.Intent != tc.intent {
				t.Errorf("Resolve(%q) = %s, want %s", inv.Utterance, got.Intent, tc.intent)
			}
		})
	}
}
