package skill

import (
	"strings"
	"time"

	"spasmcoach/speech"
)

// Timings of the episode and the pack plan: cold for the first three days,
// then heat; a pack for 10 to 20 minutes, never more; the next 1 to 2 hours
// after the last went on. Timers themselves last at most 2 hours
// (https://developer.amazon.com/en-US/docs/alexa/smapi/alexa-timers-guidelines-for-usage.html).
const (
	// FreshAfter is how long without activity before a launch offers a
	// fresh episode.
	FreshAfter = 14 * 24 * time.Hour
	// HeatAfter is how long into an episode the plan moves from cold packs
	// to moist heat.
	HeatAfter = 72 * time.Hour
	// PackMinutes is a pack's default length.
	PackMinutes = 20
	// PackMinMinutes is the shortest pack timer the skill sets.
	PackMinMinutes = 10
	// PackMaxMinutes is the longest pack timer the skill sets, to protect
	// the skin.
	PackMaxMinutes = 20
	// NextPackAfter is the earliest the next pack is due, counted from
	// when the last one went on.
	NextPackAfter = time.Hour
	// NextPackBy is the latest the next pack is due, counted the same way.
	NextPackBy = 2 * time.Hour
	// EarlyCancel is how long a pack may have been on when its timer is
	// cancelled and still not count as a pack.
	EarlyCancel = 5 * time.Minute
)

// Things the user has heard in full, beyond the steps (bits 0 to 8 are the
// steps' introductions).
const (
	heardBreathing Heard = 1 << (LastStep + iota)
	heardLongExhale
	heardStretch
	heardLyingTwist
	heardSeatedTwist
	heardColdPack
	heardHeatPack
	heardDisclaimer
	heardDidLyingTwist
	heardDidSeatedTwist
)

// heardStep is the Heard bit of step n's introduction.
func heardStep(n int) Heard { return 1 << (n - 1) }

// Apply returns the state after e happens to s at now, and what to answer.
// It is pure: the same arguments always give the same result. When nothing
// changes, the returned State equals s, so callers can skip saving.
func Apply(s State, e Event, now time.Time) (State, Reply) {
	t := &turn{s: s, e: e, now: now}
	t.dispatch()
	if t.forget {
		return State{}, t.r
	}
	if !t.r.Listen && t.s.Ask != AskConsent {
		// The session ends here: Hold and Calm are for the session only.
		t.s.Hold, t.s.Calm = false, 0
	}
	if t.s != s {
		t.s.Schema = SchemaVersion
		t.s.Updated = At(now)
	}
	return t.s, t.r
}

// turn holds one application of an event while the reply is built.
type turn struct {
	s      State
	e      Event
	now    time.Time
	r      Reply
	forget bool
	// misses is how many turns in a row before this one the skill did not
	// understand.
	misses int
	// disclaim says the disclaimer is still to be said before the reply's
	// closing prompt: a brand-new user's first words were a safety
	// question.
	disclaim bool
}

func (t *turn) dispatch() {
	t.resetCounts()
	if t.safety() {
		return
	}
	switch t.e.Kind {
	case EvSessionEnded:
		t.sessionEnded()
		return
	case EvTimerSet, EvTimerFailed, EvTimerNoPermission, EvTimerStatus, EvTimerGone,
		EvTimerCancelled, EvPermission, EvReminderSet, EvReminderFailed, EvReminderNoPermission:
		t.outcome()
		return
	case EvCancel:
		if t.s.Ask == AskCancelPack {
			// "Cancel" right after the offer to cancel the pack timer.
			t.s.Ask = AskNothing
			t.cancelPack()
			return
		}
		t.goodbye("")
		return
	case EvStop:
		t.goodbye("")
		return
	}
	if t.s.Episode == 0 {
		t.beforeFirstEpisode()
		return
	}
	if t.e.Kind == EvLaunch {
		t.launch()
		return
	}
	if t.e.Kind == EvEpisodeStart {
		t.episodeStart()
		return
	}
	if t.e.Kind != EvForgetMe && t.s.Ask == AskNothing && t.briefingDue() {
		t.s.Then = requestOf(t.e)
		t.sayLines("Welcome back.")
		if t.s.Then.Kind != EvNone {
			t.sayLines("First, a quick safety check, then we'll get to that.")
		}
		t.briefing(true)
		return
	}
	if t.s.Ask != AskNothing && t.answer() {
		return
	}
	if t.s.Ask != AskConsent {
		t.s.Ask = AskNothing
	}
	// The question is dropped: so is what was asked before the briefing,
	// and a start waiting to be confirmed.
	t.s.Then = Request{}
	t.s.NewStart = 0
	t.command()
}

