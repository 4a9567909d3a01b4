package skill

import (
	"time"
)

// plannedPack returns the pack the plan suggests now: the user's preference
// when they have one, else cold in the first 72 hours of the episode and
// moist heat after.
func (t *turn) plannedPack() Pack {
	if t.s.Pref != PackAuto {
		return t.s.Pref
	}
	if t.episodeAge() < HeatAfter {
		return PackCold
	}
	return PackHeat
}

// timerRunning reports whether the skill's pack timer should still be
// running.
func (t *turn) timerRunning() bool {
	return t.s.Timer.ID != "" && t.s.Timer.Ends.Time().After(t.now)
}

func (t *turn) setPack() {
	minutes, note := t.e.Minutes, ""
	switch {
	case t.e.Unclear:
		minutes, note = PackMinutes, "I didn't catch how long, so I'll suggest twenty minutes."
	case minutes == 0:
		minutes = PackMinutes
	case minutes > PackMaxMinutes:
		minutes, note = PackMaxMinutes, "Twenty minutes is the most I'll time, to protect your skin."
	case minutes < PackMinMinutes:
		minutes, note = PackMinMinutes, "Ten minutes is the shortest I'll time, so the pack has a chance to help."
	}
	if t.timerRunning() {
		left := t.s.Timer.Ends.Time().Sub(t.now)
		t.sayLines("Your " + t.s.Timer.Pack.String() + " pack timer is still running, with " + spokenDuration(left) + " left.")
		// A plain "cancel" now means the pack timer.
		t.s.Ask = AskCancelPack
		t.askAgain()
		return
	}
	if !t.s.LastPack.IsZero() {
		since := t.now.Sub(t.s.LastPack.Time())
		if since < NextPackAfter {
			t.sayLines("Your last pack went on " + spokenDuration(since) + " ago.")
			t.sayLines("Give your skin a break. The next one is due in " + spokenDuration(NextPackAfter-since) + ".")
			t.stepPrompt()
			return
		}
	}
	planned := t.plannedPack()
	want := t.e.Pack
	if want == PackAuto {
		// The skill chooses, so it says why.
		t.s.Plan = PackPlan{Pack: planned, Minutes: minutes}
		t.sayLines(note)
		t.confirmTimer(t.packReason())
		return
	}
	t.s.Plan = PackPlan{Pack: want, Minutes: minutes}
	if want == PackCold && planned == PackHeat && t.s.Pref == PackAuto {
		t.s.Plan.Pack = PackHeat
		t.s.Ask = AskSwitchPack
		t.sayLines(note, "It's been "+spokenDuration(t.episodeAge())+", so moist heat is usually better now.")
		t.prompt("Want a "+itoa(minutes)+"-minute heat pack timer instead?",
			"Say yes for a heat pack timer, or no to keep the cold pack.")
		return
	}
	t.confirmTimer(note)
}

// firstSession is the longest the session that began an episode is taken
// to last: Alexa ends a session after a few seconds of silence, so a longer
// one is very unlikely.
const firstSession = 2 * time.Hour

// startUnknown reports whether the episode's start is only when the skill
// first heard of it, in the session that began the episode, so that its
// age says nothing about the spasm.
func (t *turn) startUnknown() bool {
	return t.s.StartUnknown && t.episodeAge() < firstSession
}

// episodeAge is how long ago the current episode started.
func (t *turn) episodeAge() time.Duration { return t.now.Sub(t.s.Episode.Time()) }

// packReason says briefly why plannedPack chose its pack: the user's
// preference, or the episode's age.
func (t *turn) packReason() string {
	age := t.episodeAge()
	switch {
	case t.s.Pref != PackAuto:
		return "You said you prefer " + t.s.Pref.String() + "."
	case t.startUnknown():
		return "I don't know when it started, so cold, as in the first couple of days."
	case age < 48*time.Hour:
		return "It's early days, so cold is best."
	case age < HeatAfter:
		return "It's been " + spokenDuration(age) + ", so cold is still best."
	}
	return "It's been " + spokenDuration(age) + ", so moist heat is better now."
}

