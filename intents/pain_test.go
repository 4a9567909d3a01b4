package intents_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/infra"
	"spasmcoach/intents"
	"spasmcoach/skill"
	"spasmcoach/utterance"
)

// listener turns what a person says into the request Alexa would send: the
// text is resolved through the locale's interaction model by the resolver
// chat uses, with the coach's clock for dates.
type listener struct {
	c *coach
	r *utterance.Resolver
}

func listen(c *coach) *listener {
	c.tb.Helper()
	m, err := infra.Model(c.u.locale)
	if err != nil {
		c.tb.Fatal(err)
	}
	r, err := utterance.NewResolver(m, utterance.WithClock(c.clk.Now))
	if err != nil {
		c.tb.Fatal(err)
	}
	return &listener{c: c, r: r}
}

// say sends text as the intent it resolves to, failing unless that is
// want, with its slots as Alexa sends them.
func (l *listener) say(text, want string) *alexa.Envelope {
	l.c.tb.Helper()
	m := l.r.Resolve(text)
	if m.Intent != want {
		l.c.tb.Fatalf("%q resolves to %s, want %s", text, m.Intent, want)
	}
	slots := map[string]any{}
	for name, v := range m.Slots {
		if v.Value != "" {
			slots[name] = map[string]any{"name": name, "value": v.Value, "confirmationStatus": "NONE"}
		}
	}
	return l.c.send(text, alexa.RequestIntent, map[string]any{
		"dialogState": "COMPLETED",
		"intent":      map[string]any{"name": m.Intent, "confirmationStatus": "NONE", "slots": slots},
	})
}

// launchWith opens the skill with a first request, as "ask back spasm coach
// to ..." does: an IntentRequest that starts a new session.
func (l *listener) launchWith(text, want string) *alexa.Envelope {
	l.c.tb.Helper()
	l.c.s.Open = false
	return l.say(text, want)
}

// never fails if the last response said any of phrases.
func (c *coach) never(phrases ...string) {
	c.tb.Helper()
	s := c.said()
	for _, p := range phrases {
		if strings.Contains(s, p) {
			c.tb.Errorf("did not expect %q in what was said:\n%s\n--- conversation so far ---\n%s", p, s, c.script.String())
		}
	}
}

// drugs are medicine names and dosing words the skill never says.
var drugs = regexp.MustCompile(`(?i)ibuprofen|paracetamol|acetaminophen|tylenol|advil|aspirin|naproxen|codeine|diazepam|` +
	`muscle relaxant|opioid|\bmg\b|milligram|\bdose\b|\bpills?\b|tablets?`)

// places are points of the routine a person can be at when they speak up:
// each brings a new coach there, and reports what the state must still be
// afterwards (ask and step) when the answer goes back where they were.
var places = []struct {
	name  string
	setup func(c *coach, l *listener)
}{
	{"first words ever", func(c *coach, l *listener) {}},
	{"the briefing", func(c *coach, l *listener) {
		c.launch()
		c.expect("warning signs")
	}},
	{"step one", func(c *coach, l *listener) { c.onStep(1) }},
	{"mid breathing", func(c *coach, l *listener) {
		c.onStep(3)
		l.say("start breathing", intents.IntentStartBreathing)
		c.expect("Another set?")
	}},
	{"mid stretch", func(c *coach, l *listener) {
		c.onStep(4)
		l.say("start the stretch", intents.IntentStartStretch)
		c.expect("Another round of holds?")
	}},
	{"a pending timer question", func(c *coach, l *listener) {
		c.onStep(5)
		l.say("set a cold pack timer", intents.IntentSetPackTimer)
		c.expect("Shall I start a 20-minute cold pack timer?")
	}},
	{"a pending forget question", func(c *coach, l *listener) {
		c.onStep(6)
		c.say(intents.IntentForgetMe)
		c.expect("Are you sure?")
	}},
	{"mid exercise", func(c *coach, l *listener) {
		c.onStep(9)
		l.say("do the lying twist", intents.IntentStartExercise)
		c.expect("Another set?")
	}},
}

