package intents_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/infra"
	"spasmcoach/intents"
	"spasmcoach/skill"
)

// namesConstants returns the values of the string constants in names.go
// whose names start with prefix.
func namesConstants(t *testing.T, prefix string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "names.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var vals []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, id := range vs.Names {
				if !strings.HasPrefix(id.Name, prefix) || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					vals = append(vals, v)
				}
			}
		}
	}
	slices.Sort(vals)
	return vals
}

func TestEveryNamedIntentIsRouted(t *testing.T) {
	names := namesConstants(t, "Intent")
	if len(names) < 30 {
		t.Fatalf("read only %d intent names from names.go", len(names))
	}
	if got := intents.RoutedIntents(); !slices.Equal(got, names) {
		t.Errorf("routed intents differ from names.go:\n routed: %q\n names:  %q", got, names)
	}
}

// TestRoutedIntentsMatchModel: every intent of every locale's interaction
// model is routed, and every routed intent is in the model.
func TestRoutedIntentsMatchModel(t *testing.T) {
	locales := infra.Locales()
	if !slices.Contains(locales, "en-US") {
		t.Fatalf("no en-US model among %q", locales)
	}
	for _, loc := range locales {
		m, err := infra.Model(loc)
		if err != nil {
			t.Fatal(err)
		}
		var model []string
		for _, in := range m.Intents {
			model = append(model, in.Name)
		}
		slices.Sort(model)
		if got := intents.RoutedIntents(); !slices.Equal(got, model) {
			t.Errorf("%s: routed %q\n model %q", loc, got, model)
		}
	}
}

