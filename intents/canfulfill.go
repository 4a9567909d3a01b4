package intents

import (
	"strings"

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
	IntentStartBreathing:  CanFulfillYes,
	IntentStartStretch:    CanFulfillYes,
	IntentStartExercise:   CanFulfillYes,
	IntentSetPackTimer:    CanFulfillYes,
	IntentIceOrHeat:       CanFulfillYes,
	IntentCancelPackTimer: CanFulfillMaybe,
	IntentPackTimeLeft:    CanFulfillMaybe,
	IntentNextPack:        CanFulfillMaybe,
	IntentPreferPack:      CanFulfillMaybe,
	IntentSlower:          CanFulfillMaybe,
	IntentFaster:          CanFulfillMaybe,
	IntentLongExhale:      CanFulfillMaybe,
	IntentSteadyBreathing: CanFulfillMaybe,
	IntentGoToStep:        CanFulfillMaybe,
	IntentWhereAmI:        CanFulfillMaybe,
	IntentElapsed:         CanFulfillMaybe,
}

// canFulfill answers a CanFulfillIntentRequest for in, slot by slot.
func canFulfill(in *Intent) *CanFulfillIntent {
	if in == nil {
		return &CanFulfillIntent{CanFulfill: CanFulfillNo}
	}
	overall, ok := canFulfillIntents[in.Name]
	if !ok {
		overall = CanFulfillNo
	}
	out := &CanFulfillIntent{CanFulfill: overall}
	for name, s := range in.Slots {
		if strings.TrimSpace(s.Value) == "" {
			continue // not said: nothing to answer for
		}
		a := canFulfillSlot(in.Name, name, s)
		if out.Slots == nil {
			out.Slots = map[string]CanFulfillSlot{}
		}
		out.Slots[name] = a
		if overall != CanFulfillNo && (a.CanFulfill == CanFulfillNo || a.CanUnderstand != CanFulfillYes) {
			out.CanFulfill = CanFulfillMaybe
		}
	}
	if overall == CanFulfillNo {
		out.CanFulfill = CanFulfillNo
	}
	return out
}

// canFulfillSlot answers for one slot value.
func canFulfillSlot(intent, name string, s Slot) CanFulfillSlot {
	no := CanFulfillSlot{CanUnderstand: CanFulfillNo, CanFulfill: CanFulfillNo}
	yes := CanFulfillSlot{CanUnderstand: CanFulfillYes, CanFulfill: CanFulfillYes}
	inRange := func(n, lo, hi int) CanFulfillSlot {
		if n < lo || n > hi {
			return CanFulfillSlot{CanUnderstand: CanFulfillYes, CanFulfill: CanFulfillNo}
		}
		return yes
	}
	words := func(matched bool) CanFulfillSlot {
		if matched {
			return yes
		}
		return CanFulfillSlot{CanUnderstand: CanFulfillMaybe, CanFulfill: CanFulfillYes}
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
