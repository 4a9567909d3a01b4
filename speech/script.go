package speech

import "time"

// Script is a timed, speech-neutral description of what to say: lines of
// plain text, silences, and paced sequences of cues. The zero Script is empty
// and ready to use; build one with Say, Pause and Pace.
//
// A Script holds plain text only. Escaping and markup happen when it is
// rendered, exactly once, so callers never write SSML themselves.
type Script struct {
	// Parts are said in order.
	Parts []Part
}

// Part is one element of a Script. Exactly one of its fields is set: Say for
// a line of text, Pause for a silence, or Paced for a paced sequence.
type Part struct {
	// Say is a line of plain text to speak.
	Say string
	// Pause is a silence of this length.
	Pause time.Duration
	// Paced is a sequence of cues that must start on their beats.
	Paced *Paced
}

// Paced is a sequence of cues, each to be spoken starting at its offset from
// the start of the sequence, followed by silence until Length. Offsets are
// strictly increasing and every offset is less than Length.
type Paced struct {
	// Cues are the sequence's cues, in order of their offsets.
	Cues []Cue
	// Length is the whole sequence's length, from its first beat to the
	// end of the silence after the last cue.
	Length time.Duration
}

// Cue is a short piece of text that starts At an offset from the start of
// its Paced sequence.
type Cue struct {
	// At is when the cue must be heard, from the start of its sequence.
	At time.Duration
	// Text is what to say, plain text.
	Text string
	// Short, when set, is a shorter way to say the same (plain text, such
	// as "In" for "Breathe in"), said instead of Text where Text would not
	// fit the time up to the next cue (see Model.CueTexts). Without it a
	// cue too long for its beat runs late (SSML) or takes the next beat too
	// (APLA, see Model.Slots).
	Short string
}

// Say appends a line of plain text and returns the script for chaining.
// Empty text is ignored.
func (s *Script) Say(text string) *Script {
	if text != "" {
		s.Parts = append(s.Parts, Part{Say: text})
	}
	return s
}

// Pause appends a silence and returns the script for chaining. A zero or
// negative duration is ignored.
func (s *Script) Pause(d time.Duration) *Script {
	if d > 0 {
		s.Parts = append(s.Parts, Part{Pause: d})
	}
	return s
}

// Pace appends a paced sequence of cues lasting length and returns the
// script for chaining.
func (s *Script) Pace(cues []Cue, length time.Duration) *Script {
	if len(cues) > 0 {
		s.Parts = append(s.Parts, Part{Paced: &Paced{Cues: cues, Length: length}})
	}
	return s
}

// Append adds every part of other to s and returns s for chaining.
func (s *Script) Append(other Script) *Script {
	s.Parts = append(s.Parts, other.Parts...)
	return s
}

// Empty reports whether the script says nothing and has no pauses.
func (s Script) Empty() bool { return len(s.Parts) == 0 }
