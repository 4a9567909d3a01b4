package skill

import (
	"strconv"
	"strings"
	"time"
)

// itoa formats n in digits; Alexa reads digits as numbers.
func itoa(n int) string { return strconv.Itoa(n) }

// plural returns "1 breath" or "n breaths".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// lower lower-cases the first letter of a title for use mid-sentence.
func lower(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// spokenDuration says a duration the way a person would, rounded to what
// matters: "less than a minute", "12 minutes", "an hour and 10 minutes",
// "about 5 hours", "about a day", "about 3 days": days from a day on.
func spokenDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		m := int((d + 30*time.Second) / time.Minute)
		if m >= 60 {
			return "an hour"
		}
		return plural(m, "minute", "minutes")
	case d < 2*time.Hour:
		m := int((d-time.Hour)/time.Minute+2) / 5 * 5
		switch {
		case m == 0:
			return "an hour"
		case m >= 60:
			return "about 2 hours"
		}
		return "an hour and " + itoa(m) + " minutes"
	case d < 23*time.Hour+30*time.Minute:
		return "about " + itoa(int((d+30*time.Minute)/time.Hour)) + " hours"
	case d < 36*time.Hour:
		return "about a day"
	}
	return "about " + itoa(int((d+12*time.Hour)/(24*time.Hour))) + " days"
}
