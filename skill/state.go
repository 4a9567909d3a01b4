package skill

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SchemaVersion is the version of the State layout this code writes. Decode
// migrates older layouts to it.
const SchemaVersion = 2

// Step numbers of the routine.
const (
	// FirstStep is the number of the routine's first step.
	FirstStep = 1
	// LastStep is the number of the routine's last step.
	LastStep = 9
)

// Pace bounds: negative is faster, positive slower. Each level stretches or
// shrinks every breathing phase by PaceFactor.
const (
	// MinPace is the fastest pace level.
	MinPace = -2
	// MaxPace is the slowest pace level.
	MaxPace = 3
	// PaceFactor is the share of its length that each pace level adds to
	// (or, when faster, takes from) every breathing phase.
	PaceFactor = 0.12
)

// Stamp is a moment in Unix seconds; zero means never. It keeps the encoded
// State compact.
type Stamp int64

// At returns the Stamp of t.
func At(t time.Time) Stamp { return Stamp(t.Unix()) }

// Time returns the moment as a time.Time in UTC; the zero Stamp gives the
// zero time.
func (s Stamp) Time() time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s), 0).UTC()
}

// IsZero reports whether the stamp is unset.
func (s Stamp) IsZero() bool { return s == 0 }

// State is one user's place in the routine. It is a plain comparable value:
// two States are equal exactly when nothing changed, which is how callers
// decide whether to save. It serialises compactly with encoding/json.
type State struct {
	// Schema is the layout version (SchemaVersion when written by this code).
	// The key "v" is reserved: the caller carries the store's version of
	// the state beside it, under that key, in the session.
	Schema int `json:"sv"`
	// Updated is when the state last changed.
	Updated Stamp `json:"u,omitempty"`

	// Step is the current step, FirstStep to LastStep; 0 before the first
	// launch.
	Step int `json:"st,omitempty"`
	// Act is the activity in progress, if any.
	Act Activity `json:"a,omitzero"`

	// Pattern is the breathing pattern in use.
	Pattern Pattern `json:"bp,omitempty"`
	// Pace is the breathing pace level, MinPace to MaxPace; 0 is the
	// routine's own timing.
	Pace int `json:"pc,omitempty"`

	// Episode is when the current episode started.
	Episode Stamp `json:"ep,omitempty"`
	// Pref is the user's cold or heat preference; PackAuto follows the plan.
	Pref Pack `json:"pf,omitempty"`
	// LastPack is when the last pack timer was started.
	LastPack Stamp `json:"lp,omitempty"`
	// Timer is the pack timer running on the user's device, if any.
	Timer Timer `json:"tm,omitzero"`

	// Briefed is when the safety briefing was last given in full.
	Briefed Stamp `json:"br,omitempty"`
	// Heard records what the user has already heard, to shorten repeats.
	Heard Heard `json:"h,omitempty"`

	// Ask is the question the skill is waiting for an answer to.
	Ask Question `json:"q,omitempty"`
	// Plan is the pack timer being offered, confirmed or waiting for
	// permission.
	Plan PackPlan `json:"pl,omitzero"`

	// Schema 2 adds the fields below; their zero values are schema 1's
	// behaviour.

	// Misses counts the turns in a row the skill did not understand, so
	// that each answer differs from the last.
	Misses int `json:"ms,omitempty"`
	// Then is what the user asked for while the safety briefing was due;
	// it is carried out after the briefing's "continue".
	Then Request `json:"th,omitzero"`
	// Hold keeps the stretch and the exercises at the range already
	// reached, without "a little further", until the session ends: the
	// turn that ends it, or the session-ended request, clears it, so no
	// stored state keeps it past the session. It is a progression level,
	// set when the user stopped a movement; it records no reason.
	Hold bool `json:"ho,omitempty"`
	// PrevPack is when the pack before LastPack was started, so that a pack
	// cancelled in its first minutes can be taken back.
	PrevPack Stamp `json:"pp,omitempty"`
	// Reminder is the alert token of the reminder set for the pack after
	// LastPack, so that it can be cancelled with that pack.
	Reminder string `json:"rm,omitempty"`
	// Zones are the time zones of the user's devices, as the Alexa
	// Settings API last reported them. The state machine never changes
	// them; the caller keeps them.
	Zones Zones `json:"tz,omitzero"`
	// Written is when the state was last saved. The state machine never
	// changes it; the caller that saves the state sets it, and saves at
	// least once on each day of use so that the store's expiry moves even
	// when nothing else changes.
	Written Stamp `json:"w,omitempty"`
	// StartUnknown is set while the episode's start is only when the skill
	// first heard of it, in the session that began the episode: the user
	// has not said when the spasm started. It is cleared when they do, and
	// when that session ends.
	StartUnknown bool `json:"su,omitempty"`
	// NewStart is the episode start the user gave that AskStart waits to
	// have confirmed; zero when none.
	NewStart Stamp `json:"ns,omitempty"`
	// Calm counts the calming answers given in a row, so that each differs
	// from the last; any other turn, and the end of the session, resets
	// it. It records nothing the user said.
	Calm int `json:"ca,omitempty"`
}

