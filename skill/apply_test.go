package skill_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // every zone loads, with or without the system's tzdata

	"spasmcoach/skill"
	"spasmcoach/speech"
)

// onStep returns a conversation that has reached step n the normal way.
func onStep(tb testing.TB, n int) *convo {
	c := started(tb)
	if n != 1 {
		c.sayEvent(skill.Event{Kind: skill.EvGoToStep, Number: n})
	}
	return c
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(testing.TB) *convo
		event   skill.Event
		step    int
		ask     skill.Question
		act     skill.ActivityKind
		listen  bool
		effects []skill.EffectKind
		says    []string // each must appear in what is said
		never   []string // none may appear
		// check, when set, makes further assertions on the state before
		// the event, the conversation after it and the replies.
		check func(t *testing.T, before skill.State, c *convo, replies []skill.Reply)
	}{
		{
			name: "FirstLaunchBriefsAndDisclaims", setup: newConvo,
			event: skill.Event{Kind: skill.EvLaunch},
			step:  1, ask: skill.AskBriefing, listen: true,
			says: []string{"Welcome to Back Spasm Coach", "not medical advice", "fall, an accident", "9 1 1", "Alexa can't call", "say continue"},
		},
		{
			name: "OneShotBeforeFirstLaunchBriefsFirst", setup: newConvo,
			event: skill.Event{Kind: skill.EvStartBreathing},
			step:  1, ask: skill.AskBriefing, listen: true,
			says: []string{"warning signs"}, never: []string{"Breathe in"},
		},
		{
			name: "ContinueAfterBriefingEntersStepOne", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvContinue},
			step:  1, listen: true, says: []string{"Step one", "say next"},
		},
		{
			name: "NoAfterBriefingMeansNoneApply", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvNo},
			step:  1, listen: true, says: []string{"Step one"},
		},
		{
			name: "NextMovesOn", setup: func(tb testing.TB) *convo { return onStep(tb, 2) },
			event: skill.Event{Kind: skill.EvNext},
			step:  3, listen: true, says: []string{"Step three", "start breathing"},
		},
		{
			name: "NextOnLastStep", setup: func(tb testing.TB) *convo { return onStep(tb, 9) },
			event: skill.Event{Kind: skill.EvNext},
			step:  9, listen: true, says: []string{"last step"},
		},
		{
			name: "PreviousGoesBack", setup: func(tb testing.TB) *convo { return onStep(tb, 4) },
			event: skill.Event{Kind: skill.EvPrevious},
			step:  3, listen: true, says: []string{"Step three"},
		},
		{
			name: "PreviousOnFirstStep", setup: started,
			event: skill.Event{Kind: skill.EvPrevious},
			step:  1, listen: true, says: []string{"first step"},
		},
		{
			name: "GoToStep", setup: started,
			event: skill.Event{Kind: skill.EvGoToStep, Number: 5},
			step:  5, listen: true, says: []string{"Step five", "set a cold pack timer"},
		},
		{
			name: "ErrStepOutOfRange", setup: started,
			event: skill.Event{Kind: skill.EvGoToStep, Number: 12},
			step:  1, listen: true, says: []string{"nine steps", "one to nine"},
		},
		{
			name: "ErrStepMissing", setup: started,
			event: skill.Event{Kind: skill.EvGoToStep},
			step:  1, listen: true, says: []string{"Which step?"},
		},
		{
			name: "ErrStepUnclear", setup: started,
			event: skill.Event{Kind: skill.EvGoToStep, Unclear: true},
			step:  1, listen: true, says: []string{"one to nine"},
		},
		{
			name: "StartBreathingCountsASet", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvStartBreathing},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"Breathe in", "two", "hold", "out", "light-headed or short of air", "say faster", "Another set?"},
		},
		{
			name: "StartBreathingFromStepOneMovesToThree", setup: started,
			event: skill.Event{Kind: skill.EvStartBreathing},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"step 3", "Breathe in"},
		},
		{
			name: "BreathingForACountChainsSets", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvStartBreathing, Number: 20},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"That's 6 of 20", "Ready for the next set?"},
		},
		{
			name: "YesToAnotherSetCountsOne", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"Breathe in", "Another set?"}, never: []string{"next step?"},
			check: func(t *testing.T, before skill.State, c *convo, _ []skill.Reply) {
				if c.s.Act.Set != before.Act.Set+1 {
					t.Errorf("sets %d, want %d", c.s.Act.Set, before.Act.Set+1)
				}
			},
		},
		{
			name: "AgainMeansAnotherSet", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvRepeat}, // "again", "one more time"
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"Breathe in", "Another set?"},
			check: func(t *testing.T, before skill.State, c *convo, _ []skill.Reply) {
				if c.s.Act.Set != before.Act.Set+1 {
					t.Errorf("sets %d, want %d", c.s.Act.Set, before.Act.Set+1)
				}
			},
		},
		{
			name: "HelpDuringAnActivityAsksYesOrNo", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 4)
				c.say(skill.EvStartStretch)
				c.say(skill.EvPause)
				return c
			},
			event: skill.Event{Kind: skill.EvHelp},
			step:  4, ask: skill.AskNextStep, act: skill.ActStretch, listen: true,
			says: []string{"step 4", "9 1 1", "Shall we go on?"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				if got := c.say(skill.EvYes); !strings.Contains(got, "Hold it there") {
					t.Errorf("yes after help says %q, want another round", got)
				}
			},
		},
		{
			name: "NoToAnotherSetWaits", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvNo},
			step:  3, act: skill.ActBreathing, listen: true,
			says: []string{"next step when you're ready"}, never: []string{"Breathe in"},
		},
		{
			name: "YesToTheNextCountedSet", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.sayEvent(skill.Event{Kind: skill.EvStartBreathing, Number: 8})
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"Breathe in", "all 8 breaths", "Another set?"},
		},
		{
			name: "StretchGuidesHoldsAndRests", setup: func(tb testing.TB) *convo { return onStep(tb, 4) },
			event: skill.Event{Kind: skill.EvStartStretch},
			step:  4, ask: skill.AskNextStep, act: skill.ActStretch, listen: true,
			says: []string{"Curl forward", "Hold it there", "And rest", "Another round of holds?"},
		},
		{
			name: "YesToAnotherRound", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 4)
				c.say(skill.EvStartStretch)
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  4, ask: skill.AskNextStep, act: skill.ActStretch, listen: true,
			says: []string{"further", "And rest", "Another round of holds?"},
			check: func(t *testing.T, before skill.State, c *convo, _ []skill.Reply) {
				if c.s.Act.Set != before.Act.Set+1 {
					t.Errorf("rounds %d, want %d", c.s.Act.Set, before.Act.Set+1)
				}
			},
		},
		{
			name: "LyingTwist", setup: func(tb testing.TB) *convo { return onStep(tb, 9) },
			event: skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseLyingTwist},
			step:  9, ask: skill.AskNextStep, act: skill.ActExercise, listen: true,
			says: []string{"knees to the left", "Knees to the right", "5 on each side", "Another set?"},
		},
		{
			name: "NoMoreExerciseSetsEnds", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 9)
				c.sayEvent(skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseLyingTwist})
				return c
			},
			event: skill.Event{Kind: skill.EvNo},
			step:  9, listen: false, says: []string{"Rest now", "step 9"}, never: []string{"Roll"},
		},
		{
			name: "SeatedTwistEarlyWaitsForYes", setup: func(tb testing.TB) *convo { return onStep(tb, 9) },
			event: skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseSeatedTwist},
			step:  9, ask: skill.AskSeatedTwist, listen: true,
			says:  []string{"when you can move comfortably", "doctor has checked", "Shall we start"},
			never: []string{"Sit tall", "Turn gently"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				got := c.say(skill.EvYes)
				if !strings.Contains(got, "Sit tall") || !strings.Contains(got, "Stop if the pain gets worse") ||
					c.s.Act.Exercise != skill.ExerciseSeatedTwist {
					t.Errorf("yes to the seated twist says %q, activity %+v", got, c.s.Act)
				}
			},
		},
		{
			name: "SeatedTwistLaterStartsWithCautions", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 9)
				c.now = c.now.Add(4 * 24 * time.Hour)
				c.say(skill.EvLaunch)
				c.say(skill.EvContinue)
				return c
			},
			event: skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseSeatedTwist},
			step:  9, ask: skill.AskNextStep, act: skill.ActExercise, listen: true,
			says: []string{"when you can move comfortably", "doctor has checked", "Stop if the pain gets worse"},
		},
		{
			name: "ExerciseWithoutNameAsks", setup: func(tb testing.TB) *convo { return onStep(tb, 9) },
			event: skill.Event{Kind: skill.EvStartExercise},
			step:  9, listen: true, says: []string{"lying twist, or the seated twist?"},
		},
		{
			name: "PackTimerIsConfirmedFirst", setup: func(tb testing.TB) *convo { return onStep(tb, 5) },
			event: skill.Event{Kind: skill.EvSetPack},
			step:  5, ask: skill.AskTimer, listen: true,
			// The user never said when it started: the plan does not claim
			// it is early days.
			says: []string{"I don't know when it started, so cold", "Shall I start a 20-minute cold pack timer?"},
		},
		{
			name: "PackAfterThreeDaysSaysWhyHeat", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.now = c.now.Add(80 * time.Hour)
				c.say(skill.EvContinue) // the day's briefing
				return c
			},
			event: skill.Event{Kind: skill.EvSetPack},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"It's been about 3 days, so moist heat is better now", "20-minute heat pack timer?"},
		},
		{
			name: "PackOnDayThreeSaysWhyCold", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.now = c.now.Add(60 * time.Hour)
				c.say(skill.EvContinue) // the day's briefing
				return c
			},
			event: skill.Event{Kind: skill.EvSetPack, Minutes: 15},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"so cold is still best", "15-minute cold pack timer?"},
		},
		{
			name: "NamedPackNeedsNoReason", setup: func(tb testing.TB) *convo { return onStep(tb, 5) },
			event: skill.Event{Kind: skill.EvSetPack, Pack: skill.PackHeat},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"20-minute heat pack timer?"}, never: []string{"early days", "prefer"},
		},
		{
			name: "PackTimerCappedAtTwenty", setup: func(tb testing.TB) *convo { return onStep(tb, 5) },
			event: skill.Event{Kind: skill.EvSetPack, Minutes: 45},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"Twenty minutes is the most", "20-minute cold pack"},
		},
		{
			name: "PackTimerRaisedToTen", setup: func(tb testing.TB) *convo { return onStep(tb, 5) },
			event: skill.Event{Kind: skill.EvSetPack, Minutes: 3},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"Ten minutes is the shortest", "10-minute cold pack"},
		},
		{
			name: "YesCreatesTimer", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.sayEvent(skill.Event{Kind: skill.EvSetPack, Minutes: 15})
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  5, ask: skill.AskReminder, listen: true,
			says: []string{"ring in 15 minutes", "thin towel", "remind you"},
		},
		{
			name: "NoTimer", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				return c
			},
			event: skill.Event{Kind: skill.EvNo},
			step:  5, listen: true, says: []string{"no timer"},
		},
		{
			name: "ColdAfterThreeDaysSuggestsHeat", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.now = c.now.Add(80 * time.Hour)
				c.say(skill.EvContinue) // the day's briefing
				return c
			},
			event: skill.Event{Kind: skill.EvSetPack, Pack: skill.PackCold},
			step:  5, ask: skill.AskSwitchPack, listen: true,
			says: []string{"moist heat is usually better now", "heat pack timer instead?"},
		},
		{
			name: "PreferHeatIsHonoured", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.sayEvent(skill.Event{Kind: skill.EvPreferPack, Pack: skill.PackHeat})
				return c
			},
			event: skill.Event{Kind: skill.EvSetPack},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"You said you prefer heat.", "heat pack timer?"}, never: []string{"early days"},
		},
		{
			name: "PreferCold", setup: func(tb testing.TB) *convo { return onStep(tb, 5) },
			event: skill.Event{Kind: skill.EvPreferPack, Pack: skill.PackCold},
			step:  5, listen: true, says: []string{"suggest cold packs", "skin goes numb", "set a cold pack timer"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				if c.s.Pref != skill.PackCold {
					t.Errorf("preference %v, want cold", c.s.Pref)
				}
			},
		},
		{
			name: "PreferColdIsHonouredAfterThreeDays", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.sayEvent(skill.Event{Kind: skill.EvPreferPack, Pack: skill.PackCold})
				c.now = c.now.Add(80 * time.Hour)
				c.say(skill.EvContinue) // the day's briefing
				return c
			},
			event: skill.Event{Kind: skill.EvSetPack},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"You said you prefer cold.", "20-minute cold pack timer?"}, never: []string{"heat"},
		},
		{
			name: "IceOrHeatEarly", setup: func(tb testing.TB) *convo { return onStep(tb, 5) },
			event: skill.Event{Kind: skill.EvIceOrHeat},
			step:  5, listen: true,
			says: []string{"I don't know when the spasm started", "cold for the first couple of days", "it started yesterday",
				"I prefer heat", "set a cold pack timer"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				// The answer doesn't give the cold pack's cautions, so the
				// first pack still gives them in full.
				c.say(skill.EvSetPack)
				if got := c.say(skill.EvYes); !strings.Contains(got, "thin towel") || !strings.Contains(got, "skin goes numb") {
					t.Errorf("the first cold pack after ice or heat says %q, want its cautions in full", got)
				}
			},
		},
		{
			name: "IceOrHeatAfterThreeDays", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.now = c.now.Add(80 * time.Hour)
				c.say(skill.EvContinue) // the day's briefing
				return c
			},
			event: skill.Event{Kind: skill.EvIceOrHeat},
			step:  5, listen: true,
			says: []string{"moist heat is the one now", "set a heat pack timer"}, never: []string{"cold is the one"},
		},
		{
			name: "IceOrHeatFollowsPreference", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.sayEvent(skill.Event{Kind: skill.EvPreferPack, Pack: skill.PackHeat})
				return c
			},
			event: skill.Event{Kind: skill.EvIceOrHeat},
			step:  5, listen: true,
			says:  []string{"You said you prefer heat", "I prefer cold", "set a heat pack timer"},
			never: []string{"cold is the one", "set a cold pack"},
		},
		{
			name: "TimerStatus", setup: withPackTimer,
			event: skill.Event{Kind: skill.EvTimerStatus, Remaining: 7 * time.Minute},
			step:  5, listen: true, says: []string{"About 7 minutes left on your cold pack"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				applied := c.now.Add(-20 * time.Second) // convo moves on 20 s a turn
				if want := skill.At(applied.Add(7 * time.Minute)); c.s.Timer.Ends != want {
					t.Errorf("timer ends %v, want %v", c.s.Timer.Ends.Time(), want.Time())
				}
			},
		},
		{
			name: "TimerStatusUnderAMinute", setup: withPackTimer,
			event: skill.Event{Kind: skill.EvTimerStatus, Remaining: 40 * time.Second},
			step:  5, listen: true, says: []string{"Less than a minute left"},
		},
		{
			name: "TimerGone", setup: withPackTimer,
			event: skill.Event{Kind: skill.EvTimerGone},
			step:  5, listen: true, says: []string{"already finished"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				if c.s.Timer != (skill.Timer{}) {
					t.Errorf("a finished timer is still recorded: %+v", c.s.Timer)
				}
				if got := c.say(skill.EvPackLeft); !strings.Contains(got, "no pack timer") {
					t.Errorf("pack left after the timer finished: %q", got)
				}
			},
		},
		{
			name: "SessionEndedDropsTheQuestion", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				return c
			},
			event: skill.Event{Kind: skill.EvSessionEnded},
			step:  5, listen: false,
			check: func(t *testing.T, _ skill.State, c *convo, replies []skill.Reply) {
				if !replies[0].Say.Empty() {
					t.Errorf("a session end says %q", said(replies[0].Say))
				}
				if c.s.Plan != (skill.PackPlan{}) {
					t.Errorf("the offered timer survived the session: %+v", c.s.Plan)
				}
			},
		},
		{
			name: "SessionEndedKeepsAPermissionPlan", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				c.answer = skill.EvTimerNoPermission
				c.say(skill.EvYes)
				return c
			},
			event: skill.Event{Kind: skill.EvSessionEnded},
			step:  5, ask: skill.AskConsent, listen: false,
			check: func(t *testing.T, before skill.State, c *convo, _ []skill.Reply) {
				if c.s != before {
					t.Errorf("the session end changed a state waiting for a permission:\n%+v\n%+v", before, c.s)
				}
			},
		},
		{
			name: "PackLeftWithoutTimer", setup: started,
			event: skill.Event{Kind: skill.EvPackLeft},
			step:  1, listen: true, says: []string{"no pack timer"},
		},
		{
			name: "CancelWithoutTimer", setup: started,
			event: skill.Event{Kind: skill.EvCancelPack},
			step:  1, listen: true, says: []string{"no pack timer"},
		},
		{
			name: "NoPermissionAsksByVoice", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				c.s, _ = apply(tb, c.s, skill.Event{Kind: skill.EvYes}, c.now) // the timer is not created yet
				return c
			},
			event: skill.Event{Kind: skill.EvTimerNoPermission},
			step:  5, ask: skill.AskConsent, listen: false,
			effects: []skill.EffectKind{skill.AskPermission},
			says:    []string{"permission"},
		},
		{
			name: "TimerRefused", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				c.s, _ = apply(tb, c.s, skill.Event{Kind: skill.EvYes}, c.now) // the timer is not created yet
				return c
			},
			event: skill.Event{Kind: skill.EvTimerFailed, Failure: skill.FailUnavailable},
			step:  5, listen: true,
			says: []string{"couldn't set the timer", "Alexa, set a timer for 20 minutes"},
		},
		{
			name: "SlowerSlowsTheCount", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvSlower},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"slower", "Breathe in"},
			check: func(t *testing.T, before skill.State, c *convo, replies []skill.Reply) {
				checkPace(t, before, c.s, replies, +1)
			},
		},
		{
			name: "FasterQuickensTheCount", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvFaster},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"faster", "Breathe in"},
			check: func(t *testing.T, before skill.State, c *convo, replies []skill.Reply) {
				checkPace(t, before, c.s, replies, -1)
			},
		},
		{
			name: "SlowestPaceStaysPut", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				for range skill.MaxPace {
					c.say(skill.EvSlower)
				}
				return c
			},
			event: skill.Event{Kind: skill.EvSlower},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"as slow as I go"},
			check: func(t *testing.T, before skill.State, c *convo, _ []skill.Reply) {
				if before.Pace != skill.MaxPace || c.s.Pace != skill.MaxPace {
					t.Errorf("pace %d then %d, want %d", before.Pace, c.s.Pace, skill.MaxPace)
				}
			},
		},
		{
			name: "SteadyBreathingAfterLongExhale", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvLongExhale)
				return c
			},
			event: skill.Event{Kind: skill.EvSteadyBreathing},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"back to the steady pattern", "hold"},
			check: func(t *testing.T, _ skill.State, c *convo, replies []skill.Reply) {
				if c.s.Pattern != skill.PatternSteady {
					t.Errorf("pattern %v, want steady", c.s.Pattern)
				}
				ps := paced(replies[0])
				if len(ps) != 1 || !slices.ContainsFunc(ps[0].Cues, func(c speech.Cue) bool { return c.Text == "hold" }) {
					t.Errorf("the set is not the steady pattern: %+v", ps)
				}
			},
		},
		{
			name: "SteadyBreathingWhenSteady", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvSteadyBreathing},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"already using the steady pattern", "Breathe in"},
		},
		{
			name: "ResumeAfterPause", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				c.say(skill.EvPause)
				c.now = c.now.Add(time.Hour)
				c.say(skill.EvLaunch) // "Shall we pick up there?"
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"carry on with breathing", "Ready to start breathing?"},
			check: func(t *testing.T, before skill.State, c *convo, _ []skill.Reply) {
				if !before.Act.Paused || c.s.Act.Paused {
					t.Errorf("paused %v before, %v after; want true, then false", before.Act.Paused, c.s.Act.Paused)
				}
				if got := c.say(skill.EvYes); !strings.Contains(got, "Breathe in") {
					t.Errorf("yes to ready says %q, want a set", got)
				}
			},
		},
		{
			name: "ContinueAfterPauseCounts", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				c.say(skill.EvPause)
				c.now = c.now.Add(10 * time.Minute)
				return c
			},
			event: skill.Event{Kind: skill.EvContinue}, // "ask back spasm coach to resume"
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"Breathe in", "Another set?"},
			check: func(t *testing.T, before skill.State, c *convo, _ []skill.Reply) {
				if !before.Act.Paused || c.s.Act.Paused {
					t.Errorf("paused %v before, %v after; want true, then false", before.Act.Paused, c.s.Act.Paused)
				}
			},
		},
		{
			name: "LongExhale", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvLongExhale},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"long exhale", "six"},
		},
		{
			name: "WhereAmI", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvWhereAmI},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"on step 3, slow breathing, doing the breathing, with 6 breaths done"},
		},
		{
			name: "Elapsed", setup: func(tb testing.TB) *convo {
				c := started(tb)
				c.now = c.now.Add(3 * time.Hour)
				return c
			},
			event: skill.Event{Kind: skill.EvElapsed},
			step:  1, listen: true, says: []string{"started about 3 hours ago"},
		},
		{
			name: "WarningSignEndsWithEmergencyAdvice", setup: started,
			event: skill.Event{Kind: skill.EvWarningSign, Locale: "en-GB"},
			step:  1, listen: false,
			says:  []string{"9 9 9", "local emergency number", "can't call"},
			never: []string{"9 1 1"},
		},
		{
			name: "HelpIsContextual", setup: func(tb testing.TB) *convo { return onStep(tb, 4) },
			event: skill.Event{Kind: skill.EvHelp},
			step:  4, listen: true, says: []string{"step 4", "start the stretch"},
		},
		{
			name: "StopCloses", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvStop},
			step:  3, listen: false, says: []string{"step 3"},
		},
		{
			name: "CancelCloses", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvCancel},
			step:  3, listen: false,
		},
		{
			name: "PauseCloses", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvPause},
			step:  3, act: skill.ActBreathing, listen: false, says: []string{"pause"},
		},
		{
			name: "ForgetMeAsksFirst", setup: started,
			event: skill.Event{Kind: skill.EvForgetMe},
			step:  1, ask: skill.AskForget, listen: true, says: []string{"Are you sure?"},
		},
		{
			name: "ForgetMeYesDeletes", setup: func(tb testing.TB) *convo {
				c := started(tb)
				c.say(skill.EvForgetMe)
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  0, listen: false, effects: []skill.EffectKind{skill.Forget},
			says: []string{"deleted everything"},
		},
		{
			name: "FallbackHelps", setup: started,
			event: skill.Event{Kind: skill.EvFallback},
			step:  1, listen: true, says: []string{"Sorry", "help"},
		},
		{
			name: "FallbackDuringQuestionAsksAgain", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				return c
			},
			event: skill.Event{Kind: skill.EvFallback},
			step:  5, ask: skill.AskTimer, listen: true, says: []string{"Shall I start"},
		},
		{
			// Briefed an hour ago, the same day: a new episode still tells
			// the signs in full.
			name: "StartOverBriefsInFull", setup: func(tb testing.TB) *convo { return onStep(tb, 6) },
			event: skill.Event{Kind: skill.EvStartOver},
			step:  1, ask: skill.AskBriefing, listen: true,
			says:  []string{"fresh start", "fall, an accident", "Numbness or tingling", "both legs", "fever", "9 1 1", "Alexa can't call", "say continue"},
			never: []string{"earlier today"},
		},
		{
			name: "StartOverRepeatsEveryCaution", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				c.say(skill.EvStartOver)
				c.say(skill.EvContinue)
				c.sayEvent(skill.Event{Kind: skill.EvGoToStep, Number: 3})
				return c
			},
			event: skill.Event{Kind: skill.EvStartBreathing},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"light-headed", "I'll count with you"},
		},
		{
			name: "SecondSetOmitsTheCaution", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				c.say(skill.EvNext)
				c.say(skill.EvPrevious)
				return c
			},
			event: skill.Event{Kind: skill.EvStartBreathing},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"Breathe in"}, never: []string{"light-headed"},
		},
		{
			name: "RepeatDuringBriefingTellsTheSignsInFull", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvRepeat},
			step:  1, ask: skill.AskBriefing, listen: true,
			says:  []string{"again", "fall, an accident", "Numbness or tingling", "bladder", "both legs", "fever", "9 1 1", "say continue"},
			never: []string{"earlier today"},
		},
		{
			name: "RepeatAfterStartOverTellsTheSignsInFull", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 4)
				c.say(skill.EvStartOver)
				return c
			},
			event: skill.Event{Kind: skill.EvRepeat},
			step:  1, ask: skill.AskBriefing, listen: true,
			says: []string{"fall, an accident", "fever", "say continue"}, never: []string{"earlier today"},
		},
		{
			name: "NextDuringBriefingEntersStepOne", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvNext},
			step:  1, listen: true, says: []string{"Step one. Stop and rest.", "say next"}, never: []string{"Step two"},
		},
		{
			name: "NextDuringTheDaysBriefingResumes", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 4)
				c.say(skill.EvStop)
				c.now = c.now.Add(20 * time.Hour)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvNext},
			step:  4, listen: true, says: []string{"Step four"}, never: []string{"Step five"},
		},
		{
			name: "HelpDuringBriefingExplainsAndAsksAgain", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvHelp, Locale: "en-GB"},
			step:  1, ask: skill.AskBriefing, listen: true,
			says:  []string{"warning signs", "call 9 9 9, or your local emergency number", "Alexa can't call", "say continue"},
			never: []string{"You're on step", "Stop whatever"},
		},
		{
			name: "DistressOffersBreathing", setup: func(tb testing.TB) *convo { return onStep(tb, 2) },
			event: skill.Event{Kind: skill.EvDistress},
			step:  2, ask: skill.AskBreathe, listen: true,
			says: []string{"Stop any movement", "Stay as still as is comfortable", "call 9 1 1", "Shall we slow your breathing together?"},
		},
		{
			name: "DistressMidStretchHolds", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 4)
				c.say(skill.EvStartStretch)
				return c
			},
			event: skill.Event{Kind: skill.EvDistress},
			step:  4, ask: skill.AskBreathe, listen: true,
			says: []string{"Okay, stop there"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				if !c.s.Hold {
					t.Error("the stretch stopped by distress is not held back")
				}
				if got := c.say(skill.EvStartStretch); strings.Contains(got, "further, if") || strings.Contains(got, "Just a little further") {
					t.Errorf("the next stretch goes further: %q", got)
				}
			},
		},
		{
			name: "MedicineKeepsTheQuestion", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				return c
			},
			event: skill.Event{Kind: skill.EvMedicine},
			step:  5, ask: skill.AskTimer, listen: true,
			says: []string{"follow the label", "pharmacist", "Shall I start a 20-minute cold pack timer?"},
		},
		{
			name: "WarningSignsThenBackToTheActivity", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 3)
				c.say(skill.EvStartBreathing)
				return c
			},
			event: skill.Event{Kind: skill.EvWarningSignsList},
			step:  3, ask: skill.AskNextStep, act: skill.ActBreathing, listen: true,
			says: []string{"blow to your back", "both legs", "call 9 1 1", "Another set?"},
		},
		{
			name: "BriefingYesIsClarified", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  1, ask: skill.AskBriefing, listen: true,
			says:  []string{"If any of those applies to you, call 9 1 1", "If none do, say continue"},
			never: []string{"Step one"},
		},
		{
			name: "OneShotAfterBriefing", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.sayEvent(skill.Event{Kind: skill.EvGoToStep, Number: 6})
				return c
			},
			event: skill.Event{Kind: skill.EvContinue},
			step:  6, listen: true,
			says: []string{"Step six"},
		},
		{
			name: "KeptRequestDoesNotOutliveItsSession", setup: func(tb testing.TB) *convo {
				c := newConvo(tb)
				c.say(skill.EvStartBreathing)
				c.say(skill.EvSessionEnded)
				c.now = c.now.Add(26 * time.Hour)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvContinue},
			step:  1, listen: true,
			says:  []string{"Step one"},
			never: []string{"Breathe in"},
		},
		{
			name: "EpisodeStartInTheFutureRefused", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvEpisodeStart, Start: t0.Add(48 * time.Hour)},
			step:  3, listen: true,
			says: []string{"still to come", "it started yesterday"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				if c.s.Episode != skill.At(t0) {
					t.Errorf("the episode moved to %v", c.s.Episode.Time())
				}
			},
		},
		{
			name: "EpisodeStartLongAgo", setup: func(tb testing.TB) *convo { return onStep(tb, 3) },
			event: skill.Event{Kind: skill.EvEpisodeStart, Start: t0.Add(-50 * 24 * time.Hour)},
			step:  3, listen: true,
			says: []string{"about 50 days ago", "longer than a spasm usually lasts", "see a doctor"},
		},
		{
			name: "EarlyCancelledPackDoesNotCount", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 5)
				c.say(skill.EvSetPack)
				c.say(skill.EvYes)
				c.say(skill.EvYes)
				return c
			},
			event: skill.Event{Kind: skill.EvCancelPack},
			step:  5, listen: true,
			says:    []string{"doesn't count", "reminder for the next pack"},
			effects: []skill.EffectKind{skill.CancelTimer, skill.CancelReminder},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				if !c.s.LastPack.IsZero() || c.s.Reminder != "" {
					t.Errorf("the cancelled pack still counts: last pack %v, reminder %q", c.s.LastPack.Time(), c.s.Reminder)
				}
				if got := c.say(skill.EvSetPack); !strings.Contains(got, "Shall I start") {
					t.Errorf("a new pack is held back: %q", got)
				}
			},
		},
		{
			name: "FreshEpisodeBriefsInFull", setup: func(tb testing.TB) *convo {
				c := onStep(tb, 6)
				c.say(skill.EvStop)
				c.now = c.now.Add(15 * 24 * time.Hour)
				c.say(skill.EvLaunch)
				return c
			},
			event: skill.Event{Kind: skill.EvYes},
			step:  1, ask: skill.AskBriefing, listen: true,
			says: []string{"fresh start", "fall, an accident", "fever", "say continue"},
			check: func(t *testing.T, _ skill.State, c *convo, _ []skill.Reply) {
				// The new episode gives step one's full introduction.
				if got := c.say(skill.EvContinue); !strings.Contains(got, "hold off work and lifting") {
					t.Errorf("step one of a fresh episode says %q, want the full introduction", got)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.setup(t)
			before := c.s
			replies := c.do(tc.event)
			r := replies[len(replies)-1]
			var text []string
			var effects []skill.EffectKind
			for _, r := range replies {
				text = append(text, said(r.Say))
				effects = append(effects, effectKinds(r)...)
			}
			all := strings.Join(text, " ")
			if c.s.Step != tc.step {
				t.Errorf("step = %d, want %d", c.s.Step, tc.step)
			}
			if c.s.Ask != tc.ask {
				t.Errorf("ask = %v, want %v", c.s.Ask, tc.ask)
			}
			if c.s.Act.Kind != tc.act {
				t.Errorf("activity = %v, want %v", c.s.Act.Kind, tc.act)
			}
			if r.Listen != tc.listen {
				t.Errorf("listen = %v, want %v", r.Listen, tc.listen)
			}
			for _, want := range tc.effects {
				if !slices.Contains(effects, want) {
					t.Errorf("effects %v lack %v", effects, want)
				}
			}
			for _, s := range tc.says {
				if !strings.Contains(strings.ToLower(all), strings.ToLower(s)) {
					t.Errorf("says %q\nwant it to contain %q", all, s)
				}
			}
			for _, s := range tc.never {
				if strings.Contains(all, s) {
					t.Errorf("says %q\nwant it not to contain %q", all, s)
				}
			}
			if tc.check != nil {
				tc.check(t, before, c, replies)
			}
		})
	}
}

