package infra_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"spasmcoach/infra"
	"spasmcoach/intents"
	"spasmcoach/utterance"
)

// The rules below run on every locale's model.

// minSamples is the fewest sample utterances a custom intent has.
const minSamples = 15

// builtInIntents are the standard built-in intents the skill handles.
var builtInIntents = []string{
	intents.IntentNext, intents.IntentPrevious, intents.IntentRepeat, intents.IntentStartOver,
	intents.IntentPause, intents.IntentResume, intents.IntentHelp, intents.IntentStop,
	intents.IntentCancel, intents.IntentFallback, intents.IntentNavigateHome,
	intents.IntentYes, intents.IntentNo,
}

// wantSlots are the slots (name → type) of each intent that has some; every
// other intent has none.
var wantSlots = map[string]map[string]string{
	intents.IntentStartBreathing: {intents.SlotBreaths: "AMAZON.NUMBER", intents.SlotMinutes: "AMAZON.NUMBER"},
	intents.IntentSetPackTimer:   {intents.SlotPack: intents.TypePack, intents.SlotMinutes: "AMAZON.NUMBER"},
	intents.IntentPreferPack:     {intents.SlotPack: intents.TypePack},
	intents.IntentStartExercise:  {intents.SlotExercise: intents.TypeExercise},
	intents.IntentGoToStep:       {intents.SlotStep: "AMAZON.NUMBER"},
	"EpisodeStartIntent":         {"duration": "AMAZON.DURATION", "date": "AMAZON.DATE"},
}

// parsedBuiltinTypes are the built-in slot types the skill parses.
var parsedBuiltinTypes = []string{"AMAZON.NUMBER", "AMAZON.DURATION", "AMAZON.DATE"}

// forEachModel runs f on every locale's model.
func forEachModel(t *testing.T, f func(t *testing.T, m *infra.LanguageModel)) {
	t.Helper()
	for _, loc := range infra.Locales() {
		t.Run(loc, func(t *testing.T) { f(t, mustModel(t, loc)) })
	}
}

// intentsConstants returns the values of the string constants of package
// intents whose names start with prefix. They are read from its source, so
// that a constant added there and missing from the model fails the test.
func intentsConstants(t *testing.T, prefix string) []string {
	t.Helper()
	files, err := filepath.Glob("../intents/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("find package intents: %v (%d files)", err, len(files))
	}
	var vals []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
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
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatalf("%s: %v", id.Name, err)
					}
					vals = append(vals, v)
				}
			}
		}
	}
	slices.Sort(vals)
	return vals
}

func TestIntentNamesMatchRouter(t *testing.T) {
	want := intentsConstants(t, "Intent")
	if !slices.Contains(want, intents.IntentStartBreathing) || !slices.Contains(want, intents.IntentNo) {
		t.Fatalf("read the wrong constants from package intents: %q", want)
	}
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		var got []string
		for _, in := range m.Intents {
			got = append(got, in.Name)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("model intents differ from package intents:\n only in model:   %q\n only in intents: %q",
				minus(got, want), minus(want, got))
		}
		for _, name := range builtInIntents {
			if m.Intent(name) == nil {
				t.Errorf("built-in %s missing", name)
			}
		}
	})
}

func TestSlotsMatchRouter(t *testing.T) {
	wantSlotNames := intentsConstants(t, "Slot")
	wantTypes := intentsConstants(t, "Type")
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		var slotNames []string
		for _, in := range m.Intents {
			got := map[string]string{}
			for _, s := range in.Slots {
				got[s.Name] = s.Type
				if !slices.Contains(slotNames, s.Name) {
					slotNames = append(slotNames, s.Name)
				}
			}
			want := wantSlots[in.Name]
			if !maps.Equal(got, want) || len(in.Slots) != len(want) {
				t.Errorf("%s slots = %v, want %v", in.Name, got, want)
			}
		}
		slices.Sort(slotNames)
		if !slices.Equal(slotNames, wantSlotNames) {
			t.Errorf("slot names %q, package intents has %q", slotNames, wantSlotNames)
		}
		var types []string
		for _, st := range m.Types {
			types = append(types, st.Name)
		}
		slices.Sort(types)
		if !slices.Equal(types, wantTypes) {
			t.Errorf("custom types %q, package intents has %q", types, wantTypes)
		}
	})
}