// Request is a user's request kept for later: the kind and slot values of
// the Event that asked for it.
type Request struct {
	// Kind is the event kind; EvNone when there is no request.
	Kind Kind `json:"k,omitempty"`
	// Number is the event's Number.
	Number int `json:"n,omitempty"`
	// Minutes is the event's Minutes.
	Minutes int `json:"m,omitempty"`
	// Pack is the event's Pack.
	Pack Pack `json:"p,omitempty"`
	// Exercise is the event's Exercise.
	Exercise Exercise `json:"x,omitempty"`
}

// Activity is what the user is doing within the current step.
type Activity struct {
	// Kind is the activity; ActNone when the user is just on the step.
	Kind ActivityKind `json:"k,omitempty"`
	// Set counts completed sets (breathing) or rounds (stretch, exercise).
	Set int `json:"s,omitempty"`
	// Done counts breaths, holds or repetitions done in the current set.
	Done int `json:"d,omitempty"`
	// Target is how many breaths, holds or repetitions the user asked for
	// in all; 0 means the default.
	Target int `json:"t,omitempty"`
	// Exercise is the exercise in progress when Kind is ActExercise.
	Exercise Exercise `json:"x,omitempty"`
	// Side is the side of the current repetition or hold.
	Side Side `json:"sd,omitempty"`
	// Paused is set while the user has paused the activity.
	Paused bool `json:"p,omitempty"`
}

// ActivityKind names an activity.
type ActivityKind uint8

// Activities.
const (
	// ActNone: the user is on a step, with no activity in progress.
	ActNone ActivityKind = iota
	// ActBreathing: paced slow breathing, in sets.
	ActBreathing
	// ActStretch: the gentle stretch of step 4, in rounds of holds.
	ActStretch
	// ActExercise: one of step 9's exercises, in sets of repetitions.
	ActExercise
)

// String returns the activity as the user would name it.
func (k ActivityKind) String() string {
	switch k {
	case ActBreathing:
		return "breathing"
	case ActStretch:
		return "the stretch"
	case ActExercise:
		return "an exercise"
	}
	return "nothing"
}

// Pattern is a breathing pattern.
type Pattern uint8

// Breathing patterns.
const (
	// PatternSteady is the routine's default: in 5 s, hold 1 s, out 3.5 s.
	PatternSteady Pattern = iota
	// PatternLongExhale is in 4 s, out 6 s.
	PatternLongExhale
)

// Pack is a kind of pack.
type Pack uint8

// Packs.
const (
	// PackAuto means "whatever the plan says": cold early on, heat later.
	PackAuto Pack = iota
	// PackCold is a cold pack, wrapped in a thin towel.
	PackCold
	// PackHeat is moist heat, such as a warm, wet towel.
	PackHeat
)

// String returns "cold" or "heat" ("either" for PackAuto).
func (p Pack) String() string {
	switch p {
	case PackCold:
		return "cold"
	case PackHeat:
		return "heat"
	}
	return "either"
}

// Exercise is one of the bonus exercises of step 9.
type Exercise uint8

// Exercises.
const (
	// ExerciseNone means no exercise was named or is in progress.
	ExerciseNone Exercise = iota
	// ExerciseLyingTwist is the knee roll on the back; fine early on.
	ExerciseLyingTwist
	// ExerciseSeatedTwist is for when the user feels better and a doctor
	// has checked their back.
	ExerciseSeatedTwist
)

// String returns the exercise's spoken name.
func (x Exercise) String() string {
	switch x {
	case ExerciseLyingTwist:
		return "lying twist"
	case ExerciseSeatedTwist:
		return "seated twist"
	}
	return "exercise"
}

