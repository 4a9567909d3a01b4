package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"spasmcoach/utterance"
)

// This file plays Alexa's part for `chat`: it builds the request JSON Alexa
// sends to a custom skill (alexa.md §2.2, §2.3) and reads the response the
// skill sends back (§2.4).

// Request types and values chat sends.
const (
	reqLaunch      = "LaunchRequest"
	reqIntent      = "IntentRequest"
	reqEnded       = "SessionEndedRequest"
	reqConnections = "Connections.Response"

	reasonUserInitiated = "USER_INITIATED"
	statusGranted       = "GRANTED"
	statusDenied        = "DENIED"
	erMatch             = "ER_SUCCESS_MATCH"
	erNoMatch           = "ER_SUCCESS_NO_MATCH"
	askForName          = "AskFor"
	askForAccepted      = "ACCEPTED"
	askForDenied        = "DENIED"
	askForNotAnswered   = "NOT_ANSWERED"
	builtinTypePrefix   = "AMAZON."
	sendRequestType     = "Connections.SendRequest"
)

// Wire types of the request envelope, as Alexa spells them.
type (
	alexaRequest struct {
		Version string        `json:"version"`
		Session *alexaSession `json:"session,omitempty"`
		Context alexaContext  `json:"context"`
		Request alexaBody     `json:"request"`
	}
	alexaSession struct {
		New         bool            `json:"new"`
		SessionID   string          `json:"sessionId"`
		Application alexaApp        `json:"application"`
		Attributes  json.RawMessage `json:"attributes"`
		User        alexaUser       `json:"user"`
	}
	alexaApp struct {
		ApplicationID string `json:"applicationId"`
	}
	alexaUser struct {
		UserID      string            `json:"userId"`
		Permissions *alexaPermissions `json:"permissions,omitempty"`
	}
	alexaPermissions struct {
		Scopes map[string]alexaScope `json:"scopes"`
	}
	alexaScope struct {
		Status string `json:"status"`
	}
	alexaContext struct {
		System alexaSystem `json:"System"`
	}
	alexaSystem struct {
		Application    alexaApp    `json:"application"`
		User           alexaUser   `json:"user"`
		Device         alexaDevice `json:"device"`
		APIEndpoint    string      `json:"apiEndpoint"`
		APIAccessToken string      `json:"apiAccessToken"`
	}
	alexaDevice struct {
		DeviceID            string                     `json:"deviceId"`
		SupportedInterfaces map[string]json.RawMessage `json:"supportedInterfaces"`
	}
	alexaBody struct {
		Type      string `json:"type"`
		RequestID string `json:"requestId"`
		Timestamp string `json:"timestamp"`
		Locale    string `json:"locale"`

		Intent *alexaIntent `json:"intent,omitempty"`
		Reason string       `json:"reason,omitempty"`

		Name    string            `json:"name,omitempty"`
		Status  *alexaConnStatus  `json:"status,omitempty"`
		Payload *alexaConnPayload `json:"payload,omitempty"`
		Token   *string           `json:"token,omitempty"`
	}
	alexaIntent struct {
		Name               string               `json:"name"`
		ConfirmationStatus string               `json:"confirmationStatus"`
		Slots              map[string]alexaSlot `json:"slots,omitempty"`
	}
	alexaSlot struct {
		Name               string           `json:"name"`
		Value              string           `json:"value,omitempty"`
		ConfirmationStatus string           `json:"confirmationStatus"`
		Source             string           `json:"source,omitempty"`
		Resolutions        *alexaResolution `json:"resolutions,omitempty"`
	}
	alexaResolution struct {
		PerAuthority []alexaAuthority `json:"resolutionsPerAuthority"`
	}
	alexaAuthority struct {
		Authority string         `json:"authority"`
		Status    alexaERStatus  `json:"status"`
		Values    []alexaERValue `json:"values,omitempty"`
	}
	alexaERStatus struct {
		Code string `json:"code"`
	}
	alexaERValue struct {
		Value struct {
			Name string `json:"name"`
			ID   string `json:"id"`
		} `json:"value"`
	}
	alexaConnStatus struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	alexaConnPayload struct {
		Status           string                `json:"status"`
		PermissionScope  string                `json:"permissionScope,omitempty"`
		PermissionScopes []alexaConsentRequest `json:"permissionScopes,omitempty"`
	}
	alexaConsentRequest struct {
		PermissionScope string `json:"permissionScope"`
		ConsentLevel    string `json:"consentLevel"`
	}
)

