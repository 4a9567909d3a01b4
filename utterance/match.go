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

// resolve runs the tiers of matching in order (see the package
// documentation): first without letting a custom slot take unlisted words,
// on the text and then on what is left of it once the lead-ins, tails and
// hedges of speech are taken off one by one, or on each of two things said
// at once; then the same letting slots take unlisted words. Unless all is
// set it stops at the first tier that matched and returns only its best
// match.
func (r *Resolver) resolve(words []string, all bool) []Match {
	out := r.resolveSpeech(words, all, false, map[string]bool{})
	if len(out) > 0 && !all {
		return out
	}
	return append(out, r.resolveSpeech(words, all, true, map[string]bool{})...)
}

// resolveSpeech runs the tiers on words, then on words trimmed by one
// lead-in, tail or hedge at a time, then on their clauses. Matches on
// anything but words themselves are Loose. seen holds the texts already
// tried.
func (r *Resolver) resolveSpeech(words []string, all, free bool, seen map[string]bool) []Match {
	key := strings.Join(words, " ")
	if len(words) == 0 || seen[key] {
		return nil
	}
	seen[key] = true
	out := r.resolveTiers(words, all, free)
	if len(out) > 0 && !all {
		return out
	}
	loosen := func(ms []Match) {
		for _, m := range ms {
			m.Confidence = min(m.Confidence, Loose)
			out = append(out, m)
		}
	}
	for _, trimmed := range trimSpeech(words) {
		loosen(r.resolveSpeech(trimmed, all, free, seen))
		if len(out) > 0 && !all {
			return out
		}
	}
	// Two things said at once ("my chest hurts and my arm hurts", "I
	// tripped and landed on my back"), or two requests one after the other
	// ("get me an ambulance ring nine nine nine").
	if all {
		for _, part := range r.parts(words, true, free, seen) {
			loosen(part)
		}
		return out
	}
	loosen(firstPart(r.parts(words, false, free, seen)))
	return out
}

// parts resolves each of the things said at once in words: its clauses,
// then (unless free) each split into two requests that both match as they
// stand, the first of the two.
func (r *Resolver) parts(words []string, all, free bool, seen map[string]bool) [][]Match {
	var out [][]Match
	for _, clause := range clauses(words) {
		if ms := r.resolveSpeech(clause, all, free, seen); len(ms) > 0 {
			out = append(out, ms)
		}
	}
	for i := 2; i <= len(words)-2 && !free; i++ {
		head := r.resolveTiers(words[:i], all, false)
		if len(head) > 0 && len(r.resolveTiers(words[i:], false, false)) > 0 {
			out = append(out, head)
		}
	}
	return out
}

// urgentIntent is the skill's emergency intent: said with anything else
// ("I feel dizzy and my chest hurts", "call my wife, I can't breathe"), it
// is what the person means, wherever it comes.
const urgentIntent = "WarningSignIntent"

// firstPart picks among the parts of what was said: the first that is the
// emergency intent, else the first that is a custom intent, which carries
// what the person means ("I need help, I've fallen" is about the fall),
// else the first.
func firstPart(parts [][]Match) []Match {
	for _, p := range parts {
		if p[0].Intent == urgentIntent {
			return p
		}
	}
	for _, p := range parts {
		if !strings.HasPrefix(p[0].Intent, "AMAZON.") {
			return p
		}
	}
	if len(parts) > 0 {
		return parts[0]
	}
	return nil
}

// clauses splits words into the things said at once: at "and", "but",
// "or", "when" and "because" (not inside one of the pairs), and before an
// "I" that starts a new sentence ("it hurts so much I can't think", "I
// can't get up I'm stuck"). It returns nil when there is nothing to split.
func clauses(words []string) [][]string {
	var out [][]string
	start := 0
	for i, w := range words {
		switch {
		case clauseWords[w] && i > start && i < len(words)-1 && !pairs[words[i-1]+" "+w+" "+words[i+1]]:
			out = append(out, words[start:i])
			start = i + 1
		case w == "i" && i >= start+2 && i < len(words)-1 && !slices.Contains(beforeI, words[i-1]):
			out = append(out, words[start:i])
			start = i
		}
	}
	if len(out) == 0 {
		return nil
	}
	return append(out, words[start:])
}

