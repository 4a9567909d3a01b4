package speech

import (
	"unicode"
	"unicode/utf8"
)

// This file estimates how much speech a piece of text holds, in weight
// points: the input to Model.Duration.
//
// A syllable's length depends on what it is made of and whether it is
// stressed: a bare unstressed vowel ("a" in "again") is very short, a
// stressed syllable with a consonant cluster and a diphthong ("hold") is
// several times longer. Counting syllables alone mistimes short cue words by
// 30 to 60 ms each, and in a paced count those errors add up from cue to
// cue. So each word is weighed by its sounds:
//
//	3 points for its stressed syllable (taken to be one per word)
//	1 point  for each other, unstressed syllable
//	2 points for each consonant sound
//	1 point  for each long vowel or diphthong
//
// These ratios follow the usual segment durations of English (a stressed
// vowel about 1.5 times a consonant, an unstressed one under half); a fit
// of espeak-ng's timing over sixty phrases gives the same ratios within a
// point. An average syllable of running English (about 1.5 syllables and
// 2.4 consonants a word, some vowels long) weighs about 6 points, so
// pointsPerSyllable converts points to syllables and a rate in syllables
// per second keeps its usual meaning.
//
// Sounds are guessed from spelling with the usual English rules (consonant
// digraphs count once, silent final e, vowel teams, magic e), with a short
// table of the irregular words the skill says. Digits are read as their
// spoken words, up to 999. The skill speaks English only, and the rules
// are those its own words need: a rule that changed the weight of no text
// the skill says is left out (a vowel pair said as two syllables, as in
// "video"; a silent -es; thousands; ordinals), and a letter outside ASCII
// counts as a letter that carries a vowel.

// Weight points (see above).
const (
	stressedPoints    = 3
	unstressedPoints  = 1
	consonantPoints   = 2
	longPoints        = 1
	pointsPerSyllable = 6
)

// weight is an amount of speech in points, with the pauses that
// punctuation asks for.
type weight struct {
	points    int  // sound, in points
	clauses   int  // comma-like pauses
	sentences int  // sentence-final pauses
	stop      bool // the text begins with a closure (see startsWithStop)
}

// startsWithStop reports whether text (after anything that is not a letter
// or digit) begins with a closure: a stop consonant (p, t, k, b, d, g, a c
// or q said as k), an affricate (j, ch; a g before e or i counts anyway),
// or a number said with a t (two, twenty, two hundred, ten, twelve).
func startsWithStop(text string) bool {
	if dirty(text) {
		text = Sanitize(text)
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
			next := byte(0)
			if i < len(text) {
				next = text[i] | 0x20
			}
			switch r | 0x20 {
			case 'p':
				return next != 'h' && next != 's' && next != 'n' // phone, psalm, pneumonia
			case 't':
				return next != 'h' // three
			case 'k', 'g':
				return next != 'n' // knee, gnome
			case 'b', 'd', 'q', 'j':
				return true
			case 'c':
				return next != 'e' && next != 'i' && next != 'y' // centre, city
			}
			return false
		case r >= '0' && r <= '9':
			// Two, twenty, two hundred; ten, twelve.
			return r == '2' || r == '1' && digitsEnd(text, i) == i+1 && (text[i] == '0' || text[i] == '2')
		case unicode.IsLetter(r):
			return false
		}
	}
	return false
}

// shape is one word's sound inventory.
type shape struct{ syl, cons, long int }

func (s shape) points() int {
	if s.syl == 0 {
		return 0
	}
	return stressedPoints + (s.syl-1)*unstressedPoints + s.cons*consonantPoints + s.long*longPoints
}

