package alexaverify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"spasmcoach/logcap"
)

// Header names Alexa sets on every request it sends to a skill hosted as a
// web service. Lookups through http.Header are case-insensitive.
const (
	// HeaderSignatureCertChainURL names the URL of the PEM certificate
	// chain whose first certificate signed the request.
	HeaderSignatureCertChainURL = "SignatureCertChainUrl"
	// HeaderSignature256 carries the base64 RSA PKCS#1 v1.5 SHA-256
	// signature of the raw request body.
	HeaderSignature256 = "Signature-256"
	// HeaderSignatureSHA1 is the legacy SHA-1 signature header. It is never
	// trusted: a request that carries only this header is refused.
	HeaderSignatureSHA1 = "Signature"
)

// Limits and defaults of request verification.
const (
	// DefaultTimestampTolerance is how far request.timestamp may lie from
	// the verifier's clock, in either direction, for ordinary requests. It
	// is also the maximum Amazon allows.
	DefaultTimestampTolerance = 150 * time.Second
	// SkillEventTimestampTolerance is how far request.timestamp may lie
	// from the verifier's clock, in either direction, for skill events
	// (request types starting "AlexaSkillEvent."), which Alexa may deliver
	// late.
	SkillEventTimestampTolerance = time.Hour
	// DefaultCertFetchTimeout bounds one download of a certificate chain.
	DefaultCertFetchTimeout = 3 * time.Second
	// DefaultMaxCertChainBytes bounds the size of a downloaded certificate
	// chain. Amazon's chain is a few kilobytes.
	DefaultMaxCertChainBytes = 64 << 10
	// DefaultMaxRequestBytes is the body limit VerifyRequest applies when
	// given a non-positive limit. Alexa requests are a few kilobytes; APL
	// context can make them tens of kilobytes.
	DefaultMaxRequestBytes = 256 << 10
)

const (
	certChainScheme     = "https"
	certChainHost       = "s3.amazonaws.com"
	certChainPort       = "443"
	certChainPathPrefix = "/echo.api/"
	// certSigningDomain must be among the signing certificate's SAN DNS
	// names.
	certSigningDomain = "echo-api.amazon.com"
	skillEventPrefix  = "AlexaSkillEvent."

	// certFailureTTL is how long a failed fetch or a rejected chain is
	// remembered, so that a flood of requests naming a bad chain costs one
	// download per URL per period, while a transient failure of the real
	// chain heals quickly.
	certFailureTTL = 10 * time.Second
	// certCacheSoftLimit is the number of cached chains above which stale
	// and failed entries are swept on every insertion.
	certCacheSoftLimit = 64
	// certMaxFetchesInFlight bounds concurrent chain downloads. Forged
	// requests can name any file under /echo.api/; they must not be able to
	// make the server open an unbounded number of outbound connections.
	// Requests beyond it wait for a slot, in arrival order, within their
	// own deadline.
	certMaxFetchesInFlight = 8
	// verifyQuoteLimit bounds how much of an attacker-supplied value is
	// copied into an error message (which the server logs).
	verifyQuoteLimit = 120
)

// CertFetcher downloads the PEM certificate chain named by a request's
// SignatureCertChainUrl header. The URL it receives has already been
// validated and normalised (scheme https, host s3.amazonaws.com, no port,
// a cleaned path under /echo.api/). Fetch must honour ctx and return the
// raw file, or an error; it must be safe for concurrent use.
type CertFetcher interface {
	Fetch(ctx context.Context, certURL string) ([]byte, error)
}

// HTTPCertFetcher is the default CertFetcher: an HTTP GET with a timeout
// and a size limit, which refuses any status but 200. Its zero value is
// ready to use and safe for concurrent use.
type HTTPCertFetcher struct {
	// Client sends the request. Nil means a client on the default
	// transport that does not follow redirects, so the chain comes from
	// the validated URL and nowhere else.
	Client *http.Client
	// Timeout bounds one fetch; zero means DefaultCertFetchTimeout.
	Timeout time.Duration
	// MaxBytes bounds the response body; zero means
	// DefaultMaxCertChainBytes.
	MaxBytes int64
}

var _ CertFetcher = (*HTTPCertFetcher)(nil)

var certNoRedirectClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Fetch downloads certURL. A body over MaxBytes fails with an *Error of
// RuleCertChainTooLarge; a timeout fails with an error wrapping
// context.DeadlineExceeded.
func (f *HTTPCertFetcher) Fetch(ctx context.Context, certURL string) ([]byte, error) {
	client, timeout, limit := f.Client, f.Timeout, f.MaxBytes
	if client == nil {
		client = certNoRedirectClient
	}
	if timeout <= 0 {
		timeout = DefaultCertFetchTimeout
	}
	if limit <= 0 {
		limit = DefaultMaxCertChainBytes
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, certURL, nil)
	if err != nil {
		return nil, fmt.Errorf("build certificate chain request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		// The client's *url.Error repeats the whole URL, which the
		// caller already names (cut to length): keep only its cause.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, fmt.Errorf("get certificate chain: %w", err)
	}
	defer func() { _ = resp.Body.Close() }() // read-only: nothing to lose
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get certificate chain: status %s", resp.Status)
	}
	if resp.ContentLength > limit {
		return nil, refuse(RuleCertChainTooLarge, "%d bytes announced, limit %d", resp.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read certificate chain: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, refuse(RuleCertChainTooLarge, "over %d bytes", limit)
	}
	return data, nil
}

// VerifyOption configures a Verifier built by NewVerifier.
type VerifyOption func(*Verifier)

// WithApplicationIDs sets the skill IDs (amzn1.ask.skill....) whose
// requests are accepted; calls accumulate and empty strings are ignored.
// Without any ID every application ID is accepted, which is for local tools
// only: the caller should log a warning (see Verifier.AcceptsAnyApplication).
func WithApplicationIDs(ids ...string) VerifyOption {
	return func(v *Verifier) {
		for _, id := range ids {
			if id = strings.TrimSpace(id); id != "" {
				v.appIDs[id] = struct{}{}
			}
		}
	}
}

// WithVerifyClock sets the clock used for the timestamp window and for
// certificate validity (default time.Now). Nil is ignored.
func WithVerifyClock(now func() time.Time) VerifyOption {
	return func(v *Verifier) {
		if now != nil {
			v.now = now
		}
	}
}

// WithCertFetcher sets how certificate chains are downloaded (default an
// HTTPCertFetcher). Nil is ignored. It replaces any earlier
// WithCertHTTPClient.
func WithCertFetcher(f CertFetcher) VerifyOption {
	return func(v *Verifier) {
		if f != nil {
			v.fetcher = f
		}
	}
}

// WithCertHTTPClient makes the default fetcher use c, keeping its timeout
// and size limit; c's redirect policy applies (the default client follows
// no redirects). Nil is ignored. It replaces any earlier WithCertFetcher.
func WithCertHTTPClient(c *http.Client) VerifyOption {
	return func(v *Verifier) {
		if c != nil {
			v.fetcher = &HTTPCertFetcher{Client: c}
		}
	}
}

// WithRootCAs sets the pool of trusted roots for the certificate chain
// (default nil, meaning the system roots; a host without a CA bundle then
// refuses every request with RuleCertUntrusted).
func WithRootCAs(pool *x509.CertPool) VerifyOption {
	return func(v *Verifier) { v.roots = pool }
}

// WithTimestampTolerance sets how far request.timestamp may lie from the
// clock for ordinary requests. It is capped at DefaultTimestampTolerance
// (Amazon's maximum); a non-positive d keeps the default. Skill events
// always get SkillEventTimestampTolerance.
func WithTimestampTolerance(d time.Duration) VerifyOption {
	return func(v *Verifier) {
		if d > 0 {
			v.tolerance = min(d, DefaultTimestampTolerance)
		}
	}
}

// WithVerifyLogger sets the logger for certificate downloads: one line
// when a chain is fetched and cached, a warning when a fetch or a chain
// fails (default: discard). Rejected requests are not logged here; the
// caller logs the returned error. Nil is ignored.
func WithVerifyLogger(l *slog.Logger) VerifyOption {
	return func(v *Verifier) {
		if l != nil {
			v.logger = l
		}
	}
}

// Verifier checks that an HTTP request really comes from Alexa, following
// Amazon's rules for a skill hosted as a web service (see the package
// doc). Build it with NewVerifier, once; it is safe for concurrent use.
//
// A request passes only if all of these hold, checked cheapest first so that
// forged requests cost no outbound traffic when they fail early:
//
//  1. SignatureCertChainUrl is an absolute https URL on s3.amazonaws.com
//     (both case-insensitive), port absent or 443, no user info, query or
//     fragment, whose path, after path.Clean, starts with /echo.api/
//     (case-sensitive).
//  2. Signature-256 is present and base64; the SHA-1 Signature header alone
//     is refused.
//  3. The body is a JSON object with request.type; request.timestamp
//     (RFC 3339, fractional seconds allowed) lies within the tolerance of
//     the clock in either direction: 150 s, or one hour for AlexaSkillEvent.*
//     types.
//  4. context.System.application.applicationId (else
//     session.application.applicationId) is in the allow-list, if any.
//  5. The chain, downloaded from the normalised URL, parses as PEM (signing
//     certificate first, then intermediates); the signing certificate is
//     within its validity dates and lists echo-api.amazon.com among its SAN
//     DNS names (exactly; wildcards do not count); and it verifies to a
//     trusted root through the intermediates from the file only, at the
//     verifier's clock.
//  6. Signature-256 is a valid RSA PKCS#1 v1.5 SHA-256 signature of the raw
//     body bytes by the signing certificate's key.
//
// The chain check accepts any extended key usage (x509.ExtKeyUsageAny): the
// certificate is used as a signing identity, not to authenticate a TLS
// server, and Amazon's rules ask only for the dates, the SAN and the chain.
// Revocation is not checked, as in Amazon's SDKs.
//
// Chains are cached by normalised URL until the first certificate in the
// verified chain expires, so the three spellings of Amazon's URL share one
// download. Concurrent requests for the same URL share one download, which
// runs detached from any one request's context (bounded by
// DefaultCertFetchTimeout) so that a caller giving up does not fail the
// others. A failed download or a rejected chain is remembered for 10
// seconds, then tried again. At most 8 downloads run at once; a request
// naming a new URL beyond that waits for a slot, in arrival order, for as
// long as its context allows (then it fails with RuleCertFetch). A queued
// download that every request has given up on leaves the queue, so a
// flood of forged URLs delays a genuine request by at most the downloads
// whose requests are still waiting, about (waiting requests / 8) download
// times, and never refuses it outright.
type Verifier struct {
	appIDs    map[string]struct{}
	now       func() time.Time
	fetcher   CertFetcher
	roots     *x509.CertPool
	tolerance time.Duration
	logger    *slog.Logger

	mu     sync.Mutex
	chains map[string]*certChainEntry // by normalised URL
	slots  chan struct{}              // one element per download running
}

// NewVerifier returns a Verifier with the defaults described on each
// option: system roots, time.Now, an HTTPCertFetcher, a 150-second window
// and any application ID.
func NewVerifier(opts ...VerifyOption) *Verifier {
	v := &Verifier{
		appIDs:    make(map[string]struct{}),
		now:       time.Now,
		fetcher:   &HTTPCertFetcher{},
		tolerance: DefaultTimestampTolerance,
		logger:    slog.New(slog.DiscardHandler),
		chains:    make(map[string]*certChainEntry),
		slots:     make(chan struct{}, certMaxFetchesInFlight),
	}
	for _, opt := range opts {
		opt(v)
	}
	v.logger = slog.New(logcap.NewHandler(v.logger.Handler()))
	return v
}

// AcceptsAnyApplication reports whether the verifier was built without an
// application ID allow-list, in which case any skill's requests pass the
// application check. Callers should log a warning at start-up.
func (v *Verifier) AcceptsAnyApplication() bool { return len(v.appIDs) == 0 }

// VerifyRequest reads r's body with ReadBody and verifies it with Verify
// under r's context. It returns the body only when the request is
// verified; on any error (an *Error) the caller should answer 400 and must
// not use the body.
func (v *Verifier) VerifyRequest(r *http.Request, maxBody int64) ([]byte, error) {
	body, err := ReadBody(r, maxBody)
	if err != nil {
		return nil, err
	}
	if err := v.Verify(r.Context(), r.Header, body); err != nil {
		return nil, err
	}
	return body, nil
}

// ReadBody reads r's body, refusing more than maxBody bytes
// (DefaultMaxRequestBytes when maxBody <= 0) with RuleBodyTooLarge, as
// announced or as read; a body cut short by an http.MaxBytesReader is
// RuleBodyTooLarge too, and any other read failure RuleBodyUnreadable. It
// checks nothing else: a server that does not verify (development mode)
// reads bodies with it.
func ReadBody(r *http.Request, maxBody int64) ([]byte, error) {
	if maxBody <= 0 {
		maxBody = DefaultMaxRequestBytes
	}
	if r.ContentLength > maxBody {
		return nil, refuse(RuleBodyTooLarge, "%d bytes announced, limit %d", r.ContentLength, maxBody)
	}
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return nil, refuse(RuleBodyTooLarge, "%w", err)
	}
	if err != nil {
		return nil, refuse(RuleBodyUnreadable, "read request body: %w", err)
	}
	if int64(len(body)) > maxBody {
		return nil, refuse(RuleBodyTooLarge, "over %d bytes", maxBody)
	}
	return body, nil
}

