package skill

import "time"

// Kind names an Event.
type Kind uint8

// Events a user can cause by speaking, and outcomes of effects.
const (
	// EvNone is the zero Kind; Apply treats it like EvFallback.
	EvNone Kind = iota

	// EvLaunch: the user opened the skill.
	EvLaunch
	// EvNext: "next", "next step".
	EvNext
	// EvPrevious: "go back".
	EvPrevious
	// EvRepeat: "repeat", "say that again".
	EvRepeat
	// EvGoToStep: "go to step N"; Number is N (0 when not given).
	EvGoToStep
	// EvStartBreathing: "start breathing"; Number is a count of breaths and
	// Minutes a length, either optional.
	EvStartBreathing
	// EvStartStretch: "start the stretch".
	EvStartStretch
	// EvStartExercise: "do the lying twist"; Exercise is optional.
	EvStartExercise
	// EvSetPack: "set a cold pack timer (for N minutes)"; Pack and Minutes
	// are optional.
	EvSetPack
	// EvCancelPack: "cancel the pack timer".
	EvCancelPack
	// EvPackLeft: "how long is left on my pack".
	EvPackLeft
	// EvNextPack: "when is my next pack".
	EvNextPack
	// EvIceOrHeat: "should I use ice or heat".
	EvIceOrHeat
	// EvPreferPack: "I prefer heat"; Pack is the preference.
	EvPreferPack
	// EvSlower: "slower".
	EvSlower
	// EvFaster: "faster".
	EvFaster
	// EvLongExhale: "long exhale".
	EvLongExhale
	// EvSteadyBreathing: "normal breathing": back to the default pattern.
	EvSteadyBreathing
	// EvContinue: "continue", "resume", "skip".
	EvContinue
	// EvPause: "pause", "wait".
	EvPause
	// EvWhereAmI: "where am I", "what step am I on".
	EvWhereAmI
	// EvElapsed: "how long has it been".
	EvElapsed
	// EvWarningSign: the user says a warning sign applies ("I have
	// numbness"). Nothing about it is stored.
	EvWarningSign
	// EvHelp: "help".
	EvHelp
	// EvStop: "stop".
	EvStop
	// EvCancel: "cancel".
	EvCancel
	// EvStartOver: "start over": a new episode.
	EvStartOver
	// EvForgetMe: "forget me": delete my data, after a yes.
	EvForgetMe
	// EvYes: "yes".
	EvYes
	// EvNo: "no".
	EvNo
	// EvFallback: anything the skill did not understand.
	EvFallback
	// EvSessionEnded: the session ended (the user left or stopped talking).
	EvSessionEnded

	// EvTimerSet: a SetTimer effect succeeded; TimerID is its id and
	// Remaining its duration.
	EvTimerSet
	// EvTimerFailed: a timer effect failed for a reason other than
	// permission (Failure says which).
	EvTimerFailed
	// EvTimerNoPermission: the timers permission is not granted.
	EvTimerNoPermission
	// EvTimerStatus: a CheckTimer effect found the timer; Remaining is left.
	EvTimerStatus
	// EvTimerGone: the timer already rang or was cancelled (404).
	EvTimerGone
	// EvTimerCancelled: a CancelTimer effect succeeded.
	EvTimerCancelled
	// EvPermission: the answer to a voice permission request; Granted says
	// whether it was accepted and Permission which one.
	EvPermission
	// EvReminderSet: a SetReminder effect succeeded.
	EvReminderSet
	// EvReminderFailed: a SetReminder effect failed (Failure says why).
	EvReminderFailed
	// EvReminderNoPermission: the reminders permission is not granted.
	EvReminderNoPermission

	// EvDistress: the user is in distress that is not an emergency ("it
	// hurts", "I can't move", "I'm scared"). Nothing about it is stored.
	EvDistress
	// EvMedicine: the user asks about medicine ("what painkiller should I
	// take"). The answer gives no advice and names no medicine.
	EvMedicine
	// EvWarningSignsList: "what are the warning signs": the full list,
	// then back where the user was.
	EvWarningSignsList
	// EvEpisodeStart: the user says when the spasm started ("it started
	// four days ago"); Start is that moment, zero when it was not
	// understood (then Unclear is set).
	EvEpisodeStart
	// EvLightHeaded: the user feels light-headed, dizzy or short of air
	// ("i feel dizzy"). Nothing about it is stored.
	EvLightHeaded
	// EvCallSomeone: the user asks the skill to call someone ("call my
	// wife"). The skill cannot make calls, and says so.
	EvCallSomeone

	// NumKinds is the number of event kinds; useful to enumerate them.
	NumKinds
)

// Failure says why an effect failed.
type Failure uint8

// Failures.
const (
	// FailUnavailable: the service refused or did not answer in time
	// (429, 5xx, device offline, timeout). The user can set one themselves.
	FailUnavailable Failure = iota
	// FailRejected: the service said the request was bad (400).
	FailRejected
	// FailNoToken: the request carried no API access token.
	FailNoToken
)

// Permission is a permission the skill can ask for.
type Permission uint8

// Permissions.
const (
	// PermTimers is the permission to create timers on the user's device.
	PermTimers Permission = iota + 1
	// PermReminders is the permission to create reminders.
	PermReminders
)

// Event is something that happened: what the user said, or the outcome of
// an effect. Only the fields its Kind documents are meaningful.
type Event struct {
	// Kind is what happened; it says which other fields are meaningful.
	Kind Kind

	// Number is a step number (EvGoToStep) or a count of breaths
	// (EvStartBreathing); 0 when not given.
	Number int
	// Minutes is a length in minutes (EvStartBreathing, EvSetPack); 0 when
	// not given.
	Minutes int
	// Unclear is set when the user said a value the skill could not
	// understand (an odd slot value).
	Unclear bool
	// Pack is the pack named (EvSetPack, EvPreferPack); PackAuto if none.
	Pack Pack
	// Exercise is the exercise named (EvStartExercise).
	Exercise Exercise

	// Locale is the request's locale, such as "en-GB". It chooses the
	// emergency number and the timer announcement's locale.
	Locale string
	// Zone is the user's time zone when known, else nil (UTC is used for
	// calendar days, and clock times are not spoken).
	Zone *time.Location

	// TimerID is the timer's id (EvTimerSet).
	TimerID string
	// ReminderID is the reminder's alert token (EvReminderSet); empty when
	// not known.
	ReminderID string
	// Remaining is a timer's duration (EvTimerSet) or time left
	// (EvTimerStatus).
	Remaining time.Duration
	// Failure says why an effect failed.
	Failure Failure
	// Granted is the answer of EvPermission.
	Granted bool
	// Permission is the permission EvPermission answers.
	Permission Permission
	// Start is when the episode started (EvEpisodeStart), as the protocol
	// adapter read it from the user's words; zero when not understood.
	Start time.Time
	// StartDay is set when Start was given as a calendar day ("it started
	// today"), not as a time or a length of time ago (EvEpisodeStart).
	StartDay bool
	// Plan is the pack timer that was waiting for the permission
	// (EvPermission), carried in the permission request's token so that it
	// survives the session. Zero when none.
	Plan PackPlan
}
