package utterance

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"spasmcoach/numwords"
)

// Normalize returns text as the resolver compares it: lower case, curly
// quotes straightened, punctuation dropped (hyphens and slashes split words;
// a decimal point between digits stays), common contractions expanded
// ("what's" and "whats" become "what is", "can't" becomes "can not", and
// any other "'s" reads "is": "the pain's" becomes "the pain is"), the
// fillers "please", "um", "uh", "er", "hmm" and the wake word "alexa"
// dropped, number words turned into digits ("twenty one" becomes "21", "a
// hundred and five" becomes "105"), three or more digits said one by one
// joined as a phone number is ("nine one one" and "9-1-1" become "911",
// "triple zero" becomes "000"), words said twice in a row said once ("I- I
// can't move", "hang on, hang on"; not a number, not "help help"), and
// single spaces between words.
// Normalize is idempotent.
func Normalize(text string) string {
	return strings.Join(tokenize(text), " ")
}

// tokenize splits text into normalised words (see Normalize).
func tokenize(text string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		words = appendWord(words, b.String())
		b.Reset()
	}
	runes := []rune(text)
	for i, c := range runes {
		switch {
		case c == '\'' || c == '\u2019' || c == '\u2018' || c == '`':
			b.WriteByte('\'')
		case c == '.' && i > 0 && i+1 < len(runes) && unicode.IsDigit(runes[i-1]) && unicode.IsDigit(runes[i+1]):
			b.WriteByte('.')
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			b.WriteRune(unicode.ToLower(c))
		default:
			flush()
		}
	}
	flush()
	return dropRepeats(joinDigits(numbersToDigits(words)))
}

// dropRepeats drops words said twice in a row, as in a false start ("I- I
// can't move", "it really really hurts", "hang on, hang on"): a run of up
// to four words right after the same run. A number alone stays ("five
// five"), and so does "help help", a cry for help.
func dropRepeats(words []string) []string {
	for {
		out := dropRepeatsOnce(words)
		if len(out) == len(words) {
			return out
		}
		words = out // dropping may bring a new repeat together
	}
}

// dropRepeatsOnce drops repeats in one pass from left to right.
func dropRepeatsOnce(words []string) []string {
	out := make([]string, 0, len(words))
	for i := 0; i < len(words); {
		n := repeatAt(out, words[i:])
		if n == 0 {
			out = append(out, words[i])
			i++
			continue
		}
		i += n
	}
	return out
}

// repeatAt returns the length of the longest run at the start of rest
// that repeats the end of done, or 0.
func repeatAt(done, rest []string) int {
	for n := min(4, len(done), len(rest)); n >= 1; n-- {
		if n == 1 && (isDigits(rest[0]) || rest[0] == "help") {
			continue // "five five" may be two numbers; "help help" is a cry
		}
		if slices.Equal(done[len(done)-n:], rest[:n]) {
			return n
		}
	}
	return 0
}

// appendWord appends the normalised form of one raw word (letters, digits
// and apostrophes) to words: contractions expanded, apostrophes dropped,
// fillers left out.
func appendWord(words []string, w string) []string {
	w = strings.Trim(w, "'")
	if w == "" {
		return words
	}
	if exp, ok := contractions[w]; ok {
		return append(words, exp...)
	}
	if base, ok := strings.CutSuffix(w, "'s"); ok && base != "" && !strings.ContainsRune(base, '\'') {
		// "the pain's getting worse", "my back's gone": is.
		return append(appendWord(words, base), "is")
	}
	if strings.ContainsRune(w, '\'') {
		w = strings.ReplaceAll(w, "'", "")
		if exp, ok := contractions[w]; ok && !ambiguousBare[w] {
			return append(words, exp...)
		}
	}
	if fillers[w] {
		return words
	}
	if len(w) == 2 && w[0] == '0' && isDigits(w) {
		w = w[1:] // "07" is 7; a longer number keeps its zeros, as "000" does
	}
	return append(words, w)
}

