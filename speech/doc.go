// Package speech turns a timed, speech-neutral Script into SSML for Alexa,
// APL for Audio and plain text. It exists so that the coaching (package
// skill) can say what to say and when, and stay free of markup, escaping
// and Alexa's limits, while the counts of a breath still land on their
// beats. It is pure: no I/O, no clock.
//
// A Script is lines of plain text, pauses, and paced sequences of cues
// (short texts at offsets, such as the counts of a breath). Renderer.SSML
// sanitizes and escapes all text exactly once, splits pauses into breaks of
// at most 10 s, and times paced cues with a Model of the voice so that each
// is heard on its beat: a cue's silence is its gap less the time the Model
// says its words take. Renderer.Text gives the lines for a card, and
// Renderer.Transcript a readable account with pauses and beats shown.
// Validate checks any document against Alexa's SSML rules and limits, and
// Readable turns any document back into one line of readable text with
// its pauses shown (what the local chat prints).
//
// Renderer.APLA renders the same Script for APL for Audio instead: the
// introduction as SSML, and everything from the first paced cue on as an
// APLA document whose slots (a Silence of the beat mixed with the cue's
// Speech trimmed to it) put every cue on its beat whatever the voice's
// speed. The document is fixed; the cues are its data. ValidateAPLA checks
// a document and its data against the APLA component set and inflates
// them, and Model.CheckAPLA checks the slots against the Script.
//
// AlexaModel is the Model of Alexa's default voice. The package's tests
// prove the timing against a real synthesiser, espeak-ng, with a Model
// calibrated to it (see espeak_test.go).
package speech
