package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/intents/intentstest"
	"spasmcoach/store/dynalitetest"
)

// Identities in the fixtures (testdata/*.json). The raw user ID and the
// token must never appear in a log line.
const (
	fixtureSkillID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
	otherSkillID   = "amzn1.ask.skill.99999999-8888-7777-6666-000000000000"
	fixtureUserID  = "amzn1.ask.account.RAWUSERID-LAMBDA-FIXTURE-0001"
	fixtureToken   = "SECRET-API-ACCESS-TOKEN-LAMBDA-FIXTURE"
)

// buildDir holds the binaries the tests build once per test binary run;
// TestMain creates and removes it.
var buildDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "spasmcoach-lambda-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "lambda tests:", err)
		os.Exit(2)
	}
	buildDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// make runs the repository Makefile's target with the given variable
// overrides (NAME=value) and returns its combined output, ending the test
// on failure.
func runMake(tb testing.TB, target string, vars ...string) string {
	tb.Helper()
	root, err := dynalitetest.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := exec.LookPath("make"); err != nil {
		tb.Fatalf("make is not on PATH (install make): %v", err)
	}
	args := append([]string{"-s", "-C", root, target}, vars...)
	cmd := exec.Command("make", args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

var (
	hostBootstrapOnce sync.Once
	hostBootstrap     string
	hostBootstrapErr  string
)

// hostBootstrapPath builds the real bootstrap for this machine's GOOS and
// GOARCH with the Makefile's own flags (its bootstrap target), once per test
// binary, and returns its path.
func hostBootstrapPath(tb testing.TB) string {
	tb.Helper()
	hostBootstrapOnce.Do(func() {
		dist := filepath.Join(buildDir, "host")
		root, err := dynalitetest.RepoRoot()
		if err != nil {
			hostBootstrapErr = err.Error()
			return
		}
		cmd := exec.Command("make", "-s", "-C", root, "bootstrap",
			"DIST="+dist, "LAMBDA_GOOS="+runtime.GOOS, "LAMBDA_GOARCH="+runtime.GOARCH)
		if out, err := cmd.CombinedOutput(); err != nil {
			hostBootstrapErr = fmt.Sprintf("make bootstrap for %s/%s: %v\n%s", runtime.GOOS, runtime.GOARCH, err, out)
			return
		}
		hostBootstrap = filepath.Join(dist, "bootstrap")
	})
	if hostBootstrapErr != "" {
		tb.Fatal(hostBootstrapErr)
	}
	return hostBootstrap
}

// readFixture returns testdata/name.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

var tags = regexp.MustCompile(`<[^>]*>`)

// spoken returns a response's output speech as plain words (SSML tags
// removed, entities decoded).
func spoken(r *alexa.Envelope) string {
	s := r.Response.OutputSpeech
	if s == nil {
		return ""
	}
	if s.Type == alexa.SpeechSSML {
		return html.UnescapeString(strings.Join(strings.Fields(tags.ReplaceAllString(s.SSML, " ")), " "))
	}
	return s.Text
}

// ends reports whether a response ends the session.
func ends(r *alexa.Envelope) bool {
	return r.Response.ShouldEndSession != nil && *r.Response.ShouldEndSession
}

// sessionZone returns the time zone a response's session attributes carry.
func sessionZone(r *alexa.Envelope) string {
	if r.SessionAttributes == nil || r.SessionAttributes.Zone == nil {
		return ""
	}
	return *r.SessionAttributes.Zone
}

// decodeResponse checks a response envelope against Alexa's rules and
// ours (intentstest.CheckResponse) and decodes it.
func decodeResponse(tb testing.TB, b []byte) *alexa.Envelope {
	tb.Helper()
	intentstest.CheckResponse(tb, b)
	return parseResponse(tb, b)
}

// parseResponse decodes a response envelope and checks only its version:
// for the timed loops of benchmarks, whose responses are checked with
// decodeResponse outside the timing.
func parseResponse(tb testing.TB, b []byte) *alexa.Envelope {
	tb.Helper()
	var r alexa.Envelope
	if err := json.Unmarshal(b, &r); err != nil {
		tb.Fatalf("response is not JSON: %v\n%s", err, b)
	}
	if r.Version != "1.0" {
		tb.Errorf("response version %q, want 1.0: %s", r.Version, b)
	}
	return &r
}

// checkSpoken checks what every response to a LaunchRequest or an
// IntentRequest must have: SSML speech in <speak>, unescaped as Lambda
// sends it, and a reprompt when the session stays open.
func checkSpoken(tb testing.TB, raw []byte, r *alexa.Envelope) {
	tb.Helper()
	s := r.Response.OutputSpeech
	if s == nil || s.Type != alexa.SpeechSSML || !strings.HasPrefix(s.SSML, "<speak>") || !strings.HasSuffix(s.SSML, "</speak>") {
		tb.Errorf("outputSpeech is not SSML in <speak>: %s", raw)
	}
	if bytes.Contains(raw, []byte(`\u003c`)) {
		tb.Errorf("response has HTML-escaped SSML (\\u003c): %s", raw)
	}
	if !ends(r) && (r.Response.Reprompt == nil || r.Response.Reprompt.OutputSpeech == nil) {
		tb.Errorf("session stays open without a reprompt: %s", raw)
	}
}

// fixtureAPIEndpoint is the apiEndpoint of the fixtures; tests point it at
// an alexatest.Server so that nothing leaves the machine.
const fixtureAPIEndpoint = "https://api.amazonalexa.com"

// withAPIEndpoint returns payload with the fixtures' apiEndpoint replaced
// by url.
func withAPIEndpoint(payload []byte, url string) []byte {
	return bytes.ReplaceAll(payload, []byte(`"`+fixtureAPIEndpoint+`"`), []byte(`"`+url+`"`))
}

// fakeZone is the time zone the fake Settings API reports.
const fakeZone = "Europe/Berlin"

// benchAlexaDelay is how long the stand-in Alexa API of the benchmarks
// takes to answer: about a same-region round trip to the real one.
const benchAlexaDelay = 20 * time.Millisecond

// newFakeAlexaAPI starts the Alexa API fake for the fixtures' token,
// reporting fakeZone for every device.
func newFakeAlexaAPI(tb testing.TB) *alexatest.Server {
	s := alexatest.NewServer(tb)
	s.Token = fixtureToken
	s.SetZone(fakeZone)
	return s
}

// newSlowAlexaAPI is newFakeAlexaAPI answering the time zone after delay
// (or when the caller gives up, whichever comes first).
func newSlowAlexaAPI(tb testing.TB, delay time.Duration) *alexatest.Server {
	s := newFakeAlexaAPI(tb)
	s.SetDelay(alexatest.OpTimeZone, delay)
	return s
}

// conversation is one user of the fixtures' skill and device in a row of
// sessions, as Alexa would send them: the requests carry the session
// attributes of each response into the next request of the same session.
type conversation struct{ *alexatest.Session }

// newConversation starts a conversation for user (a raw Alexa user ID)
// whose requests name apiEndpoint as the Alexa API base URL.
func newConversation(tb testing.TB, user, apiEndpoint string) *conversation {
	tb.Helper()
	var tag [4]byte
	if _, err := rand.Read(tag[:]); err != nil {
		tb.Fatal(err)
	}
	s := alexatest.NewSession(user)
	s.SkillID, s.DeviceID, s.APIEndpoint, s.APIToken = fixtureSkillID, fixtureDeviceID, apiEndpoint, fixtureToken
	// The IDs must not hold the user ID.
	s.Tag = hex.EncodeToString(tag[:]) + "-"
	return &conversation{s}
}

// request returns the next request: reqType (LaunchRequest, which opens a
// new session, IntentRequest, SessionEndedRequest), with intent for an
// IntentRequest, and slots named by slotNames left unfilled, as Alexa
// sends them.
func (c *conversation) request(tb testing.TB, reqType, intent string, slotNames ...string) []byte {
	tb.Helper()
	switch reqType {
	case alexa.RequestLaunch:
		return c.Launch()
	case alexa.RequestIntent:
		var slots []alexa.Slot
		for _, name := range slotNames {
			slots = append(slots, alexatest.Slot(name, ""))
		}
		return c.Intent(intent, slots...)
	case alexa.RequestSessionEnded:
		return c.SessionEnded("USER_INITIATED")
	}
	tb.Fatalf("conversation: request type %s", reqType)
	return nil
}

// absorb takes in the response to the last request.
func (c *conversation) absorb(r *alexa.Envelope) { c.ReceiveEnvelope(r) }

// syncBuffer is a bytes.Buffer safe for concurrent writers and readers,
// for capturing logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// checkLogs checks that every line of logs is a JSON object with a level
// and a message, and that none holds the fixture's raw user ID or token.
func checkLogs(tb testing.TB, logs string) {
	tb.Helper()
	for line := range strings.Lines(logs) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			tb.Errorf("log line is not JSON: %v: %q", err, line)
			continue
		}
		if rec["level"] == nil || rec["msg"] == nil {
			tb.Errorf("log line without level or msg: %q", line)
		}
	}
	for _, secret := range []string{fixtureUserID, "RAWUSERID", fixtureToken} {
		if strings.Contains(logs, secret) {
			tb.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
}