// TestSafetyEverywhere: at every point of the routine, an emergency gets
// the emergency message and ends the session, distress a calm answer,
// medicine no advice, and the warning signs the full list; the answers that
// go on leave the user where they were, and nothing is stored about what
// was said.
func TestSafetyEverywhere(t *testing.T) {
	emergencies := []string{"i can't breathe", "call an ambulance", "i fell down the stairs", "call nine one one",
		"i have numbness in my legs", "i wet myself"}
	for i, p := range places {
		t.Run(p.name+"/emergency", func(t *testing.T) {
			c := newCoach(t)
			l := listen(c)
			p.setup(c, l)
			_, before := stored(t, c.st, c.u.userID)
			l.say(emergencies[i%len(emergencies)], intents.IntentWarningSign)
			c.expect("call 9 1 1, or your local emergency number", "Alexa can't call emergency services")
			c.expectClosed()
			if c.last.Response.Card == nil || !strings.Contains(c.last.Response.Card.Content, "911") {
				t.Errorf("no card with the number: %s", c.lastRaw)
			}
			if _, after := stored(t, c.st, c.u.userID); after != before {
				t.Errorf("an emergency wrote the state (version %d to %d)", before, after)
			}
		})
		t.Run(p.name+"/distress", func(t *testing.T) {
			c := newCoach(t)
			l := listen(c)
			p.setup(c, l)
			l.say("it hurts so much", intents.IntentDistress)
			c.expect("Stay as still as is comfortable", "call 9 1 1", "numbness")
			c.expectOpen()
			c.never("Sorry, I didn't catch")
		})
		t.Run(p.name+"/medicine", func(t *testing.T) {
			c := newCoach(t)
			l := listen(c)
			p.setup(c, l)
			var ask skill.Question
			var step int
			if c.last != nil && c.last.SessionAttributes != nil {
				ask, step = c.state().Ask, c.state().Step
			}
			l.say("what painkiller should i take", intents.IntentMedicine)
			c.expect("follow the label", "pharmacist")
			c.expectOpen()
			if m := drugs.FindString(c.said() + spoken(c.last.Response.Reprompt.OutputSpeech)); m != "" {
				t.Errorf("the medicine answer says %q", m)
			}
			if s := c.state(); step != 0 && (s.Ask != ask || s.Step != step) {
				t.Errorf("after the medicine answer: ask %v step %d, want ask %v step %d", s.Ask, s.Step, ask, step)
			}
		})
		t.Run(p.name+"/warning signs", func(t *testing.T) {
			c := newCoach(t)
			l := listen(c)
			p.setup(c, l)
			var ask skill.Question
			var step int
			if c.last != nil && c.last.SessionAttributes != nil {
				ask, step = c.state().Ask, c.state().Step
			}
			l.say("what are the warning signs", intents.IntentWarningSignsList)
			c.expect("after a fall", "buttocks", "bladder or bowels", "both legs", "chest pain", "call 9 1 1", "Alexa can't call")
			c.expectOpen()
			if s := c.state(); step != 0 && (s.Ask != ask || s.Step != step) {
				t.Errorf("after the warning signs: ask %v step %d, want ask %v step %d", s.Ask, s.Step, ask, step)
			}
		})
	}
}

// TestSafetyLoggedNeutrally: the turn's log line names the safety turns
// "safety", never by an intent that tells what the user said.
func TestSafetyLoggedNeutrally(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(3)
	l.say("i'm scared", intents.IntentDistress)
	l.say("can i take something for the pain", intents.IntentMedicine)
	l.say("tell me the warning signs again", intents.IntentWarningSignsList)
	l.say("i can't breathe", intents.IntentWarningSign)
	out := c.log.String()
	if n := strings.Count(out, `"intent":"safety"`); n != 4 {
		t.Errorf("%d turns logged as safety, want 4:\n%s", n, out)
	}
	for _, name := range []string{"Distress", "Medicine", "WarningSign"} {
		if strings.Contains(out, name) {
			t.Errorf("the log names %s:\n%s", name, out)
		}
	}
}

// TestEmergencyNumberByLocale: the emergency message names the locale's
// number, from the briefing and mid-activity.
func TestEmergencyNumberByLocale(t *testing.T) {
	tests := []struct{ locale, num, emergency string }{
		{"en-GB", "9 9 9", "call an ambulance"},
		{"en-AU", "0 0 0", "i can't breathe"},
		{"en-IN", "1 1 2", "i fell down the stairs"},
		{"en-CA", "9 1 1", "call nine one one"},
	}
	for _, tc := range tests {
		locale, num := tc.locale, tc.num
		t.Run(locale, func(t *testing.T) {
			c := newCoach(t)
			c.u.locale = locale
			l := listen(c)
			c.onStep(4)
			l.say("start the stretch", intents.IntentStartStretch)
			l.say("that hurts", intents.IntentDistress)
			c.expect("call " + num + ", or your local emergency number")
			l.say(tc.emergency, intents.IntentWarningSign)
			c.expect("call "+num+", or your local emergency number", "Alexa can't call")
			c.expectClosed()
		})
	}
}

