package speech

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"spasmcoach/internal/testutil/tools"
)

// This file proves the paced-cue compensation against a real synthesiser.
// espeak-ng reads the SSML this package renders (espeak-ng -m) and writes a
// WAV file; the test finds where each spoken cue starts in the audio and
// compares it with the cue's beat.
//
// The rendering code is the one Alexa gets; only the Model's numbers
// differ, because espeak-ng speaks at its own rate. The test measures them
// first (calibrate): it renders a list of short phrases (none of them a
// cue word), each followed by a one-second pause, through Renderer.SSML.
// The time from one phrase's onset to the next, less the second, is the
// phrase's duration (plus the next phrase's stop closure, which is silent
// and so comes before its onset). A least-squares fit of those times on
// the phrase's syllable weight and on whether the next phrase starts with
// a closure gives the rate (1/slope), the phrase overhead (intercept) and
// the stop closure. The syllable weighing itself is the shipped one. A
// second step (measureWords) measures the cue words the same way, for the
// runs that use measured words.

// espeakVoice is the voice the test speaks with.
const espeakVoice = "en-us"

// calibration holds the phrases that measure espeak-ng's timing. They are
// like the cues a coach paces, short and said alone, one or two words,
// but none of them is a cue word or a number. They have no punctuation
// (so no pauses inside), and about half start with a closure (a stop or
// affricate), so that the fit can tell the closure from the rest.
var calibration = []string{
	"yes", "good", "rest", "back", "slow", "deep", "well", "keep",
	"warm", "down", "soft", "calm", "now", "gently", "still", "gone",
	"safe", "bend", "rise", "curl", "easy", "tight", "relax", "push",
	"slowly", "drop", "nearly", "ready", "sink", "turn", "settle", "pause",
	"loosen", "tension", "almost", "careful", "let go", "both knees",
	"stay here", "keep going", "lie still", "drop your chin", "very good",
	"take your time", "nice and easy", "back to the middle", "feel the floor",
	"gently now", "heavy arms", "good job", "soften", "tuck", "relax your jaw",
	"deeper", "open", "chin down", "wider", "just rest", "little more", "done",
}

// needEspeak returns the path of espeak-ng (see tools.Need: a skip, or a
// failure under CI, when it is missing).
func needEspeak(t *testing.T) string {
	t.Helper()
	return tools.Need(t, "espeak-ng", "Debian/Ubuntu: apt-get install espeak-ng; "+
		"the test that times paced cues against a real synthesiser cannot run without it")
}

// synth renders ssml with espeak-ng at its default rate and returns the
// audio.
func synth(t *testing.T, espeak string, ssml SSML) wav {
	t.Helper()
	return synthAt(t, espeak, ssml, 0)
}

// espeakRate is espeak-ng's default speaking rate, in words per minute.
const espeakRate = 175

