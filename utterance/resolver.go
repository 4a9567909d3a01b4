package utterance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"spasmcoach/infra"
)

// FallbackIntent is the intent of text that matches nothing.
const FallbackIntent = "AMAZON.FallbackIntent"

// numberType is the built-in slot type the resolver turns into digits.
const numberType = "AMAZON.NUMBER"

// maxFreeWords is the most words a slot takes when they are not a known
// value (a custom value passed through, or a built-in type other than
// AMAZON.NUMBER).
const maxFreeWords = 3

// minFreeLiterals is the fewest words besides its slots a sample needs for
// a custom slot to take words its type does not list: with fewer ("start
// {exercise}", or "i want the {exercise}" once articles are ignored) the
// slot would take whatever is said after a common word ("start over", "I
// want to stop").
const minFreeLiterals = 2

// Errors NewResolver returns, wrapped with the intent and sample at fault.
var (
	// ErrNoModel: the model is nil.
	ErrNoModel = errors.New("utterance: no interaction model")
	// ErrBadSample: a sample is empty, has unbalanced braces, or a slot
	// reference that is not a whole word.
	ErrBadSample = errors.New("utterance: malformed sample utterance")
	// ErrUndeclaredSlot: a sample refers to a slot its intent does not
	// declare.
	ErrUndeclaredSlot = errors.New("utterance: sample uses an undeclared slot")
	// ErrUnknownSlotType: a slot's type is neither built-in (AMAZON.*) nor
	// defined in the model's types.
	ErrUnknownSlotType = errors.New("utterance: slot type not defined")
	// ErrConflict: two intents have the same sample (after Normalize), so
	// no text can tell them apart, for Alexa either.
	ErrConflict = errors.New("utterance: same sample under two intents")
)

// Confidence says how well text matched.
type Confidence uint8

// Confidences, from worst to best.
const (
	// NoMatch: nothing matched; the intent is AMAZON.FallbackIntent.
	NoMatch Confidence = iota
	// Loose: matched only ignoring articles and fillers ("a", "the",
	// "really", ...), without lead-ins or tails ("okay", "for me"), as one
	// of two things said at once, or with a custom slot holding words its
	// type does not list.
	Loose
	// Exact: a sample or a built-in phrasing matched word for word (after
	// Normalize), with every custom slot value known.
	Exact
)

// String returns "no match", "loose" or "exact".
func (c Confidence) String() string {
	switch c {
	case Loose:
		return "loose"
	case Exact:
		return "exact"
	}
	return "no match"
}

// Match is the intent and slots text resolved to.
type Match struct {
	// Intent is the intent name, AMAZON.FallbackIntent when nothing matched.
	Intent string
	// Slots holds every slot the intent declares, by name, as Alexa sends
	// them: a slot the text did not fill has an empty Value. Nil for an
	// intent without slots.
	Slots map[string]SlotValue
	// Sample is the sample utterance (or built-in phrasing) that matched,
	// as written in the model; empty for the fallback.
	Sample string
	// Confidence says how well it matched.
	Confidence Confidence
}

// OK reports whether the text matched an intent (anything but the
// fallback for lack of a match).
func (m Match) OK() bool { return m.Confidence > NoMatch }

// SlotValue is one slot of a Match.
type SlotValue struct {
	// Type is the slot's type, such as "AMAZON.NUMBER" or "PACK".
	Type string
	// Value is what Alexa would send as the slot's value: digits for
	// AMAZON.NUMBER ("fifteen" gives "15"), an ISO-8601 duration for
	// AMAZON.DURATION ("P4D"), a date, week or month for AMAZON.DATE
	// ("2026-12-04", "2026-W48", "2026-12"), the words said for a custom
	// type ("ice pack"); empty when the slot was not filled.
	Value string
	// ID is the id of the custom type's value that Value matched, directly
	// or as a synonym ("COLD"); empty when it matched none (Alexa's
	// ER_SUCCESS_NO_MATCH) or the type is built-in.
	ID string
	// Resolved is the canonical value Value matched ("cold"); empty when
	// ID is.
	Resolved string
}