// TestThatHurtsDuringTheStretch: "that hurts" stops the stretch, offers
// slow breathing, and later rounds do not go further.
func TestThatHurtsDuringTheStretch(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(4)
	l.say("start the stretch", intents.IntentStartStretch)
	c.expect("Stop if the pain gets sharper or spreads into your leg", "Curl forward, just a fraction of an inch")
	c.say(intents.IntentYes)
	c.expect("Stop if the pain gets sharper or spreads into your leg")
	c.never("a little further", "A tiny bit further")
	l.say("that hurts", intents.IntentDistress)
	c.expect("Okay, stop there", "Stay as still as is comfortable", "Shall we slow your breathing together?")
	c.expectOpen()
	if s := c.state(); s.Act.Kind != skill.ActNone || !s.Hold {
		t.Errorf("after that hurts: activity %v, hold %v; want none, true", s.Act.Kind, s.Hold)
	}
	c.say(intents.IntentYes)
	c.expect("Breathe in")
	// A new stretch later holds back.
	l.say("start the stretch", intents.IntentStartStretch)
	c.expect("less than before", "no further")
	c.never("A tiny bit further", "Just a little further")
	c.say(intents.IntentYes)
	c.never("A tiny bit further", "Just a little further")
	// Nothing about what was said is kept: only the neutral level.
	raw := string(c.last.SessionAttributes.State)
	for _, w := range []string{"hurt", "pain", "distress"} {
		if strings.Contains(strings.ToLower(raw), w) {
			t.Errorf("the state holds %q: %s", w, raw)
		}
	}
}

// TestThatHurtsDuringAnExercise: the twist stops, and the next set keeps
// the movement smaller.
func TestThatHurtsDuringAnExercise(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(9)
	l.say("do the lying twist", intents.IntentStartExercise)
	l.say("that hurts", intents.IntentDistress)
	c.expect("Okay, stop there")
	c.say(intents.IntentNo)
	c.expectOpen()
	l.say("do the lying twist", intents.IntentStartExercise)
	c.expect("smaller than before")
}

// TestDistressWhileBriefed: distress during the briefing keeps the
// briefing's question, and slow breathing follows its continue.
func TestDistressWhileBriefed(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.launch()
	l.say("i can't get up", intents.IntentDistress)
	c.expect("Stay as still as is comfortable", "say continue")
	if s := c.state(); s.Ask != skill.AskBriefing {
		t.Errorf("ask %v after distress in the briefing, want the briefing's", s.Ask)
	}
	l.say("continue", intents.IntentResume)
	c.expect("Breathe in")
}

// TestBriefingYes: a yes right after the warning signs is clarified, never
// taken as continue, and differently the second time; a no goes on.
func TestBriefingYes(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.launch()
	l.say("yes", intents.IntentYes)
	c.expect("If any of those applies to you, call 9 1 1", "Alexa can't call", "If none do, say continue")
	c.never("Step one")
	c.expectOpen()
	first := c.said()
	l.say("yeah", intents.IntentYes)
	c.never("Step one")
	if c.said() == first {
		t.Errorf("the second yes got the same words: %q", first)
	}
	c.expect("call 9 1 1", "continue")
	l.say("no", intents.IntentNo)
	c.expect("Step one")

	c2 := newCoach(t)
	l2 := listen(c2)
	c2.launch()
	l2.say("no", intents.IntentNo)
	c2.expect("Step one")
}

// TestOneShotSurvivesBriefing: a first request that names an activity is
// carried out right after the briefing's continue.
func TestOneShotSurvivesBriefing(t *testing.T) {
	tests := []struct {
		say, intent string
		want        []string
	}{
		{"start breathing", intents.IntentStartBreathing, []string{"Let's go to step 3", "Breathe in"}},
		{"start the stretch", intents.IntentStartStretch, []string{"step 4", "Curl forward"}},
		{"go to step five", intents.IntentGoToStep, []string{"Step five"}},
		{"set a cold pack timer", intents.IntentSetPackTimer, []string{"Shall I start a 20-minute cold pack timer?"}},
		{"do the lying twist", intents.IntentStartExercise, []string{"Roll your knees"}},
	}
	for _, tc := range tests {
		t.Run(tc.say, func(t *testing.T) {
			c := newCoach(t)
			l := listen(c)
			l.launchWith(tc.say, tc.intent)
			c.expect("Welcome to Back Spasm Coach", "warning signs", "say continue")
			c.never(tc.want...)
			l.say("continue", intents.IntentResume)
			c.expect(tc.want...)
			c.expectOpen()
		})
	}
	t.Run("a returning user on a new day", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		c.onStep(2)
		c.say(intents.IntentStop)
		c.pause(26 * time.Hour)
		l.launchWith("start breathing", intents.IntentStartBreathing)
		c.expect("Welcome back", "warning signs")
		c.never("Breathe in")
		l.say("no", intents.IntentNo)
		c.expect("Breathe in")
	})
	t.Run("it hurts, then yes to breathing", func(t *testing.T) {
		c := newCoach(t)
		l := listen(c)
		l.launchWith("it hurts so much", intents.IntentDistress)
		c.expect("Shall we slow your breathing together?")
		l.say("yes please", intents.IntentYes)
		c.expect("Welcome to Back Spasm Coach", "warning signs")
		l.say("continue", intents.IntentResume)
		c.expect("Breathe in")
	})
}