// slotRef finds {slot} references in a sample.
var slotRef = regexp.MustCompile(`\{([^{}]*)\}`)

// sampleChars is what Alexa accepts in a sample utterance: lower-case
// letters, spaces, apostrophes, periods of spoken abbreviations, and slot
// references. Numbers are spelt out.
var sampleChars = regexp.MustCompile(`^[a-z'. {}]+$`)

func TestSampleUtterances(t *testing.T) {
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		for _, in := range m.Intents {
			custom := !strings.HasPrefix(in.Name, "AMAZON.")
			if custom && len(in.Samples) < minSamples {
				t.Errorf("%s has %d samples, want at least %d", in.Name, len(in.Samples), minSamples)
			}
			if in.Name == intents.IntentFallback && len(in.Samples) > 0 {
				t.Errorf("%s has samples; it catches what matches nothing", in.Name)
			}
			seen := map[string]bool{}
			used := map[string]bool{}
			for _, s := range in.Samples {
				switch {
				case !sampleChars.MatchString(s):
					t.Errorf("%s sample %q: only lower-case letters, spaces, apostrophes and {slots}", in.Name, s)
				case s != strings.Join(strings.Fields(s), " "):
					t.Errorf("%s sample %q: stray spaces", in.Name, s)
				case len(s) > 200:
					t.Errorf("%s sample %q: longer than 200 characters", in.Name, s)
				}
				if seen[s] {
					t.Errorf("%s sample %q appears twice", in.Name, s)
				}
				seen[s] = true
				refs := slotRef.FindAllStringSubmatch(s, -1)
				if strings.Count(s, "{") != len(refs) || strings.Count(s, "}") != len(refs) {
					t.Errorf("%s sample %q: unbalanced braces", in.Name, s)
				}
				for _, ref := range refs {
					if in.Slot(ref[1]) == nil {
						t.Errorf("%s sample %q uses undeclared slot {%s}", in.Name, s, ref[1])
					}
					used[ref[1]] = true
				}
				if strings.Contains(s, "} {") {
					t.Errorf("%s sample %q: two slots side by side", in.Name, s)
				}
			}
			for _, sl := range in.Slots {
				if !used[sl.Name] {
					t.Errorf("%s declares slot %s but no sample uses it", in.Name, sl.Name)
				}
			}
		}
	})
}

// sampleKey is a sample as Alexa compares it: normalised words, slots by
// type.
func sampleKey(in *infra.Intent, sample string) string {
	var parts, literal []string
	flush := func() {
		if w := utterance.Normalize(strings.Join(literal, " ")); w != "" {
			parts = append(parts, w)
		}
		literal = nil
	}
	for _, f := range strings.Fields(sample) {
		if m := slotRef.FindStringSubmatch(f); m != nil && m[0] == f {
			flush()
			typ := "?"
			if sl := in.Slot(m[1]); sl != nil {
				typ = sl.Type
			}
			parts = append(parts, "{"+typ+"}")
			continue
		}
		literal = append(literal, f)
	}
	flush()
	return strings.Join(parts, " ")
}

func TestNoSampleUnderTwoIntents(t *testing.T) {
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		owner := map[string]string{} // key → intent
		for i := range m.Intents {
			in := &m.Intents[i]
			for _, s := range in.Samples {
				// Lower case and collapsed spaces, and beyond that what the
				// resolver ignores: punctuation, contractions, fillers,
				// number words.
				for _, key := range []string{strings.Join(strings.Fields(strings.ToLower(s)), " "), sampleKey(in, s)} {
					if other, ok := owner[key]; ok && other != in.Name {
						t.Errorf("sample %q is under %s and %s", s, other, in.Name)
					}
					owner[key] = in.Name
				}
			}
		}
	})
}

