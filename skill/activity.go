package skill

import (
	"time"

	"spasmcoach/speech"
)

// Breathing limits.
const (
	// setSpan is the most a breathing set may last: a set is about 4 to 6
	// breaths, under a minute, then a short check-in.
	setSpan        = 57 * time.Second
	minSetBreaths  = 4
	maxSetBreaths  = 6
	maxBreaths     = 60 // the most breaths one request may ask for
	maxBreathMins  = 10 // the most minutes one request may ask for
	holdsPerRound  = 3  // stretch holds per round
	restLength     = 10 * time.Second
	repsPerSet     = 5 // exercise repetitions per side
	centreInterval = 2 * time.Second
)

// phase is one part of a breath: a cue word and the counts that follow it.
type phase struct {
	cue    string
	short  string        // a shorter cue for a beat too quick for cue; "" when cue is one short word
	counts int           // counts including the cue's own beat
	length time.Duration // at pace 0
}

// patterns gives each pattern's phases: the steady default of the
// back-spasm routine the skill follows (in 5 s, hold 1 s, out 3.5 s, no
// pause after the out-breath; about 6 breaths a minute) and the long
// exhale (in 4 s, out 6 s), since studies of slow breathing for pain favour
// an out-breath longer than the in-breath (Van Diest et al. 2014; Jafari et
// al. 2020).
var patterns = map[Pattern][]phase{
	PatternSteady: {
		{cue: "Breathe in", short: "In", counts: 5, length: 5 * time.Second},
		{cue: "hold", counts: 1, length: time.Second},
		{cue: "out", counts: 3, length: 3500 * time.Millisecond},
	},
	PatternLongExhale: {
		{cue: "Breathe in", short: "In", counts: 4, length: 4 * time.Second},
		{cue: "out", counts: 6, length: 6 * time.Second},
	},
}

var countWords = []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// paceFactor is how much the pace level stretches each phase.
func paceFactor(pace int) float64 { return 1 + PaceFactor*float64(pace) }

// BreathCycle returns the length of one breath for a pattern and pace.
func BreathCycle(p Pattern, pace int) time.Duration {
	var d time.Duration
	for _, ph := range patterns[p] {
		d += ph.length
	}
	return scale(d, pace)
}

func scale(d time.Duration, pace int) time.Duration {
	return time.Duration(float64(d) * paceFactor(pace)).Round(10 * time.Millisecond)
}

// BreathsPerSet returns how many breaths a set holds at a pattern and pace.
func BreathsPerSet(p Pattern, pace int) int {
	n := int(setSpan / BreathCycle(p, pace))
	return min(max(n, minSetBreaths), maxSetBreaths)
}

// BreathCues returns the paced cues of n breaths and their total length:
// each phase's cue word on its first beat ("Breathe in", "hold", "out"),
// then bare numbers on the following beats. Every breath opens with the
// full "Breathe in" where it fits its beat: a bare "in" is easy to miss,
// and synthesisers stretch the pause after so short a clause, which pulls
// the next counts off the beat (speech's espeak-ng test measures exactly
// this sequence). The cue carries "In" as its Short, which the renderer
// says instead at the fast paces, where "Breathe in" would not fit its
// beat: otherwise it would take the beat of "two", and a count would go
// unsaid.
func BreathCues(p Pattern, pace, n int) ([]speech.Cue, time.Duration) {
	var cues []speech.Cue
	var at time.Duration
	for b := 0; b < n; b++ {
		for _, ph := range patterns[p] {
			length := scale(ph.length, pace)
			beat := scale(time.Second, pace)
			for c := 0; c < ph.counts; c++ {
				cue := speech.Cue{At: at + time.Duration(c)*beat, Text: countWords[c+1]}
				if c == 0 {
					cue.Text, cue.Short = ph.cue, ph.short
				}
				cues = append(cues, cue)
			}
			at += length
		}
	}
	return cues, at
}

// --- breathing ---

func (t *turn) startBreathing() {
	t.moveForActivity(OfferBreathing, 3)
	target := 0
	switch {
	case t.e.Minutes > 0:
		m := min(t.e.Minutes, maxBreathMins)
		if t.e.Minutes > maxBreathMins {
			t.sayLines("I'll count for ten minutes at most, in short sets.")
		}
		target = min(int((time.Duration(m)*time.Minute)/BreathCycle(t.s.Pattern, t.s.Pace)), maxBreaths)
	case t.e.Number > 0:
		target = min(t.e.Number, maxBreaths)
		if t.e.Number > maxBreaths {
			t.sayLines("I'll count sixty breaths at most, in short sets.")
		}
	case t.e.Unclear:
		t.sayLines("I didn't catch how many, so let's do one set.")
	}
	t.s.Act = Activity{Kind: ActBreathing, Target: target}
	t.breathingSet(true)
}