// Wire types of the response envelope, only the fields chat shows.
type (
	skillResponse struct {
		Version           string          `json:"version"`
		SessionAttributes json.RawMessage `json:"sessionAttributes"`
		Response          struct {
			OutputSpeech     *outputSpeech `json:"outputSpeech"`
			Card             *card         `json:"card"`
			Reprompt         *reprompt     `json:"reprompt"`
			Directives       []directive   `json:"directives"`
			ShouldEndSession *bool         `json:"shouldEndSession"`
		} `json:"response"`
	}
	outputSpeech struct {
		Type string `json:"type"`
		Text string `json:"text"`
		SSML string `json:"ssml"`
	}
	reprompt struct {
		OutputSpeech *outputSpeech `json:"outputSpeech"`
	}
	card struct {
		Type        string   `json:"type"`
		Title       string   `json:"title"`
		Content     string   `json:"content"`
		Text        string   `json:"text"`
		Permissions []string `json:"permissions"`
	}
	directive struct {
		Type string `json:"type"`
		Name string `json:"name"`
		// Token names an AskFor request or an APLA document.
		Token string `json:"token"`
		// Document and Datasources are an APLA RenderDocument's.
		Document    json.RawMessage `json:"document"`
		Datasources json.RawMessage `json:"datasources"`
		Payload     struct {
			Type             string                `json:"@type"`
			Version          string                `json:"@version"`
			PermissionScope  string                `json:"permissionScope"`
			PermissionScopes []alexaConsentRequest `json:"permissionScopes"`
		} `json:"payload"`
	}
)

// speech returns what an outputSpeech says, as SSML when it is SSML.
func (o *outputSpeech) speech() (text string, isSSML bool) {
	if o == nil {
		return "", false
	}
	if strings.EqualFold(o.Type, "SSML") {
		return o.SSML, true
	}
	return o.Text, false
}

// scopes returns the permission scopes an AskFor directive asks for.
func (d directive) scopes() []string {
	var out []string
	if d.Payload.PermissionScope != "" {
		out = append(out, d.Payload.PermissionScope)
	}
	for _, s := range d.Payload.PermissionScopes {
		out = append(out, s.PermissionScope)
	}
	return out
}

// askFor reports whether d asks Alexa to request a permission by voice.
func (d directive) askFor() bool {
	return d.Type == sendRequestType && d.Name == askForName
}

// alexaEmulator plays the Alexa service for one user on one device: it keeps
// the session (its id, the attributes the skill sent back, whether it is
// open) and builds each request the user's words cause.
type alexaEmulator struct {
	appID    string
	userID   string
	deviceID string
	locale   string
	endpoint string
	token    string
	// scopes are the permission scopes the user granted (or denied).
	scopes map[string]string
	now    func() time.Time

	open       bool
	sessionID  string
	attributes json.RawMessage
	newSession bool // the next request is the first of its session
	// askToken is the token of the AskFor request Alexa is asking the user
	// about, when the last response carried one; askScope is its scope.
	askToken *string
	askScope string
}

// startSession opens a new session for the next request.
func (a *alexaEmulator) startSession() {
	a.open = true
	a.newSession = true
	a.sessionID = "amzn1.echo-api.session." + randomUUID()
	a.attributes = json.RawMessage(`{}`)
	a.askToken = nil
}

// envelope builds a request of the given body in the current session.
func (a *alexaEmulator) envelope(body alexaBody) alexaRequest {
	body.RequestID = "amzn1.echo-api.request." + randomUUID()
	body.Timestamp = a.now().UTC().Format("2006-01-02T15:04:05Z")
	body.Locale = a.locale
	user := alexaUser{UserID: a.userID}
	if len(a.scopes) > 0 {
		user.Permissions = &alexaPermissions{Scopes: make(map[string]alexaScope, len(a.scopes))}
		for scope, status := range a.scopes {
			user.Permissions.Scopes[scope] = alexaScope{Status: status}
		}
	}
	req := alexaRequest{
		Version: "1.0",
		Context: alexaContext{System: alexaSystem{
			Application: alexaApp{ApplicationID: a.appID},
			User:        user,
			Device: alexaDevice{
				DeviceID:            a.deviceID,
				SupportedInterfaces: map[string]json.RawMessage{"AudioPlayer": json.RawMessage(`{}`)},
			},
			APIEndpoint:    a.endpoint,
			APIAccessToken: a.token,
		}},
		Request: body,
	}
	if a.open {
		attrs := a.attributes
		if len(attrs) == 0 || a.newSession {
			attrs = json.RawMessage(`{}`)
		}
		req.Session = &alexaSession{
			New:         a.newSession,
			SessionID:   a.sessionID,
			Application: alexaApp{ApplicationID: a.appID},
			Attributes:  attrs,
			User:        alexaUser{UserID: a.userID},
		}
	}
	a.newSession = false
	return req
}