// Verify checks that body, with header, is a genuine and fresh request from
// Alexa for an allowed skill (see Verifier for the rules). It returns nil
// only if every check passes; otherwise an *Error naming the rule that
// failed, after which the caller must answer HTTP 400 and must not decode
// or act on the body. body must be the raw bytes as received; neither
// header nor body is retained.
//
// Verify may download a certificate chain; ctx bounds how long it waits for
// one (an ended context gives RuleCertFetch, wrapping the context's
// cause).
func (v *Verifier) Verify(ctx context.Context, header http.Header, body []byte) error {
	certURL, err := canonicalCertChainURL(header)
	if err != nil {
		return err
	}
	sig, err := signature256(header)
	if err != nil {
		return err
	}
	now := v.now()
	if err := v.checkEnvelope(body, now); err != nil {
		return err
	}
	leaf, err := v.signingCert(ctx, certURL, now)
	if err != nil {
		return err
	}
	if err := checkSigningCertDates(leaf, now); err != nil {
		return err
	}
	pub, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return refuse(RuleSignatureInvalid, "signing certificate has a %T key, not RSA", leaf.PublicKey)
	}
	digest := sha256.Sum256(body)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return refuse(RuleSignatureInvalid, "Signature-256 does not match the body: %w", err)
	}
	return nil
}