// withPackTimer returns a conversation on step 5 with a 20-minute cold pack
// timer running and no question pending.
func withPackTimer(tb testing.TB) *convo {
	c := onStep(tb, 5)
	c.say(skill.EvSetPack)
	c.say(skill.EvYes)
	c.say(skill.EvNo) // no reminder
	if c.s.Timer.ID == "" || c.s.Ask != skill.AskNothing {
		tb.Fatalf("no timer running: %+v", c.s)
	}
	return c
}

// checkPace checks that a pace change of delta moved the state's pace and
// counted the set at the new pace: every beat moved by the pace factor,
// later when slower and earlier when faster.
func checkPace(t *testing.T, before, after skill.State, replies []skill.Reply, delta int) {
	t.Helper()
	if after.Pace != before.Pace+delta {
		t.Fatalf("pace %d, want %d", after.Pace, before.Pace+delta)
	}
	ps := paced(replies[0])
	if len(ps) != 1 {
		t.Fatalf("%d paced sets, want 1", len(ps))
	}
	got := ps[0]
	breaths := 0
	for _, c := range got.Cues {
		if c.Text == "Breathe in" {
			breaths++
		}
	}
	old, oldLength := skill.BreathCues(before.Pattern, before.Pace, breaths)
	want, wantLength := skill.BreathCues(after.Pattern, after.Pace, breaths)
	if !slices.Equal(got.Cues, want) || got.Length != wantLength {
		t.Errorf("the set is not counted at pace %d", after.Pace)
	}
	// The set's second count and its whole length, against the old pace.
	longer := got.Cues[1].At > old[1].At && got.Length > oldLength
	shorter := got.Cues[1].At < old[1].At && got.Length < oldLength
	if (delta > 0 && !longer) || (delta < 0 && !shorter) {
		t.Errorf("pace %+d: second count at %v (was %v), set of %v (was %v)", delta, got.Cues[1].At, old[1].At, got.Length, oldLength)
	}
}

