package skill

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by Check for a state that breaks an invariant.
var ErrInvalid = errors.New("skill: invalid state")

// Check reports whether s keeps the state machine's invariants: the step is
// in range (0 only before the first episode), the activity is one the step
// offers and its fields fit it, and the pace is within bounds. A state that
// fails Check was not produced by Apply.
func (s State) Check() error {
	switch {
	case s.Episode == 0 && s.Step != 0:
		return invalid("step %d without an episode", s.Step)
	case s.Episode != 0 && (s.Step < FirstStep || s.Step > LastStep):
		return invalid("step %d out of range", s.Step)
	case s.Pace < MinPace || s.Pace > MaxPace:
		return invalid("pace %d out of range", s.Pace)
	case s.Pattern > PatternLongExhale:
		return invalid("pattern %d", s.Pattern)
	case s.Pref > PackHeat:
		return invalid("pack preference %d", s.Pref)
	}
	if err := s.checkActivity(); err != nil {
		return err
	}
	if s.Then != (Request{}) && requestOf(Event{Kind: s.Then.Kind}).Kind == EvNone {
		return invalid("request %d kept for later", s.Then.Kind)
	}
	if s.Misses < 0 || s.Calm < 0 {
		return invalid("%d misses, %d calming answers", s.Misses, s.Calm)
	}
	if s.Plan.Minutes != 0 && (s.Plan.Minutes < PackMinMinutes || s.Plan.Minutes > PackMaxMinutes) {
		return invalid("pack plan of %d minutes", s.Plan.Minutes)
	}
	for i, e := range s.Zones {
		if e == (DeviceZone{}) {
			continue
		}
		if e.Device == "" || e.Name == "" {
			return invalid("time zone entry %d without a device or a name", i)
		}
		if indexOfDevice(s.Zones, e.Device) != i {
			return invalid("two time zone entries for one device")
		}
	}
	return nil
}

// invalid is an ErrInvalid error that says what is wrong.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// checkActivity checks the activity in progress against the step.
func (s State) checkActivity() error {
	a := s.Act
	switch a.Kind {
	case ActNone:
		if a != (Activity{}) && a != (Activity{Paused: a.Paused}) {
			return invalid("no activity but fields set: %+v", a)
		}
	case ActBreathing:
		if !StepAt(s.Step).Has(OfferBreathing) {
			return invalid("breathing on step %d", s.Step)
		}
		if a.Target > maxBreaths || a.Target < 0 || a.Done < 0 || (a.Target > 0 && a.Done > a.Target) {
			return invalid("breathing count %d of %d", a.Done, a.Target)
		}
	case ActStretch:
		if !StepAt(s.Step).Has(OfferStretch) {
			return invalid("stretch on step %d", s.Step)
		}
	case ActExercise:
		if !StepAt(s.Step).Has(OfferExercise) {
			return invalid("exercise on step %d", s.Step)
		}
		if a.Exercise == ExerciseNone || a.Exercise > ExerciseSeatedTwist {
			return invalid("exercise %d", a.Exercise)
		}
		if a.Done > repsPerSet {
			return invalid("%d repetitions", a.Done)
		}
	default:
		return invalid("activity %d", a.Kind)
	}
	if a.Kind != ActExercise && a.Exercise != ExerciseNone {
		return invalid("exercise set outside an exercise")
	}
	return nil
}

// indexOfDevice returns the index of device's first entry in z, or -1.
func indexOfDevice(z Zones, device string) int {
	for i, e := range z {
		if e.Device == device {
			return i
		}
	}
	return -1
}
