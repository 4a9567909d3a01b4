package skill

import "time"

// LongEpisode is how long ago an episode's start may be before the skill
// says that is longer than a spasm usually lasts and to see a doctor.
const LongEpisode = 6 * 7 * 24 * time.Hour

// safety answers what must be answered at every point of the routine, a
// pending question or the briefing included: a warning sign, the warning
// signs asked for, distress, medicine, feeling light-headed and a request
// to call someone. It reports false for any other event. Nothing the user
// said about their health is stored. A brand-new user whose first words
// are one of these hears the disclaimer before the answer's closing prompt;
// the emergency message keeps its own form.
func (t *turn) safety() bool {
	switch t.e.Kind {
	case EvWarningSign, EvWarningSignsList, EvDistress, EvMedicine, EvLightHeaded, EvCallSomeone:
	default:
		return false
	}
	if t.s.Episode == 0 && !t.s.Heard.Has(heardDisclaimer) && t.e.Kind != EvWarningSign {
		t.disclaim = true
	}
	switch t.e.Kind {
	case EvWarningSign:
		t.emergency()
	case EvWarningSignsList:
		switch {
		case t.s.Episode == 0:
			// The briefing of the first launch is the list.
			t.firstLaunch()
		case t.s.Ask == AskBriefing:
			t.sayLines("Here they are again.")
			t.briefing(false)
		default:
			t.warningSignsList()
		}
	case EvDistress:
		t.distress()
	case EvMedicine:
		t.medicine()
	case EvLightHeaded:
		t.lightHeaded()
	case EvCallSomeone:
		t.callSomeone()
	}
	if t.e.Kind == EvDistress {
		t.s.Calm++
	}
	return true
}

// warningSignsList tells every warning sign, then goes back where the user
// was: the pending question, the activity or the step.
func (t *turn) warningSignsList() {
	t.sayWarningSigns("These warning signs mean getting help right away.", "If one applies to you")
	t.backToWhere()
}

// sayWarningSigns says intro, every warning sign with a pause after each,
// and how to get help, the call line starting with ifOne.
func (t *turn) sayWarningSigns(intro, ifOne string) {
	t.sayLines(intro)
	t.r.Say.Pause(400 * time.Millisecond)
	for _, sign := range warningSigns {
		t.sayLines(sign)
		t.r.Say.Pause(300 * time.Millisecond)
	}
	t.sayLines(t.callLine(ifOne))
}

// backToWhere ends a reply that interrupted the routine with the way back
// into it: the pending question again, the activity's check-in, or the
// step's prompt.
func (t *turn) backToWhere() {
	switch {
	case t.s.Ask != AskNothing && t.s.Ask != AskConsent:
		t.askAgain()
	case t.s.Act.Kind != ActNone:
		t.checkIn()
	default:
		t.stepPrompt()
	}
}

// distress answers pain or fear that is not an emergency, calmly and
// briefly: stop the movement in progress, stay as still as is comfortable,
// an offer of slow breathing, and the signs that would mean getting help.
// Said again in a row, the answer is shorter, and never in the same words
// as the one before. A stretch or exercise stopped this way does not go
// further in later rounds (Hold); nothing about what was said is stored.
func (t *turn) distress() {
	switch t.s.Act.Kind {
	case ActStretch, ActExercise:
		t.sayLines("Okay, stop there.", "Ease slowly into whatever position hurts least.")
		t.s.Act = Activity{}
		t.s.Hold = true
	case ActBreathing:
		t.sayLines("Okay, let's stop counting for a moment.")
		t.s.Act = Activity{}
	}
	switch {
	case t.s.Calm%2 == 1:
		t.sayLines("I'm still here with you. Keep still, and let each breath out be slow.")
	case t.s.Calm > 0:
		t.sayLines("Okay. Stay as still as you can. It usually eases.")
	default:
		if t.r.Say.Empty() {
			t.sayLines(pick(t.now, "Okay. I'm here with you.", "I'm here with you."), "Stop any movement for now.")
		}
		t.sayLines("Stay as still as is comfortable. A spasm hurts, but it usually eases.")
	}
	t.sayLines(t.signsToWatch())
	if t.s.Ask == AskBriefing {
		if t.s.Then.Kind == EvNone {
			t.s.Then = Request{Kind: EvStartBreathing}
		}
		t.prompt("If none of the warning signs apply, say continue, and we'll start with slow breathing.",
			"Say continue, and I'll count slow breaths with you. Or say repeat to hear the warning signs again.")
		return
	}
	t.s.Plan = PackPlan{}
	t.ask(AskBreathe)
}

