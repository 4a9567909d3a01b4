package alexaapi

import (
	"net"
	"net/http"
	"time"
)

// Limits of the HTTP client NewHTTPClient builds. Each call also has the
// deadline the turn gives it (at most DefaultTimeout); these make sure no
// single phase of a call can use that whole budget, and that the client
// never waits longer than the budget even without a deadline.
const (
	httpDialTimeout     = time.Second
	httpTLSTimeout      = time.Second
	httpKeepAlive       = 30 * time.Second
	httpIdleConnTimeout = 90 * time.Second
	httpMaxIdlePerHost  = 4
)

// NewHTTPClient returns the HTTP client for the Alexa APIs that every
// program of the skill passes to New (the Lambda function, and
// cmd/spasmcoach's chat and serve):
//
//   - no redirects followed: a 3xx answer is returned as it is (and fails
//     the call with an *APIError), because the Alexa APIs do not redirect
//     and the bearer token must not follow one;
//   - no proxy from the environment (HTTP_PROXY, HTTPS_PROXY): Lambda has
//     none, and the token should not go through one;
//   - bounded connection set-up (dial and TLS handshake, 1 s each), a
//     response-header timeout and an overall timeout of DefaultTimeout, so
//     that a call cannot outlast its share of the turn even when its
//     context has no deadline;
//   - kept-alive connections between turns (a few per host).
//
// Build it once and reuse it, so that connections are reused.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: httpDialTimeout, KeepAlive: httpKeepAlive}
	transport := &http.Transport{
		Proxy:                 nil, // never http.ProxyFromEnvironment
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   httpTLSTimeout,
		ResponseHeaderTimeout: DefaultTimeout,
		IdleConnTimeout:       httpIdleConnTimeout,
		MaxIdleConns:          httpMaxIdlePerHost * 4,
		MaxIdleConnsPerHost:   httpMaxIdlePerHost,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       DefaultTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
