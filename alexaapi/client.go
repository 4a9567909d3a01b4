package alexaapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"spasmcoach/logcap"
)

// DefaultTimeout bounds a call whose context has no deadline. It matches
// the per-call budget of a turn (intents.DefaultCallBudget: at most 2 s of
// a 6 s turn).
const DefaultTimeout = 2 * time.Second

// DefaultMaxResponseBytes is the most of a successful response body a
// Client reads unless WithMaxResponseBytes says otherwise.
const DefaultMaxResponseBytes = 1 << 20

// apiErrorBodyLimit is the most of an error response body a Client reads
// (to find its code and message); the rest is discarded.
const apiErrorBodyLimit = 16 << 10

// apiDrainLimit is how much unread body a Client discards before closing,
// so that the connection can be reused; longer bodies close it instead.
const apiDrainLimit = 4 << 10

// ErrNoToken is returned (wrapped) when the Endpoint has no access token.
// No HTTP call is made. It happens when a request carries no
// context.System.apiAccessToken.
var ErrNoToken = errors.New("alexaapi: no API access token")

// ErrInvalidEndpoint is returned (wrapped) when the Endpoint's BaseURL is
// empty or not a usable base URL. No HTTP call is made.
var ErrInvalidEndpoint = errors.New("alexaapi: invalid API endpoint")

// ErrInvalidRequest is returned (wrapped) when the arguments of a call
// cannot make a valid request (an empty timer id, a zero duration, a
// malformed token, ...). No HTTP call is made.
var ErrInvalidRequest = errors.New("alexaapi: invalid request")

// ErrBadResponse is returned (wrapped) when Alexa answered 2xx but the body
// could not be used: not the documented JSON, too large, or missing a
// field the call needs.
var ErrBadResponse = errors.New("alexaapi: unusable response")

// Endpoint is where and as whom to call the Alexa APIs, taken from the
// request being handled. Its String, GoString and LogValue methods never
// show the token.
type Endpoint struct {
	// BaseURL is the request's context.System.apiEndpoint, for example
	// "https://api.amazonalexa.com". A trailing slash is allowed. It must
	// be https, or http to a loopback host (for local tests and tools).
	BaseURL string
	// Token is the request's context.System.apiAccessToken.
	Token string
}

// String describes e without its token.
func (e Endpoint) String() string {
	return fmt.Sprintf("alexaapi.Endpoint{BaseURL: %q, Token: %s}", e.BaseURL, redactedToken(e.Token))
}

// GoString describes e without its token, for the %#v verb.
func (e Endpoint) GoString() string { return e.String() }

// LogValue describes e for log/slog without its token.
func (e Endpoint) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("baseURL", e.BaseURL),
		slog.Bool("hasToken", e.Token != ""),
	)
}

func redactedToken(token string) string {
	if token == "" {
		return "(none)"
	}
	return "(redacted)"
}

// base checks e and returns its base URL without trailing slashes.
func (e Endpoint) base() (string, error) {
	raw := strings.TrimSpace(e.BaseURL)
	if raw == "" {
		return "", fmt.Errorf("%w: empty base URL", ErrInvalidEndpoint)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalidEndpoint, err)
	}
	switch {
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("%w: %q has no host", ErrInvalidEndpoint, raw)
	case u.User != nil:
		return "", fmt.Errorf("%w: user information in base URL", ErrInvalidEndpoint)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("%w: query or fragment in %q", ErrInvalidEndpoint, raw)
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopbackHost(u.Hostname()):
	default:
		// The bearer token must not cross the network in clear text.
		return "", fmt.Errorf("%w: scheme of %q is not https", ErrInvalidEndpoint, raw)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkToken reports ErrNoToken for an empty token and ErrInvalidRequest
// for one that cannot go into a header. It never echoes the token.
func checkToken(token string) error {
	if strings.TrimSpace(token) == "" {
		return ErrNoToken
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("%w: malformed API access token", ErrInvalidRequest)
		}
	}
	return nil
}

// APIError is a non-2xx answer from an Alexa API.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the "code" of the error body (or its "type"), if any.
	Code string
	// Message is the "message" of the error body, if any, shortened and
	// stripped of control characters.
	Message string
}