// pairs are phrases joined by a clause word that are one thing ("I've got
// pins and needles down there"), where clauses does not split.
var pairs = map[string]bool{
	"pins and needles": true, "hot and cold": true, "hot and shivery": true,
	"shivery and hot": true, "numbness and tingling": true, "on and off": true,
}

// clauseWords join two things said at once.
var clauseWords = map[string]bool{"and": true, "but": true, "or": true, "when": true, "because": true}

// beforeI are words after which "I" goes on the same sentence ("when can
// I", "what should I", "do you think I").
var beforeI = []string{
	"can", "could", "should", "would", "will", "do", "did", "shall", "may", "might",
	"must", "if", "when", "that", "think", "where", "what", "how", "am", "have", "as",
	"because", "since", "until", "till", "before", "after", "so", "while", "than",
}

// leadIns are what people say before a request ("okay, start the
// stretch", "yeah go on", "help, I can't breathe") and the carrier phrases
// of asking ("can you", "I'd like to", "let's"), longest first, as
// normalised ("let's" is "let us").
var leadIns = [][]string{
	{"i", "would", "like", "to"}, {"do", "you", "think"}, {"oh", "my", "god"}, {"i", "want", "to"},
	{"i", "need", "to"}, {"you", "can"}, {"can", "you"}, {"could", "you"}, {"would", "you"},
	{"will", "you"}, {"can", "we"}, {"could", "we"}, {"let", "us"}, {"all", "right"}, {"help", "me"},
	{"i", "think"}, {"oh", "no"}, {"oh", "god"}, {"okay"}, {"yeah"}, {"yes"}, {"yep"},
	{"so"}, {"now"}, {"well"}, {"right"}, {"oh"}, {"hey"}, {"and"}, {"but"}, {"ah"},
	{"look"}, {"listen"}, {"help"}, {"sorry"}, {"god"}, {"quick"}, {"ow"}, {"ouch"},
	{"ahh"}, {"aah"}, {"argh"}, {"done"}, {"ohh"}, {"ooh"}, {"ugh"}, {"whoa"}, {"woah"},
}

// tails are what people say after a request ("count my breaths for me",
// "I fell yesterday", "next thanks"), longest first, as normalised ("which
// one" is "which 1").
var tails = [][]string{
	{"all", "of", "a", "sudden"}, {"for", "me"}, {"thank", "you"}, {"right", "now"}, {"any", "more"}, {"this", "morning"},
	{"last", "night"}, {"or", "something"}, {"or", "anything"}, {"a", "bit"}, {"at", "all"},
	{"on", "me"}, {"with", "me"}, {"with", "you"}, {"to", "you"}, {"together"},
	{"properly"}, {"which", "1"}, {"as", "well"}, {"with", "this"}, {"help", "me"},
	{"help"}, {"too"}, {"also"}, {"thanks"}, {"okay"}, {"anymore"}, {"yesterday"}, {"today"}, {"earlier"},
	{"hurry", "up"}, {"hurry"}, {"quick"}, {"quickly"}, {"suddenly"}, {"again"}, {"for"}, {"now"},
	{"then"}, {"no"}, {"too", "much"}, {"you", "said"}, {"about", "this"}, {"about", "it"},
	{"through", "this"}, {"to", "me"},
}

// hedges are words people put inside a request that change nothing ("I
// can't seem to catch my breath", "I'm kind of numb").
var hedges = [][]string{{"kind", "of"}, {"sort", "of"}, {"seem", "to"}}

// trimSpeech returns words without their first lead-in, without their last
// tail, and without their hedges: each that applies, in that order.
func trimSpeech(words []string) [][]string {
	var out [][]string
	for _, p := range leadIns {
		if len(words) > len(p) && slices.Equal(words[:len(p)], p) {
			out = append(out, words[len(p):])
			break
		}
	}
	for _, p := range tails {
		if n := len(words) - len(p); n > 0 && slices.Equal(words[n:], p) {
			out = append(out, words[:n])
			break
		}
	}
	var kept []string
	for i := 0; i < len(words); i++ {
		if h := hedgeAt(words[i:]); h > 0 {
			i += h - 1
			continue
		}
		kept = append(kept, words[i])
	}
	if len(kept) > 0 && len(kept) < len(words) {
		out = append(out, kept)
	}
	return out
}