// TestApplyIsPure applies random events to random states twice each, on
// separate copies, and checks that the two results are deeply equal; that
// a reply shares nothing with a later one (scribbling over the first
// changes neither the second nor the routine's own data); and that every
// event kind was tried.
func TestApplyIsPure(t *testing.T) {
	zones := []*time.Location{nil, time.UTC, mustZone(t, "America/Los_Angeles"), mustZone(t, "Asia/Kolkata")}
	steps := copySteps(skill.Steps)
	r := rand.New(rand.NewPCG(5, 6))
	seen := map[skill.Kind]bool{}
	for i := range 4000 {
		now := t0.Add(time.Duration(r.IntN(1000)) * time.Hour)
		s := skill.State{}
		if i%8 != 0 {
			s = randomState(r, now)
		}
		e := randomEvent(r, zones)
		seen[e.Kind] = true
		// State and Event are plain values (the Zone they point to is
		// immutable): these copies are deep.
		s1, s2, e1, e2 := s, s, e, e
		n1, r1 := apply(t, s1, e1, now)
		n2, r2 := skill.Apply(s2, e2, now)
		if n1 != n2 || !reflect.DeepEqual(r1, r2) {
			t.Fatalf("%v on %+v: two applications differ:\n%+v\n%+v", e.Kind, s, r1, r2)
		}
		scribble(&r1)
		if !reflect.DeepEqual(r2, func() skill.Reply { _, r3 := skill.Apply(s, e, now); return r3 }()) {
			t.Fatalf("%v on %+v: changing one reply changed another", e.Kind, s)
		}
	}
	if !reflect.DeepEqual(steps, skill.Steps) {
		t.Error("Apply changed the routine's data")
	}
	for k := skill.Kind(0); k < skill.NumKinds; k++ {
		if !seen[k] {
			t.Errorf("event %v never tried", k)
		}
	}
}

