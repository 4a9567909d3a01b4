package alexa

import (
	"encoding/json"

	alexago "github.com/arienmalec/alexa-go"
)

// Request types Alexa sends that the skill handles
// (https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-types-reference.html).
const (
	RequestLaunch              = "LaunchRequest"
	RequestIntent              = "IntentRequest"
	RequestSessionEnded        = "SessionEndedRequest"
	RequestCanFulfillIntent    = "CanFulfillIntentRequest"
	RequestConnectionsResponse = "Connections.Response"
	RequestSkillEnabled        = "AlexaSkillEvent.SkillEnabled"
	RequestSkillDisabled       = "AlexaSkillEvent.SkillDisabled"
	RequestPermissionAccepted  = "AlexaSkillEvent.SkillPermissionAccepted"
	RequestPermissionChanged   = "AlexaSkillEvent.SkillPermissionChanged"
)

// Values of request fields the skill reads.
const (
	// ScopeGranted is the status of a granted permission scope.
	ScopeGranted = "GRANTED"
	// ConnectionAskFor is the name of the voice-permission connection.
	ConnectionAskFor = "AskFor"
	// AskForAccepted, AskForDenied and AskForNotAnswered are the values of
	// a Connections.Response AskFor payload's status.
	AskForAccepted    = "ACCEPTED"
	AskForDenied      = "DENIED"
	AskForNotAnswered = "NOT_ANSWERED"
	// ResolutionMatch is the entity-resolution status of a slot value that
	// matched a value of the slot type.
	ResolutionMatch = "ER_SUCCESS_MATCH"
)

// Request is the body of one request from Alexa.
type Request struct {
	Version string `json:"version"`
	// Session is nil for requests outside a session (skill events).
	Session *Session `json:"session,omitempty"`
	Context Context  `json:"context"`
	// Body is the request object ("request").
	Body Body `json:"request"`
}

// Session is a request's session: alexa-go's (new, sessionId,
// application), with the user's permissions and the attributes this skill
// sent back in its previous response.
type Session struct {
	alexago.Session
	User       User       `json:"user"`
	Attributes Attributes `json:"attributes"`
}

// Attributes are the session attributes this skill sets.
type Attributes struct {
	// State is the user's skill state as the skill encodes it, with the
	// store version it was last saved at.
	State json.RawMessage `json:"state,omitempty"`
	// Zone is the user's IANA time zone, "" when it could not be read; nil
	// when it was never asked for in this session.
	Zone *string `json:"tz,omitempty"`
}

// User is an Alexa account, as session.user and context.System.user carry
// it.
type User struct {
	UserID string `json:"userId"`
	// AccessToken is set only for account-linked skills.
	AccessToken string       `json:"accessToken,omitempty"`
	Permissions *Permissions `json:"permissions,omitempty"`
}

// Permissions are the permissions the user granted the skill.
type Permissions struct {
	// Scopes maps a scope such as "alexa::alerts:timers:skill:readwrite"
	// to its status.
	Scopes map[string]ScopeStatus `json:"scopes,omitempty"`
}

// ScopeStatus is the status of one permission scope: "GRANTED" or
// "DENIED".
type ScopeStatus struct {
	Status string `json:"status"`
}

// Context is a request's context.
type Context struct {
	System System `json:"System"`
}

// System is context.System.
type System struct {
	Application Application `json:"application"`
	// User is the account, with its permissions; the only place its ID
	// is given in requests without a session.
	User User `json:"user"`
	// Person is the recognised speaker, when Alexa recognised one.
	Person *Person `json:"person,omitempty"`
	Device Device  `json:"device"`
	// APIEndpoint is the base URL of the Alexa APIs for this user's region.
	APIEndpoint string `json:"apiEndpoint,omitempty"`
	// APIAccessToken is the bearer token for the Alexa APIs (never log it).
	APIAccessToken string `json:"apiAccessToken,omitempty"`
}