// lightHeaded answers feeling light-headed, dizzy or short of air: during
// breathing the count stops, and the activity waits for "faster" or
// "continue"; elsewhere the same advice without the count, then back where
// the user was. Fainting is a warning sign, answered as an emergency.
func (t *turn) lightHeaded() {
	if t.s.Act.Kind == ActBreathing && t.s.Ask != AskBriefing {
		t.sayLines("Okay, let's stop the count.", "Breathe normally, at your own pace, until it passes.",
			t.faintLine())
		t.s.Ask = AskNextStep
		t.s.Act.Paused = true
		t.prompt("Say faster for quicker counts, or continue when you're ready.",
			"Say faster for quicker counts, continue when you're ready, or next step.")
		return
	}
	t.sayLines("Okay. Keep still, lying or sitting, and breathe normally, at your own pace, until it passes.", t.faintLine())
	t.afterAside()
}

// faintLine says what to do if light-headedness turns into fainting.
func (t *turn) faintLine() string {
	return "If you feel faint, call " + whomToCall(EmergencyNumber(t.e.Locale)) + " on a phone, or ask someone nearby to."
}

// callSomeone answers a request to call someone: the skill cannot make
// calls, so it says so plainly and how to reach someone, then goes back
// where the user was.
func (t *turn) callSomeone() {
	t.sayLines("I can't make calls.",
		"Call out to someone nearby, or use your phone to call them.",
		"In an emergency, call "+whomToCall(EmergencyNumber(t.e.Locale))+" on a phone.")
	t.afterAside()
}

// afterAside goes back where the user was after an answer that interrupted
// the routine; before the first episode, it says how to begin.
func (t *turn) afterAside() {
	if t.s.Episode == 0 {
		t.prompt("When you're ready, say start, and I'll guide you through the routine.",
			"Say start to begin, or stop.")
		return
	}
	t.backToWhere()
}

// signsToWatch names, in a breath, the signs that would mean getting help
// right away, and how.
func (t *turn) signsToWatch() string {
	return "If you notice numbness, weak legs or trouble peeing, call " +
		whomToCall(EmergencyNumber(t.e.Locale)) + " on a phone."
}

// medicine answers a question about medicine without advice and without
// naming any medicine, not even one the user named.
func (t *turn) medicine() {
	t.sayLines("I can't advise on medicines, and I won't suggest one.",
		"If you take something for the pain, follow the label, and ask a pharmacist or your doctor what's right for you.",
		"Medicine eases the pain, not the cause, so still go gently.")
	t.afterAside()
}

// startValid reports whether the event's episode start can be used: given,
// and not in the future (a minute ahead is taken as now: the request's
// clock and this one may differ a little).
func (t *turn) startValid() bool {
	return !t.e.Start.IsZero() && !t.e.Start.After(t.now.Add(time.Minute))
}

// setStart sets the episode's start to the event's, at the latest now. A
// start given as a day keeps an earlier start on that same day: the day
// says no more than that.
func (t *turn) setStart() {
	start := t.e.Start
	if start.After(t.now) {
		start = t.now
	}
	ep := t.s.Episode.Time()
	keep := t.e.StartDay && t.s.Episode != 0 && ep.Before(start) && t.sameDay(start, ep)
	if !keep {
		t.s.Episode = At(start)
	}
	t.s.StartUnknown = false
}

// startNoted confirms the episode's new start in words, with a word on what
// it means for the packs, or that a start this long ago needs a doctor.
func (t *turn) startNoted() string {
	age := t.now.Sub(t.s.Episode.Time())
	line := "Okay. So it started " + t.startPhrase(t.s.Episode.Time(), t.e.StartDay) + "."
	switch {
	case age > LongEpisode:
		return line + " That's longer than a spasm usually lasts. Please see a doctor about it."
	case age > HeatAfter:
		return line + " After three days, moist heat usually helps more than cold."
	}
	return line + " In the first few days, cold usually helps most."
}

// justNow is how recent a start must be to be said as "just now".
const justNow = 5 * time.Minute

// startPhrase says when an episode started: "earlier today" for a start
// given as today's date, "just now" within a few minutes, else "about 5
// hours ago".
func (t *turn) startPhrase(start time.Time, day bool) string {
	d := t.now.Sub(start)
	switch {
	case day && t.sameDay(start, t.now):
		return "earlier today"
	case d < justNow:
		return "just now"
	}
	return spokenDuration(d) + " ago"
}

