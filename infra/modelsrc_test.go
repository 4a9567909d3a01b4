package infra_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"spasmcoach/infra"
	"spasmcoach/internal/testutil/golden"
)

// modelSource is the one source of the five locale models.
const modelSource = "modelsrc/model.txt"

// TestModelsGenerated: every locale's model file is exactly what
// modelsrc/model.txt gives for that locale, so that the locales stay in
// step. Run `go test ./infra -run TestModelsGenerated -update` after
// editing the source.
func TestModelsGenerated(t *testing.T) {
	src, err := os.ReadFile(modelSource)
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range wantLocales {
		want, err := generateModel(src, loc)
		if err != nil {
			t.Fatalf("%s: %v", loc, err)
		}
		golden.Check(t, filepath.Join("skill-package", "interactionModels", "custom", loc+".json"), want)
	}
}

// TestLocalesInStep: the locales declare the same intents with the same
// slots and the same slot types and value IDs; only the wording of
// samples and synonyms may differ.
func TestLocalesInStep(t *testing.T) {
	shape := func(m *infra.LanguageModel) string {
		var b strings.Builder
		for _, in := range m.Intents {
			fmt.Fprintf(&b, "%s%v;", in.Name, in.Slots)
		}
		for _, st := range m.Types {
			b.WriteString(st.Name)
			for _, v := range st.Values {
				fmt.Fprintf(&b, " %s=%s", v.ID, v.Name.Value)
			}
		}
		return b.String()
	}
	want := shape(mustModel(t, "en-US"))
	for _, loc := range wantLocales {
		if got := shape(mustModel(t, loc)); got != want {
			t.Errorf("%s is not in step with en-US:\n%s\n%s", loc, got, want)
		}
	}
}

// TestGenerateModel: the source language's rules.
func TestGenerateModel(t *testing.T) {
	src := `@invocation back spasm coach
@var num [en-US] nine one one
@var num [en-GB] nine nine nine | one one two
@var lead okay | yeah
@intent CallIntent
(call|dial) $num
[en-GB] ring $num
($lead |)help
@intent SetIntent
@slot pack PACK
set (a|an) {pack} timer
@type PACK
@value COLD cold
= ice | ice pack
[en-GB] = cold compress
`
	tests := []struct {
		locale string
		want   string
	}{
		{"en-US", `CallIntent[call nine one one dial nine one one okay help yeah help help] SetIntent[set a {pack} timer set an {pack} timer] cold[ice ice pack]`},
		{"en-GB", `CallIntent[call nine nine nine call one one two dial nine nine nine dial one one two ring nine nine nine ring one one two okay help yeah help help] SetIntent[set a {pack} timer set an {pack} timer] cold[ice ice pack cold compress]`},
	}
	for _, tc := range tests {
		data, err := generateModel([]byte(src), tc.locale)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := infra.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		lm := doc.InteractionModel.LanguageModel
		var parts []string
		for _, in := range lm.Intents {
			parts = append(parts, fmt.Sprintf("%s%v", in.Name, in.Samples))
		}
		parts = append(parts, fmt.Sprintf("%s%v", lm.Types[0].Values[0].Name.Value, lm.Types[0].Values[0].Name.Synonyms))
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.locale, got, tc.want)
		}
	}
	for _, bad := range []string{"@intent A\n(a|b", "@intent A\n$nope x", "x y", "@intent A\n@slot a", "= a", "[en-US x", "@bad x"} {
		if _, err := generateModel([]byte("@invocation a b\n"+bad+"\n"), "en-US"); err == nil {
			t.Errorf("generateModel accepts %q", bad)
		}
	}
}