// irregular holds the words the skill says whose spelling misleads the
// rules below.
var irregular = map[string]shape{
	"i":          {1, 0, 1},
	"eye":        {1, 0, 1},
	"the":        {1, 1, 0},
	"one":        {1, 2, 0},
	"once":       {1, 3, 0},
	"two":        {1, 1, 1},
	"some":       {1, 2, 0},
	"come":       {1, 2, 0},
	"done":       {1, 2, 0},
	"none":       {1, 2, 0},
	"give":       {1, 2, 0},
	"have":       {1, 2, 0},
	"said":       {1, 2, 0},
	"area":       {3, 1, 2},
	"every":      {2, 2, 1},
	"everything": {3, 5, 1},
	"alexa":      {3, 3, 1},
	"doctor":     {2, 3, 0},
	"minutes":    {2, 4, 0},
	"lying":      {2, 2, 1},
	"doing":      {2, 2, 1},
	"going":      {2, 2, 1},
	"before":     {2, 3, 2},
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// vowelAt reports whether the letter at i of w acts as a vowel: y is a
// consonant before a vowel (yes, beyond), u after q is part of the
// consonant qu, and w after a vowel closes a vowel team (now, saw).
func vowelAt(w []byte, i int) bool {
	switch w[i] {
	case 'y':
		return i+1 == len(w) || !isVowel(w[i+1]) || w[i+1] == 'y'
	case 'u':
		return i == 0 || w[i-1] != 'q'
	case 'w':
		return i > 0 && vowelAt(w, i-1) && (i+1 == len(w) || !isVowel(w[i+1]))
	}
	return isVowel(w[i])
}

func hasSuffix(w []byte, s string) bool {
	return len(w) >= len(s) && string(w[len(w)-len(s):]) == s
}

// analyze estimates the sounds of one word of lower-case ASCII letters.
func analyze(w []byte) shape {
	if len(w) == 0 {
		return shape{}
	}
	if s, ok := irregular[string(w)]; ok {
		return s
	}
	n := len(w)
	// Silent endings: a final e after a consonant (not the syllabic
	// consonant-le of "gentle"), and -ed not after t or d. The vowel
	// letter stays in the word but forms no syllable. (A final -es after
	// one consonant, as in "takes", is left a syllable: it weighs what
	// the long vowel of a magic e would.)
	silent := -1
	switch {
	case n > 2 && w[n-1] == 'e' && !vowelAt(w, n-2) && (w[n-2] != 'l' || vowelAt(w, n-3)):
		silent = n - 1
	case n > 3 && hasSuffix(w, "ed") && w[n-3] != 't' && w[n-3] != 'd' && !vowelAt(w, n-3):
		silent = n - 2
	}
	var s shape
	for i := 0; i < n; {
		if !vowelAt(w, i) {
			i++
			continue
		}
		j := i
		for j < n && vowelAt(w, j) {
			j++
		}
		switch {
		case i == silent && s.syl > 0:
			// A silent e: a magic e lengthens the vowel before it
			// (five, take), when one consonant stands between.
			if i >= 2 && !vowelAt(w, i-1) && vowelAt(w, i-2) && (i == 2 || !vowelAt(w, i-3)) {
				s.long++
			}
		case j-i >= 2: // a vowel team: one long vowel or diphthong
			s.syl++
			s.long++
		default:
			s.syl++
			if longSingle(w, i, s.syl == 1) {
				s.long++
			}
		}
		i = j
	}
	if s.syl == 0 {
		s.syl = 1
	}
	if hasSuffix(w, "dnt") || hasSuffix(w, "snt") {
		s.syl++ // a syllabic n: didn't, wasn't
	}
	s.cons = consonants(w)
	return s
}

// longSingle reports whether the single vowel letter at i is long: the
// open final vowel of a one-syllable word (go, me, my), o before ld or lt
// (hold, bolt), i before ld, nd or gh (mild, kind, high).
func longSingle(w []byte, i int, first bool) bool {
	rest := w[i+1:]
	switch {
	case len(rest) == 0:
		return first && len(w) >= 2
	case len(rest) >= 2 && w[i] == 'o' && rest[0] == 'l' && (rest[1] == 'd' || rest[1] == 't'):
		return true
	case len(rest) >= 2 && w[i] == 'i' && (rest[0] == 'l' && rest[1] == 'd' || rest[0] == 'n' && rest[1] == 'd' || rest[0] == 'g' && rest[1] == 'h'):
		return true
	}
	return false
}

// consonants counts the consonant sounds of w: digraphs (th, sh, ch, ph,
// wh, ck, ng, initial kn, wr and gn, tch) count once, doubled letters
// once, x and q twice, gh after a vowel and a final mb's b not at all.
func consonants(w []byte) int {
	n := len(w)
	c := 0
	for i := 0; i < n; i++ {
		l := w[i]
		if vowelAt(w, i) || l == 'u' || i > 0 && w[i-1] == l {
			continue // a vowel, the u of qu, a doubled letter
		}
		switch pair := string(w[i:min(i+2, n)]); {
		case pair == "gh" && i > 0 && vowelAt(w, i-1):
			i++ // silent: high, eight, though
		case pair == "ng" && (i+2 == n || w[i+2] != 'e'), // not n and a soft g: change
			pair == "th", pair == "sh", pair == "ch", pair == "ph", pair == "wh", pair == "ck", pair == "gh",
			i == 0 && (pair == "kn" || pair == "wr" || pair == "gn"):
			c++
			i++
		case pair == "tc" && i+2 < n && w[i+2] == 'h':
			c++
			i += 2
		case l == 'x' || l == 'q':
			c += 2 // k s, k w
		case l == 'b' && i == n-1 && i > 0 && w[i-1] == 'm':
			// silent b: lamb, thumb
		default:
			c++
		}
	}
	return c
}

// Spoken words for numbers and symbols.
var (
	smallNumbers = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tensWords = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	// letterNames is how a spelled-out capital letter is said.
	letterNames = [26]string{"ay", "bee", "see", "dee", "ee", "eff", "jee", "aitch", "eye", "jay", "kay", "ell", "em",
		"en", "oh", "pee", "cue", "are", "ess", "tee", "you", "vee", "double you", "ex", "why", "zee"}
	symbolWords = map[rune]string{
		'%': "percent", '&': "and", '+': "plus", '$': "dollars", '@': "at", '=': "equals", '#': "number",
	}
)

// Precomputed weights, so that timing text does not allocate.
var (
	smallP   [20]int
	tensP    [10]int
	letterP  [26]int
	hundredP int
	pointP   int
	symbolP  = map[rune]int{}
)

func init() {
	for i, w := range smallNumbers {
		smallP[i] = phrasePoints(w)
	}
	for i, w := range tensWords {
		tensP[i] = phrasePoints(w)
	}
	for i, w := range letterNames {
		letterP[i] = phrasePoints(w)
	}
	hundredP = phrasePoints("hundred")
	pointP = phrasePoints("point")
	for r, w := range symbolWords {
		symbolP[r] = phrasePoints(w)
	}
}

// phrasePoints weighs a phrase of lower-case ASCII words.
func phrasePoints(p string) int {
	q := 0
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == ' ' {
			if i > start {
				q += analyze([]byte(p[start:i])).points()
			}
			start = i + 1
		}
	}
	return q
}

