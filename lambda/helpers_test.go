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
	os.RemoveAll(dir)
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

// alexaResponse is the part of a response envelope the tests read.
type alexaResponse struct {
	Version           string         `json:"version"`
	SessionAttributes map[string]any `json:"sessionAttributes"`
	Response          struct {
		OutputSpeech *outputSpeech `json:"outputSpeech"`
		Reprompt     *struct {
			OutputSpeech *outputSpeech `json:"outputSpeech"`
		} `json:"reprompt"`
		Card *struct {
			Type  string `json:"type"`
			Title string `json:"title"`
		} `json:"card"`
		ShouldEndSession *bool `json:"shouldEndSession"`
	} `json:"response"`
}

type outputSpeech struct {
	Type string `json:"type"`
	SSML string `json:"ssml"`
	Text string `json:"text"`
}

var tags = regexp.MustCompile(`<[^>]*>`)

// Speech returns the output speech as plain words (SSML tags removed,
// entities decoded).
func (r *alexaResponse) Speech() string {
	s := r.Response.OutputSpeech
	if s == nil {
		return ""
	}
	if s.Type == "SSML" {
		return html.UnescapeString(strings.Join(strings.Fields(tags.ReplaceAllString(s.SSML, " ")), " "))
	}
	return s.Text
}

// Ends reports whether the response ends the session.
func (r *alexaResponse) Ends() bool {
	return r.Response.ShouldEndSession != nil && *r.Response.ShouldEndSession
}

// decodeResponse checks a response envelope against Alexa's rules and
// ours (intentstest.CheckResponse) and decodes it.
func decodeResponse(tb testing.TB, b []byte) *alexaResponse {
	tb.Helper()
	intentstest.CheckResponse(tb, b)
	return parseResponse(tb, b)
}

// parseResponse decodes a response envelope and checks only its version:
// for the timed loops of benchmarks, whose responses are checked with
// decodeResponse outside the timing.
func parseResponse(tb testing.TB, b []byte) *alexaResponse {
	tb.Helper()
	var r alexaResponse
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
func checkSpoken(tb testing.TB, raw []byte, r *alexaResponse) {
	tb.Helper()
	s := r.Response.OutputSpeech
	if s == nil || s.Type != "SSML" || !strings.HasPrefix(s.SSML, "<speak>") || !strings.HasSuffix(s.SSML, "</speak>") {
		tb.Errorf("outputSpeech is not SSML in <speak>: %s", raw)
	}
	if bytes.Contains(raw, []byte(`\u003c`)) {
		tb.Errorf("response has HTML-escaped SSML (\\u003c): %s", raw)
	}
	if !r.Ends() && (r.Response.Reprompt == nil || r.Response.Reprompt.OutputSpeech == nil) {
		tb.Errorf("session stays open without a reprompt: %s", raw)
	}
}

// conversation builds the requests Alexa would send one user in a row of
// sessions, from the launch fixture, carrying the session attributes of
// each response into the next request of the same session.
type conversation struct {
	template map[string]any
	// apiEndpoint is the Alexa API base URL the requests name: a
	// fakeAlexaAPI's, so that nothing leaves the machine.
	apiEndpoint string
	user        string
	tag         string // in session and request IDs, which must not hold the user ID
	skillID     string
	session     int
	turn        int
	inside      bool           // a session is open
	attrs       map[string]any // from the last response
}

// newConversation starts a conversation for user (a raw Alexa user ID)
// whose requests name apiEndpoint as the Alexa API base URL.
func newConversation(tb testing.TB, user, apiEndpoint string) *conversation {
	tb.Helper()
	var tpl map[string]any
	if err := json.Unmarshal(readFixture(tb, "launch.json"), &tpl); err != nil {
		tb.Fatal(err)
	}
	var tag [4]byte
	if _, err := rand.Read(tag[:]); err != nil {
		tb.Fatal(err)
	}
	return &conversation{template: tpl, apiEndpoint: apiEndpoint, user: user, tag: hex.EncodeToString(tag[:]), skillID: fixtureSkillID}
}

// setDevice makes the requests come from the device id.
func (c *conversation) setDevice(id string) {
	c.template["context"].(map[string]any)["System"].(map[string]any)["device"].(map[string]any)["deviceId"] = id
}

// request returns the next request: reqType (LaunchRequest, IntentRequest,
// SessionEndedRequest), with intent for an IntentRequest, and slots named
// by slotNames left unfilled, as Alexa sends them.
func (c *conversation) request(tb testing.TB, reqType, intent string, slotNames ...string) []byte {
	tb.Helper()
	if !c.inside {
		c.session++
		c.attrs = map[string]any{}
	}
	c.turn++
	m := deepCopy(tb, c.template)
	session := m["session"].(map[string]any)
	session["new"] = !c.inside
	session["sessionId"] = fmt.Sprintf("amzn1.echo-api.session.%s-%d", c.tag, c.session)
	session["attributes"] = c.attrs
	session["application"].(map[string]any)["applicationId"] = c.skillID
	session["user"].(map[string]any)["userId"] = c.user
	system := m["context"].(map[string]any)["System"].(map[string]any)
	system["application"].(map[string]any)["applicationId"] = c.skillID
	system["user"].(map[string]any)["userId"] = c.user
	system["apiEndpoint"] = c.apiEndpoint
	req := map[string]any{
		"type":      reqType,
		"requestId": fmt.Sprintf("amzn1.echo-api.request.%s-%d", c.tag, c.turn),
		"timestamp": time.Now().UTC().Format(time.RFC3339),
		"locale":    "en-US",
	}
	switch reqType {
	case "IntentRequest":
		slots := map[string]any{}
		for _, s := range slotNames {
			slots[s] = map[string]any{"name": s, "confirmationStatus": "NONE"}
		}
		req["dialogState"] = "COMPLETED"
		req["intent"] = map[string]any{"name": intent, "confirmationStatus": "NONE", "slots": slots}
	case "SessionEndedRequest":
		req["reason"] = "USER_INITIATED"
	}
	m["request"] = req
	c.inside = reqType != "SessionEndedRequest"
	b, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// absorb takes in the response to the last request: its session
// attributes go into the next request, and a response that ends the
// session makes the next request start a new one.
func (c *conversation) absorb(r *alexaResponse) {
	c.attrs = r.SessionAttributes
	if c.attrs == nil {
		c.attrs = map[string]any{}
	}
	if r.Ends() {
		c.inside = false
	}
}

func deepCopy(tb testing.TB, m map[string]any) map[string]any {
	tb.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

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