// scribble overwrites everything a reply refers to.
func scribble(r *skill.Reply) {
	for _, sc := range []*speech.Script{&r.Say, &r.Reprompt} {
		for i := range sc.Parts {
			sc.Parts[i].Say = "scribbled"
			if p := sc.Parts[i].Paced; p != nil {
				for j := range p.Cues {
					p.Cues[j] = speech.Cue{At: -1, Text: "scribbled"}
				}
				p.Length = -1
			}
		}
	}
	if r.Card != nil {
		r.Card.Title, r.Card.Text = "scribbled", "scribbled"
	}
	for i := range r.Effects {
		r.Effects[i] = skill.Effect{TimerID: "scribbled"}
	}
}

// copySteps copies the routine, its slices included.
func copySteps(steps [skill.LastStep]skill.StepInfo) [skill.LastStep]skill.StepInfo {
	for i := range steps {
		steps[i].Intro = slices.Clone(steps[i].Intro)
		steps[i].Short = slices.Clone(steps[i].Short)
	}
	return steps
}

// TestNothingChangedKeepsState checks that events that change nothing leave
// the state equal, so the caller writes nothing.
func TestNothingChangedKeepsState(t *testing.T) {
	c := onStep(t, 3)
	c.say(skill.EvRepeat) // hears step 3 in full once
	for _, k := range []skill.Kind{skill.EvWhereAmI, skill.EvRepeat, skill.EvHelp, skill.EvWarningSign} {
		before := c.s
		c.say(k)
		if c.s != before {
			t.Errorf("%v changed the state:\n%+v\n%+v", k, before, c.s)
		}
	}
}

