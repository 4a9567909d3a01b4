package intents

import "spasmcoach/alexa"

// fault is a failure the user hears about as a short apology.
type fault uint8

// Faults.
const (
	faultNone fault = iota
	// faultMalformed: the request could not be read.
	faultMalformed
	// faultNoUser: the request names no user, so there is no state.
	faultNoUser
	// faultStore: the store could not be read and the session has no
	// copy of the state.
	faultStore
	// faultConflict: another device wrote at the same moment, twice, or
	// no time was left to try again.
	faultConflict
	// faultNewerState: the stored state was written by a newer version of
	// the skill (during a rollback); it must not be overwritten.
	faultNewerState
	// faultForget: deleting the user's data failed.
	faultForget
	// faultInternal: a bug (a recovered panic).
	faultInternal
)

// apology is what the user hears for a fault.
type apology struct {
	name string
	// say is said; reprompt, when set, keeps the session open.
	say, reprompt string
}

// apologies is the one table of what each failure sounds like: a clear,
// short spoken apology, never an error response. They are plain text: they must work even when rendering does
// not. Those with a reprompt keep the user where they were, with the
// session open.
var apologies = [...]apology{
	faultNone: {name: "none"},
	faultMalformed: {name: "malformed",
		say: "Sorry, something went wrong with that request. Please try again."},
	faultNoUser: {name: "no-user",
		say: "Sorry, I couldn't tell who's asking. Please try again."},
	faultStore: {name: "store",
		say:      "Sorry, I can't reach your saved progress just now. Please say that again in a moment.",
		reprompt: "Please say that again, or say stop to rest."},
	faultConflict: {name: "conflict",
		say:      "Sorry, another of your devices was talking to me at the same moment. Please say that again.",
		reprompt: "Please say that again, or say stop to rest."},
	faultNewerState: {name: "newer-state",
		say: "Sorry, I'm being updated right now. Please try again in a few minutes."},
	faultForget: {name: "forget",
		say:      "Sorry, I couldn't delete your data just now. Nothing has changed.",
		reprompt: "Say forget me to try again, or say stop."},
	faultInternal: {name: "internal",
		say: "Sorry, something went wrong on my side. Please try again."},
}

// String names the fault for logs.
func (f fault) String() string {
	if int(f) < len(apologies) {
		return apologies[f].name
	}
	return "fault"
}

// faultEnvelope returns the apology for f, with the session attributes to
// carry when it keeps the session open.
func (h *Handler) faultEnvelope(f fault, attrs *alexa.Attributes) *alexa.Envelope {
	a := apologies[faultInternal]
	if int(f) < len(apologies) && f != faultNone {
		a = apologies[f]
	}
	env := &alexa.Envelope{Version: alexa.ResponseVersion}
	env.Response.OutputSpeech = alexa.PlainSpeech(a.say)
	if a.reprompt == "" {
		env.Response.ShouldEndSession = alexa.Bool(true)
		return env
	}
	env.Response.Reprompt = &alexa.Reprompt{OutputSpeech: alexa.PlainSpeech(a.reprompt)}
	env.Response.ShouldEndSession = alexa.Bool(false)
	env.SessionAttributes = attrs
	return env
}