// Resolver resolves text to intents through one interaction model. It is
// safe for concurrent use.
type Resolver struct {
	intents map[string]*intentInfo

	exact      map[string]phrase // slotless samples
	builtin    map[string]phrase // built-in phrasings
	loose      map[string]phrase // slotless samples and phrasings without articles
	templates  []*template       // samples with slots
	looseTmpls []*template       // the same, without articles
	now        func() time.Time  // the clock of AMAZON.DATE; nil: no dates
}

// intentInfo is what the resolver knows of one intent.
type intentInfo struct {
	name  string
	slots []slotInfo
	vocab vocabulary // the whole model's, shared
}

// vocabulary holds, for each word of the model's samples and slot values,
// the intents whose samples use it.
type vocabulary map[string]map[*intentInfo]bool

// add records the words as the intent's.
func (v vocabulary) add(in *intentInfo, words ...string) {
	for _, w := range words {
		if v[w] == nil {
			v[w] = make(map[*intentInfo]bool)
		}
		v[w][in] = true
	}
}

// foreign reports whether one of words belongs only to other intents than
// in ("breathing" in "i'd like to try the {exercise}"): a custom slot may
// not take such words when its type does not list them, as Alexa's
// language understanding would then pick the other intent.
func (in *intentInfo) foreign(words []string) bool {
	for _, w := range words {
		if users := in.vocab[w]; len(users) > 0 && !users[in] {
			return true
		}
	}
	return false
}

// slotInfo is one declared slot.
type slotInfo struct {
	name   string
	typ    string
	number bool
	values *valueSet // nil for built-in types
	// parse turns the words of a DATE or DURATION slot into the value
	// Alexa sends, reporting false for words it cannot read; nil for other
	// types.
	parse func(words []string) (string, bool)
}

// phrase is a slotless sample or built-in phrasing.
type phrase struct {
	intent *intentInfo
	sample string
}

// valueSet is a custom slot type's values and synonyms, by normalised
// phrase.
type valueSet struct {
	byPhrase map[string]typeValue
	maxWords int
}

// typeValue is a custom type's value.
type typeValue struct {
	id, name string
}

// template is a sample with slot holes.
type template struct {
	intent   *intentInfo
	sample   string
	elems    []elem
	literals int // literal words
	minWords int
	maxWords int
	order    int
}

// elem is a literal word (slot < 0) or a slot hole (index in intent.slots).
type elem struct {
	word string
	slot int
}

// articles are the words loose matching ignores: articles, "my" and
// "some", and the intensifiers and fillers of speech ("it really hurts",
// "I just can't move", "I'm so scared", "a bit faster").
var articles = map[string]bool{
	"a": true, "an": true, "the": true, "my": true, "some": true,
	"really": true, "just": true, "actually": true, "very": true, "so": true,
	"here": true, "then": true, "already": true, "oh": true, "even": true,
	"absolutely": true, "totally": true, "completely": true, "quite": true,
	"way": true, "real": true, "bit": true, "little": true, "all": true,
}

// NewResolver compiles the model's samples into a Resolver. It returns an
// error wrapping ErrBadSample, ErrUndeclaredSlot, ErrUnknownSlotType or
// ErrConflict when the model has a sample it cannot use.
func NewResolver(m *infra.LanguageModel, opts ...Option) (*Resolver, error) {
	if m == nil {
		return nil, fmt.Errorf("new resolver: %w", ErrNoModel)
	}
	r := &Resolver{
		intents: make(map[string]*intentInfo, len(m.Intents)),
		exact:   make(map[string]phrase),
		builtin: make(map[string]phrase),
		loose:   make(map[string]phrase),
	}
	for _, opt := range opts {
		opt(r)
	}
	c := &compiler{
		r:            r,
		types:        make(map[string]*valueSet, len(m.Types)),
		ambiguous:    make(map[string]bool),
		templateKeys: make(map[string]string),
		vocab:        make(vocabulary),
	}
	for i := range m.Types {
		c.types[m.Types[i].Name] = newValueSet(&m.Types[i])
	}
	for i := range m.Intents {
		if err := c.intent(&m.Intents[i]); err != nil {
			return nil, err
		}
	}
	c.builtins()
	for key := range c.ambiguous {
		delete(r.loose, key)
	}
	return r, nil
}

