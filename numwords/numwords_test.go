package numwords_test

import (
	"strings"
	"testing"

	"spasmcoach/numwords"
)

func TestPrefix(t *testing.T) {
	tests := []struct {
		in      string
		n, used int
	}{
		{"five", 5, 1},
		{"twenty one breaths", 21, 2},
		{"twenty", 20, 1},
		{"nineteen", 19, 1},
		{"zero", 0, 1},
		{"a hundred", 100, 2},
		{"one hundred and five", 105, 4},
		{"three hundred twenty", 320, 3},
		{"two thousand and twelve", 2012, 4},
		{"nine hundred and ninety nine thousand nine hundred and ninety nine", 999999, 11},
		{"one hundred and", 100, 2},
		{"twenty twenty", 20, 1},
		{"five six", 5, 1},
		{"nineteen hundred", 19, 1},
		{"hundred", 0, 0},
		{"thousand", 0, 0},
		{"a", 0, 0},
		{"fifth", 0, 0},
		{"oh", 0, 0},
		{"", 0, 0},
	}
	for _, tc := range tests {
		n, used := numwords.Prefix(strings.Fields(tc.in))
		if n != tc.n || used != tc.used {
			t.Errorf("Prefix(%q) = %d, %d; want %d, %d", tc.in, n, used, tc.n, tc.used)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in string
		n  int
		ok bool
	}{
		{"five", 5, true},
		{"fifth", 5, true},
		{"twenty first", 21, true},
		{"twentieth", 20, true},
		{"one hundredth", 100, true},
		{"two thousand and twenty six", 2026, true},
		{"zero", 0, true},
		{"five six", 0, false},
		{"fifteen two", 0, false},
		{"twenty thirty", 0, false},
		{"first hundred", 0, false},
		{"one thousand thousand", 0, false},
		{"hundredth", 0, false},
		{"banana", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		n, ok := numwords.Parse(strings.Fields(tc.in))
		if n != tc.n || ok != tc.ok {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.n, tc.ok)
		}
	}
}

func TestOrdinal(t *testing.T) {
	for w, want := range map[string]int{"first": 1, "twelfth": 12, "thirtieth": 30, "ninetieth": 90, "five": 0, "hundredth": 0} {
		n, ok := numwords.Ordinal(w)
		if n != want || ok != (want != 0) {
			t.Errorf("Ordinal(%q) = %d, %v; want %d", w, n, ok, want)
		}
	}
}

// Parse leaves the caller's words alone.
func TestParseKeepsWords(t *testing.T) {
	words := []string{"twenty", "first", "step"}
	numwords.Parse(words[:2])
	if words[1] != "first" || words[2] != "step" {
		t.Errorf("Parse changed its input: %q", words)
	}
}
