package speech_test

import (
	"time"

	"spasmcoach/skill"
	"spasmcoach/speech"
)

// The tests inside package speech render the breathing set the skill
// ships: its own cue builder, handed over here because package speech
// cannot import skill (skill imports speech), while its external test
// package can.
func init() {
	speech.SkillBreathCues = func(long bool, pace, breaths int) ([]speech.Cue, time.Duration) {
		p := skill.PatternSteady
		if long {
			p = skill.PatternLongExhale
		}
		return skill.BreathCues(p, pace, breaths)
	}
	speech.SkillMinPace = skill.MinPace
}