// resetCounts keeps the counts of misunderstood turns and of calming
// answers in a row only for the turns that continue them; an emergency
// changes nothing.
func (t *turn) resetCounts() {
	t.misses = t.s.Misses
	if t.e.Kind != EvFallback && t.e.Kind != EvNone && t.e.Kind != EvWarningSign {
		t.s.Misses = 0
	}
	if t.e.Kind != EvDistress && t.e.Kind != EvWarningSign {
		t.s.Calm = 0
	}
}

// beforeFirstEpisode answers a user who has not been through the safety
// briefing yet: that comes first, whatever was asked, and a request that
// names an activity is carried out after it.
func (t *turn) beforeFirstEpisode() {
	switch t.e.Kind {
	case EvForgetMe:
		t.sayLines("I don't have anything saved about you.")
		t.end()
	case EvHelp:
		t.sayLines("I coach you through a back spasm, one step at a time, while you lie still.")
		t.prompt("To begin, say start.", "Say start, and I'll begin with a few safety points.")
		t.s.Ask = AskNothing
	default:
		t.firstLaunch()
	}
}

// command handles an event that is not the answer to a question.
func (t *turn) command() {
	switch t.e.Kind {
	case EvNext:
		t.next()
	case EvPrevious:
		t.previous()
	case EvRepeat:
		t.repeat()
	case EvGoToStep:
		t.goToStep()
	case EvStartBreathing:
		t.startBreathing()
	case EvStartStretch:
		t.startStretch()
	case EvStartExercise:
		t.startExercise(t.e.Exercise)
	case EvSetPack:
		t.setPack()
	case EvCancelPack:
		t.cancelPack()
	case EvPackLeft:
		t.packLeft()
	case EvNextPack:
		t.nextPack()
	case EvIceOrHeat:
		t.iceOrHeat()
	case EvPreferPack:
		t.preferPack()
	case EvSlower:
		t.changePace(+1)
	case EvFaster:
		t.changePace(-1)
	case EvLongExhale:
		t.setPattern(PatternLongExhale)
	case EvSteadyBreathing:
		t.setPattern(PatternSteady)
	case EvContinue:
		t.resumeActivity()
	case EvPause:
		t.pause()
	case EvWhereAmI:
		t.whereAmI()
	case EvElapsed:
		t.elapsed()
	case EvHelp:
		t.help()
	case EvStartOver:
		t.newEpisode()
		t.sayLines("Okay, a fresh start.")
		t.briefing(false)
	case EvForgetMe:
		t.s.Ask = AskForget
		t.sayLines("That deletes your progress and everything I keep about you.")
		t.prompt("Are you sure?", "Say yes to delete everything, or no to keep it.")
	case EvYes, EvNo:
		t.yesNoWithoutQuestion()
	default: // EvFallback, EvNone, EvLaunch handled earlier
		t.misunderstood()
	}
}

