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
// table of common irregular words. Digits are read as their spoken words.

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
// or a number said with a t (two, twenty, ten, twelve).
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
			// Two, twenty, two hundred; ten, twelve (thousand).
			n := 1
			for j := i; j < len(text) && (isDigit(text[j]) || text[j] == ','); j++ {
				if text[j] != ',' {
					n++
				}
			}
			switch {
			case r == '2':
				return true
			case r == '1' && n%3 == 2 && i < len(text):
				return text[i] == '0' || text[i] == '2'
			}
			return false
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

// irregular holds common words whose spelling misleads the rules below.
var irregular = map[string]shape{
	"a":          {1, 0, 0},
	"i":          {1, 0, 1},
	"the":        {1, 1, 0},
	"one":        {1, 2, 0},
	"once":       {1, 3, 0},
	"two":        {1, 1, 1},
	"some":       {1, 2, 0},
	"come":       {1, 2, 0},
	"done":       {1, 2, 0},
	"gone":       {1, 2, 0},
	"none":       {1, 2, 0},
	"give":       {1, 2, 0},
	"live":       {1, 2, 0},
	"have":       {1, 2, 0},
	"love":       {1, 2, 0},
	"move":       {1, 2, 1},
	"are":        {1, 1, 1},
	"were":       {1, 2, 1},
	"where":      {1, 2, 1},
	"there":      {1, 2, 1},
	"here":       {1, 2, 1},
	"people":     {2, 3, 1},
	"area":       {3, 1, 2},
	"idea":       {3, 1, 2},
	"every":      {2, 2, 1},
	"everyone":   {3, 4, 1},
	"everything": {3, 5, 1},
	"evening":    {2, 3, 1},
	"business":   {2, 3, 0},
	"ok":         {2, 1, 2},
	"alexa":      {3, 3, 1},
	"doctor":     {2, 3, 0},
	"minutes":    {2, 4, 0},
	"lying":      {2, 2, 1},
	"quiet":      {2, 3, 1},
	"being":      {2, 2, 1},
	"doing":      {2, 2, 1},
	"going":      {2, 2, 1},
	"seeing":     {2, 2, 1},
	"before":     {2, 3, 2},
	"again":      {2, 2, 1},
	"said":       {1, 2, 0},
	"says":       {1, 2, 0},
	"eye":        {1, 0, 1},
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// vowelAt reports whether the letter at i of w acts as a vowel: y is a
// consonant at the start of a word or before a vowel, u after q is part
// of the consonant qu, and w after a vowel closes a vowel team (now, saw).
func vowelAt(w []byte, i int) bool {
	c := w[i]
	switch c {
	case 'y':
		if i == 0 {
			return false
		}
		if i+1 < len(w) && isVowel(w[i+1]) && w[i+1] != 'y' {
			return false
		}
		return true
	case 'u':
		return i == 0 || w[i-1] != 'q'
	case 'w':
		return i > 0 && vowelAt(w, i-1) && (i+1 == len(w) || !isVowel(w[i+1]))
	}
	return isVowel(c)
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
	// consonant-le of "gentle"), -ed not after t or d, -es not after a
	// sibilant. The vowel letter stays in the word but forms no syllable.
	silent := -1
	switch {
	case n > 2 && w[n-1] == 'e' && !vowelAt(w, n-2) && !(w[n-2] == 'l' && !vowelAt(w, n-3)):
		silent = n - 1
	case n > 3 && hasSuffix(w, "ed") && w[n-3] != 't' && w[n-3] != 'd' && !vowelAt(w, n-3):
		silent = n - 2
	case n > 3 && hasSuffix(w, "es") && !vowelAt(w, n-3) && !sibilantBefore(w, n-2) &&
		!(w[n-3] == 'l' && n > 4 && !vowelAt(w, n-4)):
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
		if i == silent && s.syl > 0 {
			// A silent e: a magic e lengthens the vowel before it
			// (five, times), when one consonant stands between.
			if i >= 2 && !vowelAt(w, i-1) && w[i-1] != 'w' && vowelAt(w, i-2) && (i == 2 || !vowelAt(w, i-3)) {
				s.long++
			}
			i = j
			continue
		}
		group := w[i:j]
		switch {
		case len(group) >= 2 && splits(w, i, j):
			s.syl += 2
		case len(group) >= 2:
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
	switch {
	case hasSuffix(w, "ism"), hasSuffix(w, "thm"),
		hasSuffix(w, "dnt"), hasSuffix(w, "snt"):
		s.syl++
	}
	s.cons = consonants(w)
	return s
}

// sibilantBefore reports whether the letters before index i end in a
// sound that makes a following -es a syllable (kisses, boxes, catches).
func sibilantBefore(w []byte, i int) bool {
	if i < 1 {
		return false
	}
	switch w[i-1] {
	case 's', 'x', 'z':
		return true
	case 'h':
		return i >= 2 && (w[i-2] == 'c' || w[i-2] == 's')
	case 'g', 'c':
		return true // pages, places
	}
	return false
}

// splits reports whether the vowel group w[i:j] is two syllables, as in
// "period", "video", "usual", "create".
func splits(w []byte, i, j int) bool {
	g := string(w[i:j])
	prev := byte(0)
	if i > 0 {
		prev = w[i-1]
	}
	switch g {
	case "ia", "io", "iu":
		// -tion, -sion, -cial, -cious are one syllable.
		return prev != 't' && prev != 's' && prev != 'c' && prev != 'x' && prev != 'g'
	case "eo", "ua", "uo", "ii":
		return prev != 'g' && prev != 'q'
	case "ie":
		return j+1 == len(w) && w[j] == 't' // quiet, diet
	case "ea":
		return j == len(w) // area, idea
	}
	// A vowel before -ing: being, doing, going.
	return hasSuffix(w, "ing") && j == len(w)-2
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
// wh, ck, ng, kn, wr, tch) count once, doubled letters once, x twice, gh
// after a vowel and a final mb's b not at all.
func consonants(w []byte) int {
	n := len(w)
	c := 0
	for i := 0; i < n; i++ {
		if vowelAt(w, i) {
			continue
		}
		l := w[i]
		if l == 'u' { // the u of qu
			continue
		}
		if i > 0 && w[i-1] == l {
			continue // doubled
		}
		if i+1 < n {
			pair := string(w[i : i+2])
			switch pair {
			case "ng":
				if i+2 < n && w[i+2] == 'e' {
					break // n and a soft g: change, danger
				}
				c++
				i++
				continue
			case "th", "sh", "ch", "ph", "wh", "ck":
				c++
				i++
				continue
			case "gh":
				if i > 0 && vowelAt(w, i-1) {
					i++
					continue // silent: high, eight, though
				}
				c++
				i++
				continue
			case "kn", "wr", "gn":
				if i == 0 {
					c++
					i++
					continue
				}
			case "tc":
				if i+2 < n && w[i+2] == 'h' {
					c++
					i += 2
					continue
				}
			}
		}
		switch {
		case l == 'x':
			c += 2
		case l == 'q':
			c += 2 // k w
		case l == 'b' && i == n-1 && i > 0 && w[i-1] == 'm':
			// silent b: lamb, thumb
		case l == 'h' && i == n-1 && i > 0 && vowelAt(w, i-1):
			// silent final h: oh, ah
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
	tensWords  = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	scaleWords = []string{"", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"}
	// letterNames is how a spelled-out capital letter is said.
	letterNames = [26]string{"ay", "bee", "see", "dee", "ee", "eff", "jee", "aitch", "eye", "jay", "kay", "ell", "em",
		"en", "oh", "pee", "cue", "are", "ess", "tee", "you", "vee", "double you", "ex", "why", "zee"}
	symbolWords = map[rune]string{
		'%': "percent", '&': "and", '+': "plus", '$': "dollars", '€': "euros", '£': "pounds",
		'@': "at", '=': "equals", '°': "degrees", '#': "number", '×': "times", '½': "one half",
	}
)

// Precomputed weights, so that timing text does not allocate.
var (
	smallP   [20]int
	tensP    [10]int
	scaleP   [7]int
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
	for i, w := range scaleWords {
		scaleP[i] = phrasePoints(w)
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

// below1000 weighs a number from 0 to 999 said as words ("zero" only
// when zero is the whole number).
func below1000(n int, whole bool) int {
	q := 0
	if n >= 100 {
		q += smallP[n/100] + hundredP
		n %= 100
		if n == 0 {
			return q
		}
	}
	switch {
	case n == 0:
		if whole {
			q += smallP[0]
		}
	case n < 20:
		q += smallP[n]
	default:
		q += tensP[n/10]
		if n%10 != 0 {
			q += smallP[n%10]
		}
	}
	return q
}

// number weighs the number that starts at text[i] and returns the index
// after it: digits with optional thousands commas (1,000), a decimal part
// read digit by digit (2.5), an ordinal suffix (1st, 22nd), and the minutes
// of a clock time (10:30).
func number(text string, i int) (p, next int) {
	j := i
	for {
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		// A comma followed by exactly three digits continues the number.
		if j+4 <= len(text) && text[j] == ',' && isDigits(text[j+1:j+4]) && (j+4 == len(text) || !isDigit(text[j+4])) {
			j += 4
			continue
		}
		break
	}
	p = numberPoints(text[i:j])
	if j+1 < len(text) && text[j] == '.' && isDigit(text[j+1]) {
		e := j + 1
		for e < len(text) && isDigit(text[e]) {
			e++
		}
		p += pointP + digitPoints(text[j+1:e])
		j = e
	}
	if j+2 <= len(text) {
		switch text[j : j+2] {
		case "st", "nd", "rd", "th":
			if j+2 == len(text) || !isASCIILetter(text[j+2]) {
				j += 2
			}
		}
	}
	if j+1 < len(text) && text[j] == ':' && isDigit(text[j+1]) {
		j++ // the minutes follow as a number of their own
	}
	return p, j
}

// numberPoints weighs a run of digits (commas ignored) read as a
// cardinal number. Runs with a leading zero, or too long to read as a
// number, are read digit by digit.
func numberPoints(s string) int {
	var buf [3 * 7]byte
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			continue
		}
		if n == len(buf) {
			return digitPoints(s)
		}
		buf[n] = s[i]
		n++
	}
	digits := buf[:n]
	if n == 0 {
		return 0
	}
	if digits[0] == '0' && n > 1 {
		return digitPoints(s)
	}
	q := 0
	first := n % 3
	if first == 0 {
		first = 3
	}
	groups := (n + 2) / 3
	pos := 0
	for g := 0; g < groups; g++ {
		end := first + 3*g
		v := 0
		for _, d := range digits[pos:end] {
			v = 10*v + int(d-'0')
		}
		pos = end
		if v == 0 && groups > 1 {
			continue
		}
		q += below1000(v, groups == 1)
		if scale := groups - 1 - g; scale > 0 {
			q += scaleP[scale]
		}
	}
	return q
}

// digitPoints weighs the digits of s read one by one.
func digitPoints(s string) int {
	q := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			q += smallP[s[i]-'0']
		}
	}
	return q
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// foldLatin maps an accented Latin letter to its base letter, or returns 0.
func foldLatin(r rune) byte {
	switch {
	case r >= 'à' && r <= 'å', r >= 'À' && r <= 'Å':
		return 'a'
	case r == 'ç', r == 'Ç':
		return 'c'
	case r >= 'è' && r <= 'ë', r >= 'È' && r <= 'Ë':
		return 'e'
	case r >= 'ì' && r <= 'ï', r >= 'Ì' && r <= 'Ï':
		return 'i'
	case r == 'ñ', r == 'Ñ':
		return 'n'
	case r >= 'ò' && r <= 'ö', r >= 'Ò' && r <= 'Ö', r == 'ø', r == 'Ø':
		return 'o'
	case r >= 'ù' && r <= 'ü', r >= 'Ù' && r <= 'Ü':
		return 'u'
	case r == 'ý', r == 'ÿ', r == 'Ý':
		return 'y'
	case r == 'ß':
		return 's'
	}
	return 0
}

// syllabic reports whether r is a letter of a script whose every
// character is about one syllable.
func syllabic(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// maxWord bounds the letters of one word kept for analysis; longer words
// are weighed in pieces.
const maxWord = 32

// measure weighs text: the sound of its words, numbers and spoken symbols,
// and the pauses its punctuation asks for. It never allocates.
func measure(text string) weight {
	var (
		w       weight
		buf     [maxWord]byte
		n       int  // letters in buf
		upper   bool // every letter of the word so far is an ASCII capital
		pending byte // punctuation waiting for the next word: ',' or '.'
	)
	flushWord := func() {
		if n == 0 {
			return
		}
		word := buf[:n]
		if upper && n >= 2 && n <= 5 && !hasVowelLetter(word) {
			for _, c := range word {
				w.points += letterP[c-'a']
			}
		} else {
			w.points += analyze(word).points()
		}
		n = 0
		upper = true
	}
	flushPause := func() {
		switch pending {
		case ',':
			w.clauses++
		case '.':
			w.sentences++
		}
		pending = 0
	}
	if dirty(text) {
		text = Sanitize(text) // time what is said
	}
	upper = true
	w.stop = startsWithStop(text)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			if n == 0 {
				flushPause()
			}
			if n == maxWord {
				flushWord()
			}
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			} else {
				upper = false
			}
			buf[n] = byte(r)
			n++
		case r == '\'' || r == '’':
			// Inside a word (let's, don't) an apostrophe is silent.
		case r >= '0' && r <= '9':
			flushWord()
			flushPause()
			q, next := number(text, i)
			w.points += q
			i = next
			continue
		case r == ',' || r == ';' || r == ':' || r == '–' || r == '—' || r == '(' || r == ')':
			flushWord()
			if pending == 0 {
				pending = ','
			}
		case r == '.' || r == '!' || r == '?' || r == '…':
			flushWord()
			pending = '.'
		case symbolP[r] != 0:
			flushWord()
			flushPause()
			w.points += symbolP[r]
		case unicode.IsLetter(r):
			if n == 0 {
				flushPause()
			}
			if syllabic(r) {
				flushWord()
				w.points += pointsPerSyllable
				break
			}
			c := foldLatin(r)
			if c == 0 {
				c = 'a' // an unknown letter: assume it carries a vowel
			}
			if n == maxWord {
				flushWord()
			}
			buf[n] = c
			n++
			upper = false
		default:
			flushWord()
		}
		i += size
	}
	flushWord()
	flushPause()
	return w
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

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func hasVowelLetter(w []byte) bool {
	for _, c := range w {
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			return true
		}
	}
	return false
}