// singleHeader returns the trimmed value of header key ("" when absent), or
// repeated = true when the header appears more than once.
func singleHeader(header http.Header, key string) (value string, repeated bool) {
	values := header.Values(key)
	switch len(values) {
	case 0:
		return "", false
	case 1:
		return strings.TrimSpace(values[0]), false
	default:
		return "", true
	}
}

// canonicalCertChainURL applies the SignatureCertChainUrl rules and returns
// the normalised URL to fetch and to cache by.
func canonicalCertChainURL(header http.Header) (string, error) {
	raw, repeated := singleHeader(header, HeaderSignatureCertChainURL)
	if repeated {
		return "", refuse(RuleCertURLInvalid, "SignatureCertChainUrl header repeated")
	}
	if raw == "" {
		return "", refuse(RuleCertURLMissing, "no SignatureCertChainUrl header")
	}
	u, err := url.Parse(raw)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err // the URL is quoted below, cut to length
		}
		return "", refuse(RuleCertURLInvalid, "%s: %w", quoteUntrusted(raw), err)
	}
	if !u.IsAbs() {
		return "", refuse(RuleCertURLInvalid, "%s is relative", quoteUntrusted(raw))
	}
	if !strings.EqualFold(u.Scheme, certChainScheme) {
		return "", refuse(RuleCertURLScheme, "scheme %s, not https", quoteUntrusted(u.Scheme))
	}
	if u.Opaque != "" || u.Host == "" {
		return "", refuse(RuleCertURLInvalid, "%s has no host", quoteUntrusted(raw))
	}
	if u.User != nil {
		return "", refuse(RuleCertURLInvalid, "%s has user info", quoteUntrusted(raw))
	}
	if !strings.EqualFold(u.Hostname(), certChainHost) {
		return "", refuse(RuleCertURLHost, "host %s, not %s", quoteUntrusted(u.Hostname()), certChainHost)
	}
	if p := u.Port(); p != "" && p != certChainPort {
		return "", refuse(RuleCertURLPort, "port %s, not %s", quoteUntrusted(p), certChainPort)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return "", refuse(RuleCertURLInvalid, "%s has a query or fragment", quoteUntrusted(raw))
	}
	clean := path.Clean("/" + u.Path)
	if !strings.HasPrefix(clean, certChainPathPrefix) {
		return "", refuse(RuleCertURLPath, "path %s normalises to %s, not under %s", quoteUntrusted(u.Path), quoteUntrusted(clean), certChainPathPrefix)
	}
	canonical := url.URL{Scheme: certChainScheme, Host: certChainHost, Path: clean}
	return canonical.String(), nil
}

