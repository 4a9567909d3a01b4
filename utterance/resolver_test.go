package utterance_test

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"spasmcoach/infra"
	"spasmcoach/utterance"
)

// mustResolver returns a Resolver over a locale's model.
func mustResolver(tb testing.TB, locale string) *utterance.Resolver {
	tb.Helper()
	m, err := infra.Model(locale)
	if err != nil {
		tb.Fatalf("infra.Model(%q): %v", locale, err)
	}
	r, err := utterance.NewResolver(m)
	if err != nil {
		tb.Fatalf("NewResolver: %v", err)
	}
	return r
}

// slot is an expected slot: its value as Alexa sends it and the id of the
// custom value it resolved to.
type slot struct{ value, id string }

func TestResolve(t *testing.T) {
	const (
		exact = utterance.Exact
		loose = utterance.Loose
		none  = utterance.NoMatch
	)
	tests := []struct {
		text   string
		intent string
		slots  map[string]slot // filled slots; the others must be empty
		conf   utterance.Confidence
	}{
		// Breathing.
		{"start breathing", "StartBreathingIntent", nil, exact},
		{"Start breathing!", "StartBreathingIntent", nil, exact},
		{"  START   Breathing. ", "StartBreathingIntent", nil, exact},
		{"help me breathe", "StartBreathingIntent", nil, exact},
		{"count my breaths", "StartBreathingIntent", nil, exact},
		{"breathe with me", "StartBreathingIntent", nil, exact},
		{"um, breathe with me please", "StartBreathingIntent", nil, exact},
		{"breathe with me for five minutes", "StartBreathingIntent", map[string]slot{"minutes": {"5", ""}}, exact},
		{"breathe for 3 minutes", "StartBreathingIntent", map[string]slot{"minutes": {"3", ""}}, exact},
		{"breathe for one minute", "StartBreathingIntent", map[string]slot{"minutes": {"1", ""}}, exact},
		{"breathe for ninety-nine minutes", "StartBreathingIntent", map[string]slot{"minutes": {"99", ""}}, exact},
		{"do twenty one breaths", "StartBreathingIntent", map[string]slot{"breaths": {"21", ""}}, exact},
		{"do 6 breaths", "StartBreathingIntent", map[string]slot{"breaths": {"6", ""}}, exact},
		{"count fifteen breaths with me", "StartBreathingIntent", map[string]slot{"breaths": {"15", ""}}, exact},
		{"start the breathing exercise please", "StartBreathingIntent", nil, exact},
		{"start breathing exercise", "StartBreathingIntent", nil, loose},
		{"long exhale", "LongExhaleIntent", nil, exact},
		{"in 4 out 6", "LongExhaleIntent", nil, exact},
		{"normal breathing", "SteadyBreathingIntent", nil, exact},
		{"slower", "SlowerIntent", nil, exact},
		{"Slow down, please.", "SlowerIntent", nil, exact},
		{"thats too fast", "SlowerIntent", nil, exact},
		{"you are going too fast", "SlowerIntent", nil, exact},
		{"faster", "FasterIntent", nil, exact},

		// Stretch and exercises.
		{"start stretch", "StartStretchIntent", nil, exact},
		{"let's do the stretch", "StartStretchIntent", nil, exact},
		{"lets do the stretch", "StartStretchIntent", nil, exact},
		{"let’s do the stretch", "StartStretchIntent", nil, exact},
		{"do the knee rolls", "StartExerciseIntent", map[string]slot{"exercise": {"knee rolls", "LYING_TWIST"}}, exact},
		{"knee rolls", "AMAZON.FallbackIntent", nil, none}, // a slot alone is no sample: it would catch anything
		{"can we do some knee rolls", "StartExerciseIntent", map[string]slot{"exercise": {"knee rolls", "LYING_TWIST"}}, exact},
		{"do the seated twist", "StartExerciseIntent", map[string]slot{"exercise": {"seated twist", "SEATED_TWIST"}}, exact},
		{"show me the chair twist", "StartExerciseIntent", map[string]slot{"exercise": {"chair twist", "SEATED_TWIST"}}, exact},
		{"do the exercises", "StartExerciseIntent", nil, exact},
		{"do the cartwheel", "StartExerciseIntent", map[string]slot{"exercise": {"cartwheel", ""}}, loose},

		// Packs.
		{"set cold pack timer", "SetPackTimerIntent", map[string]slot{"pack": {"cold pack", "COLD"}}, exact},
		{"set a cold pack timer", "SetPackTimerIntent", map[string]slot{"pack": {"cold pack", "COLD"}}, exact},
		{"Set an ice pack timer for fifteen minutes.", "SetPackTimerIntent",
			map[string]slot{"pack": {"ice pack", "COLD"}, "minutes": {"15", ""}}, exact},
		{"set an ice-pack timer for 15 minutes", "SetPackTimerIntent",
			map[string]slot{"pack": {"ice pack", "COLD"}, "minutes": {"15", ""}}, exact},
		{"set a heating pad timer for twenty minutes", "SetPackTimerIntent",
			map[string]slot{"pack": {"heating pad", "HEAT"}, "minutes": {"20", ""}}, exact},
		{"set a ten minute heat timer", "SetPackTimerIntent",
			map[string]slot{"pack": {"heat", "HEAT"}, "minutes": {"10", ""}}, exact},
		{"put the frozen peas on", "SetPackTimerIntent", map[string]slot{"pack": {"frozen peas", "COLD"}}, exact},
		{"set a timer for ten minutes", "SetPackTimerIntent", map[string]slot{"minutes": {"10", ""}}, exact},
		{"set timer for my ice pack", "SetPackTimerIntent", map[string]slot{"pack": {"ice pack", "COLD"}}, loose},
		{"set a banana timer", "SetPackTimerIntent", map[string]slot{"pack": {"banana", ""}}, loose},
		{"cancel the pack timer", "CancelPackTimerIntent", nil, exact},
		{"how long is left on my pack", "PackTimeLeftIntent", nil, exact},
		{"when is my next pack", "NextPackIntent", nil, exact},
		{"when's my next pack", "NextPackIntent", nil, exact},
		{"should I use ice or heat?", "IceOrHeatIntent", nil, exact},
		{"I prefer heat", "PreferPackIntent", map[string]slot{"pack": {"heat", "HEAT"}}, exact},
		{"I'd rather use ice", "PreferPackIntent", map[string]slot{"pack": {"ice", "COLD"}}, exact},
		{"use the hot water bottle instead", "PreferPackIntent", map[string]slot{"pack": {"hot water bottle", "HEAT"}}, exact},

		// Navigation.
		{"next step", "AMAZON.NextIntent", nil, exact},
		{"next", "AMAZON.NextIntent", nil, exact},
		{"what's next", "AMAZON.NextIntent", nil, exact},
		{"go to step four", "GoToStepIntent", map[string]slot{"step": {"4", ""}}, exact},
		{"go to step 4", "GoToStepIntent", map[string]slot{"step": {"4", ""}}, exact},
		{"skip to step nine", "GoToStepIntent", map[string]slot{"step": {"9", ""}}, exact},
		{"go to step number twelve", "GoToStepIntent", map[string]slot{"step": {"12", ""}}, exact},
		{"step 07", "GoToStepIntent", map[string]slot{"step": {"7", ""}}, exact},
		{"go to step banana", "AMAZON.FallbackIntent", nil, none},
		{"what step am I on?", "WhereAmIIntent", nil, exact},
		{"where am i", "WhereAmIIntent", nil, exact},
		{"how long has it been", "ElapsedIntent", nil, exact},
		{"go back", "AMAZON.PreviousIntent", nil, exact},
		{"previous step", "AMAZON.PreviousIntent", nil, exact},
		{"say that again", "AMAZON.RepeatIntent", nil, exact},
		{"repeat", "AMAZON.RepeatIntent", nil, exact},
		{"start over", "AMAZON.StartOverIntent", nil, exact},
		{"new episode", "AMAZON.StartOverIntent", nil, exact},
		{"continue", "AMAZON.ResumeIntent", nil, exact},
		{"skip", "AMAZON.NextIntent", nil, exact},
		{"keep going", "AMAZON.ResumeIntent", nil, exact},
		{"carry on", "AMAZON.ResumeIntent", nil, exact},
		{"go on", "AMAZON.ResumeIntent", nil, exact},
		{"pause", "AMAZON.PauseIntent", nil, exact},
		{"hold on", "AMAZON.PauseIntent", nil, exact},
		{"home", "AMAZON.NavigateHomeIntent", nil, exact},

		// Answers and control.
		{"yes", "AMAZON.YesIntent", nil, exact},
		{"Yeah.", "AMAZON.YesIntent", nil, exact},
		{"yep", "AMAZON.YesIntent", nil, exact},
		{"sure", "AMAZON.YesIntent", nil, exact},
		{"okay", "AMAZON.YesIntent", nil, exact},
		{"OK", "AMAZON.YesIntent", nil, exact},
		{"no", "AMAZON.NoIntent", nil, exact},
		{"nope", "AMAZON.NoIntent", nil, exact},
		{"no thanks", "AMAZON.NoIntent", nil, exact},
		{"stop", "AMAZON.StopIntent", nil, exact},
		{"cancel", "AMAZON.CancelIntent", nil, exact},
		{"help", "AMAZON.HelpIntent", nil, exact},
		{"what can I say?", "AMAZON.HelpIntent", nil, exact},

		// Safety and data.
		{"I have numbness", "WarningSignIntent", nil, exact},
		{"I can't feel my legs", "WarningSignIntent", nil, exact},
		{"i cant feel my legs", "WarningSignIntent", nil, exact},
		{"I fell", "WarningSignIntent", nil, exact},
		{"I can't control my bladder", "WarningSignIntent", nil, exact},
		{"forget me", "ForgetMeIntent", nil, exact},
		{"delete my data", "ForgetMeIntent", nil, exact},

		// Nothing.
		{"what's the weather", "AMAZON.FallbackIntent", nil, none},
		{"", "AMAZON.FallbackIntent", nil, none},
		{"!!!", "AMAZON.FallbackIntent", nil, none},
		{"please", "AMAZON.FallbackIntent", nil, none},
		{"set a timer for my big green banana pack", "AMAZON.FallbackIntent", nil, none},
	}
	r := mustResolver(t, "en-US")
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := r.Resolve(tc.text)
			if got.Intent != tc.intent || got.Confidence != tc.conf {
				t.Fatalf("Resolve(%q) = %s (%s, sample %q), want %s (%s)",
					tc.text, got.Intent, got.Confidence, got.Sample, tc.intent, tc.conf)
			}
			if got.OK() != (tc.conf != none) {
				t.Errorf("OK() = %v", got.OK())
			}
			for name, v := range got.Slots {
				want := tc.slots[name]
				if v.Value != want.value || v.ID != want.id {
					t.Errorf("slot %s = %+v, want value %q id %q", name, v, want.value, want.id)
				}
				if (v.ID == "") != (v.Resolved == "") {
					t.Errorf("slot %s = %+v: ID and Resolved go together", name, v)
				}
			}
			for name := range tc.slots {
				if _, ok := got.Slots[name]; !ok {
					t.Errorf("slot %s missing from %v", name, got.Slots)
				}
			}
		})
	}
}