// compiler is NewResolver's work in progress.
type compiler struct {
	r            *Resolver
	types        map[string]*valueSet
	ambiguous    map[string]bool   // loose keys that more than one intent has
	templateKeys map[string]string // typed template key → intent
	vocab        vocabulary
	order        int // samples so far, for the order of templates
}

// intent compiles one intent: its slots and its samples.
func (c *compiler) intent(in *infra.Intent) error {
	info := &intentInfo{name: in.Name, vocab: c.vocab}
	for _, s := range in.Slots {
		si := slotInfo{name: s.Name, typ: s.Type, number: s.Type == numberType, parse: c.r.parser(s.Type)}
		if !strings.HasPrefix(s.Type, "AMAZON.") {
			si.values = c.types[s.Type]
			if si.values == nil {
				return fmt.Errorf("compile intent %s slot %s: %w: %q", in.Name, s.Name, ErrUnknownSlotType, s.Type)
			}
			for phrase := range si.values.byPhrase {
				c.vocab.add(info, strings.Fields(phrase)...)
			}
		}
		info.slots = append(info.slots, si)
	}
	c.r.intents[in.Name] = info
	for _, sample := range in.Samples {
		if err := c.sample(info, sample); err != nil {
			return fmt.Errorf("compile intent %s sample %q: %w", in.Name, sample, err)
		}
	}
	return nil
}

// sample compiles one sample of info: an exact phrase when it has no slots,
// else a template.
func (c *compiler) sample(info *intentInfo, sample string) error {
	c.order++
	t, err := compile(info, sample)
	if err != nil {
		return err
	}
	t.order = c.order
	for _, e := range t.elems {
		if e.slot < 0 {
			c.vocab.add(info, e.word)
		}
	}
	r := c.r
	if t.literals == len(t.elems) { // no slots
		key := t.key()
		if p, ok := r.exact[key]; ok && p.intent != info {
			return fmt.Errorf("%w: also %s %q", ErrConflict, p.intent.name, p.sample)
		}
		r.exact[key] = phrase{intent: info, sample: sample}
		r.addLoose(c.ambiguous, t.looseKey(), phrase{intent: info, sample: sample})
		return nil
	}
	key := t.typedKey()
	if other, ok := c.templateKeys[key]; ok && other != info.name {
		return fmt.Errorf("%w: also %s", ErrConflict, other)
	}
	c.templateKeys[key] = info.name
	r.templates = append(r.templates, t)
	r.looseTmpls = append(r.looseTmpls, t.withoutArticles())
	return nil
}

// builtins adds the built-in phrasings of the built-in intents the model
// declares, in a fixed order so that the result does not depend on map
// iteration.
func (c *compiler) builtins() {
	names := make([]string, 0, len(builtinPhrases))
	for name := range builtinPhrases {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		info := c.r.intents[name]
		if info == nil {
			continue
		}
		for _, text := range builtinPhrases[name] {
			key := Normalize(text)
			if _, ok := c.r.builtin[key]; !ok {
				c.r.builtin[key] = phrase{intent: info, sample: text}
			}
			c.r.addLoose(c.ambiguous, looseKey(tokenize(text)), phrase{intent: info, sample: text})
		}
	}
}

// parser returns the parser of a built-in type the resolver reads into
// Alexa's values, nil for others.
func (r *Resolver) parser(typ string) func([]string) (string, bool) {
	switch typ {
	case durationType:
		return parseDuration
	case dateType:
		return func(words []string) (string, bool) {
			if r.now == nil {
				return "", false
			}
			return parseDate(words, r.now())
		}
	}
	return nil
}

// addLoose records a loose key, marking it ambiguous when two intents claim
// it.
func (r *Resolver) addLoose(ambiguous map[string]bool, key string, p phrase) {
	if key == "" {
		return
	}
	if q, ok := r.loose[key]; ok {
		if q.intent != p.intent {
			ambiguous[key] = true
		}
		return
	}
	r.loose[key] = p
}

