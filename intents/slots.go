package intents

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/numwords"
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
	v = slotPunct.Replace(v)
	return strings.Fields(v), ValueOK
}

// slotPunct spaces out the punctuation a slot value may carry, once for
// all turns.
var slotPunct = strings.NewReplacer("-", " ", ",", " ", ".", " . ", "?", " ? ")

// Words that may surround a number in a count or a length.
var (
	countNoise  = []string{"step", "number", "no", "the", "breath", "breaths", "times", "rep", "reps", "about", "around", "for", "maybe"}
	minuteNoise = []string{"for", "about", "around", "the", "maybe", "just"}
)

// dropWords returns words without those in noise, leaving words alone.
func dropWords(words, noise []string) []string {
	return slices.DeleteFunc(slices.Clone(words), func(w string) bool { return slices.Contains(noise, w) })
}

// parseNumberWords reads one non-negative whole number written in digits
// ("21", "21st") or in English words ("twenty one", "one hundred and
// five", "twenty first"). It reports false for anything else, including
// an empty list.
func parseNumberWords(words []string) (int, bool) {
	if len(words) == 1 {
		if n, ok := parseDigits(words[0]); ok {
			return n, true
		}
	}
	return numwords.Parse(words)
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
func resolved(s alexa.Slot) (name, id string) {
	if s.Resolutions == nil {
		return "", ""
	}
	for _, r := range s.Resolutions.PerAuthority {
		if r.Status.Code == alexa.ResolutionMatch && len(r.Values) > 0 {
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
func ParsePack(s alexa.Slot) (skill.Pack, ValueStatus) {
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
func ParseExercise(s alexa.Slot) (skill.Exercise, ValueStatus) {
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

// hasAny reports whether any of words is in set.
func hasAny(words, set []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(set, w) })
}

// EpisodeStart reads when the user says the spasm started, from the slots
// of EpisodeStartIntent, relative to ref (the request's time) in the user's
// time zone (UTC when nil):
//
//   - duration (AMAZON.DURATION, ISO-8601 such as "P4D", "PT3H", "P1W",
//     "P1DT2H", "P2M"): that long before ref; years and months are calendar
//     ones;
//   - date (AMAZON.DATE): a day ("2026-12-04") means midday of that day, or
//     ref when that is later; an ISO week ("2026-W48") its Monday and a
//     weekend ("2026-W48-WE") its Saturday; a month ("2026-11") its first
//     day; "PRESENT_REF" means ref.
//
// Alexa resolves a date said without a year, such as a weekday, to one on
// or after today, and the user means one in the past: a date up to seven
// days ahead means the one a week before, and a later one the one a year
// before. A start still in the future is returned as it is, for the skill
// to refuse. Values it cannot read (a year, a decade, a season, "?") are
// ValueUnclear; no value is ValueMissing.
func EpisodeStart(slots map[string]alexa.Slot, ref time.Time, zone *time.Location) (time.Time, ValueStatus) {
	if zone == nil {
		zone = time.UTC
	}
	ref = ref.In(zone)
	if v := strings.TrimSpace(slots[SlotDuration].Value); v != "" {
		return startAgo(strings.ToUpper(v), ref)
	}
	if v := strings.TrimSpace(slots[SlotDate].Value); v != "" {
		return startOnDate(strings.ToUpper(v), ref)
	}
	return time.Time{}, ValueMissing
}

// startAgo reads an ISO-8601 duration and returns ref less that duration.
func startAgo(v string, ref time.Time) (time.Time, ValueStatus) {
	datePart, timePart, hasTime := strings.Cut(strings.TrimPrefix(v, "P"), "T")
	if !strings.HasPrefix(v, "P") || (datePart == "" && timePart == "") {
		return time.Time{}, ValueUnclear
	}
	var y, m, d int
	for datePart != "" {
		i := 0
		for i < len(datePart) && datePart[i] >= '0' && datePart[i] <= '9' {
			i++
		}
		if i == 0 || i == len(datePart) || i > 4 {
			return time.Time{}, ValueUnclear
		}
		n, _ := strconv.Atoi(datePart[:i])
		switch datePart[i] {
		case 'Y':
			y += n
		case 'M':
			m += n
		case 'W':
			d += 7 * n
		case 'D':
			d += n
		default:
			return time.Time{}, ValueUnclear
		}
		datePart = datePart[i+1:]
	}
	start := ref.AddDate(-y, -m, -d)
	if hasTime {
		dur, err := alexaapi.ParseISODuration("PT" + timePart)
		if err != nil || dur > 1000*time.Hour {
			return time.Time{}, ValueUnclear
		}
		start = start.Add(-dur)
	}
	if !start.Before(ref) {
		return time.Time{}, ValueUnclear
	}
	return start, ValueOK
}

// startOnDate reads an AMAZON.DATE value as the start of an episode.
func startOnDate(v string, ref time.Time) (time.Time, ValueStatus) {
	if v == "PRESENT_REF" {
		return ref, ValueOK
	}
	zone := ref.Location()
	var day time.Time
	switch {
	case len(v) == len("2006-01-02"):
		t, err := time.ParseInLocation("2006-01-02", v, zone)
		if err != nil {
			return time.Time{}, ValueUnclear
		}
		day = t
	case len(v) == len("2006-01"):
		t, err := time.ParseInLocation("2006-01", v, zone)
		if err != nil {
			return time.Time{}, ValueUnclear
		}
		day = t
	case strings.Contains(v, "-W"):
		t, ok := isoWeekStart(v, zone)
		if !ok {
			return time.Time{}, ValueUnclear
		}
		day = t
	default:
		return time.Time{}, ValueUnclear
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, zone)
	today := time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, zone)
	switch {
	case !day.After(today):
	case !day.After(today.AddDate(0, 0, 7)):
		start = start.AddDate(0, 0, -7)
	default:
		start = start.AddDate(-1, 0, 0)
	}
	if start.After(ref) && !day.After(today) {
		start = ref // today, said before midday
	}
	return start, ValueOK
}

// isoWeekStart reads "2026-W48" (its Monday) or "2026-W48-WE" (its
// Saturday) in zone.
func isoWeekStart(v string, zone *time.Location) (time.Time, bool) {
	weekend := strings.HasSuffix(v, "-WE")
	v = strings.TrimSuffix(v, "-WE")
	ys, ws, ok := strings.Cut(v, "-W")
	year, err1 := strconv.Atoi(ys)
	week, err2 := strconv.Atoi(ws)
	if !ok || err1 != nil || err2 != nil || len(ys) != 4 || week < 1 || week > 53 {
		return time.Time{}, false
	}
	// 4 January is always in week 1.
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, zone)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(week-1))
	if weekend {
		return monday.AddDate(0, 0, 5), true
	}
	return monday, true
}