// TestResolveDeclaresAllSlots: a Match lists every slot its intent
// declares, as Alexa's request does, with empty values when unfilled.
func TestResolveDeclaresAllSlots(t *testing.T) {
	r := mustResolver(t, "en-US")
	tests := []struct {
		text string
		want map[string]utterance.SlotValue
	}{
		{"start breathing", map[string]utterance.SlotValue{
			"breaths": {Type: "AMAZON.NUMBER"}, "minutes": {Type: "AMAZON.NUMBER"}}},
		{"set an ice pack timer", map[string]utterance.SlotValue{
			"pack":    {Type: "PACK", Value: "ice pack", ID: "COLD", Resolved: "cold"},
			"minutes": {Type: "AMAZON.NUMBER"}}},
		{"slower", nil},
		{"gibberish words here", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			if got := r.Resolve(tc.text).Slots; !maps.Equal(got, tc.want) {
				t.Errorf("Slots = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// testModel is a small model for the rules of preference.
func testModel() *infra.LanguageModel {
	return &infra.LanguageModel{
		InvocationName: "test coach",
		Intents: []infra.Intent{
			{Name: "LiteralIntent", Samples: []string{"do the warm up", "go"}},
			{Name: "ThingIntent", Slots: []infra.Slot{{Name: "thing", Type: "THING"}},
				Samples: []string{"do the {thing}", "{thing}"}},
			{Name: "LongIntent", Slots: []infra.Slot{{Name: "thing", Type: "THING"}},
				Samples: []string{"do the {thing} slowly"}},
			{Name: "CountIntent", Slots: []infra.Slot{{Name: "n", Type: "AMAZON.NUMBER"}},
				Samples: []string{"do {n} of them", "count {n}"}},
			{Name: "AMAZON.YesIntent", Samples: []string{}},
			{Name: "AMAZON.FallbackIntent", Samples: []string{}},
		},
		Types: []infra.SlotType{{Name: "THING", Values: []infra.TypeValue{
			{ID: "ROLL", Name: infra.TypeValueName{Value: "roll", Synonyms: []string{"knee roll", "rolling"}}},
			{ID: "TWIST", Name: infra.TypeValueName{Value: "twist"}},
		}}},
	}
}

func TestResolvePreference(t *testing.T) {
	r, err := utterance.NewResolver(testModel())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, intent, value, id string
		conf                          utterance.Confidence
	}{
		{"OK literal over slot", "do the warm up", "LiteralIntent", "", "", utterance.Exact},
		{"OK known value", "do the knee roll", "ThingIntent", "knee roll", "ROLL", utterance.Exact},
		{"OK bare slot known", "twist", "ThingIntent", "twist", "TWIST", utterance.Exact},
		{"OK more literal words", "do the twist slowly", "LongIntent", "twist", "TWIST", utterance.Exact},
		{"OK known over unknown", "do the roll slowly", "LongIntent", "roll", "ROLL", utterance.Exact},
		{"OK unknown passed through", "do the hokey cokey", "ThingIntent", "hokey cokey", "", utterance.Loose},
		{"OK unknown up to three words", "do the hokey cokey now", "ThingIntent", "hokey cokey now", "", utterance.Loose},
		{"ErrFallback unknown holds another intent's word", "do the hokey warm up", "AMAZON.FallbackIntent", "", "", utterance.NoMatch},
		{"OK articles ignored", "do twist", "ThingIntent", "twist", "TWIST", utterance.Loose},
		{"OK literal without article", "do warm up", "LiteralIntent", "", "", utterance.Loose},
		{"OK built-in phrasing", "yeah", "AMAZON.YesIntent", "", "", utterance.Exact},
		{"OK number words", "do twenty two of them", "CountIntent", "22", "", utterance.Exact},
		{"OK hundreds", "count one hundred and five", "CountIntent", "105", "", utterance.Exact},
		{"OK thousands", "count two thousand and twelve", "CountIntent", "2012", "", utterance.Exact},
		{"OK decimal", "count 2.5", "CountIntent", "2.5", "", utterance.Exact},
		{"ErrFallback unknown four words", "do the hokey cokey with my friends", "AMAZON.FallbackIntent", "", "", utterance.NoMatch},
		{"ErrFallback bare slot unknown", "banana", "AMAZON.FallbackIntent", "", "", utterance.NoMatch},
		{"ErrFallback number slot takes no words", "count many", "AMAZON.FallbackIntent", "", "", utterance.NoMatch},
		{"ErrFallback two numbers", "count five six", "AMAZON.FallbackIntent", "", "", utterance.NoMatch},
		{"ErrFallback built-in not declared", "no", "AMAZON.FallbackIntent", "", "", utterance.NoMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Resolve(tc.text)
			if got.Intent != tc.intent || got.Confidence != tc.conf {
				t.Fatalf("Resolve(%q) = %s (%s, %q), want %s (%s)", tc.text, got.Intent, got.Confidence, got.Sample, tc.intent, tc.conf)
			}
			var v utterance.SlotValue
			for _, s := range got.Slots {
				if s.Value != "" {
					v = s
				}
			}
			if v.Value != tc.value || v.ID != tc.id {
				t.Errorf("slot = %+v, want value %q id %q", v, tc.value, tc.id)
			}
		})
	}
}

func TestCandidates(t *testing.T) {
	r, err := utterance.NewResolver(testModel())
	if err != nil {
		t.Fatal(err)
	}
	got := r.Candidates("do the roll slowly")
	var intents []string
	for _, m := range got {
		intents = append(intents, m.Intent+"/"+m.Confidence.String())
	}
	// Not ThingIntent with "roll slowly" as an unknown thing: "slowly" is
	// only LongIntent's word.
	want := []string{"LongIntent/exact"}
	if !slices.Equal(intents, want) {
		t.Errorf("Candidates = %q, want %q", intents, want)
	}
	if first := r.Resolve("do the roll slowly"); first.Intent != got[0].Intent || first.Sample != got[0].Sample {
		t.Errorf("Resolve = %+v, Candidates[0] = %+v", first, got[0])
	}
	if c := r.Candidates("nothing matches this"); c != nil {
		t.Errorf("Candidates of no match = %+v, want nil", c)
	}
}

func TestNewResolverErrors(t *testing.T) {
	tests := []struct {
		name    string
		change  func(m *infra.LanguageModel)
		wantErr error
	}{
		{"OK", func(*infra.LanguageModel) {}, nil},
		{"ErrNoModel", nil, utterance.ErrNoModel},
		{"ErrUndeclaredSlot", func(m *infra.LanguageModel) {
			m.Intents[0].Samples = append(m.Intents[0].Samples, "do {that}")
		}, utterance.ErrUndeclaredSlot},
		{"ErrUnknownSlotType", func(m *infra.LanguageModel) { m.Types = nil }, utterance.ErrUnknownSlotType},
		{"ErrBadSample unbalanced", func(m *infra.LanguageModel) {
			m.Intents[1].Samples = append(m.Intents[1].Samples, "do {thing")
		}, utterance.ErrBadSample},
		{"ErrBadSample glued", func(m *infra.LanguageModel) {
			m.Intents[1].Samples = append(m.Intents[1].Samples, "do{thing}")
		}, utterance.ErrBadSample},
		{"ErrBadSample empty", func(m *infra.LanguageModel) {
			m.Intents[0].Samples = append(m.Intents[0].Samples, "please")
		}, utterance.ErrBadSample},
		{"ErrConflict literal", func(m *infra.LanguageModel) {
			m.Intents[1].Samples = append(m.Intents[1].Samples, "Do the warm-up")
		}, utterance.ErrConflict},
		{"ErrConflict template", func(m *infra.LanguageModel) {
			m.Intents[2].Samples = append(m.Intents[2].Samples, "do the {thing}")
		}, utterance.ErrConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m *infra.LanguageModel
			if tc.change != nil {
				m = testModel()
				tc.change(m)
			}
			_, err := utterance.NewResolver(m)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("NewResolver error = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestAllLocales: every locale's model compiles and resolves the same way.
func TestAllLocales(t *testing.T) {
	for _, loc := range infra.Locales() {
		t.Run(loc, func(t *testing.T) {
			r := mustResolver(t, loc)
			if got := r.Resolve("set a cold pack timer for ten minutes"); got.Intent != "SetPackTimerIntent" ||
				got.Slots["minutes"].Value != "10" || got.Slots["pack"].ID != "COLD" {
				t.Errorf("Resolve = %+v", got)
			}
		})
	}
}

// TestResolveSpeech: what people add around a request, and dates and
// durations, resolve as Alexa would send them (today is Saturday 5
// December 2026).
func TestResolveSpeech(t *testing.T) {
	m, err := infra.Model("en-US")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, time.December, 5, 21, 0, 0, 0, time.Local)
	r, err := utterance.NewResolver(m, utterance.WithClock(func() time.Time { return today }))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, intent string
		slots        map[string]string // slot → value, for built-in slots
		conf         utterance.Confidence
	}{
		{"it started yesterday", "EpisodeStartIntent", map[string]string{"date": "2026-12-04"}, utterance.Exact},
		{"it started on monday", "EpisodeStartIntent", map[string]string{"date": "2026-12-07"}, utterance.Exact},
		{"it began four days ago", "EpisodeStartIntent", map[string]string{"duration": "P4D"}, utterance.Exact},
		{"it started an hour and a half ago", "EpisodeStartIntent", map[string]string{"duration": "PT1H30M"}, utterance.Exact},
		{"it started after a fall", "WarningSignIntent", nil, utterance.Exact}, // "after a fall" is no date
		{"ok so it really hurts", "DistressIntent", nil, utterance.Loose},
		{"I think I've wet myself", "WarningSignIntent", nil, utterance.Loose},
		{"count my breaths for me thanks", "StartBreathingIntent", nil, utterance.Loose},
		{"I- I can't move", "DistressIntent", nil, utterance.Exact},
		{"hang on, hang on", "AMAZON.PauseIntent", nil, utterance.Exact},
		{"my chest hurts and my arm hurts", "WarningSignIntent", nil, utterance.Loose},
		{"it hurts so much I can't think", "DistressIntent", nil, utterance.Loose},
		{"get me an ambulance ring nine one one", "WarningSignIntent", nil, utterance.Loose},
		{"I'm kind of numb between my legs", "WarningSignIntent", nil, utterance.Loose},
		{"ooh it really hurts", "DistressIntent", nil, utterance.Loose},
		{"whoa I can't breathe", "WarningSignIntent", nil, utterance.Loose},
		{"I feel dizzy all of a sudden", "LightHeadedIntent", nil, utterance.Loose},
		{"I'm woozy and my chest hurts", "WarningSignIntent", nil, utterance.Loose},
		{"call my wife, I can't breathe", "WarningSignIntent", nil, utterance.Loose},
		{"I'm out of breath and I've got pins and needles down there", "WarningSignIntent", nil, utterance.Loose},
		{"my head's spinning, I think I'm going to faint", "WarningSignIntent", nil, utterance.Loose},
		{"my chest hurts suddenly", "WarningSignIntent", nil, utterance.Loose},
		{"knee rolls", utterance.FallbackIntent, nil, utterance.NoMatch},
		{"start over", "AMAZON.StartOverIntent", nil, utterance.Exact},
		{"I want to stop", "AMAZON.StopIntent", nil, utterance.Exact},
		{"well I think the weather is lovely", utterance.FallbackIntent, nil, utterance.NoMatch},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := r.Resolve(tc.text)
			if got.Intent != tc.intent || got.Confidence != tc.conf {
				t.Fatalf("Resolve(%q) = %s (%s, sample %q), want %s (%s)", tc.text, got.Intent, got.Confidence, got.Sample, tc.intent, tc.conf)
			}
			for name, v := range got.Slots {
				if v.Value != tc.slots[name] {
					t.Errorf("slot %s = %q, want %q", name, v.Value, tc.slots[name])
				}
			}
		})
	}
}

// TestResolveDateNeedsClock: without a clock a DATE slot takes nothing.
func TestResolveDateNeedsClock(t *testing.T) {
	r := mustResolver(t, "en-US")
	if got := r.Resolve("it started yesterday"); got.Intent == "EpisodeStartIntent" {
		t.Errorf("Resolve without a clock = %s with %v", got.Intent, got.Slots)
	}
	if got := r.Resolve("it started four days ago"); got.Slots["duration"].Value != "P4D" {
		t.Errorf("a duration needs no clock: got %+v", got)
	}
}