// sameDay reports whether a and b fall on the same calendar day in the
// user's time zone.
func (t *turn) sameDay(a, b time.Time) bool {
	y1, m1, d1 := a.In(t.zone()).Date()
	y2, m2, d2 := b.In(t.zone()).Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// startLater reports whether the event's start would move a start the
// user told, or one from an earlier session, more than an hour later: such
// a start is confirmed before it is stored.
func (t *turn) startLater() bool {
	if t.startUnknown() || (t.e.StartDay && t.sameDay(t.e.Start, t.s.Episode.Time())) {
		return false
	}
	return t.e.Start.Sub(t.s.Episode.Time()) > time.Hour
}

// episodeStart sets the episode's start to when the user says the spasm
// began, then goes back where the user was. A start that moves the
// episode's start more than an hour later is asked about first. A start
// not understood, or in the future, changes nothing.
func (t *turn) episodeStart() {
	switch {
	case t.e.Start.IsZero():
		t.sayLines("Sorry, I didn't catch when it started.")
	case !t.startValid():
		t.sayLines("That sounds like a time still to come.")
	case t.startLater():
		start := t.e.Start
		if start.After(t.now) {
			start = t.now
		}
		t.s.NewStart = At(start)
		t.s.Plan = PackPlan{}
		if t.s.Ask == AskBriefing {
			t.s.Ask = AskStartBriefed
		} else {
			t.s.Ask = AskStart
		}
		t.askStart()
		return
	default:
		t.setStart()
		t.sayLines(t.startNoted())
		t.backToWhere()
		return
	}
	t.sayLines("You can say, it started yesterday, or, it started three days ago.")
	t.backToWhere()
}

// askStart asks whether the spasm started at NewStart, later than the
// episode's start; the caller sets the question (AskStart, or
// AskStartBriefed during the briefing).
func (t *turn) askStart() {
	now := t.startPhrase(t.s.NewStart.Time(), false)
	was := t.startPhrase(t.s.Episode.Time(), false)
	t.prompt("Did the spasm start "+now+"? I had it as "+was+".",
		"Say yes if it started "+now+", or no to keep "+was+".")
}

// startConfirmed answers ask, the question of askStart: yes stores the new
// start, no keeps the old one; then back where the user was, the
// briefing's question included.
func (t *turn) startConfirmed(yes bool, ask Question) {
	if yes && t.s.NewStart != 0 {
		t.s.Episode = t.s.NewStart
		t.s.StartUnknown = false
		t.sayLines(t.startNoted())
	} else {
		t.sayLines("Okay, I'll keep it as " + t.startPhrase(t.s.Episode.Time(), false) + ".")
	}
	t.s.NewStart = 0
	if ask == AskStartBriefed {
		t.s.Ask = AskBriefing
	}
	t.backToWhere()
}

// startUnknown says that the skill does not know when the spasm started,
// and how to tell it.
const startUnknown = "I don't know when the spasm started. To tell me, say, for example, it started yesterday."

// misunderstood answers what the skill did not understand, differently
// each time in a row: first a short apology and the question or prompt
// again; then the two or three things that make sense here; then an offer
// to go through the step again, or stop.
func (t *turn) misunderstood() {
	n := t.misses + 1
	t.s.Misses = n
	switch n % 3 {
	case 1:
		t.sayLines(pick(t.now, "Sorry, I didn't catch that.", "Sorry, I missed that."))
		switch {
		case t.s.Ask != AskNothing:
			t.askAgain()
		case t.s.Act.Kind != ActNone:
			t.prompt("You can say continue, next step, or help.", "Say continue, next step, or help.")
		default:
			t.prompt("You can say next step, repeat, or help.", "Say next step, repeat, or help.")
		}
	case 2:
		t.sayLines("Sorry, I still didn't understand.")
		t.missOptions()
	default:
		t.offerRepeat()
	}
}

// missOptions says the few things that make sense at this point, in other
// words than the question or prompt itself.
func (t *turn) missOptions() {
	switch t.s.Ask {
	case AskBriefing:
		t.prompt("If none of the warning signs apply, just say continue. Or say repeat, and I'll read them again.",
			"If none of those signs apply, say continue.")
		return
	case AskNothing, AskConsent:
	default:
		// The question's guidance now, and the question itself after a
		// silence.
		sub := turn{s: t.s, e: t.e, now: t.now}
		sub.askAgain()
		t.s = sub.s
		t.r.Say.Append(sub.r.Reprompt)
		t.r.Reprompt = sub.r.Say
		t.r.Listen = true
		return
	}
	switch t.s.Act.Kind {
	case ActBreathing:
		t.prompt("Right now, you can say continue for another set, slower, or next step.",
			"Say continue, slower, or next step.")
	case ActStretch:
		t.prompt("Right now, you can say continue for another round, next step, or stop.",
			"Say continue, next step, or stop.")
	case ActExercise:
		t.prompt("Right now, you can say continue for another set, go back, or stop.",
			"Say continue, go back, or stop.")
	default:
		c := StepAt(t.s.Step).Choices
		t.prompt("Right now, you can say "+c+".", "Say "+c+", or stop to rest.")
	}
}

// offerRepeat is the third answer in a row to what the skill did not
// understand: to go through the step again, or stop. During the briefing
// the question stays the briefing's, so that a "no" is never misread.
func (t *turn) offerRepeat() {
	t.sayLines("Let's keep it simple.")
	if t.s.Ask == AskBriefing {
		t.prompt("Say repeat to hear the warning signs again, or stop to rest. If none of them apply, say continue.",
			"Say continue, repeat, or stop.")
		return
	}
	t.s.Plan = PackPlan{}
	t.ask(AskRepeatStep)
}
