package intents

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/arienmalec/alexa-go"
)

// Request types Alexa sends that this package handles (alexa.md §2.3).
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

// Values of the protocol fields this package reads.
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

// ErrMalformed is wrapped by DecodeRequest for a payload that is not an
// Alexa request: invalid JSON, or JSON of the wrong shape.
var ErrMalformed = errors.New("intents: malformed request")

// Request is one decoded Alexa request: what alexa-go decodes (request
// type and ID, timestamp, locale, session ID and "new", the session's user
// ID, application IDs, device ID, API access token, session-end reason),
// plus the fields it lacks, read from the same payload into our own types
// (Extra). Read it through its methods.
type Request struct {
	// Alexa is the request as alexa-go decodes it.
	Alexa alexa.Request
	// Extra holds the fields alexa-go does not decode.
	Extra Extra
}

// DecodeRequest decodes an Alexa request. It fails with an error wrapping
// ErrMalformed when b is not a JSON object of a request's shape.
func DecodeRequest(b []byte) (*Request, error) {
	r := new(Request)
	if err := json.Unmarshal(b, &r.Alexa); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := json.Unmarshal(b, &r.Extra); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return r, nil
}

// Extra is the part of a request envelope that alexa-go does not decode
// (style.md, Part B): whether there is a session at all, the typed session
// attributes, permissions, the recognised person, the context's user, the
// API endpoint, supported interfaces, and the fields of the request types
// alexa-go does not know.
type Extra struct {
	// Session is nil for requests outside a session (skill events).
	Session *Session `json:"session,omitempty"`
	// Context is the request's context.
	Context Context `json:"context"`
	// Request is the request body.
	Request Body `json:"request"`
}

// Session is what alexa-go lacks of a request's session: the attributes
// this package sent back in the previous response, typed, and the user's
// permissions.
type Session struct {
	User       SessionUser `json:"user"`
	Attributes Attributes  `json:"attributes"`
}

// SessionUser is what alexa-go lacks of the session's user.
type SessionUser struct {
	Permissions *Permissions `json:"permissions,omitempty"`
}

// Attributes are the session attributes this package sets.
type Attributes struct {
	// State is the user's skill.State as skill.Encode writes it, with the
	// store version it was last saved at.
	State json.RawMessage `json:"state,omitempty"`
	// Zone is the user's IANA time zone, "" when it could not be read; nil
	// when it was never asked for in this session.
	Zone *string `json:"tz,omitempty"`
}

// User is the Alexa account of a request, as context.System.user carries
// it (alexa-go does not decode the context's user).
type User struct {
	UserID      string       `json:"userId"`
	Permissions *Permissions `json:"permissions,omitempty"`
}

// Permissions are the permissions the user granted the skill.
type Permissions struct {
	// Scopes maps a scope such as alexaapi.ScopeTimers to its status.
	Scopes map[string]ScopeStatus `json:"scopes,omitempty"`
}

// ScopeStatus is the status of one permission scope: "GRANTED" or
// "DENIED".
type ScopeStatus struct {
	Status string `json:"status"`
}

// Person is the recognised speaker, when Alexa recognised one.
type Person struct {
	PersonID string `json:"personId"`
}

// Device is what alexa-go lacks of the device a request came from.
type Device struct {
	// SupportedInterfaces maps interface names ("Alexa.Presentation.APL",
	// "AudioPlayer", ...) to their (unused) settings.
	SupportedInterfaces map[string]json.RawMessage `json:"supportedInterfaces"`
}

// Context is a request's context.
type Context struct {
	System System `json:"System"`
}

// System is what alexa-go lacks of context.System.
type System struct {
	// User is the account, with its permissions; the only place its ID
	// is given in requests without a session.
	User   User    `json:"user"`
	Person *Person `json:"person,omitempty"`
	Device Device  `json:"device"`
	// APIEndpoint is the base URL of the Alexa APIs for this user's region.
	APIEndpoint string `json:"apiEndpoint,omitempty"`
}

// Body is what alexa-go lacks of the request object: the intent with its
// confirmation and resolution statuses, the SessionEndedRequest error, the
// Connections.Response fields and the skill-event fields.
type Body struct {
	// Intent is set on IntentRequest and CanFulfillIntentRequest. alexa-go
	// decodes the intent too, but without the slots' resolution statuses
	// and the confirmation statuses that routing reads, so this one is
	// read instead.
	Intent *Intent `json:"intent,omitempty"`

	// Error says what went wrong when Reason is ERROR.
	Error *SessionError `json:"error,omitempty"`

	// Name is the connection's name (Connections.Response), e.g. "AskFor".
	Name string `json:"name,omitempty"`
	// Status is the connection's status (Connections.Response).
	Status *ConnectionStatus `json:"status,omitempty"`
	// Payload is the connection's answer (Connections.Response).
	Payload json.RawMessage `json:"payload,omitempty"`
	// Token is the token this package sent with the request
	// (Connections.Response).
	Token string `json:"token,omitempty"`

	// EventCreationTime and EventPublishingTime are set on skill events.
	EventCreationTime   string `json:"eventCreationTime,omitempty"`
	EventPublishingTime string `json:"eventPublishingTime,omitempty"`
	// EventBody is a skill event's body.
	EventBody *EventBody `json:"body,omitempty"`
}

