package speech

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Errors that Model.Check wraps.
var (
	// ErrCueTooLong means a cue's words take longer to say than the time
	// to the next cue (or to the end of its sequence).
	ErrCueTooLong = errors.New("speech: cue takes longer to say than its gap")
	// ErrCueOrder means a cue's offset is negative, not after the cue
	// before it, or not before the end of its sequence.
	ErrCueOrder = errors.New("speech: cue offset out of order")
)

// Model estimates how long a voice takes to say a piece of text, so that
// paced cues can be placed on their beats.
//
// Text is weighed in syllables, each weighted by its sounds (a stressed
// syllable with a consonant cluster and a diphthong, "hold", weighs about
// twice a bare unstressed one); an average English syllable weighs 1.
// Digits count as their spoken words ("12" is "twelve"). The time is then
//
//	PhraseOverhead + weight / SyllablesPerSecond
//	  + StopClosure if the text starts with a stop consonant
//	  + CommaPause per , ; : – — ( )  + SentencePause per . ! ? …
//
// unless Words holds a measured duration for the text. The fields are
// plain values so that a test or a calibration can swap them; the zero
// Model says every text takes no time.
type Model struct {
	// SyllablesPerSecond is the articulation rate: average syllables per
	// second of sound, pauses excluded. Zero or less leaves only the
	// fixed parts of the time.
	SyllablesPerSecond float64
	// PhraseOverhead is added once for any text that has something to
	// say: the onset and release of a phrase said on its own between
	// silences, and the lengthening a voice gives a phrase's last
	// syllable. It matters most for paced cues, which are such phrases.
	PhraseOverhead time.Duration
	// StopClosure is the silence at the start of a text that begins
	// with a closure (a stop or affricate: p, t, k, b, d, g, j, ch; or a
	// number said with a t, such as 2 or 10). Such a text is heard from
	// its burst, so a paced cue like "two" starts this much before its
	// beat (see Onset). It is part of the text's Duration.
	StopClosure time.Duration
	// CommaPause is the pause a clause break (comma, semicolon, colon,
	// dash, parenthesis) adds.
	CommaPause time.Duration
	// SentencePause is the pause the end of a sentence (. ! ? …) adds.
	SentencePause time.Duration
	// Words optionally holds measured durations of whole texts for this
	// voice (the few words a coach counts with, say), keyed by the text
	// in lower case after Sanitize. A text found here takes exactly that
	// long, its stop closure included; any other text is estimated. The
	// estimate is good to some tens of milliseconds a word, and along a
	// paced count those errors add up; measured words remove them.
	Words map[string]time.Duration
}

// AlexaModel returns the model of Alexa's default en-US voice: 5
// syllables per second of sound, 150 ms per phrase, 50 ms of stop closure,
// and pauses of 250 ms at a comma and 500 ms at a full stop. Words is
// empty: no durations have been measured on a device yet.
//
// No speaking rate for Alexa's voice is published (Amazon's Polly guide
// says there is no standard words-per-minute figure because voices differ,
// and shows how to time a voice with speech marks), so the figures rest on
// three anchors and should be confirmed by timing a recording of a real
// response:
//
//   - Read-aloud speech of assistants and TTS voices is commonly put at
//     150 to 165 words per minute, about 3.8 to 4.2 syllables per second
//     with pauses included. Over the skill's 98 routine lines (1,133
//     words, when this was written) the model gives 163 words per minute;
//     lines with longer sentences, and so fewer sentence pauses, come out
//     faster: 176 for TestAlexaModelRate's sample.
//   - Polly's guide times its neural en-US voice Joanna, close in sound
//     to Alexa's, on "Mary had a little lamb": the last viseme starts at
//     1,082 ms, so the phrase lasts about 1.2 s. The model says 1.32 s,
//     slightly slow, and the guide calls Joanna one of the faster voices.
//   - A stop consonant's closure lasts some 50 to 80 ms in English; it is
//     silent before an initial stop. espeak-ng, measured by this
//     package's tests, leaves 50 to 70 ms.
//
// The phrase overhead reflects that a word said alone, as a cue, is
// longer than the same word in running speech. The pauses are typical of
// synthesised English at a comma and a sentence end.
func AlexaModel() Model {
	return Model{
		SyllablesPerSecond: 5,
		PhraseOverhead:     150 * time.Millisecond,
		StopClosure:        50 * time.Millisecond,
		CommaPause:         250 * time.Millisecond,
		SentencePause:      500 * time.Millisecond,
	}
}