// Error describes the answer: status, code and message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("HTTP ")
	b.WriteString(strconv.Itoa(e.Status))
	if t := http.StatusText(e.Status); t != "" {
		b.WriteString(" ")
		b.WriteString(t)
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// IsPermission reports whether err is an APIError with status 401 or 403:
// the user has not granted the permission the call needs.
func IsPermission(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden)
}

// IsNotFound reports whether err is an APIError with status 404: for a
// timer, it already rang or was cancelled.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// IsBadRequest reports whether err is an APIError with status 400: Alexa
// refused what we sent.
func IsBadRequest(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusBadRequest
}

// Outcome is what a call's result means to the conversation.
type Outcome uint8

// Outcomes, as returned by Classify.
const (
	// OK: the call succeeded.
	OK Outcome = iota
	// NeedPermission: Alexa answered 401 or 403; ask for the permission.
	NeedPermission
	// NotFound: Alexa answered 404; the timer already rang or was
	// cancelled.
	NotFound
	// Rejected: Alexa answered 400, or the arguments could not make a valid
	// request (ErrInvalidRequest). A bug on our side: log it and apologise.
	Rejected
	// Unavailable: anything else: 429, 5xx, 504 (device offline), other
	// statuses, timeouts, connection errors, an unusable answer, an invalid
	// endpoint. The user can set the timer themselves; the routine goes on.
	Unavailable
	// NoToken: the request carried no apiAccessToken (ErrNoToken); no call
	// was made.
	NoToken
)

var outcomeNames = [...]string{
	OK:             "OK",
	NeedPermission: "NeedPermission",
	NotFound:       "NotFound",
	Rejected:       "Rejected",
	Unavailable:    "Unavailable",
	NoToken:        "NoToken",
}

// String returns the outcome's name, for example "NeedPermission".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}

// Classify reduces the error of any Client call to an Outcome; nil is OK.
// See the package documentation for the table.
func Classify(err error) Outcome {
	if err == nil {
		return OK
	}
	if errors.Is(err, ErrNoToken) {
		return NoToken
	}
	if errors.Is(err, ErrInvalidRequest) {
		return Rejected
	}
	var e *APIError
	if errors.As(err, &e) {
		switch e.Status {
		case http.StatusUnauthorized, http.StatusForbidden:
			return NeedPermission
		case http.StatusNotFound:
			return NotFound
		case http.StatusBadRequest:
			return Rejected
		}
	}
	return Unavailable
}

// Client calls the Alexa REST APIs. It is safe for concurrent use; build it
// once and reuse it, so that connections are reused across turns.
type Client struct {
	hc      *http.Client
	log     *slog.Logger
	maxBody int64
	timeout time.Duration
}

// Option configures a Client.
type Option func(*Client)

