package skill_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"spasmcoach/skill"
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
			says: []string{"Breathe in", "two", "hold", "out", "light-headed", "Again, or next step?"},
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
			says: []string{"That's 6 of 20", "continue"},
		},
		{
			name: "StretchGuidesHoldsAndRests", setup: func(tb testing.TB) *convo { return onStep(tb, 4) },
			event: skill.Event{Kind: skill.EvStartStretch},
			step:  4, ask: skill.AskNextStep, act: skill.ActStretch, listen: true,
			says: []string{"Curl forward", "Hold it there", "And rest", "Another round"},
		},
		{
			name: "LyingTwist", setup: func(tb testing.TB) *convo { return onStep(tb, 9) },
			event: skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseLyingTwist},
			step:  9, ask: skill.AskNextStep, act: skill.ActExercise, listen: true,
			says: []string{"knees to the left", "Knees to the right", "5 on each side"},
		},
		{
			name: "SeatedTwistCautions", setup: func(tb testing.TB) *convo { return onStep(tb, 9) },
			event: skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseSeatedTwist},
			step:  9, ask: skill.AskNextStep, act: skill.ActExercise, listen: true,
			says: []string{"when you feel better", "doctor has checked", "Stop if the pain gets worse"},
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
			says: []string{"Shall I start a 20-minute cold pack timer?"},
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
			says: []string{"heat pack timer?"},
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
				s, _ := skill.Apply(c.s, skill.Event{Kind: skill.EvYes}, c.now)
				c.s = s
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
				s, _ := skill.Apply(c.s, skill.Event{Kind: skill.EvYes}, c.now)
				c.s = s
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
			says: []string{"slower", "in"},
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
			says: []string{"on step 3, slow breathing, breathing, with 6 breaths done"},
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
			name: "StartOverBriefsAgainOrSkips", setup: func(tb testing.TB) *convo { return onStep(tb, 6) },
			event: skill.Event{Kind: skill.EvStartOver},
			step:  1, ask: skill.AskBriefing, listen: true, says: []string{"fresh start", "earlier today", "skip"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.setup(t)
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
		})
	}
}

// TestApplyIsPure checks that the same arguments give the same result.
func TestApplyIsPure(t *testing.T) {
	c := onStep(t, 3)
	for k := skill.Kind(0); k < skill.NumKinds; k++ {
		e := skill.Event{Kind: k, Number: 4, Locale: "en-AU"}
		s1, r1 := skill.Apply(c.s, e, c.now)
		s2, r2 := skill.Apply(c.s, e, c.now)
		if s1 != s2 || said(r1.Say) != said(r2.Say) || r1.Listen != r2.Listen {
			t.Errorf("%v: two applications differ", k)
		}
	}
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
		for _, want := range []string{"Last time you were on step 3, slow breathing, breathing", "pick up there?"} {
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
		la, err := time.LoadLocation("America/Los_Angeles")
		if err != nil {
			t.Skip("no tzdata:", err)
		}
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
		s, r := skill.Apply(c.s, skill.Event{Kind: skill.EvYes}, c.now)
		if ks := effectKinds(r); !slices.Equal(ks, []skill.EffectKind{skill.SetTimer}) {
			t.Fatalf("yes gives effects %v", ks)
		}
		c.s = s
		s, r = skill.Apply(c.s, skill.Event{Kind: skill.EvTimerNoPermission}, c.now)
		checkReply(t, skill.Event{Kind: skill.EvTimerNoPermission}, s, r)
		c.s = s
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
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
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
	for locale, want := range map[string]string{
		"en-US": "9 1 1", "en-CA": "9 1 1", "en-GB": "9 9 9", "en-AU": "0 0 0", "en-IN": "1 1 2", "fr-FR": "",
	} {
		c := started(t)
		before := c.s
		got := c.sayEvent(skill.Event{Kind: skill.EvWarningSign, Locale: locale})
		if want != "" && !strings.Contains(got, "call "+want+", or your local emergency number") {
			t.Errorf("%s: %q", locale, got)
		}
		if want == "" && !strings.Contains(got, "call your local emergency number") {
			t.Errorf("%s: %q", locale, got)
		}
		if c.s != before {
			t.Errorf("%s: a warning sign changed the state", locale)
		}
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