// breathingSet counts one set of breaths and ends with a check-in.
func (t *turn) breathingSet(intro bool) {
	a := &t.s.Act
	a.Paused = false
	if intro && !t.s.Heard.Has(heardBreathing) {
		t.s.Heard |= heardBreathing
		t.sayLines("I'll count with you.")
		t.sayLines(t.patternHowTo()...)
		t.sayLines("If you feel light-headed or short of air, say faster, or stop and breathe normally.")
	} else if intro {
		t.sayLines(pick(t.now, "Okay, let's breathe.", "Alright, breathing with you.", "Okay. Get comfortable."))
	}
	t.r.Say.Pause(1500 * time.Millisecond)
	n := BreathsPerSet(t.s.Pattern, t.s.Pace)
	if a.Target > 0 {
		n = min(n, a.Target-a.Done)
	}
	n = max(n, 1)
	cues, length := BreathCues(t.s.Pattern, t.s.Pace, n)
	t.r.Say.Pace(cues, length)
	a.Done += n
	a.Set++
	if a.Target > 0 && a.Done < a.Target {
		t.sayLines("That's " + itoa(a.Done) + " of " + itoa(a.Target) + ".")
		t.s.Ask = AskNextStep
		t.prompt("Ready for the next set?", "Say yes for the next set, slower to slow the count, or next step.")
		return
	}
	if a.Target > 0 {
		t.sayLines("That's all " + itoa(a.Target) + " breaths. Well done.")
		a.Target = 0
	} else {
		t.sayLines(pick(t.now, "Good.", "Well done.", "Nice and slow."))
	}
	t.s.Ask = AskNextStep
	t.checkIn()
}

// patternHowTo explains the breathing pattern in use.
func (t *turn) patternHowTo() []string {
	if t.s.Pattern == PatternLongExhale {
		return []string{"Breathe in as I count to four, then out, slowly, as I count to six."}
	}
	return []string{"Breathe in as I count to five, hold for one, then breathe out as I count to three."}
}

func (t *turn) changePace(delta int) {
	pace := t.s.Pace + delta
	switch {
	case pace > MaxPace:
		t.sayLines("That's as slow as I go.")
	case pace < MinPace:
		t.sayLines("That's as fast as I go.")
	default:
		t.s.Pace = pace
		if delta > 0 {
			t.sayLines(pick(t.now, "Okay, slower.", "Sure, a little slower."))
		} else {
			t.sayLines(pick(t.now, "Okay, a little faster.", "Sure, a bit quicker."))
		}
	}
	if t.s.Act.Kind == ActBreathing || (t.s.Act.Kind == ActNone && t.s.Step == 3) {
		if t.s.Act.Kind == ActNone {
			t.s.Act = Activity{Kind: ActBreathing}
		}
		t.breathingSet(false)
		return
	}
	t.prompt("I'll use that pace when we breathe. Say start breathing, or next step.",
		"Say start breathing, or next step.")
}

func (t *turn) setPattern(p Pattern) {
	if t.s.Pattern == p {
		if p == PatternLongExhale {
			t.sayLines("We're already using the long exhale.")
		} else {
			t.sayLines("We're already using the steady pattern.")
		}
	} else {
		t.s.Pattern = p
		if p == PatternLongExhale {
			t.sayLines("Okay, long exhale. In for four, out for six.")
			t.s.Heard |= heardLongExhale
		} else {
			t.sayLines("Okay, back to the steady pattern. In for five, hold for one, out for three.")
		}
	}
	t.moveForActivity(OfferBreathing, 3)
	if t.s.Act.Kind != ActBreathing {
		t.s.Act = Activity{Kind: ActBreathing}
	}
	t.breathingSet(false)
}

// --- the stretch ---

func (t *turn) startStretch() {
	t.moveForActivity(OfferStretch, 4)
	t.s.Act = Activity{Kind: ActStretch}
	t.stretchRound(true)
}

