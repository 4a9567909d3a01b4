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
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
	}
	switch {
	case s.Episode == 0 && s.Step != 0:
		return bad("step %d without an episode", s.Step)
	case s.Episode != 0 && (s.Step < FirstStep || s.Step > LastStep):
		return bad("step %d out of range", s.Step)
	case s.Pace < MinPace || s.Pace > MaxPace:
		return bad("pace %d out of range", s.Pace)
	case s.Pattern > PatternLongExhale:
		return bad("pattern %d", s.Pattern)
	case s.Pref > PackHeat:
		return bad("pack preference %d", s.Pref)
	}
	a := s.Act
	switch a.Kind {
	case ActNone:
		if a != (Activity{}) && a != (Activity{Paused: a.Paused}) {
			return bad("no activity but fields set: %+v", a)
		}
	case ActBreathing:
		if !StepAt(s.Step).Has(OfferBreathing) {
			return bad("breathing on step %d", s.Step)
		}
		if a.Target > maxBreaths || a.Target < 0 || a.Done < 0 || (a.Target > 0 && a.Done > a.Target) {
			return bad("breathing count %d of %d", a.Done, a.Target)
		}
	case ActStretch:
		if !StepAt(s.Step).Has(OfferStretch) {
			return bad("stretch on step %d", s.Step)
		}
	case ActExercise:
		if !StepAt(s.Step).Has(OfferExercise) {
			return bad("exercise on step %d", s.Step)
		}
		if a.Exercise == ExerciseNone || a.Exercise > ExerciseSeatedTwist {
			return bad("exercise %d", a.Exercise)
		}
		if a.Done > repsPerSet {
			return bad("%d repetitions", a.Done)
		}
	default:
		return bad("activity %d", a.Kind)
	}
	if a.Kind != ActExercise && a.Exercise != ExerciseNone {
		return bad("exercise set outside an exercise")
	}
	if s.Then != (Request{}) && requestOf(Event{Kind: s.Then.Kind}).Kind == EvNone {
		return bad("request %d kept for later", s.Then.Kind)
	}
	if s.Misses < 0 {
		return bad("%d misses", s.Misses)
	}
	if s.Plan.Minutes != 0 && (s.Plan.Minutes < PackMinMinutes || s.Plan.Minutes > PackMaxMinutes) {
		return bad("pack plan of %d minutes", s.Plan.Minutes)
	}
	return nil
}