// Application names the skill a request is for.
type Application struct {
	ApplicationID string `json:"applicationId,omitempty"`
}

// Person is the recognised speaker.
type Person struct {
	PersonID    string `json:"personId"`
	AccessToken string `json:"accessToken,omitempty"`
}

// Device is the device a request came from.
type Device struct {
	DeviceID string `json:"deviceId,omitempty"`
	// SupportedInterfaces maps interface names ("Alexa.Presentation.APL",
	// "AudioPlayer", ...) to their settings, which the skill does not read.
	SupportedInterfaces map[string]json.RawMessage `json:"supportedInterfaces"`
}

// Body is the request object: alexa-go's (type, requestId, timestamp,
// locale, reason, dialogState), with the intent as ours and the fields of
// the request types alexa-go does not know.
type Body struct {
	alexago.ReqBody
	// Intent is set on IntentRequest and CanFulfillIntentRequest.
	Intent *Intent `json:"intent,omitempty"`

	// Error says what went wrong when Reason is ERROR (SessionEndedRequest).
	Error *SessionError `json:"error,omitempty"`

	// Name is the connection's name (Connections.Response), e.g. "AskFor".
	Name string `json:"name,omitempty"`
	// Status is the connection's status (Connections.Response).
	Status *ConnectionStatus `json:"status,omitempty"`
	// Payload is the connection's answer (Connections.Response).
	Payload *ConnectionPayload `json:"payload,omitempty"`
	// Token is the token the skill sent with the request
	// (Connections.Response).
	Token string `json:"token,omitempty"`

	// EventCreationTime and EventPublishingTime are set on skill events.
	EventCreationTime   string `json:"eventCreationTime,omitempty"`
	EventPublishingTime string `json:"eventPublishingTime,omitempty"`
	// EventBody is a skill event's body.
	EventBody *EventBody `json:"body,omitempty"`
}

// Intent is an intent: alexa-go's (name), with its confirmation status and
// slots of our Slot type.
type Intent struct {
	alexago.Intent
	ConfirmationStatus string          `json:"confirmationStatus,omitempty"`
	Slots              map[string]Slot `json:"slots,omitempty"`
}

// Slot is one slot of an intent: alexa-go's (name, value; Value is empty
// when the user did not fill it), with its confirmation status, source and
// entity resolutions with their status.
type Slot struct {
	alexago.Slot
	ConfirmationStatus string       `json:"confirmationStatus,omitempty"`
	Source             string       `json:"source,omitempty"`
	Resolutions        *Resolutions `json:"resolutions,omitempty"`
}

// Resolutions are a slot's entity resolutions.
type Resolutions struct {
	PerAuthority []Resolution `json:"resolutionsPerAuthority"`
}

// Resolution is the entity resolution of one authority.
type Resolution struct {
	Authority string           `json:"authority"`
	Status    ResolutionStatus `json:"status"`
	Values    []ResolvedValue  `json:"values,omitempty"`
}

// ResolutionStatus says whether a value matched: ER_SUCCESS_MATCH,
// ER_SUCCESS_NO_MATCH, ER_ERROR_TIMEOUT or ER_ERROR_EXCEPTION.
type ResolutionStatus struct {
	Code string `json:"code"`
}

// ResolvedValue wraps one matched value.
type ResolvedValue struct {
	Value ValueRef `json:"value"`
}

// ValueRef is a value of a slot type: its canonical name and id.
type ValueRef struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

// SessionError is the error of a SessionEndedRequest with reason ERROR:
// Alexa's main report of why it rejected a response.
type SessionError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// ConnectionStatus is the status of a Connections.Response; Code is an
// HTTP status code as a string ("200").
type ConnectionStatus struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// ConnectionPayload is the payload of a Connections.Response to an AskFor
// request.
type ConnectionPayload struct {
	// PermissionScope is the scope that was asked for.
	PermissionScope string `json:"permissionScope,omitempty"`
	// Status is ACCEPTED, DENIED or NOT_ANSWERED.
	Status string `json:"status,omitempty"`
	// IsCardThrown reports whether Alexa sent a consent card to the app.
	IsCardThrown bool `json:"isCardThrown"`
}