func TestRelaunch(t *testing.T) {
	t.Run("SameDayOffersResume", func(t *testing.T) {
		c := onStep(t, 3)
		c.say(skill.EvStartBreathing)
		c.say(skill.EvStop)
		c.now = c.now.Add(2 * time.Hour)
		got := c.say(skill.EvLaunch)
		for _, want := range []string{"Last time you were on step 3, slow breathing, doing the breathing", "pick up there?"} {
			if !strings.Contains(got, want) {
				t.Errorf("launch says %q, want %q", got, want)
			}
		}
		if strings.Contains(got, "warning signs") {
			t.Errorf("briefing repeated on the same day: %q", got)
		}
		got = c.say(skill.EvYes)
		if !strings.Contains(got, "carry on with breathing") {
			t.Errorf("yes says %q", got)
		}
		if c.s.Step != 3 || c.s.Act.Kind != skill.ActBreathing {
			t.Errorf("resumed at %d/%v", c.s.Step, c.s.Act.Kind)
		}
	})
	t.Run("NextDayBriefsAgain", func(t *testing.T) {
		c := onStep(t, 4)
		c.say(skill.EvStop)
		c.now = c.now.Add(20 * time.Hour)
		got := c.say(skill.EvLaunch)
		for _, want := range []string{"Last time you were on step 4", "safety check", "Numbness", "say continue"} {
			if !strings.Contains(got, want) {
				t.Errorf("launch says %q, want %q", got, want)
			}
		}
		got = c.say(skill.EvContinue)
		if c.s.Step != 4 || !strings.Contains(got, "Step four") {
			t.Errorf("continue took us to %d: %q", c.s.Step, got)
		}
	})
	t.Run("TimeZoneDecidesTheDay", func(t *testing.T) {
		// 23:30 in Los Angeles and 00:10 the next UTC day is still the
		// same day for the user.
		la := mustZone(t, "America/Los_Angeles")
		c := newConvo(t)
		c.now = time.Date(2026, 3, 10, 23, 0, 0, 0, la)
		c.sayEvent(skill.Event{Kind: skill.EvLaunch, Zone: la})
		c.sayEvent(skill.Event{Kind: skill.EvContinue, Zone: la})
		c.sayEvent(skill.Event{Kind: skill.EvStop, Zone: la})
		c.now = time.Date(2026, 3, 10, 23, 50, 0, 0, la)
		got := c.sayEvent(skill.Event{Kind: skill.EvLaunch, Zone: la})
		if strings.Contains(got, "safety check") {
			t.Errorf("briefed twice on one local day: %q", got)
		}
	})
	t.Run("AfterFourteenDaysOffersFresh", func(t *testing.T) {
		c := onStep(t, 6)
		c.say(skill.EvStop)
		c.now = c.now.Add(15 * 24 * time.Hour)
		got := c.say(skill.EvLaunch)
		if !strings.Contains(got, "fresh episode?") {
			t.Errorf("launch says %q", got)
		}
		got = c.say(skill.EvYes)
		if c.s.Step != 1 || c.s.Episode != skill.At(c.now.Add(-20*time.Second)) || !strings.Contains(got, "warning signs") {
			t.Errorf("fresh start: step %d, says %q", c.s.Step, got)
		}
	})
}

