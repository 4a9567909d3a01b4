package intents_test

import (
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/intents"
	"spasmcoach/skill"
)

const (
	ok      = intents.ValueOK
	missing = intents.ValueMissing
	unclear = intents.ValueUnclear
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want intents.ValueStatus
	}{
		{"", 0, missing},
		{"   ", 0, missing},
		{"?", 0, unclear},
		{"5", 5, ok},
		{" 5 ", 5, ok},
		{"five", 5, ok},
		{"Five", 5, ok},
		{"twenty one", 21, ok},
		{"twenty-one", 21, ok},
		{"twenty", 20, ok},
		{"ninety nine", 99, ok},
		{"one hundred", 100, ok},
		{"a hundred", 100, ok},
		{"one hundred and five", 105, ok},
		{"two thousand and twenty six", 2026, ok},
		{"fourth", 4, ok},
		{"4th", 4, ok},
		{"21st", 21, ok},
		{"twenty first", 21, ok},
		{"step four", 4, ok},
		{"number 4", 4, ok},
		{"ten breaths", 10, ok},
		{"zero", 0, ok},
		{"12", 12, ok},
		{"-3", 0, unclear},
		{"2.5", 0, unclear},
		{"five six", 0, unclear},
		{"fifteen two", 0, unclear},
		{"twenty thirty", 0, unclear},
		{"ten two", 0, unclear},
		{"banana", 0, unclear},
		{"step", 0, unclear},
		{"99999999999999999999", 0, unclear},
		{"one thousand thousand thousand", 0, unclear},
		{"PT5M", 0, unclear},
	}
	for _, tc := range tests {
		n, st := intents.ParseCount(tc.in)
		if n != tc.n || st != tc.want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d, %v", tc.in, n, st, tc.n, tc.want)
		}
	}
}

func TestParseMinutes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want intents.ValueStatus
	}{
		{"", 0, missing},
		{"?", 0, unclear},
		{"5", 5, ok},
		{"five", 5, ok},
		{"five minutes", 5, ok},
		{"5 mins", 5, ok},
		{"fifteen minutes", 15, ok},
		{"twenty one", 21, ok},
		{"a minute", 1, ok},
		{"an hour", 60, ok},
		{"half an hour", 30, ok},
		{"two hours", 120, ok},
		{"ninety seconds", 2, ok},
		{"thirty seconds", 1, ok},
		{"for about ten minutes", 10, ok},
		{"PT5M", 5, ok},
		{"pt20m", 20, ok},
		{"PT1H", 60, ok},
		{"PT90S", 2, ok},
		{"PT10S", 1, ok},
		{"P1D", 1440, ok},
		{"PT", 0, unclear},
		{"P1Y", 0, unclear},
		{"PT-5M", 0, unclear},
		{"0", 0, unclear},
		{"zero minutes", 0, unclear},
		{"-5", 0, unclear},
		{"minutes", 0, unclear},
		{"lots", 0, unclear},
		{"please", 0, unclear},
	}
	for _, tc := range tests {
		n, st := intents.ParseMinutes(tc.in)
		if n != tc.n || st != tc.want {
			t.Errorf("ParseMinutes(%q) = %d, %v; want %d, %v", tc.in, n, st, tc.n, tc.want)
		}
	}
}

func matched(value, name, id string) alexa.Slot {
	return alexatest.Resolved("pack", value, name, id)
}

func noMatch(value string) alexa.Slot {
	return alexatest.Resolved("pack", value, "", "")
}

func TestParsePack(t *testing.T) {
	tests := []struct {
		name string
		slot alexa.Slot
		pack skill.Pack
		want intents.ValueStatus
	}{
		{"empty", alexatest.Slot("", ""), skill.PackAuto, missing},
		{"unclear", alexatest.Slot("", "?"), skill.PackAuto, unclear},
		{"match cold", matched("frozen peas", "cold", "COLD"), skill.PackCold, ok},
		{"match heat", matched("wheat bag", "heat", "HEAT"), skill.PackHeat, ok},
		// The resolution wins over the words.
		{"match wins", matched("hot thing", "cold", "COLD"), skill.PackCold, ok},
		{"id only", matched("x", "", "HEAT"), skill.PackHeat, ok},
		{"no match, ice", noMatch("ice"), skill.PackCold, ok},
		{"raw ice pack", alexatest.Slot("", "ice pack"), skill.PackCold, ok},
		{"raw cold", alexatest.Slot("", "cold"), skill.PackCold, ok},
		{"raw frozen peas", alexatest.Slot("", "Frozen Peas"), skill.PackCold, ok},
		{"raw heat", alexatest.Slot("", "heat"), skill.PackHeat, ok},
		{"raw warm towel", alexatest.Slot("", "warm towel"), skill.PackHeat, ok},
		{"raw heating pad", alexatest.Slot("", "heating pad"), skill.PackHeat, ok},
		{"raw hot", alexatest.Slot("", "hot"), skill.PackHeat, ok},
		{"both", alexatest.Slot("", "hot and cold"), skill.PackAuto, unclear},
		{"neither", alexatest.Slot("", "banana"), skill.PackAuto, unclear},
	}
	for _, tc := range tests {
		p, st := intents.ParsePack(tc.slot)
		if p != tc.pack || st != tc.want {
			t.Errorf("%s: ParsePack = %v, %v; want %v, %v", tc.name, p, st, tc.pack, tc.want)
		}
	}
}

