package intents_test

import (
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa/alexatest"
	"spasmcoach/intents"
	"spasmcoach/skill"
)

// TestLightHeadedMidBreathing: feeling dizzy during the count stops it,
// says to breathe normally, and the breathing waits for faster or
// continue.
func TestLightHeadedMidBreathing(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(3)
	l.say("start breathing", intents.IntentStartBreathing)
	c.expect("Breathe in")
	l.say("whoa i feel really dizzy", intents.IntentLightHeaded)
	c.expect("stop the count", "Breathe normally", "Say faster for quicker counts, or continue when you're ready")
	c.never("Breathe in", "I give information only")
	c.expectOpen()
	if s := c.state(); s.Act.Kind != skill.ActBreathing || s.Step != 3 {
		t.Errorf("after feeling dizzy: activity %v on step %d, want breathing on step 3", s.Act.Kind, s.Step)
	}
	l.say("faster", intents.IntentFaster)
	c.expect("two", "five", "hold") // the counts again (at this pace the in-breath is "In")
	if s := c.state(); s.Pace != -1 {
		t.Errorf("pace %d after faster, want -1", s.Pace)
	}
	l.say("i'm a bit light headed again", intents.IntentLightHeaded)
	c.expect("Breathe normally")
	l.say("okay continue", intents.IntentResume)
	c.expect("two", "five", "hold")
}

// TestLightHeadedElsewhere: away from the count, the same advice without
// it, and back where the user was: the pending question, or the step.
func TestLightHeadedElsewhere(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onPackQuestion()
	l.say("my head is kind of spinning", intents.IntentLightHeaded)
	c.expect("breathe normally", "Shall I start a 20-minute cold pack timer?")
	c.never("stop the count", "faster")
	if s := c.state(); s.Ask != skill.AskTimer || s.Step != 5 {
		t.Errorf("after feeling dizzy: ask %v on step %d, want the timer question on step 5", s.Ask, s.Step)
	}
	c.say(intents.IntentYes)
	c.expect("Done. Your cold pack timer")

	d := newCoach(t)
	ld := listen(d)
	d.onStep(4)
	ld.say("start the stretch", intents.IntentStartStretch)
	ld.say("oh i feel a bit woozy", intents.IntentLightHeaded)
	d.expect("breathe normally", "Another round of holds?")
	d.never("quicker counts")
	d.expectOpen()
}

// TestCallSomeone: the skill says plainly it can't make calls, how to
// reach someone, and the locale's emergency line, and never suggests that
// it or Alexa could call; then back where the user was.
func TestCallSomeone(t *testing.T) {
	for _, tc := range []struct{ locale, num string }{{"en-US", "9 1 1"}, {"en-GB", "9 9 9"}} {
		t.Run(tc.locale, func(t *testing.T) {
			c := newCoach(t)
			c.u.locale = tc.locale
			l := listen(c)
			c.onStep(4)
			l.say("start the stretch", intents.IntentStartStretch)
			l.say("please call my wife for me", intents.IntentCallSomeone)
			c.expect("I can't make calls", "someone nearby", "your phone", "call "+tc.num, "Another round of holds?")
			c.never("I'll call", "I will call", "calling", "Alexa can call", "I can call")
			c.expectOpen()
			if s := c.state(); s.Act.Kind != skill.ActStretch || s.Ask != skill.AskNextStep {
				t.Errorf("after asking to call: activity %v ask %v, want the stretch's question", s.Act.Kind, s.Ask)
			}
			l.say("can you phone my son", intents.IntentCallSomeone)
			c.expect("I can't make calls")
		})
	}
}

// TestNewSafetyLoggedNeutrally: feeling dizzy and asking for a call are
// logged as "safety".
func TestNewSafetyLoggedNeutrally(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(2)
	l.say("i feel dizzy now", intents.IntentLightHeaded)
	l.say("ring my daughter please", intents.IntentCallSomeone)
	out := c.log.String()
	if n := strings.Count(out, `"intent":"safety"`); n != 2 {
		t.Errorf("%d turns logged as safety, want 2:\n%s", n, out)
	}
	for _, name := range []string{"LightHeaded", "CallSomeone"} {
		if strings.Contains(out, name) {
			t.Errorf("the log names %s:\n%s", name, out)
		}
	}
}