// EventBody is the body of a skill event.
type EventBody struct {
	AcceptedPermissions       []PermissionRef `json:"acceptedPermissions,omitempty"`
	AcceptedPersonPermissions []PermissionRef `json:"acceptedPersonPermissions,omitempty"`
}

// PermissionRef names a permission scope in a skill event.
type PermissionRef struct {
	Scope string `json:"scope"`
}

// Type returns the request type, such as "LaunchRequest".
func (r *Request) Type() string { return r.Body.Type }

// Encode returns the JSON of r as Alexa sends it: no HTML escaping, no
// trailing newline. Tests and chat's simulated Alexa (package alexatest)
// send requests this way.
func (r *Request) Encode() ([]byte, error) { return encode("request", r) }

// RequestID returns the request's ID, for logs.
func (r *Request) RequestID() string { return r.Body.RequestID }

// InSession reports whether the request belongs to a session.
func (r *Request) InSession() bool { return r.Session != nil }

// SessionID returns the session's ID, "" outside a session.
func (r *Request) SessionID() string {
	if r.Session == nil {
		return ""
	}
	return r.Session.SessionID
}

// NewSession reports whether the request opens a new session.
func (r *Request) NewSession() bool { return r.Session != nil && r.Session.New }

// ApplicationIDs returns the skill IDs the request names: the context's
// and the session's, each once and only when present.
func (r *Request) ApplicationIDs() []string {
	var ids []string
	if id := r.Context.System.Application.ApplicationID; id != "" {
		ids = append(ids, id)
	}
	if r.Session != nil {
		if id := r.Session.Application.ApplicationID; id != "" && (len(ids) == 0 || ids[0] != id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// UserID returns the ID of whoever the request is from: the recognised
// person's when there is one, else the account's user ID (from the
// session, else from the context, so that requests without a session have
// one too). It returns "" when the request names nobody.
func (r *Request) UserID() string {
	sys := r.Context.System
	switch {
	case sys.Person != nil && sys.Person.PersonID != "":
		return sys.Person.PersonID
	case r.Session != nil && r.Session.User.UserID != "":
		return r.Session.User.UserID
	}
	return sys.User.UserID
}

// ScopeStatus returns the status the request shows for a permission scope
// ("GRANTED", "DENIED"), or "" when the request does not mention it.
func (r *Request) ScopeStatus(scope string) string {
	perms := []*Permissions{r.Context.System.User.Permissions}
	if r.Session != nil {
		perms = append(perms, r.Session.User.Permissions)
	}
	for _, p := range perms {
		if p != nil {
			if s, ok := p.Scopes[scope]; ok {
				return s.Status
			}
		}
	}
	return ""
}

// SessionState returns the state the session attributes carry, or nil
// when the session is new or carries none.
func (r *Request) SessionState() json.RawMessage {
	s := r.Session
	if s == nil || s.New || len(s.Attributes.State) == 0 || string(s.Attributes.State) == "null" {
		return nil
	}
	return s.Attributes.State
}

// SessionZone returns the time zone name the session attributes carry, and
// whether they carry one at all ("" means it was asked for and is
// unknown).
func (r *Request) SessionZone() (string, bool) {
	s := r.Session
	if s == nil || s.New || s.Attributes.Zone == nil {
		return "", false
	}
	return *s.Attributes.Zone, true
}

// PayloadStatus returns the status of a Connections.Response payload, such
// as "ACCEPTED", or "" when there is none.
func (b *Body) PayloadStatus() string {
	if b.Payload == nil {
		return ""
	}
	return b.Payload.Status
}
