package skill

import (
	"time"

	"spasmcoach/speech"
)

// Reply is what the skill answers to one Event: speech-neutral, to be
// rendered by package speech and assembled by the protocol adapter.
type Reply struct {
	// Say is what to say now.
	Say speech.Script
	// Reprompt is said if the user stays silent; it adds guidance rather
	// than repeating Say. Empty when Listen is false.
	Reprompt speech.Script
	// Listen is whether the session stays open for an answer.
	Listen bool
	// Card is the text for the Alexa app, or nil.
	Card *Card
	// Effects are performed in order after the new state is saved.
	//
	// An effect with an outcome (SetTimer, CancelTimer, CheckTimer,
	// SetReminder) is performed once; its outcome is then applied as an
	// Event to the saved state, and that Event's Reply follows this one:
	// its Say is spoken after this Say, and its Reprompt, Listen, Card and
	// Effects replace these. AskPermission and ConsentCard have no outcome;
	// they become a directive and a card in the response. Forget deletes the
	// user's stored data; the new state is then not saved.
	Effects []Effect
}

// Card is the text shown in the Alexa app.
type Card struct {
	// Title is the card's heading ("Step 3: Slow breathing").
	Title string
	// Text is the card's body, plain text.
	Text string
}

// EffectKind names an Effect.
type EffectKind uint8

// Effects.
const (
	// SetTimer creates Timer on the user's device. Outcomes: EvTimerSet,
	// EvTimerFailed, EvTimerNoPermission.
	SetTimer EffectKind = iota + 1
	// CancelTimer deletes the timer TimerID. Outcomes: EvTimerCancelled,
	// EvTimerGone, EvTimerFailed, EvTimerNoPermission. With Quiet set the
	// outcome is not applied (used to clear an old pack timer before a new
	// one).
	CancelTimer
	// CheckTimer reads the timer TimerID. Outcomes: EvTimerStatus,
	// EvTimerGone, EvTimerFailed, EvTimerNoPermission.
	CheckTimer
	// SetReminder creates Reminder. Outcomes: EvReminderSet (with its
	// ReminderID),
	// EvReminderFailed, EvReminderNoPermission.
	SetReminder
	// AskPermission asks the user, by voice, to grant Permission. The answer
	// arrives later as EvPermission.
	AskPermission
	// ConsentCard shows the permissions card for Permission in the Alexa
	// app, so the user can grant it later.
	ConsentCard
	// Forget deletes everything stored about the user.
	Forget
	// CancelReminder deletes the reminder ReminderID. Its outcome is not
	// applied: a reminder that already played needs no answer.
	CancelReminder
)

// Effect is an action outside the state machine that a Reply asks for.
type Effect struct {
	// Kind is the action to perform; it says which other fields matter.
	Kind EffectKind
	// Timer is the timer to create (SetTimer).
	Timer TimerSpec
	// TimerID is the timer to cancel or read (CancelTimer, CheckTimer).
	TimerID string
	// Quiet means the outcome is not applied (CancelTimer).
	Quiet bool
	// Reminder is the reminder to create (SetReminder).
	Reminder ReminderSpec
	// ReminderID is the reminder to delete (CancelReminder).
	ReminderID string
	// Permission is the permission to ask for or show (AskPermission,
	// ConsentCard).
	Permission Permission
}

// TimerSpec describes a timer to create on the user's device.
type TimerSpec struct {
	// Duration is how long until it rings.
	Duration time.Duration
	// Label names the timer ("Cold pack").
	Label string
	// Announce is spoken when it rings, in Locale.
	Announce string
	// Locale is the locale of Announce.
	Locale string
}

// ReminderSpec describes a reminder relative to now.
type ReminderSpec struct {
	// After is how long from now it plays.
	After time.Duration
	// Text is spoken when it plays, in Locale.
	Text string
	// Locale is the locale of Text.
	Locale string
}
