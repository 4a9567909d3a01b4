package utterance

import (
	"cmp"
	"slices"
	"strings"
)

// Resolve returns the intent and slots text resolves to, following the
// order of preference in the package documentation. Text that matches
// nothing resolves to AMAZON.FallbackIntent with Confidence NoMatch.
func (r *Resolver) Resolve(text string) Match {
	if ms := r.resolve(tokenize(text), false); len(ms) > 0 {
		return ms[0]
	}
	return Match{Intent: FallbackIntent}
}

// Candidates returns every way text matches the model, best first: its
// first element is what Resolve returns. It returns nil when nothing
// matches. It helps to explain a resolution and to find samples of one
// intent that another intent's sample also matches.
func (r *Resolver) Candidates(text string) []Match {
	all := r.resolve(tokenize(text), true)
	// A sample can match more than one way (word for word, and ignoring
	// articles); keep its best.
	type key struct{ intent, sample string }
	seen := make(map[key]bool, len(all))
	out := all[:0]
	for _, m := range all {
		k := key{m.Intent, m.Sample}
		if !seen[k] {
			seen[k] = true
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// resolve runs the tiers of matching in order, and when none matched, runs
// them again without the lead-ins and tails of speech (trimSpeech). Unless
// all is set it stops at the first tier that matched and returns only its
// best match.
func (r *Resolver) resolve(words []string, all bool) []Match {
	out := r.resolveTiers(words, all)
	if len(out) > 0 && !all {
		return out
	}
	if trimmed := trimSpeech(words); len(trimmed) > 0 && len(trimmed) < len(words) {
		for _, m := range r.resolve(trimmed, all) {
			m.Confidence = min(m.Confidence, Loose)
			out = append(out, m)
		}
	}
	return out
}

// leadIns are what people say before a request ("okay, start the
// stretch", "yeah go on", "help, I can't breathe"), longest first.
var leadIns = [][]string{
	{"all", "right"}, {"help", "me"}, {"okay"}, {"yeah"}, {"yes"}, {"yep"}, {"so"},
	{"now"}, {"well"}, {"right"}, {"oh"}, {"hey"}, {"and"}, {"but"}, {"ah"},
	{"look"}, {"listen"}, {"help"}, {"sorry"},
}

// tails are what people say after a request ("count my breaths for me",
// "I fell yesterday", "next thanks").
var tails = [][]string{
	{"for", "me"}, {"thank", "you"}, {"thanks"}, {"okay"}, {"right", "now"},
	{"any", "more"}, {"anymore"}, {"this", "morning"}, {"last", "night"},
	{"yesterday"}, {"today"}, {"earlier"},
}

// trimSpeech returns words without their lead-ins and tails.
func trimSpeech(words []string) []string {
	trimmed := true
	for trimmed && len(words) > 0 {
		trimmed = false
		for _, p := range leadIns {
			if len(words) > len(p) && slices.Equal(words[:len(p)], p) {
				words, trimmed = words[len(p):], true
				break
			}
		}
		for _, p := range tails {
			if n := len(words) - len(p); n > 0 && slices.Equal(words[n:], p) {
				words, trimmed = words[:n], true
				break
			}
		}
	}
	return words
}

// resolveTiers runs the tiers of matching on words as they are.
func (r *Resolver) resolveTiers(words []string, all bool) []Match {
	if len(words) == 0 {
		return nil
	}
	var out []Match
	done := func() bool { return !all && len(out) > 0 }

	key := strings.Join(words, " ")
	if p, ok := r.exact[key]; ok {
		out = append(out, p.match(Exact))
	}
	if done() {
		return out
	}
	if p, ok := r.builtin[key]; ok {
		out = append(out, p.match(Exact))
	}
	if done() {
		return out
	}
	known, free := scan(r.templates, words, all)
	out = appendFound(out, known, words, Exact)
	if done() {
		return out
	}
	loose := dropArticles(words)
	if p, ok := r.loose[strings.Join(loose, " ")]; ok && len(loose) > 0 {
		out = append(out, p.match(Loose))
	}
	if done() {
		return out
	}
	var looseKnown, looseFree []found
	if len(loose) > 0 {
		looseKnown, looseFree = scan(r.looseTmpls, loose, all)
	}
	out = appendFound(out, looseKnown, loose, Loose)
	if done() {
		return out
	}
	out = appendFound(out, free, words, Loose)
	if done() {
		return out
	}
	return appendFound(out, looseFree, loose, Loose)
}

// match is the Match of a slotless sample or phrasing.
func (p phrase) match(c Confidence) Match {
	m := Match{Intent: p.intent.name, Sample: p.sample, Confidence: c}
	m.Slots = p.intent.emptySlots()
	return m
}

// emptySlots returns the intent's declared slots without values, or nil.
func (in *intentInfo) emptySlots() map[string]SlotValue {
	if len(in.slots) == 0 {
		return nil
	}
	slots := make(map[string]SlotValue, len(in.slots))
	for _, s := range in.slots {
		slots[s.name] = SlotValue{Type: s.typ}
	}
	return slots
}

// found is a template that matched, with its slot bindings.
type found struct {
	t       *template
	binds   []binding
	unknown int // custom slots holding words their type does not list
}

// binding is the words a slot took.
type binding struct {
	start, end int
	set        bool
	value      typeValue // the custom type's value, when known
	known      bool
	parsed     string // the value of a DATE or DURATION slot
}

// scan matches words against templates. It returns the matches whose slots
// all hold known values and those with a custom slot holding other words,
// each sorted best first; unless all is set, at most the best of each.
func scan(ts []*template, words []string, all bool) (known, free []found) {
	for _, t := range ts {
		if len(words) < t.minWords || len(words) > t.maxWords {
			continue
		}
		if e := t.elems[0]; e.slot < 0 && e.word != words[0] {
			continue
		}
		if e := t.elems[len(t.elems)-1]; e.slot < 0 && e.word != words[len(words)-1] {
			continue
		}
		f, ok := t.match(words)
		if !ok {
			continue
		}
		if f.unknown == 0 {
			known = keep(known, f, all)
		} else {
			free = keep(free, f, all)
		}
	}
	slices.SortStableFunc(known, better)
	slices.SortStableFunc(free, better)
	return known, free
}

// keep adds f to fs, or, unless all is set, keeps only the better of the
// two.
func keep(fs []found, f found, all bool) []found {
	if all || len(fs) == 0 {
		return append(fs, f)
	}
	if better(f, fs[0]) < 0 {
		fs[0] = f
	}
	return fs
}

// better orders matches: fewer unknown slot values, then more literal
// words, then the sample that comes first in the model.
func better(a, b found) int {
	if c := cmp.Compare(a.unknown, b.unknown); c != 0 {
		return c
	}
	if c := cmp.Compare(b.t.literals, a.t.literals); c != 0 {
		return c
	}
	return cmp.Compare(a.t.order, b.t.order)
}

// appendFound appends the Matches of fs.
func appendFound(out []Match, fs []found, words []string, c Confidence) []Match {
	for _, f := range fs {
		conf := c
		if f.unknown > 0 {
			conf = Loose
		}
		m := Match{Intent: f.t.intent.name, Sample: f.t.sample, Confidence: conf}
		m.Slots = f.t.intent.emptySlots()
		for i, b := range f.binds {
			if !b.set {
				continue
			}
			s := f.t.intent.slots[i]
			v := SlotValue{Type: s.typ, Value: strings.Join(words[b.start:b.end], " ")}
			if b.parsed != "" {
				v.Value = b.parsed
			}
			if b.known && s.values != nil {
				v.ID, v.Resolved = b.value.id, b.value.name
			}
			m.Slots[s.name] = v
		}
		out = append(out, m)
	}
	return out
}

// match matches words against the template by backtracking over the
// words each slot may take, and returns the binding with the fewest
// unknown custom values.
func (t *template) match(words []string) (found, bool) {
	slots := t.intent.slots
	cur := make([]binding, len(slots))
	best := found{t: t, unknown: -1}
	var rec func(ei, wi, unknown int)
	rec = func(ei, wi, unknown int) {
		if best.unknown == 0 || (best.unknown > 0 && unknown >= best.unknown) {
			return
		}
		if ei == len(t.elems) {
			if wi == len(words) {
				best.binds = slices.Clone(cur)
				best.unknown = unknown
			}
			return
		}
		if len(words)-wi < len(t.elems)-ei {
			return // every element needs a word
		}
		e := t.elems[ei]
		if e.slot < 0 {
			if words[wi] == e.word {
				rec(ei+1, wi+1, unknown)
			}
			return
		}
		s := &slots[e.slot]
		switch {
		case s.number:
			if isDigits(words[wi]) {
				cur[e.slot] = binding{start: wi, end: wi + 1, set: true, known: true}
				rec(ei+1, wi+1, unknown)
			}
		case s.parse != nil:
			for n := 1; n <= maxDateWords && wi+n <= len(words); n++ {
				if v, ok := s.parse(words[wi : wi+n]); ok {
					cur[e.slot] = binding{start: wi, end: wi + n, set: true, known: true, parsed: v}
					rec(ei+1, wi+n, unknown)
				}
			}
		case s.values != nil:
			var scratch [64]byte
			b := scratch[:0]
			for n := 1; n <= max(s.values.maxWords, maxFreeWords) && wi+n <= len(words); n++ {
				if n > 1 {
					b = append(b, ' ')
				}
				b = append(b, words[wi+n-1]...)
				if v, ok := s.values.byPhrase[string(b)]; ok {
					cur[e.slot] = binding{start: wi, end: wi + n, set: true, value: v, known: true}
					rec(ei+1, wi+n, unknown)
				} else if n <= maxFreeWords && t.literals >= minFreeLiterals {
					cur[e.slot] = binding{start: wi, end: wi + n, set: true}
					rec(ei+1, wi+n, unknown+1)
				}
			}
		default: // another built-in type: the words as said
			for n := 1; n <= maxFreeWords && wi+n <= len(words); n++ {
				cur[e.slot] = binding{start: wi, end: wi + n, set: true, known: true}
				rec(ei+1, wi+n, unknown)
			}
		}
		cur[e.slot] = binding{}
	}
	rec(0, 0, 0)
	return best, best.unknown >= 0
}
