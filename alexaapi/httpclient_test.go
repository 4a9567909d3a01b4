package alexaapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"spasmcoach/alexaapi"
)

// redirectPair is an Alexa API stand-in that redirects every request to a
// second server, which counts what reaches it.
type redirectPair struct {
	redirector, target *httptest.Server
	targetHits         atomic.Int32
}

func newRedirectPair(t *testing.T, status int) *redirectPair {
	t.Helper()
	p := &redirectPair{}
	p.target = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.targetHits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"t1","status":"ON","duration":"PT20M"}`)
	}))
	t.Cleanup(p.target.Close)
	p.redirector = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, p.target.URL+r.URL.Path, status)
	}))
	t.Cleanup(p.redirector.Close)
	return p
}

// TestNewHTTPClientDoesNotFollowRedirects: the 3xx answer comes back as
// it is and the call fails as Unavailable; nothing, and so no token,
// reaches the server the redirect names.
func TestNewHTTPClientDoesNotFollowRedirects(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			p := newRedirectPair(t, status)

			// The stand-in really redirects: a default client follows it.
			resp, err := http.Get(p.redirector.URL + "/v1/alerts/timers")
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK || p.targetHits.Load() != 1 {
				t.Fatalf("default client: status %d, %d target hits; the test's redirect does not work", resp.StatusCode, p.targetHits.Load())
			}
			p.targetHits.Store(0)

			hc := alexaapi.NewHTTPClient()
			resp, err = hc.Get(p.redirector.URL + "/v1/alerts/timers")
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != status || resp.Header.Get("Location") == "" {
				t.Errorf("NewHTTPClient: status %d, Location %q; want %d as it is", resp.StatusCode, resp.Header.Get("Location"), status)
			}

			client := alexaapi.New(hc)
			ep := alexaapi.Endpoint{BaseURL: p.redirector.URL, Token: testToken}
			_, err = client.CreateTimer(context.Background(), ep, alexaapi.TimerRequest{
				Duration: 20 * time.Minute, Label: "Cold pack", Locale: "en-US", Announce: "Take the pack off.",
			})
			var apiErr *alexaapi.APIError
			if !errors.As(err, &apiErr) || apiErr.Status != status || alexaapi.Classify(err) != alexaapi.Unavailable {
				t.Errorf("CreateTimer through a redirect: %v (%v), want an APIError %d, Unavailable", err, alexaapi.Classify(err), status)
			}
			if n := p.targetHits.Load(); n != 0 {
				t.Errorf("the redirect was followed: %d requests reached its target", n)
			}
		})
	}
}

// TestNewHTTPClientSettings: no proxy from the environment, bounded
// timeouts, kept-alive connections.
func TestNewHTTPClientSettings(t *testing.T) {
	hc := alexaapi.NewHTTPClient()
	if hc.Timeout <= 0 || hc.Timeout > alexaapi.DefaultTimeout {
		t.Errorf("client timeout %v, want (0, %v]", hc.Timeout, alexaapi.DefaultTimeout)
	}
	tr, ok := hc.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T, want *http.Transport", hc.Transport)
	}
	if tr.Proxy != nil {
		t.Error("the transport takes a proxy (from the environment); the token must not go through one")
	}
	if tr.TLSHandshakeTimeout <= 0 || tr.TLSHandshakeTimeout >= alexaapi.DefaultTimeout {
		t.Errorf("TLS handshake timeout %v, want under %v", tr.TLSHandshakeTimeout, alexaapi.DefaultTimeout)
	}
	if tr.ResponseHeaderTimeout <= 0 || tr.ResponseHeaderTimeout > alexaapi.DefaultTimeout {
		t.Errorf("response header timeout %v, want (0, %v]", tr.ResponseHeaderTimeout, alexaapi.DefaultTimeout)
	}
	if tr.DialContext == nil || tr.DisableKeepAlives || tr.MaxIdleConnsPerHost < 2 || tr.IdleConnTimeout <= 0 {
		t.Errorf("connections: dialer set %v, keep-alives disabled %v, %d idle per host, idle timeout %v",
			tr.DialContext != nil, tr.DisableKeepAlives, tr.MaxIdleConnsPerHost, tr.IdleConnTimeout)
	}
	if other := alexaapi.NewHTTPClient(); other == hc || other.Transport == hc.Transport {
		t.Error("NewHTTPClient shares its client or transport between calls")
	}
}
