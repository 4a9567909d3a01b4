// Package numwords reads English numbers written in words ("twenty one",
// "a hundred and five", "twenty first") from lower-case words. Both the
// turn's slot parsing (package intents) and the chat's text normalisation
// (package utterance) read numbers with it, so that they agree on what a
// number is. It depends on nothing in the project.
//
// The grammar is that of a spoken English cardinal up to 999,999:
// "[one..nine|a] hundred [and] <below a hundred>", optionally followed by
// "thousand [and] <below a thousand>" after a number below a thousand;
// below a hundred, "twenty".."ninety" optionally followed by "one".."nine",
// or "zero".."nineteen". "hundred" and "thousand" alone are not numbers.
package numwords

import "slices"

var (
	units = map[string]int{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
		"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
		"eighteen": 18, "nineteen": 19,
	}
	tens = map[string]int{
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
		"seventy": 70, "eighty": 80, "ninety": 90,
	}
	// ordinals maps each ordinal word to the cardinal word it ends a
	// number as ("twenty first" is "twenty one").
	ordinals = map[string]string{
		"first": "one", "second": "two", "third": "three", "fourth": "four", "fifth": "five",
		"sixth": "six", "seventh": "seven", "eighth": "eight", "ninth": "nine", "tenth": "ten",
		"eleventh": "eleven", "twelfth": "twelve", "thirteenth": "thirteen",
		"fourteenth": "fourteen", "fifteenth": "fifteen", "sixteenth": "sixteen",
		"seventeenth": "seventeen", "eighteenth": "eighteen", "nineteenth": "nineteen",
		"twentieth": "twenty", "thirtieth": "thirty", "fortieth": "forty", "fiftieth": "fifty",
		"sixtieth": "sixty", "seventieth": "seventy", "eightieth": "eighty", "ninetieth": "ninety",
		"hundredth": "hundred", "thousandth": "thousand",
	}
)

// Prefix reads the longest cardinal number at the start of words and
// returns its value and how many words it used: 0 when words does not
// start with a number.
func Prefix(words []string) (n, used int) {
	hi, used := belowThousand(words)
	if used == 0 {
		return 0, 0
	}
	if used < len(words) && words[used] == "thousand" {
		total, rest := hi*1000, used+1
		if n, u := afterAnd(words[rest:], belowThousand); u > 0 {
			return total + n, rest + u
		}
		return total, rest
	}
	return hi, used
}

// Parse reads words that together are one number, cardinal or ordinal
// ("five", "fifth", "twenty one", "twenty first", "one hundredth"). It
// reports false for anything else, an empty list included.
func Parse(words []string) (int, bool) {
	if len(words) == 0 {
		return 0, false
	}
	if c, ok := ordinals[words[len(words)-1]]; ok {
		words = append(slices.Clone(words[:len(words)-1]), c)
	}
	n, used := Prefix(words)
	if used == 0 || used < len(words) {
		return 0, false
	}
	return n, true
}

// Ordinal reads one ordinal word ("third", "twentieth"): its value, and
// false for any other word.
func Ordinal(word string) (int, bool) {
	c, ok := ordinals[word]
	if !ok {
		return 0, false
	}
	n, used := Prefix([]string{c})
	return n, used == 1
}

// afterAnd reads an optional "and" followed by what parse reads; it reads
// nothing unless parse does.
func afterAnd(words []string, parse func([]string) (int, int)) (int, int) {
	skip := 0
	if len(words) > 0 && words[0] == "and" {
		skip = 1
	}
	n, u := parse(words[skip:])
	if u == 0 {
		return 0, 0
	}
	return n, skip + u
}

// belowThousand reads "[one..nine|a] hundred [and] [below a hundred]" or
// a number below a hundred.
func belowThousand(words []string) (int, int) {
	if len(words) < 2 || words[1] != "hundred" {
		return belowHundred(words)
	}
	h, ok := units[words[0]]
	switch {
	case words[0] == "a":
		h = 1
	case !ok || h < 1 || h > 9:
		return belowHundred(words)
	}
	if n, u := afterAnd(words[2:], belowHundred); u > 0 {
		return h*100 + n, 2 + u
	}
	return h * 100, 2
}

// belowHundred reads "twenty".."ninety" with an optional "one".."nine"
// after it, or "zero".."nineteen".
func belowHundred(words []string) (int, int) {
	if len(words) == 0 {
		return 0, 0
	}
	if t, ok := tens[words[0]]; ok {
		if len(words) > 1 {
			if u, ok := units[words[1]]; ok && u >= 1 && u <= 9 {
				return t + u, 2
			}
		}
		return t, 1
	}
	if n, ok := units[words[0]]; ok {
		return n, 1
	}
	return 0, 0
}