// hedgeAt returns the length of the hedge words start with, or 0.
func hedgeAt(words []string) int {
	for _, h := range hedges {
		if len(words) >= len(h) && slices.Equal(words[:len(h)], h) {
			return len(h)
		}
	}
	return 0
}

// resolveTiers runs the tiers of matching on words as they are: those
// that need custom slot values to be known, or (free) those that let them
// be other words.
func (r *Resolver) resolveTiers(words []string, all, free bool) []Match {
	var out []Match
	done := func() bool { return !all && len(out) > 0 }
	loose := dropArticles(words)
	if free {
		_, unknown := scan(r.templates, words, all)
		out = appendFound(out, unknown, words, Loose)
		if done() || len(loose) == 0 {
			return out
		}
		_, looseUnknown := scan(r.looseTmpls, loose, all)
		return appendFound(out, looseUnknown, loose, Loose)
	}
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
	known, _ := scan(r.templates, words, all)
	out = appendFound(out, known, words, Exact)
	if done() || len(loose) == 0 {
		return out
	}
	if p, ok := r.loose[strings.Join(loose, " ")]; ok {
		out = append(out, p.match(Loose))
	}
	if done() {
		return out
	}
	looseKnown, _ := scan(r.looseTmpls, loose, all)
	return appendFound(out, looseKnown, loose, Loose)
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
	m := matching{t: t, words: words, cur: make([]binding, len(t.intent.slots)), best: found{t: t, unknown: -1}}
	m.step(0, 0, 0)
	return m.best, m.best.unknown >= 0
}

// matching is one search for the best way t's elements cover words: a
// depth-first search over where each slot ends, keeping the binding with
// the fewest unknown slot values.
type matching struct {
	t     *template
	words []string
	cur   []binding
	best  found
}

// step matches element ei onward against the words from wi on, with
// unknown slot values so far.
func (m *matching) step(ei, wi, unknown int) {
	t, words := m.t, m.words
	if m.best.unknown == 0 || (m.best.unknown > 0 && unknown >= m.best.unknown) {
		return
	}
	if ei == len(t.elems) {
		if wi == len(words) {
			m.best.binds = slices.Clone(m.cur)
			m.best.unknown = unknown
		}
		return
	}
	if len(words)-wi < len(t.elems)-ei {
		return // every element needs a word
	}
	e := t.elems[ei]
	if e.slot < 0 {
		if words[wi] == e.word {
			m.step(ei+1, wi+1, unknown)
		}
		return
	}
	m.slot(ei, wi, unknown)
	m.cur[e.slot] = binding{}
}

// slot tries each run of words from wi on as the value of slot element ei.
func (m *matching) slot(ei, wi, unknown int) {
	t, words := m.t, m.words
	e := t.elems[ei]
	s := &t.intent.slots[e.slot]
	switch {
	case s.number:
		if isDigits(words[wi]) {
			m.cur[e.slot] = binding{start: wi, end: wi + 1, set: true, known: true}
			m.step(ei+1, wi+1, unknown)
		}
	case s.parse != nil:
		for n := 1; n <= maxDateWords && wi+n <= len(words); n++ {
			if v, ok := s.parse(words[wi : wi+n]); ok {
				m.cur[e.slot] = binding{start: wi, end: wi + n, set: true, known: true, parsed: v}
				m.step(ei+1, wi+n, unknown)
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
				m.cur[e.slot] = binding{start: wi, end: wi + n, set: true, value: v, known: true}
				m.step(ei+1, wi+n, unknown)
			} else if n <= maxFreeWords && t.literals >= minFreeLiterals && !t.intent.foreign(words[wi:wi+n]) {
				m.cur[e.slot] = binding{start: wi, end: wi + n, set: true}
				m.step(ei+1, wi+n, unknown+1)
			}
		}
	default: // another built-in type: the words as said
		for n := 1; n <= maxFreeWords && wi+n <= len(words); n++ {
			m.cur[e.slot] = binding{start: wi, end: wi + n, set: true, known: true}
			m.step(ei+1, wi+n, unknown)
		}
	}
}
