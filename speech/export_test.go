package speech

import (
	"testing"
	"time"
)

// SkillBreathCues builds the paced cues of breaths breaths of one of the
// skill's breathing patterns (the long exhale when long is set, else the
// steady default) at the routine's own pace, and the set's length. It is
// the skill's own cue builder, skill.BreathCues: skill imports speech, so
// only the external test package can import skill, and its init
// (skillcues_test.go) sets this for the tests inside the package. Tests
// that render the breathing set use it, so the set they time is the one
// the skill ships.
var SkillBreathCues func(long bool, breaths int) ([]Cue, time.Duration)

// skillSet returns SkillBreathCues(long, breaths), failing the test if the
// external test package has not set it.
func skillSet(tb testing.TB, long bool, breaths int) ([]Cue, time.Duration) {
	tb.Helper()
	if SkillBreathCues == nil {
		tb.Fatal("SkillBreathCues is not set: skillcues_test.go must set it from skill.BreathCues")
	}
	cues, length := SkillBreathCues(long, breaths)
	if len(cues) == 0 || len(cues)%breaths != 0 || length <= 0 {
		tb.Fatalf("the skill's set of %d breaths has %d cues over %v", breaths, len(cues), length)
	}
	return cues, length
}
