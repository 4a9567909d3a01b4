package speech

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// This file renders APLA documents the way the APLA reference describes
// them, with espeak-ng as the voice, to prove that paced cues land on
// their beats whatever the voice's rate:
//
//   - Speech: its content synthesised on its own by espeak-ng (with its own
//     leading and trailing silence);
//   - Silence: exactly its duration of silence;
//   - Sequencer: its children one after another;
//   - Mixer: its children together, as long as its longest child that is
//     not trimmed; a child with duration trimToParent is cut to that
//     length;
//   - Selector: the child it plays (ValidateAPLA already chose it).
//
// The document is the one Renderer.APLA writes, validated and inflated by
// ValidateAPLA from its JSON, so what is played is what Alexa would get.

// aplaPlayer renders inflated APLA documents with espeak-ng.
type aplaPlayer struct {
	t      *testing.T
	espeak string
	wpm    int
	rate   int            // samples per second, from the first synthesis
	cache  map[string]wav // synthesised Speech content
	cut    []string       // cues whose sound was cut by their slot
}

func newAPLAPlayer(t *testing.T, espeak string, wpm int) *aplaPlayer {
	return &aplaPlayer{t: t, espeak: espeak, wpm: wpm, cache: map[string]wav{}}
}

func (p *aplaPlayer) speech(content string) wav {
	if w, ok := p.cache[content]; ok {
		return w
	}
	w := synthAt(p.t, p.espeak, SSML(content), p.wpm)
	if p.rate == 0 {
		p.rate = w.rate
	} else if w.rate != p.rate {
		p.t.Fatalf("espeak-ng changed its sample rate: %d, then %d", p.rate, w.rate)
	}
	p.cache[content] = w
	return w
}

func (p *aplaPlayer) samples(d time.Duration) int {
	return int(math.Round(d.Seconds() * float64(p.rate)))
}

// play renders c.
func (p *aplaPlayer) play(c *APLAComponent) []float64 {
	switch c.Type {
	case "Speech":
		return p.speech(c.Content).samples
	case "Silence":
		return make([]float64, p.samples(c.Silence))
	case "Selector":
		if len(c.Items) == 0 {
			return nil
		}
		return p.play(c.Items[0])
	case "Sequencer":
		var out []float64
		for _, k := range c.Items {
			out = append(out, p.play(k)...)
		}
		return out
	case "Mixer":
		return p.mix(c)
	}
	p.t.Fatalf("the test renderer cannot play a %s", c.Type)
	return nil
}

// mix renders a Mixer: its length is its longest untrimmed child's, and
// trimmed children are cut to it. A trimmed Speech whose sound (not just
// its trailing silence) runs past the end is reported as cut.
func (p *aplaPlayer) mix(c *APLAComponent) []float64 {
	kids := make([][]float64, len(c.Items))
	n := 0
	for i, k := range c.Items {
		kids[i] = p.play(k)
		if !k.Trim {
			n = max(n, len(kids[i]))
		}
	}
	out := make([]float64, n)
	for i, k := range c.Items {
		if k.Trim && len(kids[i]) > n && k.Type == "Speech" {
			segs := segments(wav{rate: p.rate, samples: kids[i]})
			if len(segs) > 0 && p.samples(segs[len(segs)-1].offset) > n {
				text, _ := SSMLText(SSML(k.Content))
				p.cut = append(p.cut, fmt.Sprintf("%q (sound to %v, slot %v)", text,
					segs[len(segs)-1].offset, time.Duration(n)*time.Second/time.Duration(p.rate)))
			}
		}
		for j := 0; j < min(n, len(kids[i])); j++ {
			out[j] += kids[i][j]
		}
	}
	return out
}

// playResponse renders what a response plays: its outputSpeech, then its
// APLA document.
func (p *aplaPlayer) playResponse(intro SSML, a *APLA) wav {
	p.t.Helper()
	data, err := json.Marshal(a.Data)
	if err != nil {
		p.t.Fatal(err)
	}
	c, err := ValidateAPLA(a.Document, data)
	if err != nil {
		p.t.Fatalf("invalid APLA: %v", err)
	}
	var out []float64
	if intro != "" {
		out = append(out, p.speech(string(intro)).samples...)
	}
	out = append(out, p.play(c)...)
	return wav{rate: p.rate, samples: out}
}