// below1000 weighs a number from 0 to 999 said as words.
func below1000(n int) int {
	q := 0
	if n >= 100 {
		q += smallP[n/100] + hundredP
		n %= 100
		if n == 0 {
			return q
		}
	}
	if n < 20 {
		return q + smallP[n]
	}
	q += tensP[n/10]
	if n%10 != 0 {
		q += smallP[n%10]
	}
	return q
}

// number weighs the number that starts at text[i] and returns the index
// after it: digits with an optional decimal part read digit by digit
// (1.5); the minutes of a clock time (10:30) follow as a number of their
// own.
func number(text string, i int) (p, next int) {
	j := digitsEnd(text, i)
	p = numberPoints(text[i:j])
	if j+1 < len(text) && text[j] == '.' && isDigit(text[j+1]) {
		e := digitsEnd(text, j+1)
		p += pointP + digitPoints(text[j+1:e])
		j = e
	}
	if j+1 < len(text) && text[j] == ':' && isDigit(text[j+1]) {
		j++
	}
	return p, j
}

// numberPoints weighs a run of digits read as a cardinal number. The
// skill says no number over 999: longer runs, and runs with a leading
// zero (the minutes of 10:05), are read digit by digit.
func numberPoints(s string) int {
	if len(s) > 3 || len(s) > 1 && s[0] == '0' {
		return digitPoints(s)
	}
	v := 0
	for i := 0; i < len(s); i++ {
		v = 10*v + int(s[i]-'0')
	}
	return below1000(v)
}