// Intent is an intent with its slots, including the fields alexa-go lacks
// (confirmation and resolution status).
type Intent struct {
	Name               string          `json:"name"`
	ConfirmationStatus string          `json:"confirmationStatus,omitempty"`
	Slots              map[string]Slot `json:"slots,omitempty"`
}

// Slot is one slot of an intent. Value is empty when the user did not fill
// it.
type Slot struct {
	Name               string       `json:"name"`
	Value              string       `json:"value,omitempty"`
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
func (r *Request) Type() string { return r.Alexa.Body.Type }

// RequestID returns the request's ID, for logs.
func (r *Request) RequestID() string { return r.Alexa.Body.RequestID }

// Timestamp returns the request's timestamp as Alexa sent it (RFC 3339).
func (r *Request) Timestamp() string { return r.Alexa.Body.Timestamp }

// Locale returns the request's locale, such as "en-US".
func (r *Request) Locale() string { return r.Alexa.Body.Locale }

// Reason returns why a session ended (SessionEndedRequest):
// USER_INITIATED, ERROR or EXCEEDED_MAX_REPROMPTS.
func (r *Request) Reason() string { return r.Alexa.Body.Reason }

// SessionID returns the session's ID, "" outside a session.
func (r *Request) SessionID() string {
	if r.Extra.Session == nil {
		return ""
	}
	return r.Alexa.Session.SessionID
}

// NewSession reports whether the request opens a new session.
func (r *Request) NewSession() bool { return r.Extra.Session != nil && r.Alexa.Session.New }

// DeviceID returns the ID of the device the request came from.
func (r *Request) DeviceID() string { return r.Alexa.Context.System.Device.DeviceID }

// Endpoint returns where this request's Alexa APIs are: the regional base
// URL and the request's bearer token (never log it).
func (r *Request) Endpoint() (baseURL, token string) {
	return r.Extra.Context.System.APIEndpoint, r.Alexa.Context.System.APIAccessToken
}

// ApplicationIDs returns the skill IDs the request names: the context's
// and the session's, each once and only when present.
func (r *Request) ApplicationIDs() []string {
	var ids []string
	if id := r.Alexa.Context.System.Application.ApplicationID; id != "" {
		ids = append(ids, id)
	}
	if id := r.Alexa.Session.Application.ApplicationID; r.Extra.Session != nil && id != "" &&
		(len(ids) == 0 || ids[0] != id) {
		ids = append(ids, id)
	}
	return ids
}

// UserKey returns the store key of the request's user: the hex SHA-256 of
// the recognised person's ID when there is one, else of the account's user
// ID (from the session, else from the context, so that requests without a
// session have one too). It returns "" when the request names nobody.
func (r *Request) UserKey() string {
	sys := r.Extra.Context.System
	id := ""
	switch {
	case sys.Person != nil && sys.Person.PersonID != "":
		id = sys.Person.PersonID
	case r.Extra.Session != nil && r.Alexa.Session.User.UserID != "":
		id = r.Alexa.Session.User.UserID
	default:
		id = sys.User.UserID
	}
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// DeviceKey returns a one-way hash of the request's device ID (the hex of
// the first 16 bytes of its SHA-256), under which the state keeps the
// device's time zone, or "" when the request names no device.
func (r *Request) DeviceKey() string {
	id := r.DeviceID()
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:16])
}

// ScopeStatus returns the status the request shows for a permission scope
// ("GRANTED", "DENIED"), or "" when the request does not mention it.
func (r *Request) ScopeStatus(scope string) string {
	perms := []*Permissions{r.Extra.Context.System.User.Permissions}
	if r.Extra.Session != nil {
		perms = append(perms, r.Extra.Session.User.Permissions)
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
	s := r.Extra.Session
	if s == nil || r.Alexa.Session.New || len(s.Attributes.State) == 0 || string(s.Attributes.State) == "null" {
		return nil
	}
	return s.Attributes.State
}

// SessionZone returns the time zone name the session attributes carry, and
// whether they carry one at all ("" means it was asked for and is
// unknown).
func (r *Request) SessionZone() (string, bool) {
	s := r.Extra.Session
	if s == nil || r.Alexa.Session.New || s.Attributes.Zone == nil {
		return "", false
	}
	return *s.Attributes.Zone, true
}

// InSession reports whether the request belongs to a session.
func (r *Request) InSession() bool { return r.Extra.Session != nil }

// PayloadStatus returns the "status" of a Connections.Response payload,
// such as "ACCEPTED", or "" when there is none.
func (b Body) PayloadStatus() string {
	if len(b.Payload) == 0 {
		return ""
	}
	var p struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(b.Payload, &p) != nil {
		return ""
	}
	return p.Status
}

// shortHash returns a short prefix of a key, enough to tell users apart in
// logs without identifying anyone.
func shortHash(key string) string {
	if len(key) > 8 {
		return key[:8]
	}
	return key
}