// generateModel builds one locale's model file from the source. The
// source is line by line ("#" starts a comment):
//
//	@invocation NAME            the invocation name
//	@var VAR [LOCALES] A | B    $VAR stands for A or B (in those locales)
//	@intent NAME                the intent the following lines belong to
//	@slot NAME TYPE             a slot of the intent
//	@type NAME                  a custom slot type
//	@value ID VALUE             a value of the type
//	= A | B                     synonyms of the value
//	anything else               samples of the intent: A | B are two
//
// A line may start with [LOCALES] to apply to those locales only. In
// samples and synonyms, (a|b|) is one of a, b or nothing, and $VAR one of
// the variable's words.
func generateModel(src []byte, locale string) ([]byte, error) {
	g := &generator{vars: map[string][]string{}}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		if err := g.line(sc.Text(), locale); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", modelSource, n, err)
		}
	}
	if g.doc.InteractionModel.LanguageModel.InvocationName == "" {
		return nil, fmt.Errorf("%s: no invocation", modelSource)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g.doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// generator holds the model being built.
type generator struct {
	doc   infra.Document
	vars  map[string][]string
	in    *infra.Intent
	typ   *infra.SlotType
	value *infra.TypeValue
}

// line reads one source line.
func (g *generator) line(text, locale string) error {
	text, _, _ = strings.Cut(text, "#")
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "[") {
		locs, rest, ok := strings.Cut(text[1:], "]")
		if !ok {
			return fmt.Errorf("unclosed [locales]")
		}
		if !slices.Contains(strings.Fields(locs), locale) {
			return nil
		}
		text = strings.TrimSpace(rest)
	}
	if text == "" {
		return nil
	}
	lm := &g.doc.InteractionModel.LanguageModel
	word, rest, _ := strings.Cut(text, " ")
	switch word {
	case "@invocation":
		lm.InvocationName = rest
	case "@var":
		name, val, _ := strings.Cut(rest, " ")
		if loc, r, ok := strings.Cut(val, "]"); strings.HasPrefix(val, "[") && ok {
			if !slices.Contains(strings.Fields(loc[1:]), locale) {
				return nil
			}
			val = r
		}
		for _, alt := range splitTop(val) {
			g.vars[name] = append(g.vars[name], strings.TrimSpace(alt))
		}
	case "@intent":
		lm.Intents = append(lm.Intents, infra.Intent{Name: rest, Samples: []string{}})
		g.in, g.typ = &lm.Intents[len(lm.Intents)-1], nil
	case "@slot":
		name, typ, ok := strings.Cut(rest, " ")
		if g.in == nil || !ok {
			return fmt.Errorf("slot needs an intent, a name and a type")
		}
		g.in.Slots = append(g.in.Slots, infra.Slot{Name: name, Type: typ})
	case "@type":
		lm.Types = append(lm.Types, infra.SlotType{Name: rest})
		g.in, g.typ, g.value = nil, &lm.Types[len(lm.Types)-1], nil
	case "@value":
		id, val, ok := strings.Cut(rest, " ")
		if g.typ == nil || !ok {
			return fmt.Errorf("value needs a type, an id and a value")
		}
		g.typ.Values = append(g.typ.Values, infra.TypeValue{ID: id, Name: infra.TypeValueName{Value: val}})
		g.value = &g.typ.Values[len(g.typ.Values)-1]
	case "=":
		if g.value == nil {
			return fmt.Errorf("synonyms outside a value")
		}
		return g.add(&g.value.Name.Synonyms, rest)
	default:
		if strings.HasPrefix(word, "@") {
			return fmt.Errorf("unknown directive %s", word)
		}
		if g.in == nil {
			return fmt.Errorf("sample outside an intent: %q", text)
		}
		return g.add(&g.in.Samples, text)
	}
	return nil
}

// add expands text and appends each phrase not yet in list, in order.
func (g *generator) add(list *[]string, text string) error {
	for _, alt := range splitTop(text) {
		phrases, err := g.expand(alt)
		if err != nil {
			return err
		}
		for _, p := range phrases {
			if p = strings.Join(strings.Fields(p), " "); p != "" && !slices.Contains(*list, p) {
				*list = append(*list, p)
			}
		}
	}
	return nil
}

// expand returns every phrase text stands for.
func (g *generator) expand(text string) ([]string, error) {
	i := strings.IndexAny(text, "($")
	if i < 0 {
		return []string{text}, nil
	}
	var alts []string
	var rest string
	if text[i] == '(' {
		j := strings.IndexByte(text[i:], ')')
		if j < 0 {
			return nil, fmt.Errorf("unclosed ( in %q", text)
		}
		alts, rest = strings.Split(text[i+1:i+j], "|"), text[i+j+1:]
	} else {
		j := i + 1
		for j < len(text) && (text[j] >= 'a' && text[j] <= 'z' || text[j] == '_') {
			j++
		}
		name := text[i+1 : j]
		if _, ok := g.vars[name]; !ok {
			return nil, fmt.Errorf("unknown $%s", name)
		}
		alts, rest = g.vars[name], text[j:]
	}
	tails, err := g.expand(rest)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, alt := range alts {
		heads, err := g.expand(alt)
		if err != nil {
			return nil, err
		}
		for _, h := range heads {
			for _, t := range tails {
				out = append(out, text[:i]+h+t)
			}
		}
	}
	return out, nil
}

// splitTop splits text at each "|" outside parentheses.
func splitTop(text string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range text {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, text[start:i])
				start = i + 1
			}
		}
	}
	return append(out, text[start:])
}
