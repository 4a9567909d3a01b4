// Package speech turns a timed, speech-neutral Script into SSML for Alexa
// and into plain text. It escapes text exactly once, splits long pauses into
// legal breaks, times paced cues so each lands on its beat, and validates
// that a document keeps to Alexa's SSML rules. It is pure: no I/O, no clock.
package speech
