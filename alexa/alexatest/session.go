package alexatest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	alexago "github.com/arienmalec/alexa-go"

	"spasmcoach/alexa"
)

// Session plays Alexa for one user on one device: it builds each request
// Alexa would send the skill, keeps the session (its ID, whether it is
// open, the attributes the skill sent back) from response to response, and
// remembers a voice-permission question (AskFor) the skill asked.
//
// Set the fields before the first request; tests may also set the session
// state (Open, Attributes, Requests) to play what Alexa does between turns.
type Session struct {
	SkillID  string
	UserID   string
	PersonID string // "" when Alexa recognised no one
	DeviceID string
	Locale   string
	// APIEndpoint and APIToken are context.System's apiEndpoint and
	// apiAccessToken; a Server's URL and Token, or "" for none.
	APIEndpoint, APIToken string
	// Scopes are the permission scopes the requests show, scope → GRANTED
	// or DENIED; scopes not listed are not mentioned.
	Scopes map[string]string
	// FollowGrants makes an answer to an AskFor question change Scopes as
	// the user decided, as requests show it once the grant has reached
	// Alexa.
	FollowGrants bool
	// Now gives each request's timestamp (default time.Now).
	Now func() time.Time
	// Tag goes into every session and request ID before its number, so
	// that the IDs of sessions sharing a log or a store differ.
	Tag string

	// Open reports whether a session is open: the next request continues
	// it. Sessions counts the sessions started, Requests the requests built.
	Open               bool
	Sessions, Requests int
	// Attributes are what the next request of the open session carries:
	// the session attributes of the skill's last response.
	Attributes alexa.Attributes

	asking    bool // the skill's last response asked an AskFor question
	askToken  string
	askScope  string
	lastType  string
	sessionID string
	newSess   bool
}

// NewSession returns a Session of userID on a test device, for SkillID, in
// en-US, with no Alexa API.
func NewSession(userID string) *Session {
	return &Session{SkillID: SkillID, UserID: userID, DeviceID: "amzn1.ask.device.TESTDEVICE1", Locale: "en-US"}
}

// SessionID returns the ID of the open (or last) session.
func (s *Session) SessionID() string { return s.sessionID }

// Asking returns the scope of the AskFor question the skill's last
// response asked, and whether it asked one.
func (s *Session) Asking() (scope string, ok bool) { return s.askScope, s.asking }

// Start opens a new session for the next request, as "open ..." or a
// one-shot "ask ... to ..." does.
func (s *Session) Start() {
	s.Open, s.newSess = true, true
	s.Sessions++
	s.sessionID = fmt.Sprintf("amzn1.echo-api.session.%s%04d", s.Tag, s.Sessions)
	s.Attributes = alexa.Attributes{}
	s.asking = false
}

// Launch opens a new session with a LaunchRequest.
func (s *Session) Launch() []byte {
	s.Start()
	return s.Send(alexa.Body{ReqBody: alexago.ReqBody{Type: alexa.RequestLaunch}})
}

// Intent sends an IntentRequest (dialog COMPLETED) for the intent name with
// slots, in the open session or a new one (a one-shot).
func (s *Session) Intent(name string, slots ...alexa.Slot) []byte {
	in := Intent(name, slots...)
	return s.Send(alexa.Body{ReqBody: alexago.ReqBody{Type: alexa.RequestIntent, DialogState: "COMPLETED"}, Intent: &in})
}

// AnswerAskFor answers the skill's AskFor question with status (ACCEPTED,
// DENIED or NOT_ANSWERED) in a Connections.Response carrying the token the
// skill sent.
func (s *Session) AnswerAskFor(status string) []byte {
	if s.FollowGrants {
		switch status {
		case alexa.AskForAccepted:
			s.scope(s.askScope, alexa.ScopeGranted)
		case alexa.AskForDenied:
			s.scope(s.askScope, "DENIED")
		}
	}
	body := alexa.Body{
		ReqBody: alexago.ReqBody{Type: alexa.RequestConnectionsResponse},
		Name:    alexa.ConnectionAskFor,
		Status:  &alexa.ConnectionStatus{Code: "200", Message: "OK"},
		Payload: &alexa.ConnectionPayload{PermissionScope: s.askScope, Status: status},
		Token:   s.askToken,
	}
	s.asking = false
	return s.Send(body)
}

func (s *Session) scope(scope, status string) {
	if s.Scopes == nil {
		s.Scopes = map[string]string{}
	}
	s.Scopes[scope] = status
}

// SessionEnded ends the session with a SessionEndedRequest for reason
// (USER_INITIATED, ERROR or EXCEEDED_MAX_REPROMPTS).
func (s *Session) SessionEnded(reason string) []byte {
	return s.Send(alexa.Body{ReqBody: alexago.ReqBody{Type: alexa.RequestSessionEnded, Reason: reason}})
}