// rateCases are the espeak-ng speaking rates both paths are timed at:
// 0.7, 1.0 and 1.4 times its default.
var rateCases = []struct {
	name   string
	factor float64
}{{"0.7x", 0.7}, {"1.0x", 1.0}, {"1.4x", 1.4}}

// TestEspeakAPLA renders the skill's breathing set as an APLA document, at
// the routine's own pace and at the skill's fastest (where each breath
// opens with the short "In"), plays it with the test renderer above at
// espeak-ng rates of 0.7, 1.0 and 1.4 times its default, and finds every
// cue's onset in the audio (as TestEspeakPacing does): every count must be
// heard, within 50 ms of its beat, every breath within 1 % of its length,
// and no cue cut by its slot. (At the fastest pace and 0.7 times the rate
// the counts run too close together to find their onsets; there only the
// cuts are checked.) The
// document is timed by the shipped model of Alexa's voice, not one
// calibrated to espeak-ng: slots make the voice's rate irrelevant.
//
// The same rates through the SSML path, timed by the model calibrated to
// espeak-ng's default rate, are the control: their errors grow with the
// rate's error, and are logged as a table, not checked.
func TestEspeakAPLA(t *testing.T) {
	espeak := needEspeak(t)
	const (
		breaths  = 5
		maxBeat  = 50 * time.Millisecond
		maxCycle = 1.0 // percent
	)
	var table strings.Builder
	table.WriteString("\n| Path | Pace | espeak-ng rate | Counts: worst / mean error | Breath length: worst / mean error | Cues cut |\n|---|---|---|---|---|---|\n")
	for _, pc := range []struct {
		name string // of the subtests, after "apla"
		pace int
	}{{"", 0}, {" fastest pace", SkillMinPace}} {
		s, cues, cycle := breathingSetAt(t, pc.pace, breaths)
		r := Renderer{Model: AlexaModel()}
		intro, a := r.APLA(s)
		if a == nil {
			t.Fatal("no APLA for the breathing set")
		}
		for _, rc := range rateCases {
			wpm := int(math.Round(espeakRate * rc.factor))
			t.Run("apla"+pc.name+" "+rc.name, func(t *testing.T) {
				p := newAPLAPlayer(t, espeak, wpm)
				audio := p.playResponse(intro, a)
				if len(p.cut) > 0 {
					t.Errorf("cues cut by their slots: %s", strings.Join(p.cut, "; "))
				}
				if pc.pace != 0 && rc.factor < 1 {
					// At the fastest pace the slowest voice leaves less than
					// segments' 150 ms of silence between counts, so their
					// onsets cannot be told apart; each is still said in
					// full on its slot (no cue cut, checked above).
					fmt.Fprintf(&table, "| APLA | %+d | %s (%d wpm) | – | – | %d |\n", pc.pace, rc.name, wpm, len(p.cut))
					return
				}
				tm := timeSet(t, audio, cues, breaths, cycle)
				t.Logf("%s", tm)
				fmt.Fprintf(&table, "| APLA | %+d | %s (%d wpm) | %v / %v | %.2f %% / %.2f %% | %d |\n", pc.pace, rc.name, wpm,
					tm.worst.Round(time.Millisecond), tm.mean.Round(time.Millisecond), tm.worstCycle, tm.meanCycle, len(p.cut))
				if tm.worst > maxBeat {
					t.Errorf("a count lands %v from its beat, want within %v", tm.worst, maxBeat)
				}
				if tm.worstCycle > maxCycle {
					t.Errorf("a breath is %.2f%% off its length, want within %.0f%%", tm.worstCycle, maxCycle)
				}
			})
		}
	}
	calibrated := calibrate(t, espeak)
	for _, rc := range rateCases {
		wpm := int(math.Round(espeakRate * rc.factor))
		t.Run("ssml control "+rc.name, func(t *testing.T) {
			tm := measureSetAt(t, espeak, calibrated, breaths, wpm)
			t.Logf("%s", tm)
			fmt.Fprintf(&table, "| SSML (control) | +0 | %s (%d wpm) | %v / %v | %.2f %% / %.2f %% | – |\n", rc.name, wpm,
				tm.worst.Round(time.Millisecond), tm.mean.Round(time.Millisecond), tm.worstCycle, tm.meanCycle)
		})
	}
	t.Log(table.String())
}