// TestNoSampleShadowed: Alexa's model build warns when a sample of one
// intent is also matched by another intent's sample through a slot value
// ("do the stretch" under one intent, "do the {exercise}" with the value
// "stretch" under another). No sample may be matched word for word by
// another intent.
func TestNoSampleShadowed(t *testing.T) {
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		r := newResolver(t, m)
		for _, in := range m.Intents {
			for _, s := range in.Samples {
				if strings.Contains(s, "{") {
					continue
				}
				for _, c := range r.Candidates(s) {
					if c.Intent != in.Name && c.Confidence == utterance.Exact {
						t.Errorf("%s sample %q is also matched by %s sample %q", in.Name, s, c.Intent, c.Sample)
					}
				}
			}
		}
	})
}

// TestNoSampleSwallowed: a sample whose custom slot stands almost alone
// ("{exercise}", "start {exercise}", "{pack} timer") takes whatever is said
// around its one word, since custom slot values are not a closed list, so
// it swallows other intents' phrases ("start over", "cancel the timer").
// No such sample may exist, and no sample of one intent may be matched,
// even loosely, by another's sample with fewer than two words besides its
// slots. (Built-in slots take only what they can read: "step {step}".)
func TestNoSampleSwallowed(t *testing.T) {
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		r := newResolver(t, m)
		for _, in := range m.Intents {
			for _, s := range in.Samples {
				if strings.Contains(s, "{") {
					if words := len(strings.Fields(slotRef.ReplaceAllString(s, ""))); words < 2 && hasCustomSlot(&in, s) {
						t.Errorf("%s sample %q has %d words besides its slots", in.Name, s, words)
					}
					continue
				}
				for _, c := range r.Candidates(s) {
					if c.Intent == in.Name || !strings.Contains(c.Sample, "{") {
						continue
					}
					if len(strings.Fields(slotRef.ReplaceAllString(c.Sample, ""))) < 2 {
						t.Errorf("%s sample %q is swallowed by %s sample %q", in.Name, s, c.Intent, c.Sample)
					}
				}
			}
		}
	})
}

// hasCustomSlot reports whether a sample of in refers to a slot of a custom
// type.
func hasCustomSlot(in *infra.Intent, sample string) bool {
	for _, ref := range slotRef.FindAllStringSubmatch(sample, -1) {
		if sl := in.Slot(ref[1]); sl != nil && !strings.HasPrefix(sl.Type, "AMAZON.") {
			return true
		}
	}
	return false
}

func TestSlotTypes(t *testing.T) {
	wantValues := map[string]map[string][]string{ // type → value → synonyms it must have
		intents.TypePack: {
			"cold": {"ice", "ice pack", "cold pack", "frozen peas", "cold compress"},
			"heat": {"heat pack", "warm towel", "moist heat", "hot water bottle", "heating pad", "warmth"},
		},
		intents.TypeExercise: {
			"lying twist":  {"knee rolls", "knee roll", "lying down twist"},
			"seated twist": {"sitting twist", "chair twist"},
		},
	}
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		usedTypes := map[string]bool{}
		for _, in := range m.Intents {
			for _, s := range in.Slots {
				usedTypes[s.Type] = true
				if strings.HasPrefix(s.Type, "AMAZON.") {
					if !slices.Contains(parsedBuiltinTypes, s.Type) {
						t.Errorf("%s slot %s: built-in type %s is not one the skill parses", in.Name, s.Name, s.Type)
					}
				} else if m.SlotType(s.Type) == nil {
					t.Errorf("%s slot %s: type %s is not defined", in.Name, s.Name, s.Type)
				}
			}
		}
		for _, st := range m.Types {
			if !usedTypes[st.Name] {
				t.Errorf("type %s is used by no slot", st.Name)
			}
			want := wantValues[st.Name]
			if len(st.Values) != len(want) {
				t.Errorf("type %s has %d values, want %d", st.Name, len(st.Values), len(want))
			}
			ids := map[string]bool{}
			phrases := map[string]string{} // normalised phrase → value
			for _, v := range st.Values {
				if v.ID == "" || ids[v.ID] {
					t.Errorf("type %s value %q: id %q missing or repeated", st.Name, v.Name.Value, v.ID)
				}
				ids[v.ID] = true
				syn, ok := want[v.Name.Value]
				if !ok {
					t.Errorf("type %s has unexpected value %q", st.Name, v.Name.Value)
				}
				for _, s := range syn {
					if !slices.Contains(v.Name.Synonyms, s) {
						t.Errorf("type %s value %q lacks synonym %q", st.Name, v.Name.Value, s)
					}
				}
				for _, p := range append([]string{v.Name.Value}, v.Name.Synonyms...) {
					if !sampleChars.MatchString(p) || strings.ContainsAny(p, "{}") {
						t.Errorf("type %s value %q: phrase %q has characters Alexa does not accept", st.Name, v.Name.Value, p)
					}
					key := utterance.Normalize(p)
					if other, ok := phrases[key]; ok {
						t.Errorf("type %s: %q is listed twice (values %q and %q)", st.Name, p, other, v.Name.Value)
					}
					phrases[key] = v.Name.Value
				}
			}
		}
	})
}

