package intents

import (
	"slices"

	"spasmcoach/alexa"
	"spasmcoach/skill"
)

// route is how one intent becomes a skill event: its kind, and how its
// slots fill the event's fields.
type route struct {
	kind  skill.Kind
	slots func(slots map[string]alexa.Slot, ev *skill.Event)
}

// routes maps every intent of the interaction model to its event. A test
// checks it against names.go and the model.
var routes = map[string]route{
	IntentStartBreathing:   {skill.EvStartBreathing, breathingSlots},
	IntentStartStretch:     {kind: skill.EvStartStretch},
	IntentStartExercise:    {skill.EvStartExercise, exerciseSlots},
	IntentSetPackTimer:     {skill.EvSetPack, packTimerSlots},
	IntentCancelPackTimer:  {kind: skill.EvCancelPack},
	IntentPackTimeLeft:     {kind: skill.EvPackLeft},
	IntentNextPack:         {kind: skill.EvNextPack},
	IntentIceOrHeat:        {kind: skill.EvIceOrHeat},
	IntentPreferPack:       {skill.EvPreferPack, preferPackSlots},
	IntentSlower:           {kind: skill.EvSlower},
	IntentFaster:           {kind: skill.EvFaster},
	IntentLongExhale:       {kind: skill.EvLongExhale},
	IntentSteadyBreathing:  {kind: skill.EvSteadyBreathing},
	IntentGoToStep:         {skill.EvGoToStep, stepSlots},
	IntentWhereAmI:         {kind: skill.EvWhereAmI},
	IntentElapsed:          {kind: skill.EvElapsed},
	IntentWarningSign:      {kind: skill.EvWarningSign},
	IntentDistress:         {kind: skill.EvDistress},
	IntentMedicine:         {kind: skill.EvMedicine},
	IntentWarningSignsList: {kind: skill.EvWarningSignsList},
	// The start is read by the turn, which knows the request's time and
	// the user's time zone (EpisodeStart).
	IntentEpisodeStart: {kind: skill.EvEpisodeStart},
	IntentForgetMe:     {kind: skill.EvForgetMe},
	IntentLightHeaded:  {kind: skill.EvLightHeaded},
	IntentCallSomeone:  {kind: skill.EvCallSomeone},

	IntentNext:      {kind: skill.EvNext},
	IntentPrevious:  {kind: skill.EvPrevious},
	IntentRepeat:    {kind: skill.EvRepeat},
	IntentStartOver: {kind: skill.EvStartOver},
	IntentPause:     {kind: skill.EvPause},
	IntentResume:    {kind: skill.EvContinue},
	IntentHelp:      {kind: skill.EvHelp},
	IntentStop:      {kind: skill.EvStop},
	IntentCancel:    {kind: skill.EvCancel},
	IntentFallback:  {kind: skill.EvFallback},
	// Going home leaves the skill, like stop: whether Alexa ever sends
	// AMAZON.NavigateHomeIntent to a skill is not documented, so its
	// handler ends the session
	// (https://developer.amazon.com/docs/custom-skills/standard-built-in-intents.html).
	IntentNavigateHome: {kind: skill.EvStop},
	IntentYes:          {kind: skill.EvYes},
	IntentNo:           {kind: skill.EvNo},
}

// safetyIntents are the intents whose name tells what the user said about
// their health; the turn's log line names them by the neutral category
// "safety".
var safetyIntents = map[string]bool{
	IntentWarningSign:      true,
	IntentDistress:         true,
	IntentMedicine:         true,
	IntentWarningSignsList: true,
	IntentLightHeaded:      true,
	IntentCallSomeone:      true,
}

// logName is how the turn's log line names an intent: "safety" for the
// safety intents, else the intent's own name.
func logName(intent string) string {
	if safetyIntents[intent] {
		return "safety"
	}
	return intent
}

// RoutedIntents returns the names of every intent the router handles,
// sorted. Any other intent is handled as AMAZON.FallbackIntent.
func RoutedIntents() []string {
	names := make([]string, 0, len(routes))
	for name := range routes {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Route returns the event an intent causes, with its slots parsed
// leniently (a missing or odd number leaves the field 0, and an odd one
// sets Unclear, so that the state machine asks a helpful question). It
// reports false for an intent it does not know, which becomes EvFallback.
func Route(in alexa.Intent) (skill.Event, bool) {
	r, ok := routes[in.Name]
	if !ok {
		return skill.Event{Kind: skill.EvFallback}, false
	}
	ev := skill.Event{Kind: r.kind}
	if r.slots != nil {
		r.slots(in.Slots, &ev)
	}
	return ev, true
}

func breathingSlots(slots map[string]alexa.Slot, ev *skill.Event) {
	var st1, st2 ValueStatus
	ev.Number, st1 = ParseCount(slots[SlotBreaths].Value)
	ev.Minutes, st2 = ParseMinutes(slots[SlotMinutes].Value)
	ev.Unclear = st1 == ValueUnclear || st2 == ValueUnclear
}

func packTimerSlots(slots map[string]alexa.Slot, ev *skill.Event) {
	// An odd pack word leaves the choice to the plan: Unclear speaks of
	// the length only.
	ev.Pack, _ = ParsePack(slots[SlotPack])
	var st ValueStatus
	ev.Minutes, st = ParseMinutes(slots[SlotMinutes].Value)
	ev.Unclear = st == ValueUnclear
}

func preferPackSlots(slots map[string]alexa.Slot, ev *skill.Event) {
	// PackAuto makes the state machine ask "cold, or heat?".
	ev.Pack, _ = ParsePack(slots[SlotPack])
}

func exerciseSlots(slots map[string]alexa.Slot, ev *skill.Event) {
	ev.Exercise, _ = ParseExercise(slots[SlotExercise])
}

func stepSlots(slots map[string]alexa.Slot, ev *skill.Event) {
	var st ValueStatus
	ev.Number, st = ParseCount(slots[SlotStep].Value)
	ev.Unclear = st == ValueUnclear
}
