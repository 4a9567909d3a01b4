package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"spasmcoach/alexaverify"
	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/pki"
	"spasmcoach/logcap"
	"spasmcoach/store"
)

// certHost stands in for s3.amazonaws.com: a TLS server on 127.0.0.1 that
// serves the test PKI's files by path after delay, 404 for any other path,
// and drops the connection for paths under /echo.api/drop/. It records the
// most downloads it saw at once.
type certHost struct {
	*httptest.Server
	delay   time.Duration
	running atomic.Int64
	peak    atomic.Int64
}

func newCertHost(tb testing.TB, delay time.Duration) *certHost {
	tb.Helper()
	h := &certHost{delay: delay}
	h.Server = httptest.NewUnstartedServer(http.HandlerFunc(h.serve))
	h.Config.MaxHeaderBytes = 1 << 20
	h.Config.ErrorLog = log.New(io.Discard, "", 0) // connections the flood's end cuts
	h.StartTLS()
	tb.Cleanup(h.Close)
	return h
}

func (h *certHost) serve(w http.ResponseWriter, r *http.Request) {
	n := h.running.Add(1)
	defer h.running.Add(-1)
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	select {
	case <-time.After(h.delay):
	case <-r.Context().Done():
		return
	}
	if strings.HasPrefix(r.URL.Path, "/echo.api/drop/") {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
		return
	}
	data, ok := testPKI().Files["https://s3.amazonaws.com"+r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(data)
}

// client returns an HTTP client that reaches the host whatever the URL
// names (s3.amazonaws.com:443), trusting its certificate.
func (h *certHost) client() *http.Client {
	tr := h.Client().Transport.(*http.Transport).Clone()
	addr := h.Listener.Addr().String()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) }
	tr.TLSClientConfig.ServerName = "example.com" // in httptest's certificate
	tr.MaxConnsPerHost = 0
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// mustHostedServer is the verifying web service wired as serve wires it
// (capped text logger, verification budget, the HTTP certificate fetcher)
// except that certificates come from host and the clock is testPKI().T0.
func mustHostedServer(tb testing.TB, host *certHost, logs io.Writer) *httptest.Server {
	tb.Helper()
	db, err := store.OpenEmbedded(tb.TempDir() + "/state.db")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	logger := newLogger(logs, 0)
	turn, err := config.Config{SkillIDs: []string{testSkillID}, Pacing: intents.PacingAPLA}.NewHandler(db, logger)
	if err != nil {
		tb.Fatal(err)
	}
	t0 := testPKI().T0
	srv := &skillServer{turn: turn, maxBody: maxRequestBody, logger: logger, verifier: alexaverify.NewVerifier(
		alexaverify.WithVerifyClock(func() time.Time { return t0 }),
		alexaverify.WithApplicationIDs(testSkillID),
		alexaverify.WithCertHTTPClient(host.client()),
		alexaverify.WithRootCAs(testPKI().Roots),
		alexaverify.WithVerifyLogger(logger),
	)}
	ts := httptest.NewUnstartedServer(srv.Handler("/"))
	ts.Config = newHTTPServer(srv.Handler("/"), logger)
	ts.Start()
	tb.Cleanup(ts.Close)
	return ts
}

// post sends header and body to ts and returns the status.
func post(ctx context.Context, ts *httptest.Server, header http.Header, body io.Reader) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/", body)
	if err != nil {
		return 0, err
	}
	req.Header = header
	resp, err := ts.Client().Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// TestServeLogLinesBounded sends hostile requests to the service as serve