// TestEpisodeStart: saying when it started moves the episode's start, and
// the pack plan, cold or heat and "how long has it been" follow it.
func TestEpisodeStart(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(5)
	l.say("it started four days ago", intents.IntentEpisodeStart)
	c.expect("it started about 4 days ago", "moist heat")
	c.expectOpen()
	// Four calendar days ago in New York (the fake API's zone): 95 hours,
	// as the clocks went forward on 8 March.
	if s, _ := stored(t, c.st, c.u.userID); c.clk.Now().Sub(s.Episode.Time()) != 95*time.Hour {
		t.Errorf("stored start %v, want four days ago", s.Episode.Time())
	}
	l.say("should i use ice or heat", intents.IntentIceOrHeat)
	c.expect("moist heat is the one now")
	l.say("how long has it been", intents.IntentElapsed)
	c.expect("started about 4 days ago")
	l.say("set a pack timer", intents.IntentSetPackTimer)
	c.expect("heat pack timer")
	c.say(intents.IntentNo)

	// Yesterday is days later than four days ago: asked first.
	l.say("it began yesterday", intents.IntentEpisodeStart)
	c.expect("Did the spasm start about 22 hours ago?")
	l.say("yes", intents.IntentYes)
	c.expect("it started about 22 hours ago", "cold")
	l.say("should i use ice or heat", intents.IntentIceOrHeat)
	c.expect("cold is the one for now")

	l.say("it started two months ago", intents.IntentEpisodeStart)
	c.expect("longer than a spasm usually lasts", "Please see a doctor")

	// A date still to come changes nothing.
	before := c.state().Episode
	c.say(intents.IntentEpisodeStart, intents.SlotDate, "2027-06-01")
	c.expect("still to come")
	c.expectOpen()
	if c.state().Episode != before {
		t.Errorf("a start in the future moved the episode")
	}
	// A value that is not a date gets a helpful example.
	c.say(intents.IntentEpisodeStart, intents.SlotDate, "201X")
	c.expect("didn't catch when it started", "it started yesterday")
	c.expectOpen()
}

// TestEpisodeStartOnMonday: a weekday means the last one, not the next.
func TestEpisodeStartOnMonday(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(3)
	// t0 is a Tuesday: "monday" is yesterday, not six days ahead.
	l.say("it started on monday", intents.IntentEpisodeStart)
	c.expect("it started about 22 hours ago")
	c.never("still to come")
}

// TestEpisodeStartAsFirstWords: a first-time user who says when it started
// hears it confirmed with the briefing, and the plan follows.
func TestEpisodeStartAsFirstWords(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	l.launchWith("it started three days ago", intents.IntentEpisodeStart)
	c.expect("Welcome to Back Spasm Coach", "it started about 3 days ago", "warning signs")
	l.say("continue", intents.IntentResume)
	l.say("should i use ice or heat", intents.IntentIceOrHeat)
	c.expect("It's been about 3 days")
}