// newValueSet indexes a custom slot type's values and synonyms, each also
// without articles.
func newValueSet(st *infra.SlotType) *valueSet {
	vs := &valueSet{byPhrase: make(map[string]typeValue)}
	add := func(words []string, v typeValue) {
		if len(words) == 0 {
			return
		}
		key := strings.Join(words, " ")
		if _, ok := vs.byPhrase[key]; !ok {
			vs.byPhrase[key] = v
		}
		vs.maxWords = max(vs.maxWords, len(words))
	}
	for _, v := range st.Values {
		tv := typeValue{id: v.ID, name: v.Name.Value}
		for _, text := range append([]string{v.Name.Value}, v.Name.Synonyms...) {
			words := tokenize(text)
			add(words, tv)
			add(dropArticles(words), tv)
		}
	}
	return vs
}

// compile turns one sample into a template.
func compile(info *intentInfo, sample string) (*template, error) {
	t := &template{intent: info, sample: sample}
	var literal []string
	flush := func() {
		for _, w := range tokenize(strings.Join(literal, " ")) {
			t.elems = append(t.elems, elem{word: w, slot: -1})
			t.literals++
		}
		literal = literal[:0]
	}
	for _, field := range strings.Fields(sample) {
		if !strings.ContainsAny(field, "{}") {
			literal = append(literal, field)
			continue
		}
		name, ok := strings.CutPrefix(field, "{")
		if ok {
			name, ok = strings.CutSuffix(name, "}")
		}
		if !ok || name == "" || strings.ContainsAny(name, "{}") {
			return nil, fmt.Errorf("%w: %q is not a whole {slot}", ErrBadSample, field)
		}
		idx := slices.IndexFunc(info.slots, func(s slotInfo) bool { return s.name == name })
		if idx < 0 {
			return nil, fmt.Errorf("%w: {%s}", ErrUndeclaredSlot, name)
		}
		flush()
		t.elems = append(t.elems, elem{slot: idx})
	}
	flush()
	if len(t.elems) == 0 {
		return nil, fmt.Errorf("%w: no words", ErrBadSample)
	}
	t.bounds()
	return t, nil
}

// bounds computes the fewest and most words the template can match.
func (t *template) bounds() {
	t.minWords, t.maxWords = 0, 0
	for _, e := range t.elems {
		t.minWords++
		switch {
		case e.slot < 0:
			t.maxWords++
		case t.intent.slots[e.slot].number:
			t.maxWords++
		case t.intent.slots[e.slot].parse != nil:
			t.maxWords += maxDateWords
		case t.intent.slots[e.slot].values != nil:
			t.maxWords += max(maxFreeWords, t.intent.slots[e.slot].values.maxWords)
		default:
			t.maxWords += maxFreeWords
		}
	}
}

// key is the template's words, with slots as {name}.
func (t *template) key() string {
	return t.keyWith(func(s slotInfo) string { return s.name })
}

// typedKey is the template's words with slots as {type}: two templates with
// the same typed key match the same texts.
func (t *template) typedKey() string {
	return t.keyWith(func(s slotInfo) string { return s.typ })
}

// keyWith joins the template's words, with each slot as {label(slot)}.
func (t *template) keyWith(label func(slotInfo) string) string {
	parts := make([]string, len(t.elems))
	for i, e := range t.elems {
		if e.slot < 0 {
			parts[i] = e.word
		} else {
			parts[i] = "{" + label(t.intent.slots[e.slot]) + "}"
		}
	}
	return strings.Join(parts, " ")
}

// looseKey is the key of a slotless template without articles.
func (t *template) looseKey() string {
	words := make([]string, 0, len(t.elems))
	for _, e := range t.elems {
		words = append(words, e.word)
	}
	return looseKey(words)
}

// looseKey joins words without articles; "" when nothing is left.
func looseKey(words []string) string {
	return strings.Join(dropArticles(words), " ")
}

// dropArticles returns words without articles.
func dropArticles(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if !articles[w] {
			out = append(out, w)
		}
	}
	return out
}

// withoutArticles returns the template without article words (t itself when
// it has none).
func (t *template) withoutArticles() *template {
	lt := &template{intent: t.intent, sample: t.sample, order: t.order}
	for _, e := range t.elems {
		if e.slot < 0 && articles[e.word] {
			continue
		}
		lt.elems = append(lt.elems, e)
		if e.slot < 0 {
			lt.literals++
		}
	}
	if len(lt.elems) == len(t.elems) {
		return t
	}
	lt.bounds()
	return lt
}