func TestWarningSignCapturesNothing(t *testing.T) {
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		in := m.Intent(intents.IntentWarningSign)
		if in == nil {
			t.Fatal("no WarningSignIntent")
		}
		if len(in.Slots) != 0 {
			t.Errorf("WarningSignIntent has slots %v; nothing said about symptoms may be captured", in.Slots)
		}
	})
}

// Invocation-name rules (certification).
var (
	invocationChars = regexp.MustCompile(`^[a-z]+( [a-z]+)+$`)
	// launchAndWakeWords may not appear in an invocation name.
	launchAndWakeWords = []string{
		"ask", "tell", "open", "launch", "load", "begin", "enable", "start", "play", "run", "resume",
		"use", "talk", "alexa", "amazon", "echo", "computer", "ziggy", "skill", "app",
	}
	// connectingWords may not be one of the words of a two-word name.
	connectingWords = []string{"the", "a", "an", "for", "to", "of", "in", "on", "with", "by", "from", "and", "about", "using"}
)

// checkInvocationName returns the rules the name breaks.
func checkInvocationName(name string) []string {
	var broken []string
	if !invocationChars.MatchString(name) {
		broken = append(broken, "lower-case letters, single spaces, at least two words, no digits")
	}
	words := strings.Fields(name)
	for _, w := range words {
		if slices.Contains(launchAndWakeWords, w) {
			broken = append(broken, "no launch or wake word: "+w)
		}
	}
	if len(words) == 2 {
		for _, w := range words {
			if slices.Contains(connectingWords, w) {
				broken = append(broken, "a two-word name has no article or preposition: "+w)
			}
		}
	}
	return broken
}

func TestInvocationName(t *testing.T) {
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		if m.InvocationName != "back spasm coach" {
			t.Errorf("invocation name %q, want %q", m.InvocationName, "back spasm coach")
		}
		if broken := checkInvocationName(m.InvocationName); len(broken) > 0 {
			t.Errorf("invocation name %q breaks: %q", m.InvocationName, broken)
		}
	})
}

// TestCheckInvocationName: the rule check itself rejects what it should.
func TestCheckInvocationName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{name: "back spasm coach", ok: true},
		{name: "sam's coach", ok: false}, // possessives are allowed by Alexa, not by our stricter rule
		{name: "spasmcoach", ok: false},
		{name: "Back Spasm Coach", ok: false},
		{name: "back spasm coach two", ok: true},
		{name: "back spasm coach 2", ok: false},
		{name: "back  spasm", ok: false},
		{name: "open spasm coach", ok: false},
		{name: "alexa back coach", ok: false},
		{name: "back skill", ok: false},
		{name: "the coach", ok: false},
		{name: "coach for backs", ok: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := len(checkInvocationName(tc.name)) == 0; got != tc.ok {
				t.Errorf("checkInvocationName(%q) ok = %v, want %v", tc.name, got, tc.ok)
			}
		})
	}
}

