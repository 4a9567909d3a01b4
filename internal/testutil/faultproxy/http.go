package faultproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
)

// Fault is how an HTTP proxy answers a request in place of its server.
type Fault struct {
	// Status, Header and Body make the answer.
	Status int
	Header http.Header
	Body   string
	// Stall, instead, never answers: the request is read and left
	// waiting until the client gives up.
	Stall bool
}

// HTTP is an HTTP proxy on loopback in front of a server, switched with
// Set between passing requests through and answering each with a Fault:
// for faults a server reports in HTTP (a status and an error body) rather
// than below it.
type HTTP struct {
	srv   *httptest.Server
	fault atomic.Pointer[Fault]
	hits  atomic.Int64
}

// NewHTTP starts a proxy answering with f (nil: passing requests through)
// in front of upstream, a URL ("" when it never passes requests through:
// then a request without a fault gets 502). It is stopped at the test's
// cleanup.
func NewHTTP(tb testing.TB, upstream string, f *Fault) *HTTP {
	tb.Helper()
	pass := http.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "faultproxy: no upstream", http.StatusBadGateway)
	}))
	if upstream != "" {
		u, err := url.Parse(upstream)
		if err != nil {
			tb.Fatal(err)
		}
		pass = httputil.NewSingleHostReverseProxy(u)
	}
	p := &HTTP{}
	p.fault.Store(f)
	stop := make(chan struct{})
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := p.fault.Load()
		if f == nil {
			pass.ServeHTTP(w, r)
			return
		}
		p.hits.Add(1)
		// Read the body first: only then does the server watch the
		// connection, so that the client giving up ends r.Context().
		_, _ = io.Copy(io.Discard, r.Body)
		if f.Stall {
			select {
			case <-r.Context().Done():
			case <-stop:
			}
			return
		}
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.Body)
	}))
	tb.Cleanup(p.srv.Close)
	// Runs before Close (cleanups run last first): release any stalled
	// handler, which Close would otherwise wait for.
	tb.Cleanup(func() { close(stop) })
	return p
}

// URL returns the proxy's endpoint URL.
func (p *HTTP) URL() string { return p.srv.URL }

// Set makes the proxy answer every request with f from now on; nil passes
// requests through again.
func (p *HTTP) Set(f *Fault) { p.fault.Store(f) }

// Hits returns how many requests the proxy answered with a fault.
func (p *HTTP) Hits() int64 { return p.hits.Load() }
