package utterance

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"spasmcoach/numwords"
)

// parseDate reads an AMAZON.DATE phrase in normalised words and returns it
// as Alexa sends it, relative to today:
//
//   - a day: "today", "this morning", "tonight" → today's date
//     ("2026-12-05"); "yesterday", "last night", "yesterday afternoon" →
//     yesterday's; "the day before yesterday";
//   - a weekday ("monday", "this monday", "monday morning") → the date on or
//     after today that falls on it, which is Alexa's default for dates
//     without a year: a weekday said today means today;
//   - "last monday" → the last Monday before today;
//   - a month and day ("december 1st", "the 3rd of march", "1 march") → that
//     date on or after today (this year's or next year's), or in the year
//     said ("march 3rd 2026");
//   - "this week", "last week" → an ISO week ("2026-W49");
//     "this weekend", "last weekend" → "2026-W49-WE";
//   - "this month", "last month" → "2026-12"; "this year", "last year" →
//     "2026".
//
// It reports false for anything else.
func parseDate(words []string, today time.Time) (string, bool) {
	if len(words) == 0 {
		return "", false
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 12, 0, 0, 0, time.UTC)
	if len(words) > 0 && words[0] == "the" && len(words) > 1 && words[1] != "day" {
		words = words[1:] // "the weekend", "the 3rd of march"
	}
	switch strings.Join(words, " ") {
	case "today", "tonight", "this morning", "this afternoon", "this evening", "earlier today":
		return isoDay(day), true
	case "yesterday", "last night", "yesterday morning", "yesterday afternoon",
		"yesterday evening", "yesterday night":
		return isoDay(day.AddDate(0, 0, -1)), true
	case "the day before yesterday", "day before yesterday":
		return isoDay(day.AddDate(0, 0, -2)), true
	case "this week":
		return isoWeek(day), true
	case "last week":
		return isoWeek(day.AddDate(0, 0, -7)), true
	case "this weekend", "weekend":
		return isoWeek(day) + "-WE", true
	case "last weekend":
		return isoWeek(day.AddDate(0, 0, -7)) + "-WE", true
	case "this month":
		return day.Format("2006-01"), true
	case "last month":
		return time.Date(day.Year(), day.Month()-1, 1, 12, 0, 0, 0, time.UTC).Format("2006-01"), true
	case "this year":
		return strconv.Itoa(day.Year()), true
	case "last year":
		return strconv.Itoa(day.Year() - 1), true
	}
	if len(words) > 1 && partsOfDay[words[len(words)-1]] {
		words = words[:len(words)-1] // "monday morning", "last friday night"
	}
	if d, ok := weekdayDate(words, day); ok {
		return isoDay(d), true
	}
	if d, ok := monthDayDate(words, day); ok {
		return isoDay(d), true
	}
	return "", false
}

// partsOfDay may follow a day ("monday morning").
var partsOfDay = map[string]bool{"morning": true, "afternoon": true, "evening": true, "night": true}

// weekdays by name.
var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

// weekdayDate reads "monday", "this monday" (on or after day) or "last
// monday" (before day).
func weekdayDate(words []string, day time.Time) (time.Time, bool) {
	last := false
	switch {
	case len(words) == 2 && words[0] == "last":
		last = true
		words = words[1:]
	case len(words) == 2 && words[0] == "this":
		words = words[1:]
	}
	wd, ok := weekdays[words[0]]
	if len(words) != 1 || !ok {
		return time.Time{}, false
	}
	ahead := (int(wd) - int(day.Weekday()) + 7) % 7
	if last {
		return day.AddDate(0, 0, ahead-7), true
	}
	return day.AddDate(0, 0, ahead), true
}

// months by name.
var months = map[string]time.Month{
	"january": time.January, "february": time.February, "march": time.March,
	"april": time.April, "may": time.May, "june": time.June, "july": time.July,
	"august": time.August, "september": time.September, "october": time.October,
	"november": time.November, "december": time.December,
}

// monthDayDate reads "december 1st", "december the 1st", "1st of
// december", "1 december", each with an optional year in digits after it.
// Without a year it is the date on or after day.
func monthDayDate(words []string, day time.Time) (time.Time, bool) {
	year := 0
	if n := len(words); n > 2 && len(words[n-1]) == 4 {
		if y, err := strconv.Atoi(words[n-1]); err == nil {
			year, words = y, words[:n-1]
		}
	}
	var m time.Month
	var d int
	if mo, ok := months[words[0]]; ok && len(words) > 1 {
		rest := words[1:]
		if rest[0] == "the" {
			rest = rest[1:]
		}
		m, d = mo, dayOfMonth(rest)
	} else if n := len(words); n >= 2 {
		mo, ok := months[words[n-1]]
		rest := words[:n-1]
		if len(rest) > 1 && rest[len(rest)-1] == "of" {
			rest = rest[:len(rest)-1]
		}
		if !ok {
			return time.Time{}, false
		}
		m, d = mo, dayOfMonth(rest)
	}
	if m == 0 || d == 0 {
		return time.Time{}, false
	}
	y := year
	if y == 0 {
		y = day.Year()
	}
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	if t.Month() != m {
		return time.Time{}, false // "february 30th"
	}
	if year == 0 && t.Before(day) {
		t = t.AddDate(1, 0, 0)
	}
	return t, true
}

// dayOfMonth reads a day of the month, 1 to 31: "3", "3rd", "third",
// "20 first". It returns 0 for anything else.
func dayOfMonth(words []string) int {
	n := 0
	switch len(words) {
	case 1:
		w := words[0]
		if v, ok := numwords.Ordinal(w); ok {
			n = v
			break
		}
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			w = strings.TrimSuffix(w, suf)
		}
		if v, err := strconv.Atoi(w); err == nil {
			n = v
		}
	case 2:
		// "twenty first" is normalised to "20 first".
		if v, ok := numwords.Ordinal(words[1]); ok && v > 0 && v < 10 && (words[0] == "20" || words[0] == "30") {
			tens, _ := strconv.Atoi(words[0])
			n = tens + v
		}
	}
	if n < 1 || n > 31 {
		return 0
	}
	return n
}

// isoDay formats a date as Alexa sends a day: "2026-12-05".
func isoDay(t time.Time) string { return t.Format("2006-01-02") }

// isoWeek formats the ISO week of t as Alexa sends a week: "2026-W49".
func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}
