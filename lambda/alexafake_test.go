package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// fixtureAPIEndpoint is the apiEndpoint of the fixtures; tests point it at
// a fakeAlexaAPI so that nothing leaves the machine.
const fixtureAPIEndpoint = "https://api.amazonalexa.com"

// fakeZone is the time zone the fake Settings API reports.
const fakeZone = "Europe/Berlin"

// benchAlexaDelay is how long the stand-in Alexa API of the benchmarks
// takes to answer: about a same-region round trip to the real one.
const benchAlexaDelay = 20 * time.Millisecond

// fakeAlexaAPI stands in for the Alexa APIs on loopback: it answers the
// Settings API's time zone of any device for the fixtures' token, and 503
// (unavailable) to anything else.
type fakeAlexaAPI struct {
	URL       string
	zoneCalls atomic.Int64
	other     atomic.Int64
}

func newFakeAlexaAPI(tb testing.TB) *fakeAlexaAPI { return newSlowAlexaAPI(tb, 0) }

// newSlowAlexaAPI is newFakeAlexaAPI answering the time zone after delay
// (or when the caller gives up, whichever comes first).
func newSlowAlexaAPI(tb testing.TB, delay time.Duration) *fakeAlexaAPI {
	tb.Helper()
	f := &fakeAlexaAPI{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/devices/{device}/settings/System.timeZone", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+fixtureToken {
			http.Error(w, `{"code":"INVALID_ACCESS_TOKEN","message":"bad token"}`, http.StatusUnauthorized)
			return
		}
		f.zoneCalls.Add(1)
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`"` + fakeZone + `"`))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.other.Add(1)
		http.Error(w, `{"code":"SERVICE_UNAVAILABLE","message":"not in this fake"}`, http.StatusServiceUnavailable)
	})
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// withAPIEndpoint returns payload with the fixtures' apiEndpoint replaced
// by url.
func withAPIEndpoint(payload []byte, url string) []byte {
	return bytes.ReplaceAll(payload, []byte(`"`+fixtureAPIEndpoint+`"`), []byte(`"`+url+`"`))
}
