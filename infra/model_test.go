package infra_test

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"spasmcoach/infra"
)

// wantLocales are the locales the skill is published in.
var wantLocales = []string{"en-AU", "en-CA", "en-GB", "en-IN", "en-US"}

// mustModel loads a locale's model or fails the test.
func mustModel(tb testing.TB, locale string) *infra.LanguageModel {
	tb.Helper()
	m, err := infra.Model(locale)
	if err != nil {
		tb.Fatalf("Model(%q): %v", locale, err)
	}
	return m
}

func TestLocales(t *testing.T) {
	if got := infra.Locales(); !slices.Equal(got, wantLocales) {
		t.Fatalf("Locales() = %q, want %q", got, wantLocales)
	}
}

func TestModel(t *testing.T) {
	tests := []struct {
		name    string
		locale  string
		wantErr error
	}{
		{name: "OK", locale: "en-US"},
		{name: "OK en-GB", locale: "en-GB"},
		{name: "ErrNoModel unknown", locale: "fr-FR", wantErr: infra.ErrNoModel},
		{name: "ErrNoModel empty", locale: "", wantErr: infra.ErrNoModel},
		{name: "ErrNoModel path", locale: "../skill", wantErr: infra.ErrNoModel},
		{name: "ErrNoModel case", locale: "en-us", wantErr: infra.ErrNoModel},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := infra.Model(tc.locale)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Model(%q) error = %v, want %v", tc.locale, err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "load model") {
					t.Errorf("error %q does not name the operation", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Model(%q): %v", tc.locale, err)
			}
			if m.InvocationName == "" || len(m.Intents) == 0 {
				t.Fatalf("Model(%q) is empty: %+v", tc.locale, m)
			}
		})
	}
}

func TestModelReturnsCopy(t *testing.T) {
	a := mustModel(t, "en-US")
	a.InvocationName = "changed"
	a.Intents[0].Samples[0] = "changed"
	b := mustModel(t, "en-US")
	if b.InvocationName == "changed" || b.Intents[0].Samples[0] == "changed" {
		t.Fatal("a change to one Model result shows in the next")
	}
}

func TestDecodeStrict(t *testing.T) {
	const good = `{"interactionModel":{"languageModel":{"invocationName":"back spasm coach",
		"intents":[{"name":"AMAZON.StopIntent","samples":[]}]}}}`
	tests := []struct {
		name    string
		json    string
		wantErr bool
	}{
		{name: "OK", json: good},
		{name: "OK with types", json: `{"interactionModel":{"languageModel":{"invocationName":"x y",
			"intents":[],"types":[{"name":"T","values":[{"id":"A","name":{"value":"a","synonyms":["b"]}}]}]}}}`},
		{name: "ErrBadModel unknown top field", json: `{"interactionModel":{"languageModel":{"invocationName":"x y","intents":[]}},"extra":1}`, wantErr: true},
		{name: "ErrBadModel misspelt samples", json: `{"interactionModel":{"languageModel":{"invocationName":"x y","intents":[{"name":"A","sample":["a"]}]}}}`, wantErr: true},
		{name: "ErrBadModel misspelt synonyms", json: `{"interactionModel":{"languageModel":{"invocationName":"x y","intents":[],
			"types":[{"name":"T","values":[{"name":{"value":"a","synonym":["b"]}}]}]}}}`, wantErr: true},
		{name: "ErrBadModel trailing data", json: good + `{}`, wantErr: true},
		{name: "ErrBadModel no invocation name", json: `{"interactionModel":{"languageModel":{"intents":[]}}}`, wantErr: true},
		{name: "ErrBadModel not JSON", json: `{"interactionModel":`, wantErr: true},
		{name: "ErrBadModel wrong type", json: `{"interactionModel":{"languageModel":{"invocationName":"x y","intents":{}}}}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := infra.Decode(strings.NewReader(tc.json))
			if tc.wantErr {
				if !errors.Is(err, infra.ErrBadModel) {
					t.Fatalf("Decode error = %v, want ErrBadModel", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
		})
	}
}

func TestSkillPackageFiles(t *testing.T) {
	var files []string
	err := fs.WalkDir(infra.SkillPackage(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range wantLocales {
		if p := "interactionModels/custom/" + loc + ".json"; !slices.Contains(files, p) {
			t.Errorf("skill package lacks %s (has %q)", p, files)
		}
	}
}

func TestLookups(t *testing.T) {
	m := mustModel(t, "en-US")
	tests := []struct {
		name  string
		found bool
	}{
		{name: "intent", found: m.Intent("SetPackTimerIntent") != nil},
		{name: "slot", found: m.Intent("SetPackTimerIntent").Slot("pack") != nil},
		{name: "type", found: m.SlotType("PACK") != nil},
		{name: "no intent", found: m.Intent("NoSuchIntent") == nil},
		{name: "no slot", found: m.Intent("SetPackTimerIntent").Slot("nope") == nil},
		{name: "no type", found: m.SlotType("NOPE") == nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.found {
				t.Fail()
			}
		})
	}
}