// TestPermissionFlow walks the voice-permission branches for a pack timer.
func TestPermissionFlow(t *testing.T) {
	setup := func(t *testing.T) *convo {
		c := onStep(t, 5)
		c.sayEvent(skill.Event{Kind: skill.EvSetPack, Minutes: 12})
		s, r := apply(t, c.s, skill.Event{Kind: skill.EvYes}, c.now)
		if ks := effectKinds(r); !slices.Equal(ks, []skill.EffectKind{skill.SetTimer}) {
			t.Fatalf("yes gives effects %v", ks)
		}
		c.s = s
		c.s, _ = apply(t, c.s, skill.Event{Kind: skill.EvTimerNoPermission}, c.now)
		return c
	}
	t.Run("Accepted", func(t *testing.T) {
		c := setup(t)
		got := c.sayEvent(skill.Event{Kind: skill.EvPermission, Permission: skill.PermTimers, Granted: true})
		if !strings.Contains(got, "ring in 12 minutes") || c.s.Timer.ID == "" {
			t.Errorf("accepted: %q, timer %+v", got, c.s.Timer)
		}
	})
	t.Run("AcceptedAfterSessionLost", func(t *testing.T) {
		c := setup(t)
		plan := c.s.Plan
		c.s.Plan = skill.PackPlan{} // as if the state had been reset
		got := c.sayEvent(skill.Event{Kind: skill.EvPermission, Permission: skill.PermTimers, Granted: true, Plan: plan})
		if !strings.Contains(got, "ring in 12 minutes") {
			t.Errorf("accepted with the token's plan: %q", got)
		}
	})
	t.Run("Denied", func(t *testing.T) {
		c := setup(t)
		r := c.last(skill.Event{Kind: skill.EvPermission, Permission: skill.PermTimers})
		got := said(r.Say)
		if !strings.Contains(got, "Alexa, set a timer for 12 minutes") || !slices.Contains(effectKinds(r), skill.ConsentCard) || !r.Listen {
			t.Errorf("denied: %q %v listen=%v", got, effectKinds(r), r.Listen)
		}
		if c.s.Timer.ID != "" || c.s.Plan != (skill.PackPlan{}) {
			t.Errorf("denied left %+v %+v", c.s.Timer, c.s.Plan)
		}
	})
}