// signature256 returns the decoded Signature-256 header.
func signature256(header http.Header) ([]byte, error) {
	raw, repeated := singleHeader(header, HeaderSignature256)
	if repeated {
		return nil, refuse(RuleSignatureEncoding, "Signature-256 header repeated")
	}
	if raw == "" {
		if header.Get(HeaderSignatureSHA1) != "" {
			return nil, refuse(RuleSignatureMissing, "no Signature-256 header, only the legacy SHA-1 %s header, which is not accepted",
				HeaderSignatureSHA1)
		}
		return nil, refuse(RuleSignatureMissing, "no Signature-256 header")
	}
	sig, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		return nil, refuse(RuleSignatureEncoding, "Signature-256 is not base64: %w", err)
	}
	return sig, nil
}

// verifyAppRef is the application object found in context.System and in
// session.
type verifyAppRef struct {
	ApplicationID string `json:"applicationId"`
}

// verifyEnvelope holds the fields of the request envelope the verifier
// reads; everything else is left to the request decoder.
type verifyEnvelope struct {
	Session struct {
		Application verifyAppRef `json:"application"`
	} `json:"session"`
	Context struct {
		System struct {
			Application verifyAppRef `json:"application"`
		} `json:"System"`
	} `json:"context"`
	Request struct {
		Type      string          `json:"type"`
		Timestamp json.RawMessage `json:"timestamp"`
	} `json:"request"`
}

// checkEnvelope applies the body rules: JSON, request type, timestamp
// window and application ID.
func (v *Verifier) checkEnvelope(body []byte, now time.Time) error {
	var env verifyEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return refuse(RuleBodyMalformed, "not a JSON request envelope: %w", err)
	}
	typ := env.Request.Type
	if typ == "" {
		return refuse(RuleBodyMalformed, "no request.type")
	}

	if len(env.Request.Timestamp) == 0 || string(env.Request.Timestamp) == "null" {
		return refuse(RuleTimestampInvalid, "no request.timestamp")
	}
	var stamp string
	if err := json.Unmarshal(env.Request.Timestamp, &stamp); err != nil {
		return refuse(RuleTimestampInvalid, "request.timestamp is not a string: %s",
			quoteUntrusted(string(env.Request.Timestamp)))
	}
	ts, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return refuse(RuleTimestampInvalid, "%s is not an RFC 3339 time", quoteUntrusted(stamp))
	}
	tolerance := v.tolerance
	if strings.HasPrefix(typ, skillEventPrefix) {
		tolerance = SkillEventTimestampTolerance
	}
	switch age := now.Sub(ts); {
	case age > tolerance:
		return refuse(RuleTimestampOutOfRange, "%s is %s old, limit %s for %s",
			stamp, age, tolerance, quoteUntrusted(typ))
	case -age > tolerance:
		return refuse(RuleTimestampOutOfRange, "%s is %s in the future, limit %s for %s",
			stamp, -age, tolerance, quoteUntrusted(typ))
	}

	if len(v.appIDs) > 0 {
		id := env.Context.System.Application.ApplicationID
		if id == "" {
			id = env.Session.Application.ApplicationID
		}
		if id == "" {
			return refuse(RuleApplicationID, "the request names no application")
		}
		if _, ok := v.appIDs[id]; !ok {
			return refuse(RuleApplicationID, "%s is not allowed", quoteUntrusted(id))
		}
	}
	return nil
}