// TestKnownPhrases: the four phrases the skill is known by resolve exactly
// as said.
func TestKnownPhrases(t *testing.T) {
	tests := []struct {
		text, intent string
		slot, id     string // a custom slot and the value id it must resolve to
	}{
		{text: "start breathing", intent: intents.IntentStartBreathing},
		{text: "next step", intent: intents.IntentNext},
		{text: "start stretch", intent: intents.IntentStartStretch},
		{text: "set cold pack timer", intent: intents.IntentSetPackTimer, slot: intents.SlotPack, id: "COLD"},
	}
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		r := newResolver(t, m)
		for _, tc := range tests {
			got := r.Resolve(tc.text)
			if got.Intent != tc.intent || got.Confidence != utterance.Exact {
				t.Errorf("Resolve(%q) = %s (%s), want %s (exact)", tc.text, got.Intent, got.Confidence, tc.intent)
			}
			if tc.slot != "" && got.Slots[tc.slot].ID != tc.id {
				t.Errorf("Resolve(%q) slot %s = %+v, want id %s", tc.text, tc.slot, got.Slots[tc.slot], tc.id)
			}
		}
	})
}

// TestSamplesResolveToTheirIntent: every sample, said as written with its
// slots filled with a value of their type, resolves to its own intent with
// those values.
func TestSamplesResolveToTheirIntent(t *testing.T) {
	forEachModel(t, func(t *testing.T, m *infra.LanguageModel) {
		r := newResolver(t, m)
		for i := range m.Intents {
			in := &m.Intents[i]
			for _, s := range in.Samples {
				text, want := fillSample(m, in, s)
				got := r.Resolve(text)
				if got.Intent != in.Name || got.Confidence != utterance.Exact {
					t.Errorf("%s sample %q: Resolve(%q) = %s %q (%s)", in.Name, s, text, got.Intent, got.Sample, got.Confidence)
					continue
				}
				for slot, id := range want {
					if v := got.Slots[slot]; v.ID != id && v.Value != id {
						t.Errorf("%s sample %q: Resolve(%q) slot %s = %+v, want %s", in.Name, s, text, slot, v, id)
					}
				}
			}
		}
	})
}

// fillSample fills a sample's slots: "seventeen" for a number, the last
// synonym of the first value of a custom type. It returns the text and, by
// slot, the value id (custom) or digits (number) expected.
func fillSample(m *infra.LanguageModel, in *infra.Intent, sample string) (string, map[string]string) {
	want := map[string]string{}
	text := slotRef.ReplaceAllStringFunc(sample, func(ref string) string {
		name := strings.Trim(ref, "{}")
		sl := in.Slot(name)
		if sl == nil {
			return ref
		}
		switch sl.Type {
		case "AMAZON.NUMBER":
			want[name] = "17"
			return "seventeen"
		case "AMAZON.DURATION":
			want[name] = "P4D"
			return "four days"
		case "AMAZON.DATE":
			want[name] = modelToday.AddDate(0, 0, -1).Format(time.DateOnly)
			return "yesterday"
		}
		st := m.SlotType(sl.Type)
		if st == nil || len(st.Values) == 0 {
			return ref
		}
		v := st.Values[0]
		want[name] = v.ID
		if n := len(v.Name.Synonyms); n > 0 {
			return v.Name.Synonyms[n-1]
		}
		return v.Name.Value
	})
	return text, want
}

// modelToday is the day the tests' resolvers take as today.
var modelToday = time.Date(2026, time.December, 5, 10, 0, 0, 0, time.UTC)

// newResolver returns a resolver over m whose today is modelToday.
func newResolver(t *testing.T, m *infra.LanguageModel) *utterance.Resolver {
	t.Helper()
	r, err := utterance.NewResolver(m, utterance.WithClock(func() time.Time { return modelToday }))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// minus returns the elements of a not in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// maxModelBytes bounds each locale's interaction model file. The Skill
// Management API refuses a model definition longer than 1,000,000
// characters ("at 'modelDefinition' failed to satisfy constraint: Member
// must have length less than or equal to 1000000", reported in
// https://github.com/alexa/ask-cli/issues/9); this keeps a fifth of that
// spare for the samples still to come.
const maxModelBytes = 800_000

// TestModelSize: every locale's model stays well under the size the Skill
// Management API accepts.
func TestModelSize(t *testing.T) {
	for _, loc := range infra.Locales() {
		raw, err := fs.ReadFile(infra.SkillPackage(), "interactionModels/custom/"+loc+".json")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", loc, len(raw))
		if len(raw) > maxModelBytes {
			t.Errorf("%s: the model is %d bytes, want at most %d", loc, len(raw), maxModelBytes)
		}
	}
}