// confirmTimer asks the user to confirm the planned timer by voice, as
// Amazon's timer guidelines require.
func (t *turn) confirmTimer(note string) {
	t.s.Ask = AskTimer
	t.sayLines(note)
	t.prompt("Shall I start a "+itoa(t.s.Plan.Minutes)+"-minute "+t.s.Plan.Pack.String()+" pack timer?",
		"Say yes to start the timer, or no.")
}

// startTimer asks for the planned timer to be created, clearing an old pack
// timer first so that labels stay unique.
func (t *turn) startTimer() {
	p := t.s.Plan
	if p.Minutes == 0 {
		p = PackPlan{Pack: t.plannedPack(), Minutes: PackMinutes}
		t.s.Plan = p
	}
	if t.s.Timer.ID != "" {
		t.r.Effects = append(t.r.Effects, Effect{Kind: CancelTimer, TimerID: t.s.Timer.ID, Quiet: true})
		t.s.Timer = Timer{}
	}
	t.r.Effects = append(t.r.Effects, Effect{Kind: SetTimer, Timer: t.timerSpec(p)})
}

// timerSpec describes the pack timer of a plan.
func (t *turn) timerSpec(p PackPlan) TimerSpec {
	label, announce := "Cold pack", "Time to take the cold pack off."
	if p.Pack == PackHeat {
		label, announce = "Heat pack", "Time to take the heat pack off."
	}
	return TimerSpec{
		Duration: time.Duration(p.Minutes) * time.Minute,
		Label:    label,
		Announce: announce,
		Locale:   t.locale(),
	}
}

func (t *turn) reminderSpec() ReminderSpec {
	return ReminderSpec{
		After:  NextPackAfter,
		Text:   "Back Spasm Coach here. If you still need it, your next " + t.plannedPack().String() + " pack is due.",
		Locale: t.locale(),
	}
}

func (t *turn) locale() string {
	if t.e.Locale == "" {
		return "en-US"
	}
	return t.e.Locale
}

func (t *turn) cancelPack() {
	if t.s.Timer.ID == "" {
		t.sayLines("There's no pack timer running.")
		t.stepPrompt()
		return
	}
	t.r.Effects = append(t.r.Effects, Effect{Kind: CancelTimer, TimerID: t.s.Timer.ID})
}

func (t *turn) packLeft() {
	if t.s.Timer.ID == "" {
		t.sayLines("There's no pack timer running.")
		if !t.s.LastPack.IsZero() {
			t.sayLines("Your last pack went on " + spokenDuration(t.now.Sub(t.s.LastPack.Time())) + " ago.")
		}
		t.stepPrompt()
		return
	}
	t.r.Effects = append(t.r.Effects, Effect{Kind: CheckTimer, TimerID: t.s.Timer.ID})
}

func (t *turn) nextPack() {
	pack := t.plannedPack().String()
	if t.s.LastPack.IsZero() {
		t.sayLines("You haven't had a pack yet. A " + pack + " pack is the one for now.")
		t.stepPrompt()
		return
	}
	last := t.s.LastPack.Time()
	due := last.Add(NextPackAfter)
	switch since := t.now.Sub(last); {
	case since < NextPackAfter:
		line := "Your next " + pack + " pack is due in " + spokenDuration(due.Sub(t.now))
		if t.e.Zone != nil {
			line += ", at about " + due.In(t.e.Zone).Format("3:04 PM")
		}
		t.sayLines(line + ", if you still need it.")
	case since <= NextPackBy:
		t.sayLines("You can put the next " + pack + " pack on now, if you need it.")
	default:
		t.sayLines("Your last pack was " + spokenDuration(since) + " ago. You can have another whenever you need it.")
	}
	t.stepPrompt()
}