// Duration estimates how long the voice takes to say text, including the
// pauses its punctuation asks for. Text with nothing to say takes no time.
func (m Model) Duration(text string) time.Duration {
	if len(m.Words) > 0 {
		if d, ok := m.Words[text]; ok {
			return d
		}
		if d, ok := m.Words[strings.ToLower(Sanitize(text))]; ok {
			return d
		}
	}
	return m.duration(measure(text))
}

// Onset is how long after text starts its sound is heard: StopClosure
// when the text begins with a closure (see StopClosure), else zero. A
// paced cue starts its Onset before its beat.
func (m Model) Onset(text string) time.Duration {
	if startsWithStop(text) {
		return max(m.StopClosure, 0)
	}
	return 0
}

// maxDuration caps estimates, so that absurd rates cannot overflow.
const maxDuration = 1000 * time.Hour

func (m Model) duration(w weight) time.Duration {
	if w.points == 0 && w.clauses == 0 && w.sentences == 0 {
		return 0
	}
	d := m.PhraseOverhead + time.Duration(w.clauses)*m.CommaPause + time.Duration(w.sentences)*m.SentencePause
	if w.stop {
		d += m.StopClosure
	}
	if m.SyllablesPerSecond > 0 {
		sec := float64(w.points) / pointsPerSyllable / m.SyllablesPerSecond
		d += time.Duration(math.Round(min(sec, maxDuration.Seconds())*1000)) * time.Millisecond
	}
	return min(max(d, 0), maxDuration)
}

// Check reports every problem with a paced sequence under this model, each
// cue saying what CueTexts gives: a cue whose words take longer to say
// than the time it has, wrapping ErrCueTooLong, and a cue whose offset is negative, not after the one
// before, or not before Length, wrapping ErrCueOrder. A cue has from its
// start (its Onset before its beat) to the next cue's start, or for the
// last cue to the end of the sequence. Check returns nil for a sequence
// that renders exactly on the beat; SSML renders any sequence, catching
// up after a cue that overruns.
func (m Model) Check(p Paced) error {
	var errs []error
	texts := m.cueTexts(p)
	for i, c := range p.Cues {
		c.Text = cueText(texts, p.Cues, i)
		next, what := p.Length, "the end"
		if i+1 < len(p.Cues) {
			n := p.Cues[i+1]
			n.Text = cueText(texts, p.Cues, i+1)
			next, what = n.At-m.Onset(n.Text), fmt.Sprintf("cue %d", i+1)
		}
		switch {
		case c.At < 0:
			errs = append(errs, fmt.Errorf("cue %d %q at %v: negative offset: %w", i, c.Text, c.At, ErrCueOrder))
			continue
		case i > 0 && c.At <= p.Cues[i-1].At:
			errs = append(errs, fmt.Errorf("cue %d %q at %v: not after cue %d at %v: %w", i, c.Text, c.At, i-1, p.Cues[i-1].At, ErrCueOrder))
			continue
		case c.At >= p.Length:
			errs = append(errs, fmt.Errorf("cue %d %q at %v: not before the end at %v: %w", i, c.Text, c.At, p.Length, ErrCueOrder))
			continue
		}
		if d, room := m.Duration(c.Text), next-(c.At-m.Onset(c.Text)); d > room {
			errs = append(errs, fmt.Errorf("cue %d %q at %v takes %v to say, but %s starts %v after it: %w", i, c.Text, c.At, d, what, room, ErrCueTooLong))
		}
	}
	return errors.Join(errs...)
}

// ScriptDuration estimates how long the voice takes to say a whole
// script: its lines, its pauses, and its paced sequences (each lasting its
// Length, or longer when its last cue overruns). It follows exactly the
// timing that Renderer.SSML renders.
func (m Model) ScriptDuration(s Script) time.Duration {
	e := emitter{m: m}
	for _, p := range s.Parts {
		e.part(p)
	}
	e.flush()
	return time.Duration(e.now) * time.Millisecond
}

// ms rounds d to whole milliseconds.
func ms(d time.Duration) int64 {
	if d < 0 {
		return -int64((-d + time.Millisecond/2) / time.Millisecond)
	}
	return int64((d + time.Millisecond/2) / time.Millisecond)
}