// stretchRound guides a round of holds, each followed by a rest.
func (t *turn) stretchRound(intro bool) {
	a := &t.s.Act
	a.Paused = false
	if intro && !t.s.Heard.Has(heardStretch) {
		t.s.Heard |= heardStretch
		t.sayLines("Lie on your side, and cross your arms.",
			"I'll tell you when to curl, and when to rest.")
	}
	// Before every round.
	t.sayLines("Stop if the pain gets sharper or spreads into your leg.")
	hold := 2 * BreathCycle(PatternSteady, t.s.Pace)
	for i := 0; i < holdsPerRound; i++ {
		t.r.Say.Pause(time.Second)
		t.sayLines(t.holdCue(i))
		t.sayLines("Hold it there, and breathe.")
		half := BreathCycle(PatternSteady, t.s.Pace)
		in := scale(6*time.Second, t.s.Pace)
		t.r.Say.Pace([]speech.Cue{
			{At: 0, Text: "Breathe in"},
			{At: in, Text: "and out"},
			{At: half, Text: "Breathe in"},
			{At: half + in, Text: "and out"},
		}, hold)
		t.sayLines("And rest. Let the muscle stay soft.")
		t.r.Say.Pause(restLength)
		a.Done++
	}
	a.Set++
	if a.Set == 3 {
		t.sayLines("If it's still very tight after a long while, that's a sign to get medical help.")
	}
	t.s.Ask = AskNextStep
	t.checkIn()
}

// holdCue is the cue of hold i of a stretch round. Only the first round
// goes a tiny bit further, once; later rounds hold the position reached,
// and after the user stopped a movement (Hold) no round goes further.
func (t *turn) holdCue(i int) string {
	a := t.s.Act
	switch {
	case i == 0 && t.s.Hold:
		return "Curl forward a little, less than before, only as far as is easy."
	case i == 0 && a.Done == 0:
		return "Curl forward, just a fraction of an inch."
	case i == 0:
		return "Curl forward to where it felt comfortable before."
	case i == 1 && a.Set == 0 && !t.s.Hold:
		return pick(t.now, "A tiny bit further, if it feels okay.", "Just a little further, no more than that.")
	}
	return pick(t.now.Add(time.Duration(i)*time.Second), "Stay at that point, no further.", "The same place again. No further.")
}

// --- the exercises ---

func (t *turn) startExercise(x Exercise) {
	early := !t.s.Heard.Has(heardStep(LastStep)) || t.episodeAge() < HeatAfter
	t.moveForActivity(OfferExercise, 9)
	if x == ExerciseNone {
		t.s.Act = Activity{}
		t.prompt("Which one: the lying twist, or the seated twist?",
			"Say lying twist, or seated twist. The lying twist is fine early on.")
		return
	}
	if x == ExerciseSeatedTwist && early {
		// Early in an episode the seated twist waits for a yes.
		t.s.Act = Activity{}
		t.s.Ask = AskSeatedTwist
		t.s.Heard |= heardSeatedTwist
		t.sayLines(seatedTwistFor, "If that's not you yet, the lying twist is fine early on.")
		t.askAgain()
		return
	}
	t.s.Act = Activity{Kind: ActExercise, Exercise: x}
	t.exerciseSet(true)
}

// exerciseSet guides one set of repetitions on both sides.
func (t *turn) exerciseSet(intro bool) {
	a := &t.s.Act
	a.Paused = false
	seated := a.Exercise == ExerciseSeatedTwist
	bit := heardLyingTwist
	if seated {
		bit = heardSeatedTwist
	}
	switch {
	case intro && !t.s.Heard.Has(bit) && seated:
		t.sayLines(seatedTwistFor,
			"Sit tall on a firm chair, feet flat.",
			"Turn gently to each side, only as far as feels easy, and hold for one slow breath.",
			"Stop if the pain gets worse.")
	case intro && !t.s.Heard.Has(bit):
		t.sayLines("Lie on your back, knees bent, feet flat.",
			"Roll both knees to one side, hold for one slow breath, then back to the middle.",
			"Only go as far as feels easy.")
	case intro && seated:
		t.sayLines("Sit tall on a firm chair, feet flat.",
			"Turn gently to each side, only as far as feels easy, and hold for one slow breath.",
			"Stop if the pain gets worse.")
	case seated:
		t.sayLines("The seated twist. Keep it small, and stop if it hurts more.")
	default:
		t.sayLines("The lying twist. Knees bent, feet flat.")
	}
	if t.s.Hold && (a.Set > 0 || t.s.Heard.Has(doneBit(a.Exercise))) {
		t.sayLines("Keep each turn smaller than before, well within what's comfortable.")
	} else if t.s.Hold {
		t.sayLines("Keep each turn small, well within what's comfortable.")
	}
	t.s.Heard |= bit | doneBit(a.Exercise)
	cycle := BreathCycle(PatternSteady, t.s.Pace)
	out := scale(6*time.Second, t.s.Pace)
	for rep := 1; rep <= repsPerSet; rep++ {
		for _, side := range []Side{SideLeft, SideRight} {
			t.r.Say.Pause(time.Second)
			t.sayLines(t.sideCue(seated, side, rep == 1 && side == SideLeft))
			t.r.Say.Pace([]speech.Cue{{At: 0, Text: "breathe in"}, {At: out, Text: "and out"}}, cycle)
			t.sayLines(pick(t.now.Add(time.Duration(rep)*time.Second), "Back to the middle.", "And back."))
			t.r.Say.Pause(centreInterval)
			a.Side = side
		}
		a.Done = rep
	}
	a.Set++
	t.sayLines("That's " + itoa(repsPerSet) + " on each side.")
	t.s.Ask = AskNextStep
	t.checkIn()
}

