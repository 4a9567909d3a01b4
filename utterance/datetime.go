package utterance

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Built-in slot types the resolver parses into the values Alexa sends.
const (
	durationType = "AMAZON.DURATION"
	dateType     = "AMAZON.DATE"
)

// maxDateWords is the most words a DATE or DURATION slot takes ("an hour
// and a half", "the day before yesterday", "the 1st of december 2026").
const maxDateWords = 6

// Option configures a Resolver.
type Option func(*Resolver)

// WithClock gives the resolver the clock that AMAZON.DATE values are
// relative to: "today" is now's date in now's location. Without it a DATE
// slot takes no value, so a sample with one matches nothing.
func WithClock(now func() time.Time) Option {
	return func(r *Resolver) { r.now = now }
}

// parseDuration reads an AMAZON.DURATION phrase in normalised words ("4
// days", "a week", "an hour and a half", "2 hours and 10 minutes", "half
// an hour") and returns it as Alexa sends it, an ISO-8601 duration ("P4D",
// "P1W", "PT1H30M", "PT2H10M", "PT30M").
func parseDuration(words []string) (string, bool) {
	var d isoDuration
	if len(words) == 3 && words[0] == "half" && (words[1] == "an" || words[1] == "a") {
		// "half an hour", "half a day".
		return d.addHalf(words[2])
	}
	parts := 0
	for len(words) > 0 {
		if parts > 0 {
			if words[0] != "and" {
				return "", false
			}
			words = words[1:]
			if len(words) == 2 && (words[0] == "a" || words[0] == "an") && words[1] == "half" {
				// "an hour and a half": half of the last unit.
				return d.addHalf(d.last)
			}
		}
		n, rest, ok := durationCount(words)
		if !ok || len(rest) == 0 {
			return "", false
		}
		if !d.add(rest[0], n) {
			return "", false
		}
		words = rest[1:]
		parts++
	}
	if parts == 0 {
		return "", false
	}
	return d.String(), true
}

// durationCount reads the count before a unit: digits, "a", "an" or "a
// couple of".
func durationCount(words []string) (int, []string, bool) {
	switch {
	case len(words) == 0:
		return 0, nil, false
	case len(words) >= 3 && words[0] == "a" && words[1] == "couple" && words[2] == "of":
		return 2, words[3:], true
	case words[0] == "a" || words[0] == "an":
		return 1, words[1:], true
	}
	n, err := strconv.Atoi(words[0])
	if err != nil || n <= 0 {
		return 0, nil, false
	}
	return n, words[1:], true
}

// isoDuration is a duration by ISO-8601 field.
type isoDuration struct {
	years, months, weeks, days, hours, minutes, seconds int
	last                                                string // the last unit read, singular
}

// units maps a unit word to its singular.
var units = map[string]string{
	"second": "second", "seconds": "second", "sec": "second", "secs": "second",
	"minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
	"hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
	"day": "day", "days": "day",
	"week": "week", "weeks": "week", "fortnight": "fortnight",
	"month": "month", "months": "month", "year": "year", "years": "year",
}

// add adds n of a unit; it reports false for a word that is not a unit.
func (d *isoDuration) add(word string, n int) bool {
	unit, ok := units[word]
	if !ok {
		return false
	}
	switch unit {
	case "second":
		d.seconds += n
	case "minute":
		d.minutes += n
	case "hour":
		d.hours += n
	case "day":
		d.days += n
	case "week":
		d.weeks += n
	case "fortnight":
		d.weeks += 2 * n
	case "month":
		d.months += n
	case "year":
		d.years += n
	}
	d.last = unit
	return true
}

// addHalf adds half of a unit, for the units whose half is whole in the
// next smaller one (a day, an hour, a minute).
func (d *isoDuration) addHalf(word string) (string, bool) {
	switch units[word] {
	case "day":
		d.hours += 12
	case "hour":
		d.minutes += 30
	case "minute":
		d.seconds += 30
	default:
		return "", false
	}
	return d.String(), true
}

// String formats the duration as PnYnMnWnDTnHnMnS, leaving out zero fields.
func (d isoDuration) String() string {
	var b strings.Builder
	b.WriteByte('P')
	for _, f := range []struct {
		n    int
		unit byte
	}{{d.years, 'Y'}, {d.months, 'M'}, {d.weeks, 'W'}, {d.days, 'D'}} {
		if f.n > 0 {
			fmt.Fprintf(&b, "%d%c", f.n, f.unit)
		}
	}
	if d.hours+d.minutes+d.seconds > 0 {
		b.WriteByte('T')
		for _, f := range []struct {
			n    int
			unit byte
		}{{d.hours, 'H'}, {d.minutes, 'M'}, {d.seconds, 'S'}} {
			if f.n > 0 {
				fmt.Fprintf(&b, "%d%c", f.n, f.unit)
			}
		}
	}
	return b.String()
}