// answer handles the reply to the pending question. It reports false when
// the event is not an answer, so that it is handled as a command instead.
func (t *turn) answer() bool {
	ask := t.s.Ask
	switch t.e.Kind {
	case EvRepeat:
		if ask == AskNextStep {
			// "Again", "one more time", "do it again": another set.
			t.s.Ask = AskNothing
			t.again()
			return true
		}
		t.repeat()
		return true
	case EvFallback, EvNone:
		t.misunderstood()
		return true
	case EvHelp:
		if ask == AskBriefing {
			t.briefingHelp()
			return true
		}
		t.sayLines("Just say yes, or no.")
		t.askAgain()
		return true
	case EvNext:
		if ask != AskBriefing {
			return false
		}
		// "Next" after the warning signs means go on, as continue does:
		// into step one, not past it.
		fallthrough
	case EvContinue:
		return t.continueAnswer(ask)
	case EvYes:
		t.s.Ask = AskNothing
		t.yes(ask)
		return true
	case EvNo:
		t.s.Ask = AskNothing
		t.no(ask)
		return true
	}
	return false
}

// continueAnswer answers the pending question with "continue" or "go on"
// (AMAZON.ResumeIntent), question by question: as yes where that is the
// natural reading, as no where it means carrying on as things are, and
// with the question again where it could mean either or the answer cannot
// be taken back. It reports false when continue is a command here.
func (t *turn) continueAnswer(ask Question) bool {
	switch ask {
	case AskBriefing:
		t.s.Ask = AskNothing
		t.afterBriefing()
	case AskNextStep:
		t.s.Ask = AskNothing
		t.resumeActivity()
	case AskResume, AskTimer, AskReminder, AskBreathe, AskRepeatStep, AskSeatedTwist:
		// "Shall I start a pack timer?" "Yeah, go on."
		t.s.Ask = AskNothing
		t.yes(ask)
	case AskFresh, AskCancelPack:
		// Carry on where I was; leave the pack timer running.
		t.s.Ask = AskNothing
		t.no(ask)
	case AskSwitchPack, AskForget, AskStart, AskStartBriefed:
		t.sayLines("Just say yes, or no.")
		t.askAgain()
	default:
		return false
	}
	return true
}

func (t *turn) yes(ask Question) {
	switch ask {
	case AskBriefing:
		t.briefingYes()
	case AskResume:
		t.resumeStep(true)
	case AskBreathe:
		t.startBreathing()
	case AskRepeatStep:
		t.repeat()
	case AskSeatedTwist:
		t.moveForActivity(OfferExercise, LastStep)
		t.s.Act = Activity{Kind: ActExercise, Exercise: ExerciseSeatedTwist}
		t.exerciseSet(true)
	case AskFresh:
		t.newEpisode()
		t.sayLines("Okay, a fresh start.")
		t.briefing(false)
	case AskTimer, AskSwitchPack:
		t.startTimer()
	case AskReminder:
		t.r.Effects = append(t.r.Effects, Effect{Kind: SetReminder, Reminder: t.reminderSpec()})
	case AskForget:
		t.forget = true
		t.r.Effects = append(t.r.Effects, Effect{Kind: Forget})
		t.sayLines("Done. I've deleted everything I kept about you. Take care of yourself.")
		t.end()
	case AskNextStep:
		t.again()
	case AskStart, AskStartBriefed:
		t.startConfirmed(true, ask)
	default:
		t.yesNoWithoutQuestion()
	}
}