// TestDisclaimerOnFirstSafetyWords: a brand-new user whose first words
// are a safety question hears the disclaimer with the answer; an
// emergency keeps its own message.
func TestDisclaimerOnFirstSafetyWords(t *testing.T) {
	for _, tc := range []struct{ say, intent, want string }{
		{"it hurts so bad", intents.IntentDistress, "Stay as still as is comfortable"},
		{"what can i take for the pain", intents.IntentMedicine, "follow the label"},
		{"i feel so dizzy", intents.IntentLightHeaded, "breathe normally"},
		{"call my husband", intents.IntentCallSomeone, "I can't make calls"},
		{"what are the warning signs", intents.IntentWarningSignsList, "bladder or bowels"},
	} {
		t.Run(tc.say, func(t *testing.T) {
			c := newCoach(t)
			l := listen(c)
			l.launchWith(tc.say, tc.intent)
			c.expect(tc.want, "I give information only, not medical advice")
			c.expectOpen()
			if strings.Count(c.said(), "I give information only") != 1 {
				t.Errorf("the disclaimer is said more or less than once: %s", c.said())
			}
		})
	}
	t.Run("emergency", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		l.launchWith("i can't feel my legs", intents.IntentWarningSign)
		c.expect("That needs help right away", "Alexa can't call emergency services")
		c.never("I give information only")
		c.expectClosed()
	})
	t.Run("not on later safety words", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onStep(2)
		l.say("what can i take for the pain", intents.IntentMedicine)
		c.never("I give information only")
	})
}

// TestStartMovedLaterIsConfirmed: on day four, "it started ten minutes
// ago" is asked about first and stored only on yes.
func TestStartMovedLaterIsConfirmed(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(5)
	l.say("it started four days ago", intents.IntentEpisodeStart)
	before := c.state().Episode
	l.say("actually it started ten minutes ago", intents.IntentEpisodeStart)
	c.expect("Did the spasm start 10 minutes ago?")
	c.expectOpen()
	if s := c.state(); s.Episode != before || s.Ask != skill.AskStart {
		t.Errorf("before the answer: start %v ask %v; want the old start and the question", s.Episode.Time(), s.Ask)
	}
	l.say("go on", intents.IntentResume)
	c.expect("yes, or no", "Did the spasm start 10 minutes ago?")
	l.say("no", intents.IntentNo)
	c.expect("keep it as about 4 days ago", "Say set a heat pack timer")
	if s := c.state(); s.Episode != before {
		t.Errorf("a no moved the start to %v", s.Episode.Time())
	}
	l.say("well it started ten minutes ago", intents.IntentEpisodeStart)
	l.say("yes", intents.IntentYes)
	c.expect("So it started 10 minutes ago", "cold")
	if age := c.clk.Now().Sub(c.state().Episode.Time()); age != 10*time.Minute {
		t.Errorf("stored start %v ago, want 10 minutes", age)
	}
}

// TestStartToday: a start dated today is said as earlier today, never
// "just now".
func TestStartToday(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(3)
	c.pause(3 * time.Hour)
	for _, text := range []string{"it started today", "it started this morning"} {
		l.say(text, intents.IntentEpisodeStart)
		c.expect("it started earlier today")
		c.never("just now")
		c.pause(time.Minute)
	}
}

// TestUnknownStart: a user who never said when it started is not told
// how long it has been: the skill says it doesn't know, how to tell it,
// and advises cold; once told, the plan follows the start.
func TestUnknownStart(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(5)
	l.say("how long has it been", intents.IntentElapsed)
	c.expect("I don't know when the spasm started", "it started yesterday")
	c.never("less than a minute", "minutes ago")
	l.say("which is better ice or heat", intents.IntentIceOrHeat)
	c.expect("I don't know when the spasm started", "cold for the first couple of days", "it started yesterday")
	c.never("less than a minute", "It's been")
	l.say("set a pack timer", intents.IntentSetPackTimer)
	c.expect("I don't know when it started", "cold pack timer?")
	c.never("less than a minute", "early days")
	c.say(intents.IntentNo)
	l.say("it started two days ago", intents.IntentEpisodeStart)
	l.say("how long has it been", intents.IntentElapsed)
	c.expect("This episode started about 2 days ago")
	c.never("hours", "don't know")
}

// TestDaysFromADay: from a day on, the episode's age is said in days.
func TestDaysFromADay(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(2)
	l.say("my back hurts so bad", intents.IntentDistress)
	c.say(intents.IntentStop)
	c.pause(48 * time.Hour)
	c.launch()
	c.say(intents.IntentResume) // the day's briefing
	l.say("how long has it been now", intents.IntentElapsed)
	c.expect("This episode started about 2 days ago")
	c.never("48 hours", "don't know")
}