// iceOrHeat answers "should I use ice or heat": the plan by the episode's
// age, or the user's saved preference, which wins. The pack's cautions are
// left for when a pack goes on (packAdvice), so they are heard in full then.
func (t *turn) iceOrHeat() {
	age := t.episodeAge()
	t.sayLines("In the first two or three days, cold usually helps most. After that, moist heat, like a warm, wet towel.")
	switch t.s.Pref {
	case PackCold:
		t.sayLines("You said you prefer cold, so I'll suggest cold packs.", "To change that, say, I prefer heat.")
	case PackHeat:
		t.sayLines("You said you prefer heat, so I'll suggest moist heat.", "To change that, say, I prefer cold.")
	default:
		switch {
		case t.startUnknown():
			t.sayLines("I don't know when the spasm started, so I'd go with cold for the first couple of days.",
				"If it started a while ago, tell me, for example, it started yesterday.")
		case age < HeatAfter:
			t.sayLines("It's been " + spokenDuration(age) + ", so cold is the one for now.")
		default:
			t.sayLines("It's been " + spokenDuration(age) + ", so moist heat is the one now.")
		}
		t.sayLines("That said, go with what works for you. You can say, I prefer heat, or I prefer cold.")
	}
	t.prompt("Say set a "+t.plannedPack().String()+" pack timer when you're ready.",
		"Say set a pack timer, or next step.")
}

func (t *turn) preferPack() {
	switch t.e.Pack {
	case PackCold:
		t.s.Pref = PackCold
		t.sayLines("Okay, I'll suggest cold packs. Take one off early if your skin goes numb.")
	case PackHeat:
		t.s.Pref = PackHeat
		t.sayLines("Okay, I'll suggest heat. Warm, not hot, and never fall asleep on a heating pad.")
	default:
		t.prompt("Do you prefer cold, or heat? Say I prefer cold, or I prefer heat.",
			"Say I prefer cold, or I prefer heat.")
		return
	}
	t.stepPrompt()
}

// --- outcomes of effects ---

// outcome applies the outcome of an effect the turn before asked for.
func (t *turn) outcome() {
	e := t.e
	switch e.Kind {
	case EvTimerSet:
		t.timerSet()
	case EvTimerFailed:
		t.timerFailed()
	case EvTimerNoPermission:
		if t.s.Plan.Minutes > 0 {
			t.askPermission(PermTimers, "To ring on your Echo, I need your permission to set timers.")
			return
		}
		// Checking or cancelling the running pack timer.
		t.askPermission(PermTimers, "To reach your pack timer, I need your permission for timers.")
	case EvTimerStatus:
		t.s.Timer.Ends = At(t.now.Add(e.Remaining))
		if e.Remaining < time.Minute {
			t.sayLines("Less than a minute left on your " + t.s.Timer.Pack.String() + " pack.")
		} else {
			t.sayLines("About " + spokenDuration(e.Remaining) + " left on your " + t.s.Timer.Pack.String() + " pack.")
		}
		t.stepPrompt()
	case EvTimerGone:
		t.s.Timer = Timer{}
		t.sayLines("That timer has already finished.")
		t.stepPrompt()
	case EvTimerCancelled:
		t.timerCancelled()
	case EvPermission:
		t.permissionAnswer()
	case EvReminderSet:
		t.s.Ask = AskNothing
		t.s.Reminder = e.ReminderID
		t.sayLines("Okay. I'll remind you in an hour.")
		t.stepPrompt()
	case EvReminderFailed:
		t.s.Ask = AskNothing
		t.sayLines("I couldn't set the reminder. You can say, Alexa, remind me in an hour.")
		t.stepPrompt()
	case EvReminderNoPermission:
		t.askPermission(PermReminders, "To remind you, I need your permission for reminders.")
	}
}

// timerSet records the pack timer the Timers API set, and offers a
// reminder for the next pack.
func (t *turn) timerSet() {
	e := t.e
	pack := t.s.Plan.Pack
	if pack == PackAuto {
		pack = t.plannedPack()
	}
	t.s.Timer = Timer{ID: e.TimerID, Pack: pack, Ends: At(t.now.Add(e.Remaining))}
	t.s.PrevPack = t.s.LastPack
	t.s.LastPack = At(t.now)
	t.s.Reminder = "" // the last pack's reminder has played by now
	t.s.Plan = PackPlan{}
	t.sayLines("Done. Your " + pack.String() + " pack timer will ring in " + spokenDuration(e.Remaining) + ".")
	t.packAdvice(pack)
	t.ask(AskReminder)
}