// joinDigits joins three or more digits said one by one into one number,
// as a phone number is said (two stay apart: "five six" may be two
// numbers): "nine one one" (by now "9 1 1") becomes "911", "one oh
// eight" and "double one two" become "108" and "112", "triple zero" becomes
// "000".
func joinDigits(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		run, n := digitRun(words[i:])
		if n >= 2 && len(run) >= 3 {
			out = append(out, run)
			i += n - 1
			continue
		}
		out = append(out, words[i])
	}
	return out
}

// digitRun reads single digits at the start of w, with "oh" between two
// digits as zero and "double" or "triple" before a digit repeating it. It
// returns the digits and how many words it used.
func digitRun(w []string) (string, int) {
	var b strings.Builder
	used := 0
	for used < len(w) {
		word := w[used]
		switch {
		case len(word) == 1 && isDigits(word):
			b.WriteString(word)
			used++
		case (word == "double" || word == "triple") && used+1 < len(w) && len(w[used+1]) == 1 && isDigits(w[used+1]):
			b.WriteString(strings.Repeat(w[used+1], map[string]int{"double": 2, "triple": 3}[word]))
			used += 2
		case word == "oh" && used > 0 && used+1 < len(w) && len(w[used+1]) == 1 && isDigits(w[used+1]):
			b.WriteByte('0')
			used++
		default:
			return b.String(), used
		}
	}
	return b.String(), used
}

// fillers are words dropped wherever they appear.
var fillers = map[string]bool{
	"please": true, "pls": true, "um": true, "umm": true, "uh": true, "uhh": true,
	"er": true, "erm": true, "hmm": true, "hm": true, "alexa": true,
}

// contractions maps a word, with or without its apostrophe, to the words it
// stands for. Spellings are folded here too ("ok" becomes "okay").
var contractions = func() map[string][]string {
	src := map[string]string{
		"what's": "what is", "where's": "where is", "when's": "when is", "how's": "how is",
		"who's": "who is", "that's": "that is", "there's": "there is", "here's": "here is",
		"it's": "it is", "let's": "let us", "i'm": "i am", "i've": "i have", "i'd": "i would",
		"i'll": "i will", "you're": "you are", "you've": "you have", "you'll": "you will",
		"we're": "we are", "we've": "we have", "we'll": "we will", "they're": "they are",
		"he's": "he is", "she's": "she is",
		"can't": "can not", "don't": "do not", "doesn't": "does not", "didn't": "did not",
		"isn't": "is not", "aren't": "are not", "wasn't": "was not", "won't": "will not",
		"wouldn't": "would not", "shouldn't": "should not", "couldn't": "could not",
		"haven't": "have not", "hasn't": "has not", "hadn't": "had not",
		"cannot": "can not", "wanna": "want to", "gonna": "going to", "gotta": "got to",
		"ok": "okay", "alright": "all right", "nevermind": "never mind",
	}
	m := make(map[string][]string, 2*len(src))
	for k, v := range src {
		exp := strings.Fields(v)
		m[k] = exp
		if bare := strings.ReplaceAll(k, "'", ""); bare != k && !ambiguousBare[bare] {
			m[bare] = exp
		}
	}
	return m
}()

// ambiguousBare are contractions that, written without their apostrophe,
// are other words ("ill", "well", "were"); only the apostrophe form
// expands.
var ambiguousBare = map[string]bool{
	"id": true, "ill": true, "well": true, "were": true, "wed": true, "shell": true,
	"hell": true, "shes": true,
}

// numbersToDigits replaces each run of number words by its value in digits.
func numbersToDigits(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); {
		if n, used := numwords.Prefix(words[i:]); used > 0 {
			out = append(out, strconv.Itoa(n))
			i += used
			continue
		}
		out = append(out, words[i])
		i++
	}
	return out
}

// isDigits reports whether s is a non-empty run of ASCII digits, possibly
// with one decimal point inside.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return true
}