func TestPackSchedule(t *testing.T) {
	c := onStep(t, 5)
	c.sayEvent(skill.Event{Kind: skill.EvSetPack})
	c.say(skill.EvYes)
	c.say(skill.EvNo) // no reminder
	if got := c.say(skill.EvSetPack); !strings.Contains(got, "still running") {
		t.Errorf("second timer while one runs: %q", got)
	}
	if got := c.say(skill.EvPackLeft); !strings.Contains(got, "left on your cold pack") {
		t.Errorf("pack left: %q", got)
	}
	c.now = c.now.Add(25 * time.Minute)
	if got := c.say(skill.EvSetPack); !strings.Contains(got, "Give your skin a break") {
		t.Errorf("pack too soon: %q", got)
	}
	la := mustZone(t, "America/Los_Angeles")
	clock := c.s.LastPack.Time().Add(time.Hour).In(la).Format("3:04 PM")
	if got := c.sayEvent(skill.Event{Kind: skill.EvNextPack, Zone: la}); !strings.Contains(got, "due in") || !strings.Contains(got, "at about "+clock) {
		t.Errorf("next pack: %q", got)
	}
	c.now = c.now.Add(time.Hour)
	if got := c.say(skill.EvNextPack); !strings.Contains(got, "now, if you need it") {
		t.Errorf("next pack due: %q", got)
	}
	got := c.say(skill.EvSetPack)
	if !strings.Contains(got, "Shall I start") {
		t.Errorf("pack after an hour: %q", got)
	}
	rs := c.do(skill.Event{Kind: skill.EvYes})
	if ks := effectKinds(rs[0]); !slices.Equal(ks, []skill.EffectKind{skill.CancelTimer, skill.SetTimer}) {
		t.Errorf("second timer effects %v: the old one must be cleared first", ks)
	}
}

func TestEmergencyNumbers(t *testing.T) {
	for _, tc := range []struct {
		locale, spoken, card string
	}{
		{"en-US", "9 1 1", "Call 911, or your local emergency number, on a phone"},
		{"en-CA", "9 1 1", "Call 911, or your local emergency number, on a phone"},
		{"en-GB", "9 9 9", "Call 999, or your local emergency number, on a phone"},
		{"en-AU", "0 0 0", "Call 000, or your local emergency number, on a phone"},
		{"en-IN", "1 1 2", "Call 112, or your local emergency number, on a phone"},
		{"de-DE", "", "Call your local emergency number on a phone"},
		{"fr-FR", "", "Call your local emergency number on a phone"},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			c := started(t)
			before := c.s
			r := c.last(skill.Event{Kind: skill.EvWarningSign, Locale: tc.locale})
			got := said(r.Say)
			if tc.spoken != "" && !strings.Contains(got, "call "+tc.spoken+", or your local emergency number") {
				t.Errorf("says %q", got)
			}
			if tc.spoken == "" && !strings.Contains(got, "call your local emergency number") {
				t.Errorf("says %q", got)
			}
			if r.Card == nil {
				t.Fatal("no card")
			}
			if !strings.HasPrefix(r.Card.Text, tc.card) || !strings.Contains(r.Card.Text, "Alexa cannot call emergency services") {
				t.Errorf("card %q, want it to start %q", r.Card.Text, tc.card)
			}
			if strings.Count(r.Card.Text, "local emergency number") != 1 {
				t.Errorf("card names the local emergency number more than once: %q", r.Card.Text)
			}
			if c.s != before {
				t.Error("a warning sign changed the state")
			}
		})
	}
}