// timerFailed says that the pack timer could not be set, and how to set
// one without the skill.
func (t *turn) timerFailed() {
	e := t.e
	minutes := t.s.Plan.Minutes
	t.s.Plan = PackPlan{}
	t.s.Ask = AskNothing
	switch {
	case minutes > 0 && e.Failure == FailRejected:
		t.sayLines("Sorry, something went wrong with that timer.",
			"You can say, Alexa, set a timer for "+itoa(minutes)+" minutes.")
	case minutes > 0:
		t.sayLines("I couldn't set the timer.", "You can say, Alexa, set a timer for "+itoa(minutes)+" minutes.")
	default:
		t.sayLines("I couldn't reach your timers just now. You can ask Alexa about them directly.")
	}
	t.stepPrompt()
}

// timerCancelled confirms that the pack timer was cancelled. A pack
// cancelled in its first minutes does not count as a pack, so the next one
// is not held back, and its next-pack reminder goes with it.
func (t *turn) timerCancelled() {
	pack := t.s.Timer.Pack.String()
	t.s.Timer = Timer{}
	t.sayLines("Okay, I've cancelled your " + pack + " pack timer.")
	if !t.s.LastPack.IsZero() && t.now.Sub(t.s.LastPack.Time()) < EarlyCancel {
		t.s.LastPack, t.s.PrevPack = t.s.PrevPack, 0
		t.sayLines("It was only on for a few minutes, so it doesn't count. You can put a pack on whenever you're ready.")
		if t.s.Reminder != "" {
			t.r.Effects = append(t.r.Effects, Effect{Kind: CancelReminder, ReminderID: t.s.Reminder})
			t.s.Reminder = ""
			t.sayLines("I've cancelled the reminder for the next pack, too.")
		}
	}
	t.stepPrompt()
}

// packAdvice is said when a pack goes on, in full the first time.
func (t *turn) packAdvice(p Pack) {
	bit := heardColdPack
	if p == PackHeat {
		bit = heardHeatPack
	}
	switch {
	case p == PackHeat && !t.s.Heard.Has(bit):
		t.sayLines("Use a warm, damp towel, not hot. And never fall asleep on a heating pad.")
	case p == PackHeat:
		t.sayLines("Warm, not hot.")
	case !t.s.Heard.Has(bit):
		t.sayLines("Wrap the pack in a thin towel. Take it off early if your skin goes numb.")
	default:
		t.sayLines("Keep the towel between the pack and your skin.")
	}
	t.s.Heard |= bit
}

// askPermission asks by voice for a permission; the answer comes back as
// EvPermission.
func (t *turn) askPermission(p Permission, why string) {
	t.s.Ask = AskConsent
	t.sayLines(why)
	t.r.Effects = append(t.r.Effects, Effect{Kind: AskPermission, Permission: p})
	t.r.Listen = false
	t.r.Reprompt.Parts = nil
}

func (t *turn) permissionAnswer() {
	t.s.Ask = AskNothing
	if t.s.Plan.Minutes == 0 && t.e.Plan.Minutes >= PackMinMinutes && t.e.Plan.Minutes <= PackMaxMinutes {
		t.s.Plan = t.e.Plan
	}
	switch {
	case t.e.Permission == PermTimers && t.e.Granted:
		if t.s.Plan.Minutes > 0 {
			t.sayLines("Thanks.")
			t.startTimer()
			return
		}
		t.sayLines("Thanks. Now I can set pack timers for you.")
		t.stepPrompt()
	case t.e.Permission == PermTimers:
		yourself := "No problem. You can ask Alexa about your timers directly."
		if minutes := t.s.Plan.Minutes; minutes > 0 {
			yourself = "No problem. You can still say, Alexa, set a timer for " + itoa(minutes) + " minutes."
		}
		t.s.Plan = PackPlan{}
		t.sayLines(yourself, "I've put a card in your Alexa app, in case you change your mind.")
		t.r.Effects = append(t.r.Effects, Effect{Kind: ConsentCard, Permission: PermTimers})
		t.stepPrompt()
	case t.e.Permission == PermReminders && t.e.Granted:
		t.sayLines("Thanks.")
		t.r.Effects = append(t.r.Effects, Effect{Kind: SetReminder, Reminder: t.reminderSpec()})
	default:
		t.sayLines("No problem. You can say, Alexa, remind me in an hour.",
			"I've put a card in your Alexa app, in case you change your mind.")
		t.r.Effects = append(t.r.Effects, Effect{Kind: ConsentCard, Permission: PermReminders})
		t.stepPrompt()
	}
}
