package speech

import "time"

// Limits Alexa puts on speech.
const (
	// MaxChars is the most characters a response's speech may have; Alexa
	// requires fewer than 8,000.
	MaxChars = 8000
	// MaxBreak is the longest single <break> Alexa accepts.
	MaxBreak = 10 * time.Second
)

// SSML is a complete SSML document: one <speak> element.
type SSML string

// Model estimates how long text takes to say. STUB: the speech helper
// replaces this file.
type Model struct {
	// SyllablesPerSecond is the speaking rate.
	SyllablesPerSecond float64
}

// AlexaModel returns the model for Alexa's default voice.
func AlexaModel() Model { return Model{SyllablesPerSecond: 4} }

// Duration estimates how long text takes to say.
func (m Model) Duration(text string) time.Duration { panic("speech: not implemented") }

// Renderer turns Scripts into SSML and text.
type Renderer struct{ Model Model }

// SSML renders s as one <speak> document.
func (r Renderer) SSML(s Script) SSML { panic("speech: not implemented") }

// Text renders the lines of s as plain text (for cards), without pauses.
func (r Renderer) Text(s Script) string { panic("speech: not implemented") }

// Transcript renders s as readable text with pauses shown, for the local
// chat and golden transcripts.
func (r Renderer) Transcript(s Script) string { panic("speech: not implemented") }

// Validate checks ssml against Alexa's rules.
func Validate(ssml SSML) error { panic("speech: not implemented") }