func (t *turn) sideCue(seated bool, side Side, first bool) string {
	dir := "left"
	if side == SideRight {
		dir = "right"
	}
	switch {
	case seated && first:
		return "Turn gently to the " + dir + "."
	case seated:
		return "Turn to the " + dir + "."
	case first:
		return "Roll your knees to the " + dir + "."
	}
	return "Knees to the " + dir + "."
}

// doneBit is the Heard bit of a set of exercise x done in this episode.
func doneBit(x Exercise) Heard {
	if x == ExerciseSeatedTwist {
		return heardDidSeatedTwist
	}
	return heardDidLyingTwist
}

// seatedTwistFor says who the seated twist is for.
const seatedTwistFor = "The seated twist is for when you can move comfortably, and a doctor has checked your back."

// --- shared activity flow ---

// moveForActivity moves to step home when the current step doesn't offer
// the activity, and says so.
func (t *turn) moveForActivity(o Offer, home int) {
	if StepAt(t.s.Step).Has(o) {
		return
	}
	t.s.Step = home
	t.s.Heard |= heardStep(home)
	t.sayLines("Let's go to step " + itoa(home) + ", " + lower(StepAt(home).Title) + ".")
	t.r.Card = &Card{Title: "Step " + itoa(home) + ": " + StepAt(home).Title, Text: StepAt(home).Card}
}

// checkIn ends an activity turn with one short yes-or-no question, so that
// "yes" (or "again") always means one more set or round, and "no" stops
// the activity; the reprompt adds the way on.
func (t *turn) checkIn() {
	t.s.Ask = AskNextStep
	switch t.s.Act.Kind {
	case ActBreathing:
		t.prompt("Another set?", "Say yes for another set, slower to slow the count, or next step.")
	case ActStretch:
		t.prompt("Another round of holds?", "Say yes for another round, or next step to move on.")
	case ActExercise:
		t.prompt("Another set?", "Say yes for another set, or no if you're done.")
	default:
		t.s.Ask = AskNothing
		t.stepPrompt()
	}
}

// activityPrompt asks whether to go on with the activity in progress; yes
// (or continue) starts it.
func (t *turn) activityPrompt() string {
	switch t.s.Act.Kind {
	case ActBreathing:
		return "Ready to start breathing?"
	case ActStretch:
		return "Ready to start the holds?"
	case ActExercise:
		return "Ready to start the " + t.s.Act.Exercise.String() + "?"
	}
	return StepAt(t.s.Step).Prompt
}

// activityHowTo explains the activity in progress again, in full.
func (t *turn) activityHowTo() []string {
	switch t.s.Act.Kind {
	case ActBreathing:
		return t.patternHowTo()
	case ActStretch:
		return []string{"On your side, arms crossed, curl forward a tiny bit, hold for two slow breaths, then rest."}
	case ActExercise:
		if t.s.Act.Exercise == ExerciseSeatedTwist {
			return []string{"Sitting tall, turn gently to one side, hold for one slow breath, back to the middle, then the other side."}
		}
		return []string{"On your back, knees bent, roll both knees to one side, hold for one slow breath, back to the middle, then the other side."}
	}
	return nil
}

// again repeats the activity in progress: another set or round.
func (t *turn) again() {
	switch t.s.Act.Kind {
	case ActBreathing:
		t.breathingSet(false)
	case ActStretch:
		t.stretchRound(false)
	case ActExercise:
		t.exerciseSet(false)
	default:
		t.stepPrompt()
	}
}

// resumeActivity goes on with the activity in progress, or starts the
// step's own activity, or moves to the next step.
func (t *turn) resumeActivity() {
	if t.s.Act.Kind != ActNone {
		t.again()
		return
	}
	info := StepAt(t.s.Step)
	switch {
	case info.Number == 3:
		t.s.Act = Activity{Kind: ActBreathing}
		t.breathingSet(true)
	case info.Has(OfferStretch):
		t.startStretch()
	case info.Has(OfferExercise):
		t.startExercise(ExerciseLyingTwist)
	default:
		t.next()
	}
}
