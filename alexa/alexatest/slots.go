package alexatest

import (
	alexago "github.com/arienmalec/alexa-go"

	"spasmcoach/alexa"
)

// Slot returns a slot the user filled with value as they said it, without
// entity resolution (Alexa leaves resolutions out for built-in types such
// as AMAZON.NUMBER); an empty value is a slot the user did not fill.
func Slot(name, value string) alexa.Slot {
	return alexa.Slot{Slot: alexago.Slot{Name: name, Value: value}, ConfirmationStatus: "NONE"}
}

// Resolved returns a slot whose value entity resolution matched (status
// ER_SUCCESS_MATCH) to the slot type's value canonical with the given id;
// with neither canonical nor id it is a value that matched nothing
// (ER_SUCCESS_NO_MATCH).
func Resolved(name, value, canonical, id string) alexa.Slot {
	s := Slot(name, value)
	s.Source = "USER"
	r := alexa.Resolution{
		Authority: "amzn1.er-authority.echo-sdk." + SkillID + "." + name,
		Status:    alexa.ResolutionStatus{Code: alexa.ResolutionMatch},
	}
	if canonical == "" && id == "" {
		r.Status.Code = "ER_SUCCESS_NO_MATCH"
	} else {
		r.Values = []alexa.ResolvedValue{{Value: alexa.ValueRef{Name: canonical, ID: id}}}
	}
	s.Resolutions = &alexa.Resolutions{PerAuthority: []alexa.Resolution{r}}
	return s
}

// Intent returns the intent name with slots, keyed by their names.
func Intent(name string, slots ...alexa.Slot) alexa.Intent {
	in := alexa.Intent{Intent: alexago.Intent{Name: name}, ConfirmationStatus: "NONE"}
	if len(slots) > 0 {
		in.Slots = make(map[string]alexa.Slot, len(slots))
		for _, s := range slots {
			in.Slots[s.Name] = s
		}
	}
	return in
}