// synthAt renders ssml with espeak-ng at wpm words per minute (0 for its
// default) and returns the audio.
func synthAt(t *testing.T, espeak string, ssml SSML, wpm int) wav {
	t.Helper()
	if err := Validate(ssml); err != nil {
		t.Fatalf("invalid SSML for espeak-ng: %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ssml")
	out := filepath.Join(dir, "out.wav")
	if err := os.WriteFile(in, []byte(ssml), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-m", "-v", espeakVoice, "-w", out, "-f", in}
	if wpm > 0 {
		args = append(args, "-s", strconv.Itoa(wpm))
	}
	cmd := exec.Command(espeak, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	w, err := readWAV(b)
	if err != nil {
		t.Fatalf("reading espeak-ng's WAV: %v", err)
	}
	return w
}

// wav is mono audio.
type wav struct {
	rate    int
	samples []float64 // -1 to 1
}

// readWAV decodes a 16-bit PCM RIFF/WAVE file, mixing channels to mono.
// espeak-ng writes a placeholder chunk size when it streams, so a data
// chunk is allowed to claim more than the file holds.
func readWAV(b []byte) (wav, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return wav{}, errors.New("not a RIFF/WAVE file")
	}
	var (
		w        wav
		channels int
		bits     int
		data     []byte
	)
	for i := 12; i+8 <= len(b); {
		id := string(b[i : i+4])
		n := int(binary.LittleEndian.Uint32(b[i+4:]))
		body := b[i+8:]
		if n < 0 || n > len(body) {
			n = len(body)
		}
		switch id {
		case "fmt ":
			if n < 16 {
				return wav{}, errors.New("short fmt chunk")
			}
			if format := binary.LittleEndian.Uint16(body); format != 1 {
				return wav{}, fmt.Errorf("format %d, want PCM", format)
			}
			channels = int(binary.LittleEndian.Uint16(body[2:]))
			w.rate = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			data = body[:n]
		}
		i += 8 + n + n%2
	}
	if bits != 16 || channels < 1 || w.rate <= 0 || data == nil {
		return wav{}, fmt.Errorf("want 16-bit PCM with data, got %d bits, %d channels, rate %d", bits, channels, w.rate)
	}
	frames := len(data) / (2 * channels)
	w.samples = make([]float64, frames)
	for f := range frames {
		var sum float64
		for c := range channels {
			sum += float64(int16(binary.LittleEndian.Uint16(data[2*(f*channels+c):])))
		}
		w.samples[f] = sum / float64(channels) / 32768
	}
	return w, nil
}

// Onset detection.
const (
	frameLen   = 5 * time.Millisecond   // energy envelope resolution
	minSilence = 150 * time.Millisecond // a silence this long separates two phrases
	floorDB    = -50                    // silence is quieter than this, relative to the loudest frame
)

// segment is a stretch of sound between silences.
type segment struct{ onset, offset time.Duration }

// segments finds the stretches of sound in w: the RMS energy of 5 ms
// frames, a threshold 50 dB under the loudest frame, and a new segment
// wherever sound follows at least 150 ms of silence. (Pauses inside a word,
// such as a stop consonant's closure, are far shorter.) Each onset is then
// moved back to the first sample above the threshold in its frame.
func segments(w wav) []segment {
	n := int(int64(w.rate) * int64(frameLen) / int64(time.Second))
	var env []float64
	peak := 0.0
	for i := 0; i+n <= len(w.samples); i += n {
		var e float64
		for _, v := range w.samples[i : i+n] {
			e += v * v
		}
		rms := math.Sqrt(e / float64(n))
		env = append(env, rms)
		peak = max(peak, rms)
	}
	thr := peak * math.Pow(10, floorDB/20.0)
	at := func(frame int) time.Duration { return time.Duration(frame) * frameLen }
	var segs []segment
	quiet := int(minSilence / frameLen) // frames of silence so far; the file starts "after silence"
	in := false
	for f, e := range env {
		if e > thr {
			if !in && quiet >= int(minSilence/frameLen) {
				// Refine: the first sample in this frame above the threshold.
				on := at(f)
				for k := f * n; k < (f+1)*n; k++ {
					if math.Abs(w.samples[k]) > thr {
						on = time.Duration(int64(k) * int64(time.Second) / int64(w.rate))
						break
					}
				}
				segs = append(segs, segment{onset: on})
			}
			in = true
			quiet = 0
			continue
		}
		quiet++
		if in && quiet >= int(minSilence/frameLen) {
			segs[len(segs)-1].offset = at(f - quiet + 1)
			in = false
		}
	}
	if in {
		segs[len(segs)-1].offset = at(len(env))
	}
	return segs
}

// calibrate measures espeak-ng's rate and phrase overhead (see the top of
// this file) and returns the model to time espeak-ng with.
func calibrate(t *testing.T, espeak string) Model {
	t.Helper()
	return calibrateWith(t, espeak, calibration)
}

func calibrateWith(t *testing.T, espeak string, calibration []string) Model {
	t.Helper()
	var s Script
	for _, p := range calibration {
		s.Say(p).Pause(time.Second)
	}
	s.Say("done")
	segs := segments(synth(t, espeak, Renderer{Model: AlexaModel()}.SSML(s)))
	if len(segs) != len(calibration)+1 {
		t.Fatalf("calibration: found %d phrases in the audio, want %d: %v", len(segs), len(calibration)+1, segs)
	}
	// Least squares over y = overhead + weight/rate + closure*nextStop:
	// the time from one phrase's onset to the next, less the pause, is
	// the phrase's duration, less its own closure (heard after its
	// start), plus the next phrase's closure (silent, before its onset).
	var xs [][]float64
	var ys []float64
	for i, p := range calibration {
		next := 0.0
		if i+1 < len(calibration) && startsWithStop(calibration[i+1]) {
			next = 1
		}
		xs = append(xs, []float64{1, float64(measure(p).points) / pointsPerSyllable, next})
		ys = append(ys, (segs[i+1].onset - segs[i].onset - time.Second).Seconds())
	}
	b := leastSquares(xs, ys)
	if b[1] <= 0 {
		t.Fatalf("calibration: %v s per syllable, want positive", b[1])
	}
	m := AlexaModel()
	m.PhraseOverhead = time.Duration(b[0] * float64(time.Second)).Round(time.Millisecond)
	m.SyllablesPerSecond = 1 / b[1]
	m.StopClosure = max(0, time.Duration(b[2]*float64(time.Second)).Round(time.Millisecond))
	var worst float64
	for i, y := range ys {
		pred := b[0] + b[1]*xs[i][1] + b[2]*xs[i][2]
		worst = max(worst, math.Abs(y-pred))
	}
	t.Logf("espeak-ng -v %s: %.2f syllables/s, phrase overhead %v, stop closure %v (fit over %d phrases, worst residual %.0f ms)",
		espeakVoice, m.SyllablesPerSecond, m.PhraseOverhead, m.StopClosure, len(calibration), worst*1000)
	return m
}

// leastSquares solves the normal equations of y ≈ x·b by Gaussian
// elimination with partial pivoting.
func leastSquares(x [][]float64, y []float64) []float64 {
	k := len(x[0])
	a := make([][]float64, k)
	for i := range a {
		a[i] = make([]float64, k+1)
	}
	for r := range x {
		for i := range k {
			for j := range k {
				a[i][j] += x[r][i] * x[r][j]
			}
			a[i][k] += x[r][i] * y[r]
		}
	}
	for i := range k {
		p := i
		for r := i + 1; r < k; r++ {
			if math.Abs(a[r][i]) > math.Abs(a[p][i]) {
				p = r
			}
		}
		a[i], a[p] = a[p], a[i]
		for r := range k {
			if r != i && a[i][i] != 0 {
				f := a[r][i] / a[i][i]
				for c := i; c <= k; c++ {
					a[r][c] -= f * a[i][c]
				}
			}
		}
	}
	b := make([]float64, k)
	for i := range b {
		if a[i][i] != 0 {
			b[i] = a[i][k] / a[i][i]
		}
	}
	return b
}

// cueWords returns the distinct texts of the skill's breathing cues, in
// lower case, in the order they are first said.
func cueWords(t *testing.T) []string {
	t.Helper()
	cues, _ := skillSet(t, false, 1)
	var words []string
	seen := map[string]bool{}
	for _, c := range cues {
		if w := strings.ToLower(c.Text); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// measureWords adds to m the measured durations of the cue words: each
// word said once, a second apart, in the same way as the calibration
// phrases; a word's duration is the time to the next onset, less the
// pause, plus its own stop closure (heard after its start), less the next
// word's (silent, before that onset).
func measureWords(t *testing.T, espeak string, m Model) Model {
	t.Helper()
	cueWords := cueWords(t)
	var s Script
	for _, w := range cueWords {
		s.Say(w).Pause(time.Second)
	}
	s.Say("yes")
	segs := segments(synth(t, espeak, Renderer{Model: m}.SSML(s)))
	if len(segs) != len(cueWords)+1 {
		t.Fatalf("measuring words: found %d sounds, want %d: %v", len(segs), len(cueWords)+1, segs)
	}
	m.Words = make(map[string]time.Duration, len(cueWords))
	next := append(slices.Clone(cueWords[1:]), "yes")
	for i, w := range cueWords {
		d := segs[i+1].onset - segs[i].onset - time.Second + m.Onset(w) - m.Onset(next[i])
		m.Words[w] = d.Round(time.Millisecond)
	}
	t.Logf("measured cue words: %v", m.Words)
	return m
}

// breathingSet builds the skill's default breathing set with the skill's
// own cue builder (skill.BreathCues, through SkillBreathCues): in for 5 s
// counted on each second, hold 1 s, out for 3.5 s counted on the first
// three seconds, no pause after the out-breath, and every breath opening
// with "Breathe in". It returns the script (a line, a pause, the paced set,
// a closing line), the cues and the length of one breath.
func breathingSet(tb testing.TB, breaths int) (Script, []Cue, time.Duration) {
	tb.Helper()
	return breathingSetAt(tb, 0, breaths)
}

// breathingSetAt is breathingSet at a pace level of the skill's.
func breathingSetAt(tb testing.TB, pace, breaths int) (Script, []Cue, time.Duration) {
	tb.Helper()
	cues, length := skillSetAt(tb, false, pace, breaths)
	var s Script
	s.Say("Let's begin").Pause(1500*time.Millisecond).Pace(cues, length).Say("Well done")
	return s, cues, length / time.Duration(breaths)
}

// timing is how a rendered breathing set lands.
type timing struct {
	errs       []time.Duration // each cue's onset less its beat in its breath
	drift      []time.Duration // each cue's onset less its beat in the whole set
	cycleErrs  []float64       // each breath's length error, in percent
	worst      time.Duration   // of errs, absolute
	mean       time.Duration   // of errs, absolute
	worstDrift time.Duration   // of drift, absolute
	worstCycle float64         // percent, absolute
	meanCycle  float64         // percent, of absolute errors
}

// measureSet renders a breathing set through espeak-ng with model m and
// measures every cue's onset against its beat.
//
// A cue's beat is its place in its breath: the onset of the breath's
// opening cue plus the cue's offset from it. A breath's length runs from
// its opening cue's onset to the next breath's (the closing line's, for
// the last breath, which starts when the set ends). Together these say
// what a listener hears: counts on the second within each breath, and
// breaths of the right length. The drift, each cue against a grid fixed at
// the set's first cue, is reported as well: small errors in each breath's
// length add up in it.
func measureSet(t *testing.T, espeak string, m Model, breaths int) timing {
	t.Helper()
	return measureSetAt(t, espeak, m, breaths, 0)
}

// measureSetAt is measureSet with espeak-ng speaking at wpm words per
// minute (0 for its default).
func measureSetAt(t *testing.T, espeak string, m Model, breaths, wpm int) timing {
	t.Helper()
	s, cues, cycle := breathingSet(t, breaths)
	return timeSet(t, synthAt(t, espeak, Renderer{Model: m}.SSML(s), wpm), cues, breaths, cycle)
}

// timeSet measures the audio of a breathing set (a line, the cues, a
// line) as measureSet describes.
func timeSet(t *testing.T, audio wav, cues []Cue, breaths int, cycle time.Duration) timing {
	t.Helper()
	segs := segments(audio)
	if want := len(cues) + 2; len(segs) != want {
		t.Fatalf("found %d sounds in the audio, want %d (a line, %d cues, a line): %v", len(segs), want, len(cues), segs)
	}
	onset := func(cue int) time.Duration { return segs[1+cue].onset }
	perBreath := len(cues) / breaths
	var tm timing
	for i, c := range cues {
		open := i - i%perBreath
		e := onset(i) - onset(open) - (c.At - cues[open].At)
		tm.errs = append(tm.errs, e)
		tm.worst = max(tm.worst, e.Abs())
		tm.mean += e.Abs()
		d := onset(i) - onset(0) - c.At
		tm.drift = append(tm.drift, d)
		tm.worstDrift = max(tm.worstDrift, d.Abs())
	}
	tm.mean /= time.Duration(len(cues))
	for b := range breaths {
		start := onset(b * perBreath)
		end := segs[len(segs)-1].onset // the closing line, at the set's end
		if b+1 < breaths {
			end = onset((b + 1) * perBreath)
		}
		pct := 100 * float64(end-start-cycle) / float64(cycle)
		tm.cycleErrs = append(tm.cycleErrs, pct)
		tm.worstCycle = max(tm.worstCycle, math.Abs(pct))
		tm.meanCycle += math.Abs(pct) / float64(breaths)
	}
	return tm
}

func (tm timing) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "beats: worst %v, mean %v; breaths: worst %.2f%%, mean %.2f%%; drift over the set: worst %v",
		tm.worst.Round(time.Millisecond), tm.mean.Round(time.Millisecond), tm.worstCycle, tm.meanCycle, tm.worstDrift.Round(time.Millisecond))
	row := func(name string, ds []time.Duration) {
		fmt.Fprintf(&b, "\n  %s (ms, a breath a row):", name)
		for i, e := range ds {
			if i%(len(ds)/len(tm.cycleErrs)) == 0 {
				b.WriteString("\n   ")
			}
			fmt.Fprintf(&b, " %+5d", e.Milliseconds())
		}
	}
	row("beat errors", tm.errs)
	row("drift", tm.drift)
	b.WriteString("\n  breath length errors (%):")
	for _, c := range tm.cycleErrs {
		fmt.Fprintf(&b, " %+.2f", c)
	}
	return b.String()
}

// TestEspeakPacing renders breathing sets with espeak-ng and measures how
// every count lands on its beat and every breath on its length (see
// measureSet). The specification is 100 ms and 3%.
//
// Two models of espeak-ng's voice are tried:
//
//   - "estimated": the calibrated model alone, as Alexa's voice is timed
//     in production (rate, phrase overhead and stop closure measured; each
//     word's length estimated from its spelling);
//   - "measured words": the same plus the measured durations of the cue
//     words (Model.Words), which isolates the compensation itself.
//
// The set is the one the skill ships, built by the skill's own
// skill.BreathCues (see breathingSet): every breath opens with "Breathe
// in", then bare counts, "hold", "out" and counts. (A bare "in" to open
// later breaths was tried and dropped: espeak-ng stretches the pause after
// so short a clause by about 25 ms a count, which no model of the words can
// see.) A control run without compensation (a model that says cues take no
// time) must fail, which shows the measurement can tell.
func TestEspeakPacing(t *testing.T) {
	espeak := needEspeak(t)
	estimated := calibrate(t, espeak)
	measured := measureWords(t, espeak, estimated)
	const (
		breaths  = 5
		maxCycle = 3.0 // percent
		spec     = 100 * time.Millisecond
	)
	for _, tc := range []struct {
		name    string
		m       Model
		maxBeat time.Duration
	}{
		{"estimated", estimated, spec},
		{"measured words", measured, spec},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tm := measureSet(t, espeak, tc.m, breaths)
			t.Logf("%s", tm)
			if tm.worst > tc.maxBeat {
				t.Errorf("a count lands %v from its beat, want within %v", tm.worst, tc.maxBeat)
			}
			if tm.worstCycle > maxCycle {
				t.Errorf("a breath is %.2f%% off its length, want within %.0f%%", tm.worstCycle, maxCycle)
			}
		})
	}
	t.Run("control without compensation", func(t *testing.T) {
		tm := measureSet(t, espeak, Model{}, breaths)
		t.Logf("%s", tm)
		if tm.worst <= spec && tm.worstCycle <= maxCycle {
			t.Errorf("uncompensated cues pass the check (counts worst %v, breaths worst %.2f%%): it cannot tell", tm.worst, tm.worstCycle)
		}
	})
}
