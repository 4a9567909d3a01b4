package skill_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"spasmcoach/skill"
	"spasmcoach/speech"
)

// TestEveryCountSaid renders a breathing set of each pattern at every pace,
// as APLA and as SSML, and checks that every breath says every count: the
// opening cue ("Breathe in", or "In" where the beat is too quick for it),
// then two, three and on, with hold and out, none left out. Both pacings say
// the same words, and every APLA cue fits its one-beat slot when the voice
// is speech.SlowerVoice times slower than the model. At the routine's own
// pace and slower each breath opens with the full "Breathe in".
func TestEveryCountSaid(t *testing.T) {
	breaths := map[skill.Pattern][]string{
		// In as I count to five, hold for one, out as I count to three.
		skill.PatternSteady: {"two", "three", "four", "five", "hold", "out", "two", "three"},
		// In as I count to four, out as I count to six.
		skill.PatternLongExhale: {"two", "three", "four", "out", "two", "three", "four", "five", "six"},
	}
	rd := speech.Renderer{Model: speech.AlexaModel()}
	for pattern, rest := range breaths {
		for pace := skill.MinPace; pace <= skill.MaxPace; pace++ {
			t.Run(fmt.Sprintf("pattern %d pace %+d", pattern, pace), func(t *testing.T) {
				n := skill.BreathsPerSet(pattern, pace)
				cues, length := skill.BreathCues(pattern, pace, n)
				var s speech.Script
				s.Pace(cues, length)
				apla := aplaCues(t, rd, s)
				open := apla[0]
				if open != "In" && open != "Breathe in" {
					t.Fatalf("a breath opens with %q", open)
				}
				if pace >= 0 && open != "Breathe in" {
					t.Errorf("at pace %+d a breath opens with %q, want the full Breathe in", pace, open)
				}
				var want []string
				for range n {
					want = append(want, open)
					want = append(want, rest...)
				}
				if !slices.Equal(apla, want) {
					t.Errorf("APLA says %q,\nwant %q", apla, want)
				}
				ssml, err := speech.SSMLText(rd.SSML(s))
				if err != nil {
					t.Fatal(err)
				}
				if ssml != strings.Join(want, " ") {
					t.Errorf("SSML says %q,\nwant %q", ssml, strings.Join(want, " "))
				}
				if err := rd.Model.Check(speech.Paced{Cues: cues, Length: length}); err != nil {
					t.Errorf("SSML off the beat: %v", err)
				}
			})
		}
	}
}

// aplaCues renders s as APLA, checks the document (valid, on the beat:
// Model.CheckAPLA) and that each cue fits a slot of one beat, and returns
// the cues its slots say.
func aplaCues(t *testing.T, rd speech.Renderer, s speech.Script) []string {
	t.Helper()
	_, a := rd.APLA(s)
	if a == nil {
		t.Fatal("no APLA for a breathing set")
	}
	data, err := json.Marshal(a.Data)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := speech.ValidateAPLA(a.Document, data)
	if err != nil {
		t.Fatal(err)
	}
	if err := rd.Model.CheckAPLA(s, doc); err != nil {
		t.Fatal(err)
	}
	var said []string
	for _, p := range a.Data.Audio.Parts {
		if p.MS == 0 || p.T == "" {
			continue
		}
		slot := time.Duration(p.MS) * time.Millisecond
		if !rd.Model.FitsSlot(p.T, slot) {
			t.Errorf("%q does not fit its %v slot with a voice %.0f%% slower", p.T, slot, 100*(speech.SlowerVoice-1))
		}
		said = append(said, p.T)
	}
	return said
}