// Launch starts a new session with a LaunchRequest.
func (a *alexaEmulator) Launch() alexaRequest {
	a.startSession()
	return a.envelope(alexaBody{Type: reqLaunch})
}

// Intent sends the intent m resolved to, starting a session first when
// none is open (a one-shot: "ask back spasm coach to ...").
func (a *alexaEmulator) Intent(m utterance.Match) alexaRequest {
	if !a.open {
		a.startSession()
	}
	in := &alexaIntent{Name: m.Intent, ConfirmationStatus: "NONE"}
	if len(m.Slots) > 0 {
		in.Slots = make(map[string]alexaSlot, len(m.Slots))
		for name, v := range m.Slots {
			in.Slots[name] = a.slot(name, v)
		}
	}
	return a.envelope(alexaBody{Type: reqIntent, Intent: in})
}

// slot builds one slot as Alexa sends it, with entity resolution for a
// filled slot of a custom type.
func (a *alexaEmulator) slot(name string, v utterance.SlotValue) alexaSlot {
	s := alexaSlot{Name: name, ConfirmationStatus: "NONE"}
	if v.Value == "" {
		return s
	}
	s.Value = v.Value
	s.Source = "USER"
	if strings.HasPrefix(v.Type, builtinTypePrefix) || v.Type == "" {
		return s
	}
	auth := alexaAuthority{
		Authority: "amzn1.er-authority.echo-sdk." + a.appID + "." + v.Type,
		Status:    alexaERStatus{Code: erNoMatch},
	}
	if v.ID != "" {
		auth.Status.Code = erMatch
		var val alexaERValue
		val.Value.Name, val.Value.ID = v.Resolved, v.ID
		auth.Values = []alexaERValue{val}
	}
	s.Resolutions = &alexaResolution{PerAuthority: []alexaAuthority{auth}}
	return s
}

// SessionEnded ends the open session with a SessionEndedRequest.
func (a *alexaEmulator) SessionEnded(reason string) alexaRequest {
	req := a.envelope(alexaBody{Type: reqEnded, Reason: reason})
	a.open = false
	return req
}

// AskForAnswer answers the pending AskFor request with status (ACCEPTED,
// DENIED or NOT_ANSWERED) in a Connections.Response, updating the scope as
// the user decided.
func (a *alexaEmulator) AskForAnswer(status string) alexaRequest {
	switch status {
	case askForAccepted:
		a.scopes[a.askScope] = statusGranted
	case askForDenied:
		a.scopes[a.askScope] = statusDenied
	}
	body := alexaBody{
		Type:   reqConnections,
		Name:   askForName,
		Status: &alexaConnStatus{Code: "200", Message: "OK"},
		Payload: &alexaConnPayload{
			Status:           status,
			PermissionScope:  a.askScope,
			PermissionScopes: []alexaConsentRequest{{PermissionScope: a.askScope, ConsentLevel: "ACCOUNT"}},
		},
		Token: a.askToken,
	}
	a.askToken = nil
	return a.envelope(body)
}

// Pending reports whether Alexa is waiting for the user's answer to a
// permission question.
func (a *alexaEmulator) Pending() bool { return a.askToken != nil }

// Receive takes in the skill's response: session attributes for the next
// request, whether the session goes on, and any AskFor question.
func (a *alexaEmulator) Receive(r *skillResponse) {
	if len(r.SessionAttributes) > 0 && !bytes.Equal(r.SessionAttributes, []byte("null")) {
		a.attributes = r.SessionAttributes
	}
	for _, d := range r.Response.Directives {
		if d.askFor() {
			tok := d.Token
			a.askToken = &tok
			if sc := d.scopes(); len(sc) > 0 {
				a.askScope = sc[0]
			}
		}
	}
	end := r.Response.ShouldEndSession
	switch {
	case end != nil && *end:
		a.open = false
	case end == nil && a.askToken == nil:
		// No shouldEndSession and nothing pending: a device without a
		// screen closes the session.
		a.open = false
	}
}

// marshalJSON encodes v without HTML escaping (so "<speak>" stays
// readable), indented when indent is set.
func marshalJSON(v any, indent bool) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode JSON: %w", err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// indentJSON re-indents raw JSON for display, or returns it as is when it
// is not JSON.
func indentJSON(raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return raw
	}
	return b.Bytes()
}

// randomUUID returns a random version-4 UUID.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
