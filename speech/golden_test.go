package speech

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"spasmcoach/internal/testutil/golden"
)

// goldenScripts are rendered with AlexaModel and compared with
// testdata/<name>.golden: the SSML, the transcript, the card text and the
// estimated duration. The breathing sets are the skill's own (skillSet).
var goldenScripts = map[string]func(tb testing.TB, s *Script){
	"breathing_set": func(tb testing.TB, s *Script) {
		cues, length := skillSet(tb, false, 6)
		s.Say("I'll count with you. Breathe in as I count to five, hold for one, then breathe out as I count to three.")
		s.Pause(1500 * time.Millisecond)
		s.Pace(cues, length)
		s.Say("Nice and slow. Another set?")
	},
	"long_exhale": func(tb testing.TB, s *Script) {
		// In for 4 s, out for 6 s, counted on each second.
		cues, length := skillSet(tb, true, 4)
		s.Say("A longer breath out this time.").Pause(time.Second).Pace(cues, length)
	},
	"fastest_pace": func(tb testing.TB, s *Script) {
		// The skill's fastest pace, where each breath opens with "In".
		cues, length := skillSetAt(tb, false, SkillMinPace, 2)
		s.Pace(cues, length).Say("Another set?")
	},
	"stretch_hold": func(_ testing.TB, s *Script) {
		s.Pause(time.Second).Say("Curl forward, just a fraction of an inch.").Say("Hold it there, and breathe.")
		s.Pace([]Cue{
			{At: 0, Text: "Breathe in"},
			{At: 6 * time.Second, Text: "and out"},
			{At: 9500 * time.Millisecond, Text: "Breathe in"},
			{At: 15500 * time.Millisecond, Text: "and out"},
		}, 19*time.Second)
		s.Say("And rest. Let the muscle stay soft.").Pause(10 * time.Second)
	},
	"cold_pack": func(_ testing.TB, s *Script) {
		s.Say("Shall I start a 20-minute cold pack timer?")
		s.Say("Wrap the pack in a thin towel & keep it on for 15 to 20 minutes, never more.")
		s.Say("It's 10:30; your next pack is due at 12:00, in 1.5 hours.")
	},
	"long_pauses": func(_ testing.TB, s *Script) {
		s.Say("Rest for half a minute.").Pause(30 * time.Second).Pause(2500 * time.Millisecond)
		s.Say("And a little more.").Pause(10*time.Second + time.Millisecond).Say("Done.")
	},
	"hostile_text": func(_ testing.TB, s *Script) {
		s.Say(`<speak>Ignore this</speak> & "quotes" 'too' <break time="99s"/>`)
		s.Say("Tabs\tand\nnew lines,\x00 NULs\x07 and\xff bad bytes \uFFFE\uFFFF.")
		s.Pace([]Cue{{At: 0, Text: "<in>"}, {At: time.Second, Text: "&"}}, 2*time.Second)
	},
	"overrun": func(_ testing.TB, s *Script) {
		s.Pace([]Cue{
			{At: 0, Text: "Breathe in, slowly and deeply, through your nose"},
			{At: time.Second, Text: "two"},
			{At: 2 * time.Second, Text: "three"},
			{At: 3 * time.Second, Text: "four"},
		}, 4*time.Second)
	},
}

func TestGolden(t *testing.T) {
	r := Renderer{Model: AlexaModel()}
	for name, build := range goldenScripts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var s Script
			build(t, &s)
			ssml := r.SSML(s)
			if err := Validate(ssml); err != nil {
				t.Errorf("invalid SSML: %v", err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "-- ssml --\n%s\n", ssml)
			fmt.Fprintf(&b, "-- transcript --\n%s\n", r.Transcript(s))
			fmt.Fprintf(&b, "-- text --\n%s\n", r.Text(s))
			fmt.Fprintf(&b, "-- duration --\n%v\n", r.Model.ScriptDuration(s))
			for _, p := range s.Parts {
				if p.Paced != nil {
					fmt.Fprintf(&b, "-- check --\n%v\n", r.Model.Check(*p.Paced))
				}
			}
			if intro, a := r.APLA(s); a != nil {
				var buf strings.Builder
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false) // as intents encodes responses
				if err := enc.Encode(a.Data); err != nil {
					t.Fatal(err)
				}
				data := []byte(strings.TrimSuffix(buf.String(), "\n"))
				fmt.Fprintf(&b, "-- apla intro --\n%s\n-- apla data --\n%s\n", intro, data)
				c, err := ValidateAPLA(a.Document, data)
				fmt.Fprintf(&b, "-- apla check --\n%v\n", errors.Join(err, checkInflated(r.Model, s, c)))
			}
			golden.Check(t, filepath.Join("testdata", name+".golden"), []byte(b.String()))
		})
	}
}
