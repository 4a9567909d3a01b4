// Package skill holds the back-spasm routine as data and the state machine
// that coaches a user through it. Apply is a pure function of a State, an
// Event and the current time; it returns the next State and a
// speech-neutral Reply. The package knows nothing of Alexa, SSML, AWS or
// wire formats, so that every turn of the coaching can be tested, and
// reasoned about, as that one function.
package skill
