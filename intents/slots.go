package intents

import (
	"strconv"
	"strings"
	"time"

	"spasmcoach/alexaapi"
	"spasmcoach/skill"
)

// ValueStatus says what a slot held.
type ValueStatus uint8

// Slot value statuses.
const (
	// ValueMissing: the user did not fill the slot ("" or absent).
	ValueMissing ValueStatus = iota
	// ValueOK: the value was understood.
	ValueOK
	// ValueUnclear: the user said something the skill could not understand
	// ("?", "blue", "-3").
	ValueUnclear
)

// String names the status.
func (s ValueStatus) String() string {
	switch s {
	case ValueOK:
		return "ok"
	case ValueUnclear:
		return "unclear"
	}
	return "missing"
}

// maxSlotNumber bounds the numbers ParseCount and ParseMinutes accept;
// anything larger is unclear rather than a risk of overflow.
const maxSlotNumber = 1_000_000

// ParseCount reads a count or a number ("5", "five", "twenty one",
// "twenty-one", "fifth", "5th", "step four", "ten breaths") from an
// AMAZON.NUMBER slot value. Empty input and "?" are ValueMissing and
// ValueUnclear; negative numbers, fractions and words that are not numbers
// are ValueUnclear.
func ParseCount(v string) (int, ValueStatus) {
	words, st := slotWords(v)
	if st != ValueOK {
		return 0, st
	}
	words = dropWords(words, countNoise)
	n, ok := parseNumberWords(words)
	if !ok {
		return 0, ValueUnclear
	}
	return n, ValueOK
}

// ParseMinutes reads a length in whole minutes from a slot value: a number
// of minutes ("5", "five", "five minutes"), another unit ("an hour",
// "ninety seconds"), or an ISO-8601 duration ("PT5M", as AMAZON.DURATION
// gives). Lengths are rounded to the nearest minute, and at least one
// minute. Statuses are as for ParseCount.
func ParseMinutes(v string) (int, ValueStatus) {
	t := strings.TrimSpace(v)
	if t != "" && (t[0] == 'P' || t[0] == 'p') && len(t) > 1 && !isLetters(t[1:]) {
		d, err := alexaapi.ParseISODuration(strings.ToUpper(t))
		if err != nil || d <= 0 || d > maxSlotNumber*time.Minute {
			return 0, ValueUnclear
		}
		return durationMinutes(d), ValueOK
	}
	words, st := slotWords(v)
	if st != ValueOK {
		return 0, st
	}
	unit := time.Minute
	if len(words) > 0 {
		switch last := words[len(words)-1]; last {
		case "minute", "minutes", "min", "mins":
			words = words[:len(words)-1]
		case "hour", "hours", "hr", "hrs":
			unit, words = time.Hour, words[:len(words)-1]
		case "second", "seconds", "sec", "secs":
			unit, words = time.Second, words[:len(words)-1]
		}
	}
	words = dropWords(words, minuteNoise)
	var n int
	switch {
	case len(words) == 1 && (words[0] == "a" || words[0] == "an"):
		n = 1
	case unit == time.Hour && len(words) > 0 && words[0] == "half" &&
		(len(words) == 1 || len(words) == 2 && (words[1] == "a" || words[1] == "an")):
		n, unit = 30, time.Minute
	default:
		var ok bool
		if n, ok = parseNumberWords(words); !ok {
			return 0, ValueUnclear
		}
	}
	if n == 0 {
		return 0, ValueUnclear
	}
	d := time.Duration(n) * unit
	if d > maxSlotNumber*time.Minute {
		return 0, ValueUnclear
	}
	return durationMinutes(d), ValueOK
}

// durationMinutes rounds d to whole minutes, at least one.
func durationMinutes(d time.Duration) int {
	m := int(d.Round(time.Minute) / time.Minute)
	return max(m, 1)
}

// isLetters reports whether s is made only of ASCII letters.
func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// slotWords splits a slot value into lower-case words, with hyphens and
// commas as spaces. "" is ValueMissing; "?" (what Alexa may send for a value
// it could not recognise) is ValueUnclear.
func slotWords(v string) ([]string, ValueStatus) {
	v = strings.TrimSpace(strings.ToLower(v))
	switch {
	case v == "":
		return nil, ValueMissing
	case v == "?" || strings.HasPrefix(v, "-") || strings.HasPrefix(v, "\u2212"):
		return nil, ValueUnclear
	}
	v = strings.NewReplacer("-", " ", ",", " ", ".", " . ", "?", " ? ").Replace(v)
	return strings.Fields(v), ValueOK
}

// Words that may surround a number in a count or a length.
var (
	countNoise  = []string{"step", "number", "no", "the", "breath", "breaths", "times", "rep", "reps", "about", "around", "for", "maybe"}
	minuteNoise = []string{"for", "about", "around", "the", "maybe", "just"}
)

func dropWords(words, noise []string) []string {
	out := words[:0:0]
	for _, w := range words {
		drop := false
		for _, n := range noise {
			if w == n {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, w)
		}
	}
	return out
}