// checkSigningCertDates checks the signing certificate's validity period.
func checkSigningCertDates(leaf *x509.Certificate, now time.Time) error {
	if now.Before(leaf.NotBefore) {
		return refuse(RuleCertNotYetValid, "signing certificate valid from %s, now %s",
			leaf.NotBefore.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if now.After(leaf.NotAfter) {
		return refuse(RuleCertExpired, "signing certificate valid until %s, now %s",
			leaf.NotAfter.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// certChainEntry is one cached download. leaf, err and until are written
// once, before done is closed, and read only after done is closed; waiters
// and started are guarded by Verifier.mu.
type certChainEntry struct {
	done  chan struct{}
	leaf  *x509.Certificate
	err   error
	until time.Time // reusable while the clock is not after until

	waiters int                // requests waiting for done
	started bool               // the download holds a slot
	abandon context.CancelFunc // ends the wait for a slot
}

func (e *certChainEntry) finished() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// signingCert returns the verified signing certificate for certURL, from the
// cache or by starting (or joining) a download, waiting at most as long as
// ctx allows, for a download slot as well as for the download.
func (v *Verifier) signingCert(ctx context.Context, certURL string, now time.Time) (*x509.Certificate, error) {
	v.mu.Lock()
	e := v.chains[certURL]
	if e == nil || (e.finished() && now.After(e.until)) || (e.waiters == 0 && !e.started && !e.finished()) {
		// New, stale, or queued but given up by all (its loader is
		// leaving the queue): start afresh.
		if len(v.chains) >= certCacheSoftLimit {
			v.sweepLocked(now)
		}
		wait, abandon := context.WithCancel(context.WithoutCancel(ctx))
		e = &certChainEntry{done: make(chan struct{}), abandon: abandon}
		v.chains[certURL] = e
		go v.loadChain(wait, certURL, e)
	}
	e.waiters++
	v.mu.Unlock()

	select {
	case <-e.done:
	case <-ctx.Done():
		v.leave(e)
		return nil, refuse(RuleCertFetch, "%s: %w", quoteUntrusted(certURL), context.Cause(ctx))
	}
	v.leave(e)
	if e.err != nil {
		return nil, e.err
	}
	return e.leaf, nil
}

// panicked finishes e as refused after its download panicked with p, so
// that its waiters are answered now and the refusal is cached like any
// other failure.
func (v *Verifier) panicked(ctx context.Context, certURL string, e *certChainEntry, p any) {
	v.logger.LogAttrs(ctx, slog.LevelError, "alexaverify: certificate download panicked",
		logcap.String("url", certURL), logcap.String("panic", fmt.Sprint(p)))
	v.mu.Lock()
	defer v.mu.Unlock()
	if !e.finished() {
		e.err = inChain(certURL, RuleCertFetch, fmt.Errorf("download panicked: %v", p))
		e.until = v.now().Add(certFailureTTL)
		close(e.done)
	}
}

// leave records that a request stopped waiting for e; a download nobody
// waits for any more gives up its place in the queue for a slot, so that
// requests that left (forged ones, typically) hold no place before later
// ones.
func (v *Verifier) leave(e *certChainEntry) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if e.waiters--; e.waiters == 0 && !e.started {
		e.abandon()
	}
}

// sweepLocked drops finished entries that are stale or failed. v.mu is held.
func (v *Verifier) sweepLocked(now time.Time) {
	for k, e := range v.chains {
		if e.finished() && (e.err != nil || now.After(e.until)) {
			delete(v.chains, k)
		}
	}
}

// loadChain waits for a download slot (in arrival order) while anyone
// waits for e, then downloads and verifies one chain and publishes the
// outcome in e. wait ends when the last waiter leaves before the download
// started; the entry is then dropped unfinished-but-failed, not cached.
func (v *Verifier) loadChain(wait context.Context, certURL string, e *certChainEntry) {
	defer e.abandon()
	defer func() {
		// A panic here (a CertFetcher's, or a parser's) would end the
		// whole server from this goroutine: refuse the chain instead.
		if p := recover(); p != nil {
			v.panicked(context.WithoutCancel(wait), certURL, e, p)
		}
	}()
	if !v.takeSlot(wait, certURL, e) {
		return
	}
	defer func() { <-v.slots }()

	ctx, cancel := context.WithTimeout(context.WithoutCancel(wait), DefaultCertFetchTimeout)
	defer cancel()
	leaf, until, err := v.fetchChain(ctx, certURL)
	now := v.now()
	if err != nil {
		until = now.Add(certFailureTTL)
		v.logger.LogAttrs(ctx, slog.LevelWarn, "alexaverify: certificate chain refused",
			logcap.String("url", certURL), logcap.Error("err", err))
	} else {
		v.logger.LogAttrs(ctx, slog.LevelInfo, "alexaverify: certificate chain cached",
			logcap.String("url", certURL), slog.Time("until", until))
	}

	v.mu.Lock()
	e.leaf, e.err, e.until = leaf, err, until
	close(e.done)
	v.mu.Unlock()
}

// takeSlot waits for one of the download slots and reports whether it got
// one for e. When every waiter left first, it drops e from the cache,
// fails it and returns false.
func (v *Verifier) takeSlot(wait context.Context, certURL string, e *certChainEntry) bool {
	got := false
	select {
	case v.slots <- struct{}{}:
		got = true
	case <-wait.Done():
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if got && e.waiters > 0 {
		e.started = true
		return true
	}
	if got {
		<-v.slots
	}
	if v.chains[certURL] == e {
		delete(v.chains, certURL)
	}
	e.err = refuse(RuleCertFetch, "%s: no download slot before every request gave up", quoteUntrusted(certURL))
	close(e.done)
	return false
}

// fetchChain downloads, parses and verifies the chain at certURL, and
// returns its signing certificate and the time the cached result stops
// being usable.
func (v *Verifier) fetchChain(ctx context.Context, certURL string) (*x509.Certificate, time.Time, error) {
	data, err := v.fetcher.Fetch(ctx, certURL)
	if err != nil {
		return nil, time.Time{}, inChain(certURL, RuleCertFetch, err)
	}
	certs, err := parseCertChainPEM(data)
	if err != nil {
		return nil, time.Time{}, inChain(certURL, RuleCertChainMalformed, err)
	}
	leaf, until, err := v.verifyChain(certs, v.now())
	if err != nil {
		return nil, time.Time{}, inChain(certURL, "", err)
	}
	return leaf, until, nil
}

// inChain names the chain in err: an *Error keeps its rule, any other
// error gets rule.
func inChain(certURL string, rule Rule, err error) error {
	if e, ok := errors.AsType[*Error](err); ok {
		rule, err = e.Rule, e.Err
	}
	return refuse(rule, "chain %s: %w", quoteUntrusted(certURL), err)
}

// parseCertChainPEM decodes a PEM file of certificates, in file order.
func parseCertChainPEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("unexpected PEM block %s", quoteUntrusted(block.Type))
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificate found")
	}
	return certs, nil
}

// verifyChain applies the certificate rules to a parsed chain (signing
// certificate first) at now.
func (v *Verifier) verifyChain(certs []*x509.Certificate, now time.Time) (*x509.Certificate, time.Time, error) {
	leaf := certs[0]
	if err := checkSigningCertDates(leaf, now); err != nil {
		return nil, time.Time{}, err
	}
	if !hasDNSName(leaf, certSigningDomain) {
		return nil, time.Time{}, refuse(RuleCertSAN, "signing certificate SAN DNS names %q, not %s", leaf.DNSNames, certSigningDomain)
	}
	intermediates := x509.NewCertPool()
	for _, c := range certs[1:] {
		intermediates.AddCert(c)
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Intermediates: intermediates,
		Roots:         v.roots,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, time.Time{}, refuse(RuleCertUntrusted, "%w", err)
	}
	until := leaf.NotAfter
	for _, c := range chains[0] {
		if c.NotAfter.Before(until) {
			until = c.NotAfter
		}
	}
	return leaf, until, nil
}

// hasDNSName reports whether name is among c's SAN DNS names, compared
// case-insensitively and without wildcard matching.
func hasDNSName(c *x509.Certificate, name string) bool {
	for _, n := range c.DNSNames {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// quoteUntrusted quotes a value taken from the request for an error message,
// cut to a bounded length and cleaned (logcap) so that log lines stay short
// and single-line.
func quoteUntrusted(s string) string {
	return strconv.Quote(logcap.Cut(s, verifyQuoteLimit))
}
