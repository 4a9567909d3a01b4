package alexa

import (
	"bytes"
	"encoding/json"
	"fmt"

	"spasmcoach/speech"
)

// ResponseVersion is the version of every response envelope.
const ResponseVersion = "1.0"

// Values of the response's type fields
// (https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html#response-format).
const (
	SpeechPlainText = "PlainText"
	SpeechSSML      = "SSML"

	CardSimple             = "Simple"
	CardStandard           = "Standard"
	CardAskForPermissions  = "AskForPermissionsConsent"
	DirectiveSendRequest   = "Connections.SendRequest"
	AskForPayloadType      = "AskForPermissionsConsentRequest"
	AskForPayloadVersion   = "2"
	ConsentLevelAccount    = "ACCOUNT"
	CanFulfillYes          = "YES"
	CanFulfillNo           = "NO"
	CanFulfillMaybe        = "MAYBE"
	PlayBehaviorEnqueue    = "ENQUEUE"
	PlayBehaviorReplaceAll = "REPLACE_ALL"
	DirectiveAPLA          = speech.APLADirective
)

// Envelope is a response to Alexa. Every optional part is a pointer or a
// slice with omitempty, so nothing stray is emitted.
type Envelope struct {
	Version string `json:"version"`
	// SessionAttributes come back as session.attributes on the next
	// request of the same session.
	SessionAttributes *Attributes `json:"sessionAttributes,omitempty"`
	Response          Response    `json:"response"`
}

// Response is the response object.
type Response struct {
	OutputSpeech *OutputSpeech `json:"outputSpeech,omitempty"`
	Card         *Card         `json:"card,omitempty"`
	Reprompt     *Reprompt     `json:"reprompt,omitempty"`
	Directives   []Directive   `json:"directives,omitempty"`
	// ShouldEndSession has three states: true ends the session, false
	// keeps it open with the microphone on, nil (left out) lets the
	// device decide; a response carrying a Connections.SendRequest leaves
	// it out.
	ShouldEndSession *bool             `json:"shouldEndSession,omitempty"`
	CanFulfillIntent *CanFulfillIntent `json:"canFulfillIntent,omitempty"`
}

// OutputSpeech is speech to play: plain text or SSML.
type OutputSpeech struct {
	// Type is SpeechPlainText or SpeechSSML.
	Type string `json:"type"`
	// Text is set for PlainText.
	Text string `json:"text,omitempty"`
	// SSML is set for SSML: one <speak> document.
	SSML string `json:"ssml,omitempty"`
	// PlayBehavior is optional: ENQUEUE, REPLACE_ALL or REPLACE_ENQUEUED.
	PlayBehavior string `json:"playBehavior,omitempty"`
}

// Reprompt is said when the user stays silent.
type Reprompt struct {
	OutputSpeech *OutputSpeech `json:"outputSpeech"`
}

// Card is shown in the Alexa app. Build it with SimpleCard, StandardCard
// or ConsentCard, which set exactly the fields of their type: a Simple
// card has Content, a Standard card Text and Image, an
// AskForPermissionsConsent card only Permissions.
type Card struct {
	Type        string   `json:"type"`
	Title       string   `json:"title,omitempty"`
	Content     string   `json:"content,omitempty"`
	Text        string   `json:"text,omitempty"`
	Image       *Image   `json:"image,omitempty"`
	Permissions []string `json:"permissions,omitempty"`
}

// Image is a Standard card's image, given at two sizes.
type Image struct {
	SmallImageURL string `json:"smallImageUrl,omitempty"`
	LargeImageURL string `json:"largeImageUrl,omitempty"`
}

// Directive is a response directive: Connections.SendRequest (Name,
// Payload, Token) or Alexa.Presentation.APLA.RenderDocument (Token,
// Document, Datasources).
type Directive struct {
	Type    string                           `json:"type"`
	Name    string                           `json:"name,omitempty"`
	Payload *AskForPermissionsConsentRequest `json:"payload,omitempty"`
	Token   string                           `json:"token,omitempty"`
	// Document is an APLA document.
	Document json.RawMessage `json:"document,omitempty"`
	// Datasources is the APLA document's data.
	Datasources *speech.APLAData `json:"datasources,omitempty"`
}

// AskForPermissionsConsentRequest is the payload of an AskFor directive,
// version 2.
type AskForPermissionsConsentRequest struct {
	Type             string            `json:"@type"`
	Version          string            `json:"@version"`
	PermissionScopes []PermissionScope `json:"permissionScopes"`
}

// PermissionScope is one scope asked for, with its consent level.
type PermissionScope struct {
	PermissionScope string `json:"permissionScope"`
	ConsentLevel    string `json:"consentLevel"`
}

// CanFulfillIntent answers a CanFulfillIntentRequest.
type CanFulfillIntent struct {
	// CanFulfill is YES, NO or MAYBE.
	CanFulfill string `json:"canFulfill"`
	// Slots answers for each slot of the request.
	Slots map[string]CanFulfillSlot `json:"slots,omitempty"`
}

// CanFulfillSlot answers for one slot: CanUnderstand is YES, NO or MAYBE;
// CanFulfill is YES or NO.
type CanFulfillSlot struct {
	CanUnderstand string `json:"canUnderstand"`
	CanFulfill    string `json:"canFulfill"`
}

// SSMLSpeech returns SSML output speech.
func SSMLSpeech(ssml string) *OutputSpeech {
	return &OutputSpeech{Type: SpeechSSML, SSML: ssml}
}

// PlainSpeech returns plain-text output speech.
func PlainSpeech(text string) *OutputSpeech {
	return &OutputSpeech{Type: SpeechPlainText, Text: text}
}

// SimpleCard returns a Simple card.
func SimpleCard(title, content string) *Card {
	return &Card{Type: CardSimple, Title: title, Content: content}
}

// StandardCard returns a Standard card; img may be nil.
func StandardCard(title, text string, img *Image) *Card {
	return &Card{Type: CardStandard, Title: title, Text: text, Image: img}
}

// ConsentCard returns an AskForPermissionsConsent card for scopes.
func ConsentCard(scopes ...string) *Card {
	return &Card{Type: CardAskForPermissions, Permissions: scopes}
}

// Bool returns a pointer to b, for Response.ShouldEndSession.
func Bool(b bool) *bool { return &b }

// EmptyEnvelope returns the response to requests that need no answer
// (SessionEndedRequest, skill events): {"version":"1.0","response":{}}.
func EmptyEnvelope() *Envelope { return &Envelope{Version: ResponseVersion} }

// Encode returns the JSON of e without HTML escaping, as the Lambda runtime
// encodes it, so that "<speak>" stays as it is. It has no trailing newline.
func (e *Envelope) Encode() ([]byte, error) { return encode("response", e) }

// encode returns the JSON of v without HTML escaping and without a
// trailing newline; what names v in an error.
func encode(what string, v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("alexa: encode %s: %w", what, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
