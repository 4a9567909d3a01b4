package faultproxy_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"spasmcoach/internal/testutil/faultproxy"
)

// TestModes sends HTTP requests through the proxy in each mode, switching
// one proxy from mode to mode as the fault tests do.
func TestModes(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, "step two")
	}))
	t.Cleanup(srv.Close)
	p := faultproxy.New(t, srv.URL, faultproxy.Forward)
	client := &http.Client{Timeout: 300 * time.Millisecond}
	get := func() (string, error) {
		resp, err := client.Get(p.URL())
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	timeout := func(err error) bool {
		var ne net.Error
		return errors.As(err, &ne) && ne.Timeout()
	}
	for _, tc := range []struct {
		mode  faultproxy.Mode
		check func(body string, err error) bool
		hits  int64 // requests the server sees in this mode
	}{
		{faultproxy.Forward, func(b string, err error) bool { return err == nil && b == "step two" }, 1},
		{faultproxy.Refuse, func(_ string, err error) bool { return err != nil && !timeout(err) }, 0},
		{faultproxy.Forward, func(b string, err error) bool { return err == nil && b == "step two" }, 1},
		{faultproxy.Reset, func(_ string, err error) bool { return err != nil && !timeout(err) }, 0},
		{faultproxy.Stall, func(_ string, err error) bool { return timeout(err) }, 0},
		{faultproxy.DropAnswers, func(_ string, err error) bool { return timeout(err) }, 1},
		{faultproxy.Forward, func(b string, err error) bool { return err == nil && b == "step two" }, 1},
	} {
		p.SetMode(tc.mode)
		before := hits.Load()
		body, err := get()
		if !tc.check(body, err) {
			t.Errorf("%v: GET = %q, %v", tc.mode, body, err)
		}
		if got := hits.Load() - before; got != tc.hits {
			t.Errorf("%v: the server saw %d requests, want %d", tc.mode, got, tc.hits)
		}
	}
	select {
	case <-p.Answered():
	default:
		t.Error("Answered not closed after an answer was dropped")
	}
}

func TestClosedPort(t *testing.T) {
	resp, err := http.Get(faultproxy.ClosedPort(t))
	if err == nil {
		resp.Body.Close()
		t.Fatal("a closed port answered")
	}
}