// wires it, through the real certificate download path, and checks that no
// log line is longer than logcap.MaxLine (2 KB) or split: a 35 KB
// SignatureCertChainUrl that the host answers with 404 or a dropped
// connection, and every forged case of TestServeRefusesForgedRequests.
func TestServeLogLinesBounded(t *testing.T) {
	host := newCertHost(t, 0)
	var logs logBuffer
	ts := mustHostedServer(t, host, &logs)
	long := func(prefix string) string {
		return prefix + strings.Repeat("A", 35000-len(prefix)-4) + ".pem"
	}
	cases := []struct{ name, url string }{
		{"35 KB URL, 404", long(pki.CertBase)},
		{"35 KB URL, connection dropped", long(pki.CertBase + "drop/")},
		{"35 KB URL of quotes and escapes", pki.CertBase + strings.Repeat(`%22%5C%0A`, 3800) + ".pem"},
		{"35 KB URL outside /echo.api/", long("https://s3.amazonaws.com/other/")},
	}
	for _, tc := range cases {
		header, body := signed(tc.url, reqSpec{user: "amzn1.ask.account.LOG"}, nil)
		status, err := post(t.Context(), ts, header, body)
		if err != nil || status != http.StatusBadRequest {
			t.Errorf("%s: status %d, %v; want 400", tc.name, status, err)
		}
	}
	for _, tc := range forgedCases() {
		header, body := tc.build("amzn1.ask.account.FORGED")
		if status, err := post(t.Context(), ts, header, body); err != nil || status != http.StatusBadRequest {
			t.Errorf("%s: status %d, %v; want 400", tc.name, status, err)
		}
	}
	out := logs.Take()
	lines, longest := 0, 0
	for line := range strings.Lines(out) {
		lines++
		longest = max(longest, len(line)-1)
		if len(line)-1 > logcap.MaxLine {
			t.Errorf("log line of %d bytes: %.300s", len(line)-1, line)
		}
		if !strings.HasPrefix(line, "time=") {
			t.Errorf("log line does not start a record (a value broke a line?): %.300q", line)
		}
	}
	if lines < len(forgedCases())+len(cases) {
		t.Errorf("%d log lines for %d refused requests", lines, len(forgedCases())+len(cases))
	}
	t.Logf("%d refused requests, %d log lines, %d bytes in all, longest line %d bytes",
		len(forgedCases())+len(cases), lines, len(out), longest)
}

// TestServeGenuineUnderCertificateFlood floods the service with forged
// requests, each naming a new certificate URL, while the certificate host
// takes 100 ms per answer, so that every download slot is taken; then a
// genuine signed request, whose chain is not cached yet (as at start or
// after Amazon rotates its certificate), must still get 200 within Alexa's
// 8-second deadline. Each trial starts a fresh service.
func TestServeGenuineUnderCertificateFlood(t *testing.T) {
	const (
		trials    = 4
		attackers = 32
	)
	served := 0
	var slowest time.Duration
	for trial := range trials {
		host := newCertHost(t, 100*time.Millisecond)
		ts := mustHostedServer(t, host, io.Discard)
		ctx, stop := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		var forged, refused atomic.Int64
		for a := range attackers {
			wg.Go(func() {
				body := reqSpec{user: "amzn1.ask.account.ATTACKER"}.body()
				for i := 0; ctx.Err() == nil; i++ {
					header := testPKI().Headers(fmt.Sprintf("%sforged-%d-%d-%d.pem", pki.CertBase, trial, a, i), body)
					status, err := post(ctx, ts, header, bytes.NewReader(body))
					if err == nil {
						forged.Add(1)
						if status == http.StatusBadRequest {
							refused.Add(1)
						}
					}
				}
			})
		}
		for host.running.Load() < 8 {
			time.Sleep(5 * time.Millisecond)
		}

		header, body := signed(pki.CertURL, reqSpec{user: "amzn1.ask.account.GENUINE"}, nil)
		start := time.Now()
		status, err := post(t.Context(), ts, header, body)
		took := time.Since(start)
		stop()
		wg.Wait()
		if err != nil || status != http.StatusOK {
			t.Errorf("trial %d: genuine request under the flood: status %d, %v after %v; want 200", trial, status, err, took)
		} else if took < alexaDeadline {
			served++
		}
		slowest = max(slowest, took)
		if forged.Load() != refused.Load() {
			t.Errorf("trial %d: %d of %d forged requests not refused", trial, forged.Load()-refused.Load(), forged.Load())
		}
		if p := host.peak.Load(); p > 8 {
			t.Errorf("trial %d: %d downloads at once, limit 8", trial, p)
		}
		t.Logf("trial %d: genuine answered %d in %v; %d forged requests refused; %d downloads at most at once",
			trial, status, took.Round(time.Millisecond), refused.Load(), host.peak.Load())
	}
	if served != trials {
		t.Errorf("genuine requests served within %v: %d of %d", alexaDeadline, served, trials)
	}
	t.Logf("genuine requests served under the flood: %d of %d, slowest %v", served, trials, slowest.Round(time.Millisecond))
}