func TestRouteTable(t *testing.T) {
	slot := func(name, value string) map[string]alexa.Slot {
		return map[string]alexa.Slot{name: alexatest.Slot(name, value)}
	}
	tests := []struct {
		intent string
		slots  map[string]alexa.Slot
		want   skill.Event
	}{
		{intents.IntentStartBreathing, nil, skill.Event{Kind: skill.EvStartBreathing}},
		{intents.IntentStartBreathing, slot(intents.SlotBreaths, "ten"), skill.Event{Kind: skill.EvStartBreathing, Number: 10}},
		{intents.IntentStartBreathing, slot(intents.SlotMinutes, "five minutes"), skill.Event{Kind: skill.EvStartBreathing, Minutes: 5}},
		{intents.IntentStartBreathing, slot(intents.SlotBreaths, "?"), skill.Event{Kind: skill.EvStartBreathing, Unclear: true}},
		{intents.IntentStartStretch, nil, skill.Event{Kind: skill.EvStartStretch}},
		{intents.IntentStartExercise, slot(intents.SlotExercise, "knee rolls"), skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseLyingTwist}},
		{intents.IntentStartExercise, slot(intents.SlotExercise, "juggling"), skill.Event{Kind: skill.EvStartExercise}},
		{intents.IntentSetPackTimer, nil, skill.Event{Kind: skill.EvSetPack}},
		{intents.IntentSetPackTimer, map[string]alexa.Slot{
			intents.SlotPack:    alexatest.Slot(intents.SlotPack, "hot water bottle"),
			intents.SlotMinutes: alexatest.Slot(intents.SlotMinutes, "fifteen"),
		}, skill.Event{Kind: skill.EvSetPack, Pack: skill.PackHeat, Minutes: 15}},
		{intents.IntentSetPackTimer, slot(intents.SlotMinutes, "banana"), skill.Event{Kind: skill.EvSetPack, Unclear: true}},
		// An odd pack word is left to the plan; Unclear is about the length.
		{intents.IntentSetPackTimer, slot(intents.SlotPack, "banana"), skill.Event{Kind: skill.EvSetPack}},
		{intents.IntentCancelPackTimer, nil, skill.Event{Kind: skill.EvCancelPack}},
		{intents.IntentPackTimeLeft, nil, skill.Event{Kind: skill.EvPackLeft}},
		{intents.IntentNextPack, nil, skill.Event{Kind: skill.EvNextPack}},
		{intents.IntentIceOrHeat, nil, skill.Event{Kind: skill.EvIceOrHeat}},
		{intents.IntentPreferPack, slot(intents.SlotPack, "ice"), skill.Event{Kind: skill.EvPreferPack, Pack: skill.PackCold}},
		{intents.IntentPreferPack, nil, skill.Event{Kind: skill.EvPreferPack}},
		{intents.IntentSlower, nil, skill.Event{Kind: skill.EvSlower}},
		{intents.IntentFaster, nil, skill.Event{Kind: skill.EvFaster}},
		{intents.IntentLongExhale, nil, skill.Event{Kind: skill.EvLongExhale}},
		{intents.IntentSteadyBreathing, nil, skill.Event{Kind: skill.EvSteadyBreathing}},
		{intents.IntentGoToStep, slot(intents.SlotStep, "4"), skill.Event{Kind: skill.EvGoToStep, Number: 4}},
		{intents.IntentGoToStep, slot(intents.SlotStep, "fourth"), skill.Event{Kind: skill.EvGoToStep, Number: 4}},
		{intents.IntentGoToStep, nil, skill.Event{Kind: skill.EvGoToStep}},
		{intents.IntentGoToStep, slot(intents.SlotStep, "?"), skill.Event{Kind: skill.EvGoToStep, Unclear: true}},
		{intents.IntentGoToStep, slot(intents.SlotStep, "12"), skill.Event{Kind: skill.EvGoToStep, Number: 12}},
		{intents.IntentWhereAmI, nil, skill.Event{Kind: skill.EvWhereAmI}},
		{intents.IntentElapsed, nil, skill.Event{Kind: skill.EvElapsed}},
		{intents.IntentWarningSign, nil, skill.Event{Kind: skill.EvWarningSign}},
		{intents.IntentDistress, nil, skill.Event{Kind: skill.EvDistress}},
		{intents.IntentMedicine, nil, skill.Event{Kind: skill.EvMedicine}},
		{intents.IntentWarningSignsList, nil, skill.Event{Kind: skill.EvWarningSignsList}},
		// The start is read by the turn, which knows the request's time.
		{intents.IntentEpisodeStart, slot(intents.SlotDuration, "P4D"), skill.Event{Kind: skill.EvEpisodeStart}},
		{intents.IntentForgetMe, nil, skill.Event{Kind: skill.EvForgetMe}},
		{intents.IntentLightHeaded, nil, skill.Event{Kind: skill.EvLightHeaded}},
		{intents.IntentCallSomeone, nil, skill.Event{Kind: skill.EvCallSomeone}},
		{intents.IntentNext, nil, skill.Event{Kind: skill.EvNext}},
		{intents.IntentPrevious, nil, skill.Event{Kind: skill.EvPrevious}},
		{intents.IntentRepeat, nil, skill.Event{Kind: skill.EvRepeat}},
		{intents.IntentStartOver, nil, skill.Event{Kind: skill.EvStartOver}},
		{intents.IntentPause, nil, skill.Event{Kind: skill.EvPause}},
		{intents.IntentResume, nil, skill.Event{Kind: skill.EvContinue}},
		{intents.IntentHelp, nil, skill.Event{Kind: skill.EvHelp}},
		{intents.IntentStop, nil, skill.Event{Kind: skill.EvStop}},
		{intents.IntentCancel, nil, skill.Event{Kind: skill.EvCancel}},
		{intents.IntentFallback, nil, skill.Event{Kind: skill.EvFallback}},
		{intents.IntentNavigateHome, nil, skill.Event{Kind: skill.EvStop}},
		{intents.IntentYes, nil, skill.Event{Kind: skill.EvYes}},
		{intents.IntentNo, nil, skill.Event{Kind: skill.EvNo}},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		covered[tc.intent] = true
		in := alexatest.Intent(tc.intent)
		in.Slots = tc.slots
		got, ok := intents.Route(in)
		if !ok || got != tc.want {
			t.Errorf("Route(%s %v) = %+v, %v; want %+v", tc.intent, tc.slots, got, ok, tc.want)
		}
	}
	for _, name := range intents.RoutedIntents() {
		if !covered[name] {
			t.Errorf("%s has no row in this table", name)
		}
	}
	if got, ok := intents.Route(alexatest.Intent("AMAZON.ShuffleOnIntent")); ok || got.Kind != skill.EvFallback {
		t.Errorf("unknown intent routed to %+v, %v; want fallback, false", got, ok)
	}
}