func (t *turn) no(ask Question) {
	switch ask {
	case AskResume:
		t.sayLines("Okay.")
		t.prompt("Say start over for a fresh start, or tell me a step number, like go to step three.",
			"You can say start over, or go to a step from one to nine.")
	case AskBriefing:
		// "No" to "say continue if none of these apply" means none apply.
		t.afterBriefing()
	case AskBreathe:
		t.sayLines("Okay. Rest as long as you need.")
		t.stepPrompt()
	case AskRepeatStep:
		t.sayLines("Okay.")
		t.backToWhere()
	case AskCancelPack:
		t.sayLines("Okay, I'll leave it running.")
		t.stepPrompt()
	case AskSeatedTwist:
		t.sayLines("Okay. The lying twist is fine early on.")
		t.prompt("Say start the lying twist, or stop to rest.", "Say start the lying twist, go back, or stop.")
	case AskFresh:
		t.resumeStep(true)
	case AskTimer:
		t.s.Plan = PackPlan{}
		t.sayLines("Okay, no timer.")
		t.stepPrompt()
	case AskSwitchPack:
		// They want the pack they asked for: confirm that one instead.
		if t.s.Plan.Pack == PackHeat {
			t.s.Plan.Pack = PackCold
		} else {
			t.s.Plan.Pack = PackHeat
		}
		t.confirmTimer("Okay.")
	case AskReminder:
		t.sayLines("Okay, no reminder.")
		t.stepPrompt()
	case AskForget:
		t.sayLines("Okay, I've kept everything as it was.")
		t.stepPrompt()
	case AskStart, AskStartBriefed:
		t.startConfirmed(false, ask)
	case AskNextStep:
		if t.s.Act.Kind == ActExercise {
			// The exercises close the routine: no more sets means done.
			t.s.Act = Activity{}
			t.goodbye("Okay. Rest now, and go gently.")
			return
		}
		t.sayLines("Okay.")
		t.prompt("Say next step when you're ready, or stop to rest.",
			"Say continue for more, next step to move on, or stop.")
	default:
		t.yesNoWithoutQuestion()
	}
}

// questionPrompt is a question as the skill asks it, and its reprompt.
type questionPrompt struct{ say, reprompt string }

// questionPrompts are the questions asked again in the same words whatever
// the state; askAgain words the others from the state.
var questionPrompts = map[Question]questionPrompt{
	AskResume: {"Shall we pick up where you left off?", "Say yes to carry on, or no."},
	AskFresh:  {"Shall we start fresh?", "Say yes for a fresh start, or no to carry on where you were."},
	AskBriefing: {"If none of those warning signs apply, say continue.",
		"Say continue to go on, or repeat to hear the warning signs again."},
	AskReminder: {"Want me to remind you about the next pack in an hour?", "Say yes for a reminder, or no."},
	AskForget:   {"Shall I delete everything I keep about you?", "Say yes to delete it all, or no to keep it."},
	AskBreathe: {"Shall we slow your breathing together?",
		"Say yes, and I'll count slow breaths with you. Or say stop to rest."},
	AskRepeatStep: {"Shall I go through this step again? Or say stop to rest.",
		"Say yes to hear this step again, or stop to rest."},
	AskCancelPack:  {"Say cancel the pack timer to stop it, or next step.", "Say cancel the pack timer, or next step."},
	AskSeatedTwist: {"Shall we start the seated twist?", "Say yes to start the seated twist, or say start the lying twist."},
}

// ask asks q in the words of questionPrompts.
func (t *turn) ask(q Question) {
	p := questionPrompts[q]
	t.s.Ask = q
	t.prompt(p.say, p.reprompt)
}

// askAgain repeats the pending question.
func (t *turn) askAgain() {
	if _, ok := questionPrompts[t.s.Ask]; ok {
		t.ask(t.s.Ask)
		return
	}
	switch t.s.Ask {
	case AskTimer:
		t.confirmTimer("")
	case AskSwitchPack:
		t.prompt("Want a "+itoa(t.s.Plan.Minutes)+"-minute "+t.s.Plan.Pack.String()+" pack timer instead?",
			"Say yes for that timer, or no to keep your choice.")
	case AskNextStep:
		t.checkIn()
	case AskStart, AskStartBriefed:
		t.askStart()
	default:
		t.stepPrompt()
	}
}

func (t *turn) yesNoWithoutQuestion() {
	if t.s.Act.Kind != ActNone {
		t.checkIn()
		return
	}
	t.sayLines("Okay.")
	t.stepPrompt()
}

// --- launch, episodes and the safety briefing ---

