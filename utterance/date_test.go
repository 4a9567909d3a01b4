package utterance

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		said, want string // want "" when it is not a duration
	}{
		{"four days", "P4D"},
		{"4 days", "P4D"},
		{"one day", "P1D"},
		{"a day", "P1D"},
		{"three hours", "PT3H"},
		{"an hour", "PT1H"},
		{"a week", "P1W"},
		{"two weeks", "P2W"},
		{"a fortnight", "P2W"},
		{"a month", "P1M"},
		{"six months", "P6M"},
		{"a year", "P1Y"},
		{"ten minutes", "PT10M"},
		{"forty five seconds", "PT45S"},
		{"an hour and a half", "PT1H30M"},
		{"a day and a half", "P1DT12H"},
		{"half an hour", "PT30M"},
		{"half a day", "PT12H"},
		{"two days and three hours", "P2DT3H"},
		{"five hours and ten minutes", "PT5H10M"},
		{"a week and two days", "P1W2D"},
		{"a couple of days", "P2D"},
		{"a couple of hours", "PT2H"},
		{"", ""},
		{"days", ""},
		{"yesterday", ""},
		{"a while", ""},
		{"zero days", ""},
		{"four", ""},
		{"four days three hours", ""},
		{"a week and a half", ""},
		{"half a week", ""},
		{"four days ago", ""},
		{"a few days", ""},
		{"an hour and", ""},
		{"and", ""},
		{"a couple of", ""},
	}
	for _, tc := range tests {
		t.Run(tc.said, func(t *testing.T) {
			got, ok := parseDuration(tokenize(tc.said))
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("parseDuration(%q) = %q, %v, want %q", tc.said, got, ok, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	// Saturday 5 December 2026, ISO week 49, late in the evening in a
	// zone far from UTC: "today" is the local date.
	zone := time.FixedZone("UTC-10", -10*3600)
	today := time.Date(2026, time.December, 5, 23, 30, 0, 0, zone)
	tests := []struct {
		said, want string
	}{
		{"today", "2026-12-05"},
		{"this morning", "2026-12-05"},
		{"earlier today", "2026-12-05"},
		{"tonight", "2026-12-05"},
		{"yesterday", "2026-12-04"},
		{"yesterday morning", "2026-12-04"},
		{"last night", "2026-12-04"},
		{"the day before yesterday", "2026-12-03"},
		// A weekday is the one on or after today (Alexa's default).
		{"saturday", "2026-12-05"},
		{"sunday", "2026-12-06"},
		{"monday", "2026-12-07"},
		{"friday", "2026-12-11"},
		{"monday morning", "2026-12-07"},
		{"this monday", "2026-12-07"},
		{"last monday", "2026-11-30"},
		{"last friday", "2026-12-04"},
		{"last saturday", "2026-11-28"},
		{"last friday night", "2026-12-04"},
		{"this week", "2026-W49"},
		{"last week", "2026-W48"},
		{"this weekend", "2026-W49-WE"},
		{"the weekend", "2026-W49-WE"},
		{"last weekend", "2026-W48-WE"},
		{"this month", "2026-12"},
		{"last month", "2026-11"},
		{"this year", "2026"},
		{"last year", "2025"},
		{"december 1st", "2027-12-01"}, // on or after today: next year
		{"december the 7th", "2026-12-07"},
		{"the 7th of december", "2026-12-07"},
		{"7 december", "2026-12-07"},
		{"december twenty first", "2026-12-21"},
		{"november 30th 2026", "2026-11-30"},
		{"march 3rd", "2027-03-03"},
		{"february 30th", ""},
		{"december 32nd", ""},
		{"", ""},
		{"four days", ""},
		{"four days ago", ""},
		{"a fall", ""},
		{"after a fall", ""},
		{"again", ""},
		{"last", ""},
		{"next monday", ""},
		{"morning", ""},
	}
	for _, tc := range tests {
		t.Run(tc.said, func(t *testing.T) {
			got, ok := parseDate(tokenize(tc.said), today)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("parseDate(%q) = %q, %v, want %q", tc.said, got, ok, tc.want)
			}
		})
	}
}

// TestParseDateYearEnd: weeks and months across the turn of the year.
func TestParseDateYearEnd(t *testing.T) {
	today := time.Date(2027, time.January, 2, 9, 0, 0, 0, time.UTC) // Saturday, ISO 2026-W53
	tests := []struct{ said, want string }{
		{"this week", "2026-W53"},
		{"last week", "2026-W52"},
		{"last month", "2026-12"},
		{"yesterday", "2027-01-01"},
		{"last wednesday", "2026-12-30"},
		{"december 31st", "2027-12-31"},
	}
	for _, tc := range tests {
		if got, _ := parseDate(tokenize(tc.said), today); got != tc.want {
			t.Errorf("parseDate(%q) on %s = %q, want %q", tc.said, today.Format(time.DateOnly), got, tc.want)
		}
	}
}
