package infra_test

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"spasmcoach/intents"
	"spasmcoach/utterance"
)

// corpusFile holds what people in pain say, each with the intent it must
// reach.
const corpusFile = "testdata/corpus.tsv"

// Corpus thresholds.
const (
	minCorpusLines = 400
	minResolved    = 0.97 // of all lines, in every locale they are for
	maxVerbatim    = 0.40 // of the lines, said exactly as a sample
)

// corpusLine is one line of the corpus.
type corpusLine struct {
	n       int // line number
	locales []string
	intent  string
	slots   map[string]string
	text    string
}

// safety reports whether the line is an emergency or distress, which must
// all resolve.
func (l corpusLine) safety() bool {
	return l.intent == intents.IntentWarningSign || l.intent == "DistressIntent"
}

func readCorpus(t *testing.T) []corpusLine {
	t.Helper()
	f, err := os.Open(corpusFile)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var lines []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 4 {
			t.Fatalf("%s:%d: %d columns, want 4", corpusFile, n, len(cols))
		}
		l := corpusLine{n: n, locales: strings.Fields(cols[0]), intent: cols[1], text: cols[3], slots: map[string]string{}}
		if cols[0] == "*" {
			l.locales = wantLocales
		}
		for _, loc := range l.locales {
			if !slices.Contains(wantLocales, loc) {
				t.Fatalf("%s:%d: unknown locale %q", corpusFile, n, loc)
			}
		}
		if cols[2] != "-" {
			for _, kv := range strings.Fields(cols[2]) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Fatalf("%s:%d: slot %q is not name=value", corpusFile, n, kv)
				}
				l.slots[k] = v
			}
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// check returns why m is not what the line must resolve to, or "".
func (l corpusLine) check(m utterance.Match) string {
	if m.Intent != l.intent {
		return fmt.Sprintf("%s (sample %q)", m.Intent, m.Sample)
	}
	for name, v := range m.Slots {
		got := v.Value
		if v.ID != "" {
			got = v.ID
		}
		if want := l.slots[name]; got != want {
			return fmt.Sprintf("%s with %s=%q, want %q (sample %q)", m.Intent, name, got, want, m.Sample)
		}
	}
	for name := range l.slots {
		if _, ok := m.Slots[name]; !ok {
			return fmt.Sprintf("%s without slot %s", m.Intent, name)
		}
	}
	return ""
}

// tally counts lines resolved.
type tally struct{ ok, all int }

func (t *tally) add(ok bool) {
	t.all++
	if ok {
		t.ok++
	}
}

func (t tally) String() string {
	if t.all == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d (%.1f %%)", t.ok, t.all, 100*float64(t.ok)/float64(t.all))
}

func (t tally) ratio() float64 { return float64(t.ok) / float64(max(t.all, 1)) }

// TestCorpus resolves every line of the corpus through the resolver that
// spasmcoach chat uses, in each locale the line is for, and prints the
// figures: at least 97 % must reach their intent, and every emergency and
// distress line. It measures the local resolver, which matches samples
// word for word and is stricter than Alexa's language understanding.
func TestCorpus(t *testing.T) {
	lines := readCorpus(t)
	if len(lines) < minCorpusLines {
		t.Errorf("corpus has %d lines, want at least %d", len(lines), minCorpusLines)
	}
	resolvers := map[string]*utterance.Resolver{}
	for _, loc := range wantLocales {
		resolvers[loc] = newResolver(t, mustModel(t, loc))
	}
	// The en-US samples as the resolver compares them.
	samples := map[string]bool{}
	for _, in := range mustModel(t, "en-US").Intents {
		for _, s := range in.Samples {
			samples[utterance.Normalize(s)] = true
		}
	}
	var all, safety, verbatim tally
	perLocale := map[string]*tally{}
	intentsSeen := map[string]bool{}
	var misses []string
	for _, l := range lines {
		intentsSeen[l.intent] = true
		for _, loc := range l.locales {
			m := resolvers[loc].Resolve(l.text)
			why := l.check(m)
			all.add(why == "")
			if perLocale[loc] == nil {
				perLocale[loc] = &tally{}
			}
			perLocale[loc].add(why == "")
			if l.safety() {
				safety.add(why == "")
			}
			if why != "" {
				misses = append(misses, fmt.Sprintf("%s:%d %s %q → %s, want %s", corpusFile, l.n, loc, l.text, why, l.intent))
			}
		}
		// Verbatim: said word for word as a sample of the en-US model is
		// written (after Normalize), which tests nothing but the sample.
		verbatim.add(samples[utterance.Normalize(l.text)])
	}
	t.Logf("corpus: %d lines; resolved %s overall, emergency and distress %s", len(lines), all, safety)
	for _, loc := range wantLocales {
		t.Logf("  %s: %s", loc, perLocale[loc])
	}
	t.Logf("  said exactly as a sample: %s of the lines", verbatim)
	for _, miss := range misses {
		t.Logf("  miss: %s", miss)
	}
	if all.ratio() < minResolved {
		t.Errorf("resolved %s, want at least %.0f %%", all, 100*minResolved)
	}
	if safety.ok != safety.all {
		t.Errorf("emergency and distress resolved %s, want all", safety)
	}
	if verbatim.ratio() > maxVerbatim {
		t.Errorf("%s of the corpus is said exactly as samples, want at most %.0f %%", verbatim, 100*maxVerbatim)
	}
	for _, in := range mustModel(t, "en-US").Intents {
		if !intentsSeen[in.Name] && in.Name != intents.IntentNavigateHome {
			t.Errorf("no corpus line for %s", in.Name)
		}
	}
}

// TestCorpusModel: the corpus names only intents and slots of the model,
// and says nothing twice in a locale.
func TestCorpusModel(t *testing.T) {
	m := mustModel(t, "en-US")
	said := map[string]int{} // locale and normalised text → line
	for _, l := range readCorpus(t) {
		for _, loc := range l.locales {
			key := loc + " " + utterance.Normalize(l.text)
			if n, ok := said[key]; ok {
				t.Errorf("%s:%d: %q is line %d again", corpusFile, l.n, l.text, n)
			}
			said[key] = l.n
		}
		in := m.Intent(l.intent)
		if in == nil {
			t.Errorf("%s:%d: no intent %s in the model", corpusFile, l.n, l.intent)
			continue
		}
		for name := range l.slots {
			if in.Slot(name) == nil {
				t.Errorf("%s:%d: %s has no slot %s", corpusFile, l.n, l.intent, name)
			}
		}
	}
}