// firstLaunch starts the first episode with the disclaimer and the safety
// briefing. A request that names an activity ("start breathing", or "yes"
// to the offer of slow breathing) is kept for after the briefing, and a
// start the user gave ("it started yesterday") is noted at once.
func (t *turn) firstLaunch() {
	then := requestOf(t.e)
	if (t.e.Kind == EvYes || t.e.Kind == EvContinue) && t.s.Ask == AskBreathe {
		then = Request{Kind: EvStartBreathing}
	}
	t.newEpisode()
	t.s.Then = then
	t.s.Heard |= heardDisclaimer
	t.sayLines("Welcome to Back Spasm Coach.", Disclaimer)
	if t.e.Kind == EvEpisodeStart && t.startValid() {
		t.setStart()
		t.sayLines(t.startNoted())
	}
	if then.Kind != EvNone {
		t.sayLines("First, a few safety points, then we'll get to that.")
	}
	t.briefing(false)
}

// requestOf returns the request of an event that names an activity, to be
// carried out after the safety briefing; the zero Request for any other.
func requestOf(e Event) Request {
	switch e.Kind {
	case EvStartBreathing, EvStartStretch, EvStartExercise, EvGoToStep, EvSetPack, EvLongExhale, EvIceOrHeat:
		return Request{Kind: e.Kind, Number: e.Number, Minutes: e.Minutes, Pack: e.Pack, Exercise: e.Exercise}
	}
	return Request{}
}

// afterBriefing goes on after the safety briefing: with the request the
// user made before it, if any, else back into the current step.
func (t *turn) afterBriefing() {
	r := t.s.Then
	if r.Kind == EvNone {
		t.resumeStep(false)
		return
	}
	t.s.Then = Request{}
	t.e = Event{Kind: r.Kind, Number: r.Number, Minutes: r.Minutes, Pack: r.Pack, Exercise: r.Exercise,
		Locale: t.e.Locale, Zone: t.e.Zone}
	t.command()
}

// briefingYes answers a "yes" right after the warning signs: it most
// likely means one of them applies, so it is never taken as "continue".
func (t *turn) briefingYes() {
	t.s.Ask = AskBriefing
	t.s.Misses = t.misses + 1
	if t.misses%2 == 0 {
		t.sayLines(t.callLine("If any of those applies to you"))
		t.prompt("If none do, say continue.",
			"If none of the warning signs apply, say continue. Or say repeat to hear them again.")
		return
	}
	t.sayLines("I want to be sure I understood.", t.callLine("If one of those warning signs applies to you now"))
	t.prompt("If none of them apply, just say continue, and we'll go on.",
		"Say continue if none of the warning signs apply, or repeat to hear them again.")
}

func (t *turn) launch() {
	t.s.Ask = AskNothing
	t.s.Plan = PackPlan{}
	t.s.Then = Request{}
	t.s.NewStart = 0
	t.s.Calm = 0
	t.s.StartUnknown = false // a launch begins a new session
	if t.now.Sub(t.s.Updated.Time()) > FreshAfter {
		t.s.Ask = AskFresh
		t.sayLines("Welcome back. It's been a while since we last talked.")
		t.prompt("Shall we start a fresh episode?",
			"Say yes to start fresh, or no to carry on where you left off.")
		return
	}
	t.sayLines(pick(t.now, "Welcome back.", "Hello again.", "Welcome back. I'm here."), t.whereLine("Last time you were"))
	if t.briefingDue() {
		t.sayLines("First, a quick safety check.")
		t.briefing(true)
		return
	}
	t.s.Ask = AskResume
	t.prompt("Shall we pick up there?", "Say yes to carry on, or no to choose another step.")
}

// newEpisode starts a new episode on step one. What the user heard in the
// last episode is forgotten, so that each episode gives every caution in
// full once (the light-headed caution of the first breathing set, the pack
// cautions, the steps' full introductions); only the disclaimer, said on
// first use, stays heard.
func (t *turn) newEpisode() {
	t.s.Episode = At(t.now)
	t.s.Heard &= heardDisclaimer
	t.s.Step = FirstStep
	t.s.Act = Activity{}
	t.s.LastPack = 0
	t.s.PrevPack = 0
	t.s.Reminder = ""
	t.s.Plan = PackPlan{}
	t.s.Ask = AskNothing
	t.s.Then = Request{}
	t.s.Hold = false
	t.s.NewStart = 0
	t.s.StartUnknown = true
}