// TestBreathCues pins the words of one steady breath: speech's espeak-ng
// test measures this exact sequence against a real synthesiser.
func TestBreathCues(t *testing.T) {
	cues, length := skill.BreathCues(skill.PatternSteady, 0, 2)
	var words []string
	var offsets []time.Duration
	for _, c := range cues[:9] {
		words = append(words, c.Text)
		offsets = append(offsets, c.At)
	}
	want := []string{"Breathe in", "two", "three", "four", "five", "hold", "out", "two", "three"}
	if !slices.Equal(words, want) {
		t.Errorf("one breath says %q, want %q", words, want)
	}
	wantAt := []time.Duration{0, 1e9, 2e9, 3e9, 4e9, 5e9, 6e9, 7e9, 8e9}
	if !slices.Equal(offsets, wantAt) {
		t.Errorf("beats %v, want %v", offsets, wantAt)
	}
	if cues[9].Text != "Breathe in" || cues[9].At != 9500*time.Millisecond || length != 19*time.Second {
		t.Errorf("second breath starts %q at %v, set lasts %v", cues[9].Text, cues[9].At, length)
	}
	if got := skill.BreathCycle(skill.PatternLongExhale, 0); got != 10*time.Second {
		t.Errorf("long exhale cycle %v", got)
	}
	if got := skill.BreathCycle(skill.PatternSteady, 2); got != 11780*time.Millisecond {
		t.Errorf("slower cycle %v", got)
	}
}

// TestEpisodeAgeInWords: "how long has it been" says hours below a day and
// days from a day on.
func TestEpisodeAgeInWords(t *testing.T) {
	for _, tc := range []struct {
		age  time.Duration
		want string
	}{
		{5 * time.Hour, "about 5 hours ago"},
		{23 * time.Hour, "about 23 hours ago"},
		{24 * time.Hour, "about a day ago"},
		{30 * time.Hour, "about a day ago"},
		{47 * time.Hour, "about 2 days ago"},
		{48 * time.Hour, "about 2 days ago"},
		{100 * time.Hour, "about 4 days ago"},
	} {
		c := onStep(t, 1)
		c.sayEvent(skill.Event{Kind: skill.EvEpisodeStart, Start: c.now.Add(-tc.age)})
		if got := c.say(skill.EvElapsed); !strings.Contains(got, "This episode started "+tc.want) {
			t.Errorf("%v after the start: %q, want %q", tc.age, got, tc.want)
		}
	}
}

// TestContinueAnswersEachQuestion: "continue" to every question the skill
// asks is decided per question: yes where that is its natural reading, no
// where it means carrying on as things are, and the question again where
// it could mean either or cannot be taken back.
func TestContinueAnswersEachQuestion(t *testing.T) {
	fourDaysAgo := func(c *convo) {
		c.sayEvent(skill.Event{Kind: skill.EvEpisodeStart, Start: c.now.Add(-96 * time.Hour)})
	}
	tests := []struct {
		ask   skill.Question
		setup func(c *convo)
		says  string
		after skill.Question // the question pending afterwards
	}{
		{skill.AskResume, func(c *convo) { c.say(skill.EvStop); c.now = c.now.Add(time.Hour); c.say(skill.EvLaunch) },
			"back to step 5", skill.AskNothing},
		// No fresh start: the day's briefing, then back to step 5.
		{skill.AskFresh, func(c *convo) { c.say(skill.EvStop); c.now = c.now.Add(15 * 24 * time.Hour); c.say(skill.EvLaunch) },
			"we'll pick up where you were", skill.AskBriefing},
		{skill.AskTimer, func(c *convo) { c.say(skill.EvSetPack) }, "Done. Your cold pack timer", skill.AskReminder},
		{skill.AskSwitchPack, func(c *convo) {
			fourDaysAgo(c)
			c.sayEvent(skill.Event{Kind: skill.EvSetPack, Pack: skill.PackCold})
		}, "Just say yes, or no", skill.AskSwitchPack},
		{skill.AskReminder, func(c *convo) { c.say(skill.EvSetPack); c.say(skill.EvYes) }, "I'll remind you in an hour", skill.AskNothing},
		{skill.AskForget, func(c *convo) { c.say(skill.EvForgetMe) }, "Just say yes, or no", skill.AskForget},
		{skill.AskBreathe, func(c *convo) { c.say(skill.EvDistress) }, "Breathe in", skill.AskNextStep},
		{skill.AskRepeatStep, func(c *convo) {
			for range 3 {
				c.say(skill.EvFallback)
			}
		}, "Step five. Treat the area", skill.AskNothing},
		{skill.AskCancelPack, func(c *convo) { c.say(skill.EvSetPack); c.say(skill.EvYes); c.say(skill.EvNo); c.say(skill.EvSetPack) },
			"leave it running", skill.AskNothing},
		{skill.AskStart, func(c *convo) {
			fourDaysAgo(c)
			c.sayEvent(skill.Event{Kind: skill.EvEpisodeStart, Start: c.now.Add(-10 * time.Minute)})
		}, "Just say yes, or no", skill.AskStart},
	}
	for _, tc := range tests {
		c := onStep(t, 5)
		tc.setup(c)
		if c.s.Ask != tc.ask {
			t.Fatalf("setup for %v left ask %v", tc.ask, c.s.Ask)
		}
		before := c.s
		got := c.say(skill.EvContinue)
		if !strings.Contains(got, tc.says) || c.s.Ask != tc.after {
			t.Errorf("continue to %v: %q, ask %v; want %q, ask %v", tc.ask, got, c.s.Ask, tc.says, tc.after)
		}
		if tc.ask == skill.AskStart && c.s.Episode != before.Episode {
			t.Errorf("continue to the start question moved the start")
		}
	}
	// The seated twist, offered early, starts on continue.
	c := onStep(t, 9)
	c.sayEvent(skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseSeatedTwist})
	if got := c.say(skill.EvContinue); !strings.Contains(got, "Sit tall") {
		t.Errorf("continue to the seated twist question: %q", got)
	}
}