// WithLogger makes the Client log each call (operation, status, elapsed
// time; never the token) at debug level, and unusable response fields at
// warning level. By default it logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// WithMaxResponseBytes sets the most of a successful response body the
// Client reads; a longer body fails the call with ErrBadResponse. Values
// below 1 keep DefaultMaxResponseBytes.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithDefaultTimeout sets the timeout of a call whose context has no
// deadline. Values below 1 keep DefaultTimeout.
func WithDefaultTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// New returns a Client that sends requests with httpClient. With a nil
// httpClient it uses its own client on http.DefaultTransport that does not
// follow redirects (the Alexa APIs do not redirect, and the token should
// not follow one).
func New(httpClient *http.Client, opts ...Option) *Client {
	if httpClient == nil {
		httpClient = &http.Client{
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	c := &Client{
		hc:      httpClient,
		log:     slog.New(slog.DiscardHandler),
		maxBody: DefaultMaxResponseBytes,
		timeout: DefaultTimeout,
	}
	for _, o := range opts {
		o(c)
	}
	c.log = slog.New(logcap.NewHandler(c.log.Handler()))
	return c
}

// call is one HTTP exchange with an Alexa API.
type call struct {
	op     string // for errors and logs: "create timer"
	method string
	path   string // escaped, starting with "/"
	body   any    // encoded as the JSON request body; nil for none
	out    any    // decoded from the JSON response body; nil to ignore it
}

// encodeBody encodes v as a JSON request body, without HTML escaping; nil
// for none.
func encodeBody(v any) (io.Reader, error) {
	if v == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return &buf, nil
}

// do performs k against ep. Every error it returns names k.op.
func (c *Client) do(ctx context.Context, ep Endpoint, k call) error {
	if err := checkToken(ep.Token); err != nil {
		return fmt.Errorf("alexaapi: %s: %w", k.op, err)
	}
	base, err := ep.base()
	if err != nil {
		return fmt.Errorf("alexaapi: %s: %w", k.op, err)
	}
	body, err := encodeBody(k.body)
	if err != nil {
		return fmt.Errorf("alexaapi: %s: encode request: %w", k.op, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, k.method, base+k.path, body)
	if err != nil {
		return fmt.Errorf("alexaapi: %s: %w", k.op, err)
	}
	req.Header.Set("Authorization", "Bearer "+ep.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		// A *url.Error repeats the URL, which holds ids (a device id for the
		// time zone); keep only its cause, which carries the classification.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		c.log.DebugContext(ctx, "alexa api call failed", "op", k.op, "elapsed", time.Since(start), "err", err)
		return fmt.Errorf("alexaapi: %s: %w", k.op, err)
	}
	defer func() {
		_, _ = io.CopyN(io.Discard, resp.Body, apiDrainLimit)
		_ = resp.Body.Close()
	}()
	c.log.DebugContext(ctx, "alexa api call", "op", k.op, "status", resp.StatusCode, "elapsed", time.Since(start))

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("alexaapi: %s: %w", k.op, readAPIError(resp, ep.Token))
	}
	if k.out == nil {
		return nil
	}
	data, err := readAtMost(resp.Body, c.maxBody)
	if err != nil {
		return fmt.Errorf("alexaapi: %s: read response: %w", k.op, err)
	}
	if err := json.Unmarshal(data, k.out); err != nil {
		return fmt.Errorf("alexaapi: %s: %w: %w", k.op, ErrBadResponse, err)
	}
	return nil
}

// errTooLarge is wrapped by readAtMost; it is an ErrBadResponse.
var errTooLarge = fmt.Errorf("%w: body too large", ErrBadResponse)

// readAtMost reads r to its end, failing with errTooLarge past n bytes.
func readAtMost(r io.Reader, n int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, n+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > n {
		return nil, fmt.Errorf("%w (over %d bytes)", errTooLarge, n)
	}
	return data, nil
}

// readAPIError builds the APIError of a non-2xx response from its status
// and the start of its body, which the Alexa APIs document as
// {"code", "message"} (the Settings API says "type" for "code").
func readAPIError(resp *http.Response, token string) *APIError {
	e := &APIError{Status: resp.StatusCode}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, apiErrorBodyLimit))
	var body struct {
		Code    string `json:"code"`
		Type    string `json:"type"`
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &body) == nil {
		code := body.Code
		if code == "" {
			code = body.Type
		}
		e.Code = cleanText(code, 64, token)
		e.Message = cleanText(body.Message, 256, token)
	}
	return e
}

// cleanText makes s safe for an error message or a log line: control
// characters become spaces, the token (should a server echo it) is
// removed, and the result is cut to at most max runes.
func cleanText(s string, max int, token string) string {
	if token != "" {
		s = strings.ReplaceAll(s, token, "(redacted)")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if n := 0; len(s) > max {
		for i := range s {
			if n == max {
				return s[:i] + "…"
			}
			n++
		}
	}
	return s
}

// apiTimeLayouts are the time formats seen in Alexa API answers: RFC 3339,
// and the documented examples' local form without a zone (read as UTC).
var apiTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"}

// parseAPITime parses a time field of an answer. It returns the zero time
// for an empty field and logs one it cannot parse.
func (c *Client) parseAPITime(ctx context.Context, op, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range apiTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	c.log.WarnContext(ctx, "alexa api: unparsable time", "op", op, "field", field, "value", cleanText(s, 64, ""))
	return time.Time{}
}

// parseAPIDuration parses a duration field of an answer. It returns 0 for
// an empty field and logs one it cannot parse.
func (c *Client) parseAPIDuration(ctx context.Context, op, field, s string) time.Duration {
	if s == "" {
		return 0
	}
	d, err := ParseISODuration(s)
	if err != nil {
		c.log.WarnContext(ctx, "alexa api: unparsable duration", "op", op, "field", field, "value", cleanText(s, 64, ""))
		return 0
	}
	return d
}
