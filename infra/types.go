package infra

// Document is one interaction model file of the skill package, in the ASK
// CLI format: {"interactionModel": {"languageModel": {...}}}.
type Document struct {
	InteractionModel InteractionModel `json:"interactionModel"`
}

// InteractionModel is the model of one locale. Only the language model is
// used; dialog and prompts would be added here if the skill ever delegates
// dialog to Alexa.
type InteractionModel struct {
	LanguageModel LanguageModel `json:"languageModel"`
}

// LanguageModel is what Alexa's NLU is trained on: the invocation name, the
// intents with their sample utterances, and the custom slot types.
type LanguageModel struct {
	// InvocationName is the name users say to open the skill.
	InvocationName string `json:"invocationName"`
	// Intents are the custom and built-in (AMAZON.*) intents.
	Intents []Intent `json:"intents"`
	// Types are the custom slot types.
	Types []SlotType `json:"types,omitempty"`
}

// Intent is one intent and the phrases that trigger it.
type Intent struct {
	// Name is the intent name the skill routes, such as
	// "StartBreathingIntent" or "AMAZON.NextIntent".
	Name string `json:"name"`
	// Slots are the intent's slots; samples refer to them as {name}.
	Slots []Slot `json:"slots,omitempty"`
	// Samples are the sample utterances. Built-in intents may have none;
	// on a built-in intent, extra samples match only exactly as written.
	Samples []string `json:"samples"`
}

// Slot is a named hole in an intent's sample utterances.
type Slot struct {
	// Name is the slot's name, as in {name} in a sample.
	Name string `json:"name"`
	// Type is a built-in type such as "AMAZON.NUMBER" or the name of a
	// custom type in LanguageModel.Types.
	Type string `json:"type"`
	// Samples are utterances for eliciting the slot (dialog only).
	Samples []string `json:"samples,omitempty"`
}

// SlotType is a custom slot type: values with synonyms. Alexa treats them as
// training data, not a closed list, so a request may carry a value that is
// not here (its resolution status is then ER_SUCCESS_NO_MATCH).
type SlotType struct {
	// Name is the type's name, such as "PACK".
	Name string `json:"name"`
	// Values are the type's values.
	Values []TypeValue `json:"values"`
}

// TypeValue is one value of a custom slot type.
type TypeValue struct {
	// ID is the value's stable identifier, sent in entity resolution.
	ID string `json:"id,omitempty"`
	// Name is the canonical value and its synonyms.
	Name TypeValueName `json:"name"`
}

// TypeValueName is a canonical value and the other ways of saying it.
type TypeValueName struct {
	// Value is the canonical value, such as "cold".
	Value string `json:"value"`
	// Synonyms resolve to Value, such as "ice pack".
	Synonyms []string `json:"synonyms,omitempty"`
}

// Intent returns the intent with the given name, or nil if the model has
// none.
func (m *LanguageModel) Intent(name string) *Intent {
	for i := range m.Intents {
		if m.Intents[i].Name == name {
			return &m.Intents[i]
		}
	}
	return nil
}

// SlotType returns the custom slot type with the given name, or nil if the
// model defines none.
func (m *LanguageModel) SlotType(name string) *SlotType {
	for i := range m.Types {
		if m.Types[i].Name == name {
			return &m.Types[i]
		}
	}
	return nil
}

// Slot returns the intent's slot with the given name, or nil if it has none.
func (in *Intent) Slot(name string) *Slot {
	for i := range in.Slots {
		if in.Slots[i].Name == name {
			return &in.Slots[i]
		}
	}
	return nil
}
