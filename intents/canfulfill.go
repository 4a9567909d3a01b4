package intents

import (
	"strings"

	"spasmcoach/alexa"
	"spasmcoach/skill"
)

// canFulfillIntents is how honestly the skill can answer each intent when
// Alexa asks without the skill's name (CanFulfillIntentRequest). YES: the
// skill does it for anyone. MAYBE: only for someone already in the routine,
// which cannot be checked here (no store access, no side effects). Missing
// (NO): built-ins that mean something else outside the skill, emergencies,
// distress, medicine and the warning signs (Alexa's own answer is better),
// when an episode started (it means nothing outside the routine), and
// deleting data.
var canFulfillIntents = map[string]string{
	IntentStartBreathing:  alexa.CanFulfillYes,
	IntentStartStretch:    alexa.CanFulfillYes,
	IntentStartExercise:   alexa.CanFulfillYes,
	IntentSetPackTimer:    alexa.CanFulfillYes,
	IntentIceOrHeat:       alexa.CanFulfillYes,
	IntentCancelPackTimer: alexa.CanFulfillMaybe,
	IntentPackTimeLeft:    alexa.CanFulfillMaybe,
	IntentNextPack:        alexa.CanFulfillMaybe,
	IntentPreferPack:      alexa.CanFulfillMaybe,
	IntentSlower:          alexa.CanFulfillMaybe,
	IntentFaster:          alexa.CanFulfillMaybe,
	IntentLongExhale:      alexa.CanFulfillMaybe,
	IntentSteadyBreathing: alexa.CanFulfillMaybe,
	IntentGoToStep:        alexa.CanFulfillMaybe,
	IntentWhereAmI:        alexa.CanFulfillMaybe,
	IntentElapsed:         alexa.CanFulfillMaybe,
}

// canFulfill answers a CanFulfillIntentRequest for in, slot by slot.
func canFulfill(in *alexa.Intent) *alexa.CanFulfillIntent {
	if in == nil {
		return &alexa.CanFulfillIntent{CanFulfill: alexa.CanFulfillNo}
	}
	overall, ok := canFulfillIntents[in.Name]
	if !ok {
		overall = alexa.CanFulfillNo
	}
	out := &alexa.CanFulfillIntent{CanFulfill: overall}
	for name, s := range in.Slots {
		if strings.TrimSpace(s.Value) == "" {
			continue // not said: nothing to answer for
		}
		a := canFulfillSlot(in.Name, name, s)
		if out.Slots == nil {
			out.Slots = map[string]alexa.CanFulfillSlot{}
		}
		out.Slots[name] = a
		if overall != alexa.CanFulfillNo && (a.CanFulfill == alexa.CanFulfillNo || a.CanUnderstand != alexa.CanFulfillYes) {
			out.CanFulfill = alexa.CanFulfillMaybe
		}
	}
	if overall == alexa.CanFulfillNo {
		out.CanFulfill = alexa.CanFulfillNo
	}
	return out
}

// canFulfillSlot answers for one slot value.
func canFulfillSlot(intent, name string, s alexa.Slot) alexa.CanFulfillSlot {
	no := alexa.CanFulfillSlot{CanUnderstand: alexa.CanFulfillNo, CanFulfill: alexa.CanFulfillNo}
	yes := alexa.CanFulfillSlot{CanUnderstand: alexa.CanFulfillYes, CanFulfill: alexa.CanFulfillYes}
	inRange := func(n, lo, hi int) alexa.CanFulfillSlot {
		if n < lo || n > hi {
			return alexa.CanFulfillSlot{CanUnderstand: alexa.CanFulfillYes, CanFulfill: alexa.CanFulfillNo}
		}
		return yes
	}
	words := func(matched bool) alexa.CanFulfillSlot {
		if matched {
			return yes
		}
		return alexa.CanFulfillSlot{CanUnderstand: alexa.CanFulfillMaybe, CanFulfill: alexa.CanFulfillYes}
	}
	switch name {
	case SlotStep:
		n, st := ParseCount(s.Value)
		if st != ValueOK {
			return no
		}
		return inRange(n, skill.FirstStep, skill.LastStep)
	case SlotBreaths:
		n, st := ParseCount(s.Value)
		if st != ValueOK {
			return no
		}
		return inRange(n, 1, maxSlotNumber)
	case SlotMinutes:
		n, st := ParseMinutes(s.Value)
		if st != ValueOK {
			return no
		}
		if intent == IntentSetPackTimer {
			// Longer or shorter packs are changed, with a reason: not
			// what was asked for.
			return inRange(n, skill.PackMinMinutes, skill.PackMaxMinutes)
		}
		return inRange(n, 1, maxSlotNumber)
	case SlotPack:
		if _, st := ParsePack(s); st != ValueOK {
			return no
		}
		n, _ := resolved(s)
		return words(n != "")
	case SlotExercise:
		if _, st := ParseExercise(s); st != ValueOK {
			return no
		}
		n, _ := resolved(s)
		return words(n != "")
	}
	return no
}
