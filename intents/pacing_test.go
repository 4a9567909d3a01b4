package intents_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/intents"
	"spasmcoach/skill"
	"spasmcoach/speech"
)

// TestPacedResponses runs every paced activity (the breathing set in both
// patterns, the stretch round, both exercises) at every pace, with each
// pacing, through the handler: every response passes CheckResponse (for
// APLA: the directive's document and slots, 240 s of audio, under 24 KB),
// and a breathing set says the same counts, word for word, with SSML as
// with APLA.
// With APLA the timed part is the directive's, and the largest response is
// reported; it must come from the slowest pace.
func TestPacedResponses(t *testing.T) {
	aplaCounts := map[string]string{} // a breathing set's cues in APLA, by pace and pattern
	for _, pacing := range []intents.Pacing{intents.PacingAPLA, intents.PacingSSML} {
		largest, largestName := 0, ""
		var (
			longest     time.Duration
			longestName string
		)
		for pace := skill.MinPace; pace <= skill.MaxPace; pace++ {
			c := newCoach(t, intents.WithPacing(pacing))
			c.onStep(3)
			for p := 0; p != pace; {
				if pace > 0 {
					c.say(intents.IntentSlower)
					p++
				} else {
					c.say(intents.IntentFaster)
					p--
				}
			}
			if got := c.state().Pace; got != pace {
				t.Fatalf("pace %d, want %d", got, pace)
			}
			for _, act := range []struct {
				name   string
				intent string
				slots  []string
			}{
				{"breathing", intents.IntentStartBreathing, nil},
				{"long exhale", intents.IntentLongExhale, nil},
				{"stretch", intents.IntentStartStretch, nil},
				{"lying twist", intents.IntentStartExercise, []string{intents.SlotExercise, "lying twist"}},
				{"seated twist", intents.IntentStartExercise, []string{intents.SlotExercise, "seated twist"}},
			} {
				c.say(act.intent, act.slots...)
				c.expectOpen()
				if c.state().Ask == skill.AskSeatedTwist {
					// Early in an episode the seated twist waits for a yes.
					c.say(intents.IntentYes)
					c.expectOpen()
				}
				apla := 0
				for _, d := range c.last.Response.Directives {
					if d.Type == alexa.DirectiveAPLA {
						apla++
						if d := slowAudio(t, c.last.Response); d > longest {
							longest, longestName = d, fmt.Sprintf("%s at pace %d", act.name, pace)
						}
					}
				}
				if want := map[intents.Pacing]int{intents.PacingAPLA: 1}[pacing]; apla != want {
					t.Errorf("pace %d, %s: %d APLA directives, want %d", pace, act.name, apla, want)
				}
				if act.name == "breathing" || act.name == "long exhale" {
					sameCounts(t, aplaCounts, fmt.Sprintf("%s at pace %d", act.name, pace), pacing, c.last.Response)
				}
				if n := len(c.lastRaw); n > largest {
					largest, largestName = n, fmt.Sprintf("%s at pace %d", act.name, pace)
				}
			}
		}
		t.Logf("pacing %d: largest response %d bytes (%s)", pacing, largest, largestName)
		if pacing != intents.PacingAPLA {
			continue
		}
		t.Logf("longest audio %v with a voice %.0f%% slower than the model (%s)", longest, 100*(speech.SlowerVoice-1), longestName)
		if longest > speech.MaxAudio {
			t.Errorf("the %s plays %v with a slower voice, want at most %v", longestName, longest, speech.MaxAudio)
		}
		if longestName != "lying twist at pace 3" && longestName != "seated twist at pace 3" {
			t.Errorf("the longest audio is the %s, want an exercise set at the slowest pace", longestName)
		}
	}
}

// slowAudio estimates how long a response plays (its outputSpeech, then
// its APLA document) when the voice is speech.SlowerVoice times slower
// than the model.
func slowAudio(tb testing.TB, r alexa.Response) time.Duration {
	tb.Helper()
	slow := speech.AlexaModel()
	slow.SyllablesPerSecond /= speech.SlowerVoice
	var d time.Duration
	if r.OutputSpeech != nil {
		d += slow.SSMLDuration(speech.SSML(r.OutputSpeech.SSML))
	}
	for _, dir := range r.Directives {
		if dir.Type != alexa.DirectiveAPLA {
			continue
		}
		data, err := json.Marshal(dir.Datasources)
		if err != nil {
			tb.Fatal(err)
		}
		doc, err := speech.ValidateAPLA(dir.Document, data)
		if err != nil {
			tb.Fatal(err)
		}
		d += slow.APLADuration(doc)
	}
	return d
}

// sameCounts records the cues an APLA response's document says (its
// slots), under name, or checks that an SSML response says those cues in
// that order, word for word.
func sameCounts(tb testing.TB, cues map[string]string, name string, pacing intents.Pacing, r alexa.Response) {
	tb.Helper()
	if pacing == intents.PacingSSML {
		said, err := speech.SSMLText(speech.SSML(r.OutputSpeech.SSML))
		if err != nil {
			tb.Fatal(err)
		}
		if want := cues[name]; want == "" || !strings.Contains(said, want) {
			tb.Errorf("%s: the SSML says %q, want the cues APLA says: %q", name, said, want)
		}
		return
	}
	var said []string
	for _, d := range r.Directives {
		if d.Type != alexa.DirectiveAPLA {
			continue
		}
		data, err := json.Marshal(d.Datasources)
		if err != nil {
			tb.Fatal(err)
		}
		doc, err := speech.ValidateAPLA(d.Document, data)
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range speech.AlexaModel().Timeline(doc) {
			if e.Slot > 0 && e.Text != "" {
				said = append(said, e.Text)
			}
		}
	}
	cues[name] = strings.Join(said, " ")
}