func TestParseExercise(t *testing.T) {
	tests := []struct {
		name string
		slot alexa.Slot
		x    skill.Exercise
		want intents.ValueStatus
	}{
		{"empty", alexatest.Slot("", ""), skill.ExerciseNone, missing},
		{"match lying", matched("knee rolls", "lying twist", "LYING_TWIST"), skill.ExerciseLyingTwist, ok},
		{"match seated", matched("chair twist", "seated twist", "SEATED_TWIST"), skill.ExerciseSeatedTwist, ok},
		{"raw knee rolls", alexatest.Slot("", "knee rolls"), skill.ExerciseLyingTwist, ok},
		{"raw lying twist", alexatest.Slot("", "lying twist"), skill.ExerciseLyingTwist, ok},
		{"raw sitting twist", alexatest.Slot("", "sitting twist"), skill.ExerciseSeatedTwist, ok},
		{"raw chair", noMatch("twist in a chair"), skill.ExerciseSeatedTwist, ok},
		{"twist alone", alexatest.Slot("", "twist"), skill.ExerciseNone, unclear},
		{"nonsense", alexatest.Slot("", "juggling"), skill.ExerciseNone, unclear},
	}
	for _, tc := range tests {
		x, st := intents.ParseExercise(tc.slot)
		if x != tc.x || st != tc.want {
			t.Errorf("%s: ParseExercise = %v, %v; want %v, %v", tc.name, x, st, tc.x, tc.want)
		}
	}
}

func FuzzParseMinutes(f *testing.F) {
	for _, s := range []string{"five minutes", "PT5M", "twenty one", "?", "", "an hour", "P1DT2H"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, st := intents.ParseMinutes(s)
		if st == intents.ValueOK && n < 1 {
			t.Errorf("ParseMinutes(%q) = %d, ok", s, n)
		}
		if st != intents.ValueOK && n != 0 {
			t.Errorf("ParseMinutes(%q) = %d, %v", s, n, st)
		}
		c, st := intents.ParseCount(s)
		if c < 0 || (st != intents.ValueOK && c != 0) {
			t.Errorf("ParseCount(%q) = %d, %v", s, c, st)
		}
	})
}

// TestParseEpisodeStart reads the start of an episode from the values Alexa
// sends for "it started four days ago", "it began on monday", "since last
// week", relative to a Saturday, 5 December 2026, 15:30 in New York.
func TestParseEpisodeStart(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	ref := time.Date(2026, 12, 5, 15, 30, 0, 0, ny) // a Saturday
	noon := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, ny) }
	tests := []struct {
		name     string
		slot     string
		value    string
		want     time.Time
		wantStat intents.ValueStatus
	}{
		{"four days ago", intents.SlotDuration, "P4D", ref.AddDate(0, 0, -4), ok},
		{"three hours ago", intents.SlotDuration, "PT3H", ref.Add(-3 * time.Hour), ok},
		{"a week ago", intents.SlotDuration, "P1W", ref.AddDate(0, 0, -7), ok},
		{"a day and a half ago", intents.SlotDuration, "P1DT12H", ref.AddDate(0, 0, -1).Add(-12 * time.Hour), ok},
		{"two months ago", intents.SlotDuration, "P2M", ref.AddDate(0, -2, 0), ok},
		{"lower case", intents.SlotDuration, "p2d", ref.AddDate(0, 0, -2), ok},
		{"no length", intents.SlotDuration, "P", time.Time{}, unclear},
		{"zero", intents.SlotDuration, "PT0S", time.Time{}, unclear},
		{"not a duration", intents.SlotDuration, "?", time.Time{}, unclear},
		{"yesterday", intents.SlotDate, "2026-12-04", noon(2026, 12, 4), ok},
		{"today, after midday", intents.SlotDate, "2026-12-05", noon(2026, 12, 5), ok},
		// Alexa gives the Monday on or after today; the user means the last.
		{"on monday", intents.SlotDate, "2026-12-07", noon(2026, 11, 30), ok},
		{"on friday", intents.SlotDate, "2026-12-11", noon(2026, 12, 4), ok},
		{"december the first, next year's", intents.SlotDate, "2027-12-01", noon(2026, 12, 1), ok},
		{"last week", intents.SlotDate, "2026-W48", noon(2026, 11, 23), ok},
		{"last weekend", intents.SlotDate, "2026-W48-WE", noon(2026, 11, 28), ok},
		{"this month", intents.SlotDate, "2026-12", noon(2026, 12, 1), ok},
		{"last month", intents.SlotDate, "2026-11", noon(2026, 11, 1), ok},
		{"just now", intents.SlotDate, "PRESENT_REF", ref, ok},
		{"a year", intents.SlotDate, "2026", time.Time{}, unclear},
		{"a decade", intents.SlotDate, "201X", time.Time{}, unclear},
		{"a season", intents.SlotDate, "2026-WI", time.Time{}, unclear},
		{"nothing said", intents.SlotDate, "", time.Time{}, missing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			slots := map[string]alexa.Slot{tc.slot: alexatest.Slot(tc.slot, tc.value)}
			got, st := intents.EpisodeStart(slots, ref, ny)
			if st != tc.wantStat || !got.Equal(tc.want) {
				t.Errorf("EpisodeStart(%s=%q) = %v, %v; want %v, %v", tc.slot, tc.value, got, st, tc.want, tc.wantStat)
			}
		})
	}
	// Before midday, "today" is no later than now.
	morning := time.Date(2026, 12, 5, 8, 0, 0, 0, ny)
	got, _ := intents.EpisodeStart(map[string]alexa.Slot{intents.SlotDate: alexatest.Slot(intents.SlotDate, "2026-12-05")}, morning, ny)
	if !got.Equal(morning) {
		t.Errorf("today at 8 am started %v, want %v", got, morning)
	}
	// Without a zone, days are UTC days.
	got, _ = intents.EpisodeStart(map[string]alexa.Slot{intents.SlotDate: alexatest.Slot(intents.SlotDate, "2026-12-04")}, ref, nil)
	if want := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("yesterday without a zone started %v, want %v", got, want)
	}
}
