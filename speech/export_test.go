package speech

import (
	"testing"
	"time"
)

// SkillBreathCues builds the paced cues of breaths breaths of one of the
// skill's breathing patterns (the long exhale when long is set, else the
// steady default) at a pace level (0 is the routine's own pace, negative
// faster), and the set's length. It is the skill's own cue builder,
// skill.BreathCues: skill imports speech, so only the external test
// package can import skill, and its init (skillcues_test.go) sets this and
// SkillMinPace for the tests inside the package. Tests that render the
// breathing set use it, so the set they time is the one the skill ships.
var SkillBreathCues func(long bool, pace, breaths int) ([]Cue, time.Duration)

// SkillMinPace is the skill's fastest pace level, skill.MinPace.
var SkillMinPace int

// skillSet returns SkillBreathCues(long, 0, breaths), failing the test if
// the external test package has not set it.
func skillSet(tb testing.TB, long bool, breaths int) ([]Cue, time.Duration) {
	tb.Helper()
	return skillSetAt(tb, long, 0, breaths)
}

// skillSetAt is skillSet at a pace level.
func skillSetAt(tb testing.TB, long bool, pace, breaths int) ([]Cue, time.Duration) {
	tb.Helper()
	if SkillBreathCues == nil {
		tb.Fatal("SkillBreathCues is not set: skillcues_test.go must set it from skill.BreathCues")
	}
	cues, length := SkillBreathCues(long, pace, breaths)
	if len(cues) == 0 || len(cues)%breaths != 0 || length <= 0 {
		tb.Fatalf("the skill's set of %d breaths at pace %d has %d cues over %v", breaths, pace, len(cues), length)
	}
	return cues, length
}