// Event sends a skill event (such as alexa.RequestSkillDisabled), which
// comes outside any session; body may be nil.
func (s *Session) Event(typ string, body *alexa.EventBody) []byte {
	now := s.now().UTC().Format(time.RFC3339)
	return s.Send(alexa.Body{
		ReqBody:           alexago.ReqBody{Type: typ},
		EventCreationTime: now, EventPublishingTime: now, EventBody: body,
	})
}

// Send completes body (request ID, timestamp, locale) into a request in the
// open session, opening one when none is (skill events have none), and
// returns its JSON.
func (s *Session) Send(body alexa.Body) []byte {
	b, err := s.Request(body).Encode()
	if err != nil {
		panic(err) // the types always encode
	}
	return b
}

// Request is Send without the encoding.
func (s *Session) Request(body alexa.Body) *alexa.Request {
	s.Requests++
	body.RequestID = fmt.Sprintf("amzn1.echo-api.request.%s%04d", s.Tag, s.Requests)
	body.Timestamp = s.now().UTC().Format(time.RFC3339)
	body.Locale = s.Locale
	r := &alexa.Request{Version: "1.0", Body: body, Context: alexa.Context{System: alexa.System{
		Application:    alexa.Application{ApplicationID: s.SkillID},
		User:           s.user(),
		Device:         alexa.Device{DeviceID: s.DeviceID, SupportedInterfaces: map[string]json.RawMessage{}},
		APIEndpoint:    s.APIEndpoint,
		APIAccessToken: s.APIToken,
	}}}
	if s.PersonID != "" {
		r.Context.System.Person = &alexa.Person{PersonID: s.PersonID}
	}
	s.lastType = body.Type
	if IsEvent(body.Type) {
		s.Open = false
		return r
	}
	if !s.Open {
		s.Start()
	}
	r.Session = &alexa.Session{User: s.user(), Attributes: s.Attributes}
	r.Session.New, r.Session.SessionID = s.newSess, s.sessionID
	r.Session.Application.ApplicationID = s.SkillID
	s.newSess = false
	if body.Type == alexa.RequestSessionEnded {
		s.Open = false
	}
	return r
}

func (s *Session) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// user is the account as the requests show it, with its scopes.
func (s *Session) user() alexa.User {
	u := alexa.User{UserID: s.UserID}
	if len(s.Scopes) > 0 {
		u.Permissions = &alexa.Permissions{Scopes: make(map[string]alexa.ScopeStatus, len(s.Scopes))}
		for scope, status := range s.Scopes {
			u.Permissions.Scopes[scope] = alexa.ScopeStatus{Status: status}
		}
	}
	return u
}

// Receive takes in the skill's response to the last request: the session
// stays open when the response keeps the microphone open
// (shouldEndSession false) or hands the turn to Alexa's own question (a
// Connections.SendRequest with shouldEndSession left out); its session
// attributes come back on the next request; an AskFor question is
// remembered for AnswerAskFor. It returns the decoded response.
func (s *Session) Receive(resp []byte) (*alexa.Envelope, error) {
	var env alexa.Envelope
	if err := json.Unmarshal(resp, &env); err != nil {
		s.Open = false
		return nil, fmt.Errorf("alexatest: response: %w", err)
	}
	s.ReceiveEnvelope(&env)
	return &env, nil
}

// ReceiveEnvelope is Receive of a decoded response.
func (s *Session) ReceiveEnvelope(env *alexa.Envelope) {
	if s.lastType == alexa.RequestSessionEnded || IsEvent(s.lastType) {
		s.Open = false
		return // Alexa ignores these responses
	}
	r := env.Response
	s.asking, s.askToken, s.askScope = false, "", ""
	for _, d := range r.Directives {
		if d.Type == alexa.DirectiveSendRequest && d.Name == alexa.ConnectionAskFor {
			s.asking, s.askToken, s.askScope = true, d.Token, ""
			if d.Payload != nil && len(d.Payload.PermissionScopes) > 0 {
				s.askScope = d.Payload.PermissionScopes[0].PermissionScope
			}
		}
	}
	switch end := r.ShouldEndSession; {
	case end != nil:
		s.Open = !*end
	default:
		s.Open = s.asking
	}
	if s.Open {
		s.Attributes = alexa.Attributes{}
		if env.SessionAttributes != nil {
			s.Attributes = *env.SessionAttributes
		}
	}
}

// IsEvent reports whether a request type is a skill event
// (AlexaSkillEvent.*), which Alexa sends outside any session.
func IsEvent(typ string) bool { return strings.HasPrefix(typ, "AlexaSkillEvent.") }