// TestContinueAnswersQuestions: "continue" or "go on" answers each
// pending yes-or-no question as its natural reading: yes, no, or the
// question again where it could mean either.
func TestContinueAnswersQuestions(t *testing.T) {
	t.Run("reminder: yes", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onPackQuestion()
		l.say("go on then", intents.IntentResume)
		c.expect("Done. Your cold pack timer", "remind you about the next pack")
		l.say("go on", intents.IntentResume)
		c.expect("I'll remind you in an hour")
		c.never("Step six")
		if n := c.api.Count(alexatest.OpCreateReminder); n != 1 {
			t.Errorf("%d reminders created, want 1", n)
		}
	})
	t.Run("slow breathing after distress: yes", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onStep(2)
		l.say("this really hurts", intents.IntentDistress)
		l.say("okay go on", intents.IntentResume)
		c.expect("Breathe in")
	})
	t.Run("forget: asked again", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onStep(6)
		c.say(intents.IntentForgetMe)
		l.say("continue", intents.IntentResume)
		c.expect("yes, or no")
		if s := c.state(); s.Step != 6 || s.Ask != skill.AskForget {
			t.Errorf("continue to the forget question: step %d ask %v", s.Step, s.Ask)
		}
	})
	t.Run("seated twist: yes", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onStep(9)
		l.say("start the seated twist", intents.IntentStartExercise)
		l.say("carry on", intents.IntentResume)
		c.expect("Sit tall")
	})
	t.Run("running pack timer: left running", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onPackQuestion()
		c.say(intents.IntentYes)
		c.say(intents.IntentNo)
		l.say("set a heat pack timer", intents.IntentSetPackTimer)
		c.expect("still running")
		l.say("continue", intents.IntentResume)
		c.expect("leave it running")
		if n := c.api.Count(alexatest.OpDeleteTimer); n != 0 {
			t.Errorf("%d timer deletions, want none", n)
		}
	})
	t.Run("fresh start: carry on", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onStep(4)
		c.say(intents.IntentStop)
		c.pause(15 * 24 * time.Hour)
		c.launch()
		c.expect("Shall we start a fresh episode?")
		l.say("carry on", intents.IntentResume)
		c.never("a fresh start")
		if s := c.state(); s.Step != 4 {
			t.Errorf("continue to the fresh-start question moved to step %d", s.Step)
		}
	})
}

// TestKeepEachTurnSmall: after a stopped stretch, a first set of the twist
// asks for small turns, and "smaller than before" only once it was done.
func TestKeepEachTurnSmall(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(4)
	l.say("start the stretch", intents.IntentStartStretch)
	l.say("ouch that hurts", intents.IntentDistress)
	c.say(intents.IntentNo)
	l.say("do the lying twist", intents.IntentStartExercise)
	c.expect("Keep each turn small")
	c.never("smaller than before")
	c.say(intents.IntentYes)
	c.expect("smaller than before")
}

// TestDistressRepeated: said again in a row, the calming answer is
// shorter, and never the same words twice in a row; it still names the
// signs that need help.
func TestDistressRepeated(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(2)
	var prev string
	for i, text := range []string{"it hurts so much", "my back is killing me", "it hurts", "i'm scared"} {
		l.say(text, intents.IntentDistress)
		c.expect("call 9 1 1", "numbness")
		c.expectOpen()
		got := c.said()
		if got == prev {
			t.Errorf("distress answer %d repeats the one before: %q", i+1, got)
		}
		if i == 1 && len(got) >= len(prev) {
			t.Errorf("the second answer is not shorter:\n%q\n%q", prev, got)
		}
		prev = got
	}
}

// TestDizzyAndCallEverywhere: at every point of the routine, feeling
// light-headed gets the advice to breathe normally, and asking for a call
// the plain "I can't make calls"; both leave the user where they were.
func TestDizzyAndCallEverywhere(t *testing.T) {
	for _, p := range places {
		for _, tc := range []struct{ say, intent, want string }{
			{"oh i feel light headed", intents.IntentLightHeaded, "reathe normally"},
			{"get my son please", intents.IntentCallSomeone, "I can't make calls"},
		} {
			t.Run(p.name+"/"+tc.say, func(t *testing.T) {
				c := newCoach(t)
				l := listen(c)
				p.setup(c, l)
				var ask skill.Question
				var step int
				if c.last != nil && c.last.SessionAttributes != nil {
					ask, step = c.state().Ask, c.state().Step
				}
				l.say(tc.say, tc.intent)
				c.expect(tc.want)
				c.never("Sorry", "I'll call", "Alexa can call")
				c.expectOpen()
				if s := c.state(); step != 0 && (s.Ask != ask || s.Step != step) {
					t.Errorf("afterwards: ask %v step %d, want ask %v step %d", s.Ask, s.Step, ask, step)
				}
			})
		}
	}
}

// TestStartConfirmedDuringBriefing: a later start said during the day's
// briefing is asked about, and the briefing's question comes back after
// the answer.
func TestStartConfirmedDuringBriefing(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(2)
	l.say("it started four days ago", intents.IntentEpisodeStart)
	c.say(intents.IntentStop)
	c.pause(26 * time.Hour)
	c.launch()
	c.expect("warning signs")
	l.say("it started ten minutes ago", intents.IntentEpisodeStart)
	c.expect("Did the spasm start 10 minutes ago?")
	l.say("yes", intents.IntentYes)
	c.expect("So it started 10 minutes ago", "say continue")
	if s := c.state(); s.Ask != skill.AskBriefing {
		t.Errorf("after the answer: ask %v, want the briefing's", s.Ask)
	}
	l.say("continue", intents.IntentResume)
	c.expect("Step two")
}