// digitPoints weighs the digits of s read one by one.
func digitPoints(s string) int {
	q := 0
	for i := 0; i < len(s); i++ {
		q += smallP[s[i]-'0']
	}
	return q
}

// digitsEnd returns the index after the run of digits that starts at
// text[i].
func digitsEnd(text string, i int) int {
	for i < len(text) && isDigit(text[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// maxWord bounds the letters of one word kept for analysis; longer words
// are weighed in pieces.
const maxWord = 32

// measure weighs text: the sound of its words, numbers and spoken symbols,
// and the pauses its punctuation asks for. It never allocates.
func measure(text string) weight {
	if dirty(text) {
		text = Sanitize(text) // time what is said
	}
	m := meter{upper: true}
	m.w.stop = startsWithStop(text)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r >= 'a' && r <= 'z':
			m.letter(byte(r), false)
		case r >= 'A' && r <= 'Z':
			m.letter(byte(r)+'a'-'A', true)
		case r == '\'' || r == '’':
			// Inside a word (let's, don't) an apostrophe is silent.
		case r >= '0' && r <= '9':
			q, next := number(text, i)
			m.say(q)
			i = next
			continue
		case r == ',' || r == ';' || r == ':' || r == '–' || r == '—' || r == '(' || r == ')':
			m.flushWord()
			if m.pending == 0 {
				m.pending = ','
			}
		case r == '.' || r == '!' || r == '?' || r == '…':
			m.flushWord()
			m.pending = '.'
		case symbolP[r] != 0:
			m.say(symbolP[r])
		case unicode.IsLetter(r):
			m.letter('a', false) // a letter outside ASCII: assume it carries a vowel
		default:
			m.flushWord()
		}
		i += size
	}
	m.flushWord()
	m.flushPause()
	return m.w
}

// meter adds up the weight of a text as measure reads it.
type meter struct {
	w       weight
	buf     [maxWord]byte // the word being read, in lower case
	n       int           // letters in buf
	upper   bool          // every letter of the word so far is an ASCII capital
	pending byte          // punctuation waiting for the next word: ',' or '.'
}

// letter adds a letter to the word being read.
func (m *meter) letter(c byte, capital bool) {
	if m.n == 0 {
		m.flushPause()
	}
	if m.n == maxWord {
		m.flushWord()
	}
	m.buf[m.n] = c
	m.n++
	m.upper = m.upper && capital
}

// say adds points said apart from any word: a number or a symbol.
func (m *meter) say(points int) {
	m.flushWord()
	m.flushPause()
	m.w.points += points
}

// flushWord weighs the word read so far: a short run of capitals without
// a vowel is spelled out (PM, TV), any other word is analyzed.
func (m *meter) flushWord() {
	if m.n == 0 {
		return
	}
	word := m.buf[:m.n]
	if m.upper && m.n >= 2 && m.n <= 5 && !hasVowelLetter(word) {
		for _, c := range word {
			m.w.points += letterP[c-'a']
		}
	} else {
		m.w.points += analyze(word).points()
	}
	m.n = 0
	m.upper = true
}

// flushPause counts the pause that punctuation before a word asks for.
func (m *meter) flushPause() {
	switch m.pending {
	case ',':
		m.w.clauses++
	case '.':
		m.w.sentences++
	}
	m.pending = 0
}

// dirty reports whether Sanitize would drop anything from text (white
// space aside).
func dirty(text string) bool {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 || !keep(r) {
			return true
		}
		i += size
	}
	return false
}

func hasVowelLetter(w []byte) bool {
	for _, c := range w {
		if isVowel(c) {
			return true
		}
	}
	return false
}