var (
	units = map[string]int{
		"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
		"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
		"eighteen": 18, "nineteen": 19,
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
		"thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
		"seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	}
	tens = map[string]int{
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
		"eighty": 80, "ninety": 90,
		"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
		"seventieth": 70, "eightieth": 80, "ninetieth": 90,
	}
	scales = map[string]int{"hundred": 100, "hundredth": 100, "thousand": 1000, "thousandth": 1000}
)

// parseNumberWords reads one non-negative whole number written in digits
// ("21", "21st") or in English words ("twenty one", "one hundred and
// five"). It reports false for anything else, including an empty list.
func parseNumberWords(words []string) (int, bool) {
	if len(words) == 0 {
		return 0, false
	}
	if len(words) == 1 {
		if n, ok := parseDigits(words[0]); ok {
			return n, true
		}
	}
	total, cur, seen := 0, 0, false
	for i, w := range words {
		switch {
		case w == "and" && seen && i < len(words)-1:
			continue
		case w == "a" && i == 0 && len(words) > 1:
			cur, seen = 1, true // "a hundred"
			continue
		}
		if n, ok := units[w]; ok {
			if cur%10 != 0 || (cur != 0 && cur < 20 && cur%100 != 0) {
				return 0, false // "five six", "fifteen two"
			}
			cur += n
		} else if n, ok := tens[w]; ok {
			if cur%100 != 0 {
				return 0, false // "twenty thirty"
			}
			cur += n
		} else if n, ok := scales[w]; ok {
			switch {
			case cur == 0 && seen, n == 100 && cur%100 == 0 && cur != 0:
				return 0, false // "thousand thousand", "one hundred hundred"
			case cur == 0:
				cur = 1
			}
			if n == 100 {
				cur *= 100
			} else {
				total += cur * n
				cur = 0
			}
		} else {
			return 0, false
		}
		seen = true
		if total+cur > maxSlotNumber {
			return 0, false
		}
	}
	return total + cur, seen
}

// parseDigits reads "21", "21st", "2nd", "3rd", "4th".
func parseDigits(w string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if s, ok := strings.CutSuffix(w, suf); ok && s != "" {
			w = s
			break
		}
	}
	if w == "" || len(w) > 7 {
		return 0, false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(w)
	if err != nil || n > maxSlotNumber {
		return 0, false
	}
	return n, true
}

// resolved returns the canonical name and id of a slot's first
// ER_SUCCESS_MATCH value, or "", "" when no authority matched.
func resolved(s Slot) (name, id string) {
	if s.Resolutions == nil {
		return "", ""
	}
	for _, r := range s.Resolutions.PerAuthority {
		if r.Status.Code == ResolutionMatch && len(r.Values) > 0 {
			return r.Values[0].Value.Name, r.Values[0].Value.ID
		}
	}
	return "", ""
}

// Words that name a kind of pack when entity resolution did not match.
var (
	coldWords = []string{"cold", "ice", "icy", "icing", "frozen", "freezer", "cool", "cooling", "peas", "chill", "chilled"}
	heatWords = []string{"heat", "heated", "heating", "hot", "warm", "warmth", "wheat", "moist", "thermal"}
)

// ParsePack reads the PACK slot: the entity-resolution match when there is
// one ("cold" / "heat", or the ids COLD / HEAT), else the raw words ("ice",
// "warm towel"). It returns PackAuto with ValueMissing when empty, and with
// ValueUnclear for words that name neither or both.
func ParsePack(s Slot) (skill.Pack, ValueStatus) {
	name, id := resolved(s)
	switch strings.ToLower(name + "|" + id) {
	case "cold|cold", "cold|":
		return skill.PackCold, ValueOK
	case "heat|heat", "heat|":
		return skill.PackHeat, ValueOK
	}
	if strings.EqualFold(id, "COLD") {
		return skill.PackCold, ValueOK
	}
	if strings.EqualFold(id, "HEAT") {
		return skill.PackHeat, ValueOK
	}
	return byWords(s.Value, coldWords, heatWords, skill.PackCold, skill.PackHeat, skill.PackAuto)
}

// Words that name an exercise when entity resolution did not match.
var (
	lyingWords  = []string{"lying", "laying", "lie", "knee", "knees", "floor", "supine", "ground", "roll", "rolls", "rolling"}
	seatedWords = []string{"seated", "sitting", "sit", "chair", "seat"}
)

// ParseExercise reads the EXERCISE slot like ParsePack: the resolution
// ("lying twist", "seated twist", ids LYING_TWIST, SEATED_TWIST), else the
// raw words ("knee rolls", "chair twist").
func ParseExercise(s Slot) (skill.Exercise, ValueStatus) {
	name, id := resolved(s)
	switch {
	case strings.EqualFold(id, "LYING_TWIST") || (id == "" && strings.EqualFold(name, "lying twist")):
		return skill.ExerciseLyingTwist, ValueOK
	case strings.EqualFold(id, "SEATED_TWIST") || (id == "" && strings.EqualFold(name, "seated twist")):
		return skill.ExerciseSeatedTwist, ValueOK
	}
	return byWords(s.Value, lyingWords, seatedWords, skill.ExerciseLyingTwist, skill.ExerciseSeatedTwist, skill.ExerciseNone)
}

// byWords reads a slot's raw words as one of two values: a when they hold
// a word of aWords and none of bWords, b the other way round, else none
// (ValueUnclear, or the status of words that are missing or unusable).
func byWords[T any](value string, aWords, bWords []string, a, b, none T) (T, ValueStatus) {
	words, st := slotWords(value)
	if st != ValueOK {
		return none, st
	}
	isA, isB := hasAny(words, aWords), hasAny(words, bWords)
	switch {
	case isA && !isB:
		return a, ValueOK
	case isB && !isA:
		return b, ValueOK
	}
	return none, ValueUnclear
}

func hasAny(words, set []string) bool {
	for _, w := range words {
		for _, s := range set {
			if w == s {
				return true
			}
		}
	}
	return false
}
