package faultproxy_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
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
		defer func() { _ = resp.Body.Close() }()
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
		_ = resp.Body.Close()
		t.Fatal("a closed port answered")
	}
}

// TestHTTP passes requests through, answers them with a fault, and stalls
// them until the client gives up.
func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "step two")
	}))
	t.Cleanup(srv.Close)
	p := faultproxy.NewHTTP(t, srv.URL, nil)
	client := &http.Client{Timeout: 300 * time.Millisecond}
	get := func() (int, string, error) {
		resp, err := client.Get(p.URL())
		if err != nil {
			return 0, "", err
		}
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type") + " " + string(b), err
	}
	if status, body, err := get(); err != nil || status != http.StatusOK || !strings.HasSuffix(body, " step two") {
		t.Errorf("passed through: %d %q %v", status, body, err)
	}
	p.Set(&faultproxy.Fault{Status: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"busy":true}`})
	if status, body, err := get(); err != nil || status != http.StatusServiceUnavailable || body != `application/json {"busy":true}` {
		t.Errorf("fault: %d %q %v", status, body, err)
	}
	p.Set(&faultproxy.Fault{Stall: true})
	var ne net.Error
	if _, _, err := get(); !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("stall: %v, want a timeout", err)
	}
	if p.Hits() != 2 {
		t.Errorf("%d faults answered, want 2", p.Hits())
	}
	p.Set(nil)
	if status, _, err := get(); err != nil || status != http.StatusOK {
		t.Errorf("passed through again: %d %v", status, err)
	}
	if status, _, err := func() (int, string, error) {
		p = faultproxy.NewHTTP(t, "", nil)
		return get()
	}(); err != nil || status != http.StatusBadGateway {
		t.Errorf("no upstream: %d %v, want 502", status, err)
	}
}
