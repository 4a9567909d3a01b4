package intents

import (
	"fmt"
	"strings"

	"spasmcoach/alexa"
	"spasmcoach/speech"
)

// APLADirective returns the Alexa.Presentation.APLA.RenderDocument
// directive that plays a; Alexa plays it after the outputSpeech
// (https://developer.amazon.com/en-US/docs/alexa/alexa-presentation-language/apla-interface.html).
func APLADirective(a *speech.APLA) alexa.Directive {
	return alexa.Directive{Type: alexa.DirectiveAPLA, Token: speech.APLAToken, Document: a.Document, Datasources: &a.Data}
}

// Pacing is how a response sends paced cues.
type Pacing uint8

// Pacings.
const (
	// PacingAPLA sends everything from the first paced cue on as an APLA
	// document of exact slots, so the cues land on their beats with any
	// voice; the introduction stays in the outputSpeech.
	PacingAPLA Pacing = iota
	// PacingSSML sends everything as SSML, the cues timed by the speech
	// model's estimate of the voice; for devices or regions where APLA
	// misbehaves.
	PacingSSML
)

// ParsePacing reads a pacing setting: "apla" or "ssml", in any case; empty
// is PacingAPLA.
func ParsePacing(s string) (Pacing, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "apla":
		return PacingAPLA, nil
	case "ssml":
		return PacingSSML, nil
	}
	return 0, fmt.Errorf("intents: pacing %q: want apla or ssml", s)
}

// AskForDirective returns the Connections.SendRequest directive that asks
// the user by voice to grant scope to the whole account; token comes back
// in the Connections.Response.
func AskForDirective(scope, token string) alexa.Directive {
	return alexa.Directive{
		Type: alexa.DirectiveSendRequest,
		Name: alexa.ConnectionAskFor,
		Payload: &alexa.AskForPermissionsConsentRequest{
			Type:             alexa.AskForPayloadType,
			Version:          alexa.AskForPayloadVersion,
			PermissionScopes: []alexa.PermissionScope{{PermissionScope: scope, ConsentLevel: alexa.ConsentLevelAccount}},
		},
		Token: token,
	}
}

// mustEncode encodes e; the types cannot fail to encode, but if they ever
// did the caller still gets a valid response.
func mustEncode(e *alexa.Envelope) []byte {
	b, err := e.Encode()
	if err != nil {
		return []byte(`{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Sorry, something went wrong on my side. Please try again."},"shouldEndSession":true}}`)
	}
	return b
}