// briefedToday reports whether the briefing was given on today's calendar
// day, in the user's time zone when known.
func (t *turn) briefedToday() bool {
	if t.s.Briefed.IsZero() {
		return false
	}
	zone := t.zone()
	y1, m1, d1 := t.s.Briefed.Time().In(zone).Date()
	y2, m2, d2 := t.now.In(zone).Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// briefingDue reports whether the safety briefing must be given before
// anything else: on the first launch of each later day.
func (t *turn) briefingDue() bool {
	return t.s.Episode != 0 && t.s.Ask != AskBriefing && !t.briefedToday()
}

// briefing tells the warning signs in full and waits for "continue" (or
// "skip", which is the same). It is given at the start of each episode, on
// the first launch of each later day, and again whenever the user asks to
// hear it. resume says the user will go back to their step afterwards.
func (t *turn) briefing(resume bool) {
	t.s.Ask = AskBriefing
	t.s.Briefed = At(t.now)
	t.sayWarningSigns("Some warning signs mean getting help right away.", "If one does")
	if resume {
		t.prompt("If none of these apply, say continue, and we'll pick up where you were.",
			"If none of those signs apply, say continue. Or say repeat to hear them again.")
		return
	}
	t.prompt("If none of these apply, say continue.",
		"If none of those signs apply, say continue. Or say repeat to hear them again.")
}

// callLine says how to get emergency help, honest that Alexa cannot call:
// "<lead>, call 9 1 1, or your local emergency number, on a phone...".
func (t *turn) callLine(lead string) string {
	return lead + ", call " + whomToCall(EmergencyNumber(t.e.Locale)) +
		" on a phone, or ask someone nearby to. Alexa can't call for you."
}

// whomToCall names who to call for emergency help, always with "your local
// emergency number" (a locale is a language, not a country): "9 1 1, or
// your local emergency number," or, when the locale has no listed number,
// "your local emergency number".
func whomToCall(num string) string {
	if num == "" {
		return "your local emergency number"
	}
	return num + ", or your local emergency number,"
}

// briefingHelp answers "help" during the safety briefing: what the
// briefing is for and what to do, then the briefing's question again.
func (t *turn) briefingHelp() {
	t.sayLines("Those were the warning signs that need help right away.",
		t.callLine("If one applies to you"))
	t.askAgain()
}

// emergency answers a warning sign said by the user. Nothing about it is
// stored: the state is left exactly as it was.
func (t *turn) emergency() {
	num := EmergencyNumber(t.e.Locale)
	t.sayLines("That needs help right away.",
		"Please call "+whomToCall(num)+" on a phone now, or ask someone nearby to call.",
		"Alexa can't call emergency services for you.",
		"Stay as still as you can.")
	// The card shows the number as it is dialled ("911"), not as it is said.
	t.r.Card = &Card{Title: "Get help now", Text: "Call " + whomToCall(strings.ReplaceAll(num, " ", "")) +
		" on a phone, or ask someone nearby to call. Alexa cannot call emergency services."}
	t.end()
}

// resumeStep takes the user back into their current step after a question.
func (t *turn) resumeStep(announce bool) {
	if t.briefingDue() {
		t.briefing(true)
		return
	}
	n := t.s.Step
	if n < FirstStep {
		n = FirstStep
	}
	if announce && t.s.Act.Kind != ActNone {
		t.sayLines("Okay, let's carry on with " + t.s.Act.Kind.String() + ".")
		t.s.Act.Paused = false
		t.prompt(t.activityPrompt(), "Say yes when you're ready, or next step.")
		t.s.Ask = AskNextStep
		return
	}
	if announce {
		t.sayLines("Okay, back to step " + itoa(n) + ".")
	}
	t.enterStep(n, false)
}

// goodbye closes the session with first, or a varied farewell when first
// is empty, and says what the skill remembers.
func (t *turn) goodbye(first string) {
	if first == "" {
		first = pick(t.now, "Okay. Rest, and go gently.", "Okay. Take it easy.", "Alright. Rest well.")
	}
	lines := []string{first}
	if t.s.Step >= FirstStep {
		lines = append(lines, "I'll remember you're on step "+itoa(t.s.Step)+".")
	}
	if t.s.Timer.ID != "" && t.s.Timer.Ends.Time().After(t.now) {
		lines = append(lines, "Your pack timer will still ring.")
	}
	t.sayLines(lines...)
	if t.s.Ask != AskConsent {
		t.s.Ask = AskNothing
		t.s.Plan = PackPlan{}
	}
	t.s.NewStart = 0
	t.s.Calm = 0
	t.s.StartUnknown = false // the session ends
	t.end()
}

func (t *turn) sessionEnded() {
	if t.s.Ask == AskConsent {
		return // the permission answer still comes back with its plan
	}
	t.s.Ask = AskNothing
	t.s.Plan = PackPlan{}
	t.s.Then = Request{} // a request kept for after the briefing is stale now
	t.s.Hold = false
	t.s.NewStart = 0
	t.s.Calm = 0
	t.s.StartUnknown = false
}

// --- moving through the steps ---

// enterStep moves to step n and introduces it; full forces the full
// introduction even if the user has heard it.
func (t *turn) enterStep(n int, full bool) {
	info := StepAt(n)
	t.s.Step = info.Number
	t.s.Act = Activity{}
	lines := info.Intro
	if !full && t.s.Heard.Has(heardStep(n)) {
		lines = info.Short
	}
	t.s.Heard |= heardStep(n)
	t.sayLines(lines...)
	t.r.Card = &Card{Title: "Step " + itoa(n) + ": " + info.Title, Text: info.Card}
	t.stepPrompt()
}

// stepPrompt ends the reply with the current step's prompt.
func (t *turn) stepPrompt() {
	info := StepAt(t.s.Step)
	p := info.Prompt
	if info.Number == 5 {
		p = "Say set a " + t.plannedPack().String() + " pack timer, or ask, ice or heat?"
		if t.timerRunning() {
			p = "Lie still while the pack works. Say next step when you're ready."
		}
	}
	t.prompt(p, info.Reprompt)
}

func (t *turn) next() {
	if t.s.Step >= LastStep {
		t.sayLines("That's the last step. You've been through the whole routine. Well done.")
		t.prompt("You can do an exercise, or say start over for a fresh start.",
			"Say start the lying twist, start over, or stop.")
		t.s.Act = Activity{}
		return
	}
	t.enterStep(t.s.Step+1, false)
}

func (t *turn) previous() {
	if t.s.Step <= FirstStep {
		t.sayLines("This is the first step.")
		t.enterStep(FirstStep, false)
		return
	}
	t.enterStep(t.s.Step-1, false)
}

func (t *turn) goToStep() {
	n := t.e.Number
	switch {
	case n == 0 && !t.e.Unclear:
		t.prompt("Which step? Say a number from one to nine.", "Say go to step, and a number from one to nine.")
	case n < FirstStep || n > LastStep:
		t.sayLines("There are nine steps, numbered one to nine.")
		t.prompt("Which one would you like? For example, say go to step three.",
			"Say go to step, and a number from one to nine.")
	default:
		t.enterStep(n, false)
	}
}

func (t *turn) repeat() {
	switch t.s.Ask {
	case AskBriefing:
		// In full, every time it is asked for.
		t.sayLines("Here they are again.")
		t.briefing(false)
		return
	case AskRepeatStep:
		t.s.Ask = AskNothing
	case AskNothing:
	default:
		t.askAgain()
		return
	}
	if t.s.Act.Kind != ActNone {
		t.sayLines(t.activityHowTo()...)
		t.checkIn()
		return
	}
	t.enterStep(t.s.Step, true)
}

func (t *turn) help() {
	info := StepAt(t.s.Step)
	t.sayLines("You're on step " + itoa(info.Number) + ", " + lower(info.Title) + ".")
	// "I need help" lands here too: say where urgent help comes from.
	if num := EmergencyNumber(t.e.Locale); num != "" {
		t.sayLines("If you have any of the warning signs, call " + num + ", or your local emergency number.")
	} else {
		t.sayLines("If you have any of the warning signs, call your local emergency number.")
	}
	if t.s.Act.Kind != ActNone {
		// A yes-or-no question, as after every set.
		t.s.Ask = AskNextStep
		t.prompt("Shall we go on? You can also say next step, or stop when you're done.",
			"Say yes to go on, next step, or stop.")
		return
	}
	c := StepAt(t.s.Step).Choices
	t.prompt("You can say "+c+". Say stop when you're done.", "Say "+c+".")
}

func (t *turn) whereAmI() {
	t.sayLines(t.whereLine("You're"))
	if t.s.Act.Kind != ActNone {
		t.checkIn()
		return
	}
	t.stepPrompt()
}

// whereLine says where the user is: "<lead> on step 3, slow breathing, with
// 12 breaths done."
func (t *turn) whereLine(lead string) string {
	info := StepAt(t.s.Step)
	line := lead + " on step " + itoa(info.Number) + ", " + lower(info.Title)
	a := t.s.Act
	switch a.Kind {
	case ActBreathing:
		line += ", doing the breathing"
		if a.Done > 0 {
			line += ", with " + plural(a.Done, "breath", "breaths") + " done"
		}
	case ActStretch:
		line += ", doing the stretch"
		if a.Done > 0 {
			line += ", with " + plural(a.Done, "hold", "holds") + " done"
		}
	case ActExercise:
		line += ", doing the " + a.Exercise.String()
	}
	return line + "."
}

func (t *turn) elapsed() {
	age := t.now.Sub(t.s.Episode.Time())
	lines := []string{"This episode started " + spokenDuration(age) + " ago."}
	if t.startUnknown() {
		lines = []string{startUnknown}
	}
	if !t.s.LastPack.IsZero() {
		lines = append(lines, "Your last pack went on "+spokenDuration(t.now.Sub(t.s.LastPack.Time()))+" ago.")
	}
	if age > HeatAfter {
		lines = append(lines, "If you're no better after about three days, it's time to see a doctor.")
	}
	t.sayLines(lines...)
	t.stepPrompt()
}

func (t *turn) pause() {
	t.s.Act.Paused = t.s.Act.Kind != ActNone
	t.s.StartUnknown = false // the session ends
	t.sayLines("Okay, I'll pause here. Take all the time you need.",
		"When you're ready, say, Alexa, open back spasm coach, and we'll carry on.")
	t.end()
}

// --- reply helpers ---

// sayLines appends lines to what is said now.
func (t *turn) sayLines(lines ...string) {
	for _, l := range lines {
		t.r.Say.Say(l)
	}
}

// prompt ends the reply with a question or instruction and keeps the
// session open, with reprompt as the guidance said after a silence.
func (t *turn) prompt(p, reprompt string) {
	if t.disclaim && !t.s.Heard.Has(heardDisclaimer) {
		t.s.Heard |= heardDisclaimer
		t.r.Say.Say(DisclaimerShort)
	}
	t.disclaim = false
	t.r.Say.Say(p)
	t.r.Reprompt = speech.Script{}
	t.r.Reprompt.Say(reprompt)
	t.r.Listen = true
}

// end closes the session.
func (t *turn) end() {
	t.r.Listen = false
	t.r.Reprompt = speech.Script{}
}

// zone returns the user's time zone, UTC when unknown.
func (t *turn) zone() *time.Location {
	if t.e.Zone != nil {
		return t.e.Zone
	}
	return time.UTC
}

// pick chooses one of options, varying with the time so that greetings and
// acknowledgements are not always the same. It is deterministic in now.
func pick(now time.Time, options ...string) string {
	return options[int(now.Unix()%int64(len(options)))]
}