// TestMisunderstandings: answers to what the skill did not understand
// never repeat the words just said; the second lists what makes sense
// here, the third offers to repeat the step or stop.
func TestMisunderstandings(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(3)
	var prev string
	for i, text := range []string{"mmm purple elephants", "the the blue", "bananas on the ceiling", "wobble wobble"} {
		l.say(text, intents.IntentFallback)
		c.expectOpen()
		if c.said() == prev {
			t.Errorf("answer %d repeats the one before: %q", i+1, prev)
		}
		prev = c.said()
		switch i {
		case 1:
			c.expect("start breathing", "next step")
		case 2:
			c.expect("Shall I go through this step again?", "stop")
		}
	}
	c.say(intents.IntentRepeat)
	c.expect("Step three")

	// During the briefing the answers vary too, and "no" is never asked
	// for: the briefing's question stays.
	b := newCoach(t)
	lb := listen(b)
	b.launch()
	prev = b.said()
	for i := 0; i < 4; i++ {
		lb.say("the one with the hmm thing", intents.IntentFallback)
		if b.said() == prev {
			t.Errorf("briefing answer %d repeats the one before: %q", i+1, prev)
		}
		prev = b.said()
		if s := b.state(); s.Ask != skill.AskBriefing {
			t.Fatalf("misunderstanding %d left the briefing (ask %v)", i+1, s.Ask)
		}
	}
	lb.say("continue", intents.IntentResume)
	b.expect("Step one")

	// A pending yes-or-no question: the second says how to answer.
	q := newCoach(t)
	lq := listen(q)
	q.onPackQuestion()
	lq.say("uh the green one", intents.IntentFallback)
	lq.say("uh the green one", intents.IntentFallback)
	q.expect("Say yes to start the timer, or no")
}

// TestPackCancelledEarly: a pack cancelled in its first minutes does not
// count, so another can go on at once, and the reminder for the next pack
// goes with it.
func TestPackCancelledEarly(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onPackQuestion()
	c.say(intents.IntentYes)
	c.expect("Done. Your cold pack timer will ring in 20 minutes", "remind you about the next pack")
	l.say("yes please", intents.IntentYes)
	c.expect("I'll remind you in an hour")
	c.pause(2 * time.Minute)
	l.say("cancel the pack timer", intents.IntentCancelPackTimer)
	c.expect("cancelled your cold pack timer", "doesn't count", "cancelled the reminder for the next pack")
	if n := c.api.Count(alexatest.OpDeleteTimer); n != 1 {
		t.Errorf("%d timer deletions, want 1", n)
	}
	if n := c.api.Count(alexatest.OpDeleteReminder); n != 1 {
		t.Errorf("%d reminder deletions, want 1", n)
	}
	l.say("set a cold pack timer", intents.IntentSetPackTimer)
	c.expect("Shall I start a 20-minute cold pack timer?")
	c.never("Give your skin a break")
	c.say(intents.IntentYes)
	c.expect("Done")
	c.say(intents.IntentNo)
	// A pack that stayed on counts.
	c.pause(10 * time.Minute)
	l.say("cancel the pack timer", intents.IntentCancelPackTimer)
	c.never("doesn't count")
	l.say("set a cold pack timer", intents.IntentSetPackTimer)
	c.expect("Give your skin a break")
}

// TestPlainCancelAfterOffer: after the skill offered to cancel the running
// pack timer, a plain "cancel" cancels it and keeps the session.
func TestPlainCancelAfterOffer(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onPackQuestion()
	c.say(intents.IntentYes)
	c.say(intents.IntentNo)
	c.pause(8 * time.Minute)
	l.say("set a heat pack timer", intents.IntentSetPackTimer)
	c.expect("still running", "Say cancel the pack timer")
	l.say("cancel", intents.IntentCancel)
	c.expect("cancelled your cold pack timer")
	c.expectOpen()
	if n := c.api.Count(alexatest.OpDeleteTimer); n != 1 {
		t.Errorf("%d timer deletions, want 1", n)
	}
	// Elsewhere, cancel still leaves.
	l.say("cancel", intents.IntentCancel)
	c.expectClosed()
}

// TestSaferContent: step one invites gentle movement, step seven names the
// signs to see a doctor soon, and the seated twist waits for a yes early in
// an episode while the lying twist starts at once.
func TestSaferContent(t *testing.T) {
	c := newCoach(t)
	l := listen(c)
	c.onStep(1)
	c.expect("gentle movement, as the pain allows")
	c.never("move around")
	l.say("go to step seven", intents.IntentGoToStep)
	c.expect("See a doctor soon", "below the knee", "worse at night", "over fifty-five")
	l.say("start the seated twist", intents.IntentStartExercise)
	c.expect("for when you can move comfortably, and a doctor has checked your back", "Shall we start")
	c.never("Sit tall")
	if s := c.state(); s.Act.Kind != skill.ActNone || s.Ask != skill.AskSeatedTwist {
		t.Errorf("the seated twist began early: %+v", s)
	}
	l.say("no", intents.IntentNo)
	c.expect("lying twist")
	l.say("do the lying twist", intents.IntentStartExercise)
	c.expect("Roll your knees")
	l.say("start the seated twist", intents.IntentStartExercise)
	l.say("yes", intents.IntentYes)
	c.expect("Sit tall", "Stop if the pain gets worse")
}