// Side is a side of the body.
type Side uint8

// Sides.
const (
	// SideNone means no side yet.
	SideNone Side = iota
	// SideLeft is the user's left.
	SideLeft
	// SideRight is the user's right.
	SideRight
)

// Timer is a pack timer the skill created on the user's device.
type Timer struct {
	// ID is the Timers API id.
	ID string `json:"id,omitempty"`
	// Pack is what the timer is for.
	Pack Pack `json:"p,omitempty"`
	// Ends is when it rings.
	Ends Stamp `json:"e,omitempty"`
}

// PackPlan is a pack timer under discussion.
type PackPlan struct {
	// Pack is the pack the timer is for, cold or heat.
	Pack Pack `json:"p,omitempty"`
	// Minutes is the timer's length, PackMinMinutes to PackMaxMinutes; 0
	// when no plan is under discussion.
	Minutes int `json:"m,omitempty"`
}

// Question is what the skill last asked and is waiting for a yes or no to.
type Question uint8

// Questions.
const (
	// AskNothing: no question is pending.
	AskNothing Question = iota
	// AskResume: "Shall we pick up where you left off?"
	AskResume
	// AskFresh: "It's been a while; start a fresh episode?"
	AskFresh
	// AskBriefing: the safety briefing was given; waiting for "continue".
	AskBriefing
	// AskTimer: "Shall I start a 20-minute cold pack timer?"
	AskTimer
	// AskSwitchPack: "moist heat is better now; want a heat pack instead?"
	AskSwitchPack
	// AskReminder: "Want me to remind you about the next pack?"
	AskReminder
	// AskForget: "Delete everything I keep about you?"
	AskForget
	// AskNextStep: "Another set?" after a set, round of holds or exercise set.
	AskNextStep
	// AskConsent: waiting for the answer to a voice permission request.
	AskConsent
	// AskBreathe: "Shall we slow your breathing together?" after distress.
	AskBreathe
	// AskRepeatStep: "Shall I go through this step again?" after the skill
	// did not understand three times in a row.
	AskRepeatStep
	// AskCancelPack: the pack timer is running, and the skill offered to
	// cancel it.
	AskCancelPack
	// AskSeatedTwist: the seated twist was introduced early in an episode:
	// "Shall we start?"
	AskSeatedTwist
	// AskStart: "Did the spasm start 10 minutes ago?", for a start that
	// moves the episode's start more than an hour later (NewStart).
	AskStart
	// AskStartBriefed: AskStart asked while the safety briefing waited for
	// "continue"; the briefing's question comes back after the answer.
	AskStartBriefed
)

// Heard is a set of things the user has already heard in full.
type Heard uint32

// Has reports whether h contains every bit of x.
func (h Heard) Has(x Heard) bool { return h&x == x }

// Encode returns the compact JSON encoding of s.
func Encode(s State) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("skill: encode state: %w", err)
	}
	return b, nil
}

// ErrSchema is returned by Decode for a state written by a newer version of
// the skill than this one.
var ErrSchema = errors.New("skill: state schema is newer than this code")

// Decode parses a State written by Encode, migrating older schemas to
// SchemaVersion. Empty input decodes to the zero State (a first-time user).
func Decode(b []byte) (State, error) {
	var s State
	if len(b) == 0 {
		return s, nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return State{}, fmt.Errorf("skill: decode state: %w", err)
	}
	return Migrate(s)
}

// Migrate brings a State that the caller decoded from Encode's JSON (as
// part of a larger value) to SchemaVersion, as Decode does, and refuses
// one of a newer schema with ErrSchema.
func Migrate(s State) (State, error) {
	if s.Schema > SchemaVersion {
		return State{}, fmt.Errorf("skill: decode state of schema %d: %w", s.Schema, ErrSchema)
	}
	return migrate(s), nil
}

// migrate brings a decoded state to SchemaVersion. Schema 0 is a state that
// was never written by the state machine (the zero State); it has no fields
// to move. Schema 2 only adds fields, whose zero values keep schema 1's
// behaviour (the time zones and the time of the last save then mean
// "unknown"), so a schema 1 state needs nothing but the new number. The
// time zones are tidied (Zones.tidy).
func migrate(s State) State {
	if s.Schema < SchemaVersion && s.Step != 0 {
		s.Schema = SchemaVersion
	}
	s.Zones = s.Zones.tidy()
	return s
}
