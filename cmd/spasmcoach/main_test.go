package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"spasmcoach/intents/intentstest"
	"spasmcoach/internal/testutil/pki"
	"spasmcoach/store"
	"spasmcoach/store/dynalitetest"
)

// binDir holds the spasmcoach binary the subprocess tests run; TestMain
// removes it.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "spasmcoach-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

var build struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// mustBinary builds spasmcoach once per test binary and returns its path.
func mustBinary(tb testing.TB) string {
	tb.Helper()
	build.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			// Not on PATH: the go command that runs the tests says where
			// its root is.
			goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		}
		build.path = filepath.Join(binDir, "spasmcoach")
		cmd := exec.Command(goTool, "build", "-o", build.path, ".")
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		tb.Fatalf("go build: %v\n%s", build.err, build.out)
	}
	return build.path
}

// baseEnv is a clean environment for the binary: no TABLE_NAME or SKILL_ID
// from the developer's shell, HOME in the test's directory.
func baseEnv(home string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LOG_LEVEL=warn", "TZ=UTC"}
}

// chatRun runs `spasmcoach chat --json args...` with script as its piped
// input, checks every response the skill gave (chatResponses), and returns
// the transcript: what chat printed without --json's request and response
// JSON and "[heard ...]" lines.
func chatRun(t *testing.T, env []string, script string, args ...string) string {
	t.Helper()
	transcript, _ := chatResponses(t, chatRunRaw(t, env, script, append([]string{"--json"}, args...)...))
	return transcript
}

// chatRunRaw runs `spasmcoach chat args...` with script as its piped
// input and returns what it printed on stdout.
func chatRunRaw(t *testing.T, env []string, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command(mustBinary(t), append([]string{"chat"}, args...)...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("spasmcoach chat: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("chat wrote to stderr:\n%s", stderr.String())
	}
	return stdout.String()
}

// chatResponses reads the output of `spasmcoach chat --json`: it checks
// the JSON after each "request:" and "response:" line, each response with
// intentstest.CheckResponse, and that every request got a response. It
// returns the output without the JSON and the "[heard ...]" lines, and the
// number of responses.
func chatResponses(t *testing.T, out string) (transcript string, responses int) {
	t.Helper()
	var b strings.Builder
	requests := 0
	for rest := out; rest != ""; {
		line, after, _ := strings.Cut(rest, "\n")
		rest = after
		if line != "request:" && line != "response:" {
			if !strings.HasPrefix(line, "[heard ") {
				b.WriteString(line)
				b.WriteByte('\n')
			}
			continue
		}
		dec := json.NewDecoder(strings.NewReader(rest))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Errorf("no JSON after %q: %v\n%s", line, err, out)
			continue
		}
		rest = strings.TrimPrefix(rest[dec.InputOffset():], "\n")
		if line == "request:" {
			requests++
			continue
		}
		responses++
		// raw is the value as chat printed it, escapes untouched.
		intentstest.CheckResponse(t, raw)
	}
	if responses == 0 || responses != requests {
		t.Errorf("%d requests, %d responses:\n%s", requests, responses, out)
	}
	return b.String(), responses
}

// turns splits a chat transcript into what followed each "> " line.
func turns(transcript string) map[string][]string {
	out := map[string][]string{}
	var cur string
	for line := range strings.Lines(transcript) {
		line = strings.TrimRight(line, "\n")
		if said, ok := strings.CutPrefix(line, "> "); ok {
			cur = said
			out[cur] = append(out[cur], "")
			continue
		}
		if n := len(out[cur]); n > 0 {
			out[cur][n-1] += line + "\n"
		}
	}
	return out
}

// TestChatConversation drives `spasmcoach chat` as a subprocess with a
// scripted conversation, then relaunches in a second run on the same state
// file.
func TestChatConversation(t *testing.T) {
	home := t.TempDir()
	db := filepath.Join(t.TempDir(), "chat.db")
	env := baseEnv(home)

	const script = `# a scripted first session
open back spasm coach
continue
next
next
start breathing
next step
set a cold pack timer
yes
no
stop
open back spasm coach
yes
exit
`
	out := chatRun(t, env, script, "--db", db)
	t.Logf("transcript:\n%s", out)
	tr := turns(out)

	expect := func(said string, i int, patterns ...string) {
		t.Helper()
		answers := tr[said]
		if i >= len(answers) {
			t.Errorf("no answer %d to %q", i, said)
			return
		}
		for _, p := range patterns {
			if !regexp.MustCompile(p).MatchString(answers[i]) {
				t.Errorf("answer %d to %q does not match %s:\n%s", i, said, p, answers[i])
			}
		}
	}
	// The safety briefing on the first launch, with pauses shown.
	expect("open back spasm coach", 0, `(?i)Alexa: .*9 ?1 ?1`, `(?i)information only|medical advice`)
	// Breathing counts on the beat: an APLA timeline of the cue, then bare
	// numbers, each at its start.
	expect("start breathing", 0, `\[APLA, played after the speech: \d+ parts\]`, `(?m)^ +0\.00s  Breathe in$`, `(?m)^ +0\.95s  two$`, `(?m)^ +8\.00s  three$`)
	// The timer: asked for, confirmed, set on the Echo.
	expect("set a cold pack timer", 0, `(?i)Alexa: .*20.minute.*\?`)
	expect("yes", 0, `\[Echo: timer '[^']*(?i:cold)[^']*' set for 20 minutes`)
	// Stop ends the session; the relaunch resumes at the same step.
	expect("stop", 0, `\[session ended\]`)
	expect("exit", 0, `\[session ended\]`)

	stepSaid := regexp.MustCompile(`(?i)step (one|two|three|four|five|six|seven|eight|nine|\d)\b`)
	stopAt := strings.Index(out, "> stop")
	if stopAt < 0 {
		t.Fatalf("no stop in the transcript:\n%s", out)
	}
	stopped := lastStep(t, stepSaid, out[:stopAt])
	relaunch := tr["open back spasm coach"]
	if len(relaunch) < 2 {
		t.Fatalf("no relaunch in the transcript")
	}
	if m := stepSaid.FindStringSubmatch(relaunch[1]); m == nil || stepNumber(m[1]) != stopped {
		t.Errorf("relaunch does not resume at step %s:\n%s", stopped, relaunch[1])
	}

	// State persisted in the file: a second run picks up there too.
	out2 := chatRun(t, env, "open back spasm coach\nexit\n", "--db", db)
	t.Logf("second run:\n%s", out2)
	if m := stepSaid.FindStringSubmatch(out2); m == nil || stepNumber(m[1]) != stopped {
		t.Errorf("second run does not resume at step %s:\n%s", stopped, out2)
	}
	st, err := store.OpenEmbedded(db)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = st.Close() }()
	item, err := st.Get(context.Background(), userKey(t, localUserID))
	if err != nil || item.Version < 2 || len(item.Data) == 0 {
		t.Errorf("stored state: version %d, %d bytes, %v", item.Version, len(item.Data), err)
	}
}

// lastStep returns the last step number a transcript names.
func lastStep(t *testing.T, re *regexp.Regexp, transcript string) string {
	t.Helper()
	all := re.FindAllStringSubmatch(transcript, -1)
	if len(all) == 0 {
		t.Fatalf("no step named in:\n%s", transcript)
	}
	return stepNumber(all[len(all)-1][1])
}

// stepNumber turns a step said in words ("four") into digits.
func stepNumber(s string) string {
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	for i, w := range words {
		if strings.EqualFold(s, w) {
			return string(rune('0' + i))
		}
	}
	return s
}

// TestChatDefaultsAndFlags checks the default state file, --user, --json,
// --ssml, --no-timers and the end of input in the middle of a session.
func TestChatDefaultsAndFlags(t *testing.T) {
	home := t.TempDir()
	env := baseEnv(home)

	out := chatRunRaw(t, env, "ask back spasm coach to start breathing\n", "--json", "--ssml", "--user", "someone-else")
	if _, n := chatResponses(t, out); n != 2 {
		t.Errorf("%d responses, want 2 (the one-shot and the SessionEndedRequest at the end of input)", n)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "state", "spasmcoach", "state.db")); err != nil {
		t.Errorf("default state file: %v", err)
	}
	for _, want := range []string{
		`"type": "IntentRequest"`, `"name": "StartBreathingIntent"`, `"new": true`,
		`"userId": "amzn1.ask.account.someone-else"`, `"alexa::alerts:timers:skill:readwrite": {`,
		"SSML: <speak>", "response:\n{", "[input ended]", `"type": "SessionEndedRequest"`, `"reason": "USER_INITIATED"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	xdg := t.TempDir()
	out = chatRun(t, append(env, "XDG_STATE_HOME="+xdg), "open back spasm coach\nquit\n")
	if _, err := os.Stat(filepath.Join(xdg, "spasmcoach", "state.db")); err != nil {
		t.Errorf("XDG state file: %v", err)
	}
	if !strings.Contains(out, "Alexa: ") {
		t.Errorf("no answer:\n%s", out)
	}
}

// TestChatPacing checks SPEECH_PACING: ssml puts the counts in the
// outputSpeech, timed by breaks; an unknown value stops chat at start.
func TestChatPacing(t *testing.T) {
	home := t.TempDir()
	out := chatRun(t, append(baseEnv(home), "SPEECH_PACING=ssml"), "open back spasm coach\ncontinue\nstart breathing\n")
	if !regexp.MustCompile(`(?i)breathe in \(\d+(\.\d+)?s\) two`).MatchString(out) || strings.Contains(out, "[APLA") {
		t.Errorf("SPEECH_PACING=ssml: counts not in the speech:\n%s", out)
	}
	cmd := exec.Command(mustBinary(t), "chat")
	cmd.Env = append(baseEnv(home), "SPEECH_PACING=loud")
	cmd.Stdin = strings.NewReader("open back spasm coach\n")
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "SPEECH_PACING") {
		t.Errorf("SPEECH_PACING=loud: %v, want an error naming it:\n%s", err, b)
	}
}

// TestChatSpeak checks --speak with a stand-in espeak-ng on PATH, and the
// note when espeak-ng is missing.
func TestChatSpeak(t *testing.T) {
	bin := t.TempDir()
	said := filepath.Join(t.TempDir(), "said.txt")
	fake := "#!/bin/sh\necho \"$@\" >> " + said + "\n/bin/cat >> " + said + "\necho >> " + said + "\n"
	if err := os.WriteFile(filepath.Join(bin, "espeak-ng"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + bin, "HOME=" + t.TempDir(), "LOG_LEVEL=warn"}
	out := chatRun(t, env, "open back spasm coach\nexit\n", "--speak")
	got, err := os.ReadFile(said)
	if err != nil {
		t.Fatalf("espeak-ng was not run: %v\n%s", err, out)
	}
	if !bytes.HasPrefix(got, []byte("-m -v en-us --stdin\n<speak>")) {
		t.Errorf("espeak-ng got:\n%s", got)
	}

	// Without espeak-ng: a note on stderr, and the chat goes on.
	cmd := exec.Command(mustBinary(t), "chat", "--speak", "--json")
	cmd.Env = []string{"PATH=" + t.TempDir(), "HOME=" + t.TempDir()}
	cmd.Stdin = strings.NewReader("open back spasm coach\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	chatResponses(t, stdout.String())
	if !strings.Contains(stderr.String(), "espeak-ng, which is not installed") || !strings.Contains(stdout.String(), "Alexa: ") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
}

// TestChatNoTimers follows the permission path: the skill asks for the
// timers permission, Alexa asks the user, the user says yes, the timer is
// set.
func TestChatNoTimers(t *testing.T) {
	out := chatRun(t, baseEnv(t.TempDir()), `open back spasm coach
continue
set a cold pack timer
yes
yes
stop
`, "--no-timers", "--db", filepath.Join(t.TempDir(), "s.db"))
	t.Logf("transcript:\n%s", out)
	for _, want := range []string{
		"[directive: Connections.SendRequest AskFor, permission alexa::alerts:timers:skill:readwrite]",
		"Alexa (for the skill): Do you give back spasm coach permission to use your timers?",
		"[permission alexa::alerts:timers:skill:readwrite granted]",
		"[Echo: timer '",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
}

// TestRunConfiguration checks that the commands apply the Lambda
// function's configuration rules (package config): serve without --dev
// needs a skill ID, and a value that is set but invalid stops every
// command before it starts anything.
func TestRunConfiguration(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		output string
	}{
		{"serve without SKILL_ID", []string{"serve", "--addr", "127.0.0.1:0"}, nil, "SKILL_ID is not set"},
		{"serve with SKILL_ID a comma", []string{"serve", "--addr", "127.0.0.1:0"}, map[string]string{"SKILL_ID": ","}, "names no skill ID"},
		{"serve --dev with SKILL_ID a comma", []string{"serve", "--dev", "--addr", "127.0.0.1:0"}, map[string]string{"SKILL_ID": ","}, "names no skill ID"},
		{"serve with a bad LOG_LEVEL", []string{"serve", "--addr", "127.0.0.1:0"}, map[string]string{"SKILL_ID": testSkillID, "LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{"chat with a bad LOG_LEVEL", []string{"chat"}, map[string]string{"LOG_LEVEL": "verbose"}, "LOG_LEVEL"},
		{"chat with two IDs in one", []string{"chat"}, map[string]string{"SKILL_ID": "amzn1.ask.skill.a amzn1.ask.skill.b"}, "space"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			getenv := func(k string) string {
				if k == "HOME" {
					return home
				}
				return tc.env[k]
			}
			var out bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader("open back spasm coach\n"), &out, &out, getenv)
			if code != exitError || !strings.Contains(out.String(), tc.output) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%s", code, exitError, tc.output, out.String())
			}
			if strings.Contains(out.String(), "listening") || strings.Contains(out.String(), "Alexa:") {
				t.Errorf("the command started:\n%s", out.String())
			}
		})
	}
}

// TestRunUsage checks the command line without starting anything.
func TestRunUsage(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		output string
	}{
		{"no command", nil, exitUsage, "Usage:"},
		{"help", []string{"help"}, exitOK, "spasmcoach chat"},
		{"help chat", []string{"help", "chat"}, exitOK, "--no-timers"},
		{"help serve", []string{"help", "serve"}, exitOK, "--insecure-skip-verify"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"unknown flag", []string{"chat", "--bogus"}, exitUsage, "flag provided but not defined"},
		{"stray argument", []string{"serve", "now"}, exitUsage, `unexpected argument "now"`},
		{"cert without key", []string{"serve", "--tls-cert", "c.pem"}, exitUsage, "--tls-cert and --tls-key go together"},
		{"dev on every interface", []string{"serve", "--dev", "--addr", "0.0.0.0:0"}, exitError, "loopback only"},
		{"unknown locale", []string{"chat", "--locale", "xx-XX"}, exitError, `no interaction model for locale "xx-XX"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &out, &out, getenv)
			if code != tc.code || !strings.Contains(out.String(), tc.output) {
				t.Errorf("exit %d, want %d; output lacks %q:\n%s", code, tc.code, tc.output, out.String())
			}
		})
	}
}

func TestEnvironment(t *testing.T) {
	vars := map[string]string{}
	env := environment{getenv: func(k string) string { return vars[k] }}
	if _, err := env.defaultDBPath(); err == nil {
		t.Error("no HOME: want an error")
	}
	vars["HOME"] = "/home/u"
	if p, _ := env.defaultDBPath(); p != "/home/u/.local/state/spasmcoach/state.db" {
		t.Errorf("HOME: %s", p)
	}
	vars["XDG_STATE_HOME"] = "relative/ignored"
	if p, _ := env.defaultDBPath(); p != "/home/u/.local/state/spasmcoach/state.db" {
		t.Errorf("relative XDG_STATE_HOME: %s", p)
	}
	vars["XDG_STATE_HOME"] = "/state"
	if p, _ := env.defaultDBPath(); p != "/state/spasmcoach/state.db" {
		t.Errorf("XDG_STATE_HOME: %s", p)
	}
}

// TestServeProcess runs `spasmcoach serve --dev` as a subprocess: it
// prints its URL, answers the health check and a request, and shuts down
// gracefully on SIGTERM.
func TestServeProcess(t *testing.T) {
	cmd := exec.Command(mustBinary(t), "serve", "--dev", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "s.db"))
	cmd.Env = baseEnv(t.TempDir())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("read URL: %v\n%s", err, stderr.String())
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "spasmcoach serve: listening on ")
	if !ok {
		t.Fatalf("first line %q", line)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	resp, err := http.Get(strings.TrimSuffix(url, "/") + healthPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Errorf("health: %d %q", resp.StatusCode, body)
	}
	resp, err = http.Post(url, "application/json", bytes.NewReader(reqSpec{user: "amzn1.ask.account.PROC"}.body()))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("launch: %d %s\n%s", resp.StatusCode, body, stderr.String())
	}
	if env := intentstest.CheckResponse(t, body); env.Response.OutputSpeech == nil {
		t.Errorf("launch without speech: %s", body)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) || err != nil {
			t.Errorf("serve after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop after SIGTERM\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "development mode") || !strings.Contains(stderr.String(), "SKILL_ID is not set") {
		t.Errorf("start-up warnings missing:\n%s", stderr.String())
	}
}

// TestChatDynamoDB runs chat with TABLE_NAME set, against dynalite (a real
// DynamoDB-API server) on loopback: the state lands in the table, and no
// state file is made.
func TestChatDynamoDB(t *testing.T) {
	endpoint := dynalitetest.Start(t)
	client := dynalitetest.Client(t, endpoint)
	table := dynalitetest.NewTable(t, client)
	home := t.TempDir()
	env := append(baseEnv(home), dynalitetest.Env(endpoint)...)
	env = append(env, "TABLE_NAME="+table)

	out := chatRun(t, env, "open back spasm coach\ncontinue\nstop\n")
	if !strings.Contains(out, "[session ended]") {
		t.Errorf("transcript:\n%s", out)
	}
	db, err := store.NewDynamoDB(client, table)
	if err != nil {
		t.Fatal(err)
	}
	item, err := db.Get(context.Background(), userKey(t, localUserID))
	if err != nil || item.Version == 0 {
		t.Errorf("item in %s: %+v, %v", table, item, err)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "state", "spasmcoach", "state.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a state file was made although TABLE_NAME is set: %v", err)
	}
}

// TestServeTLS runs serve in process with --tls-cert and --tls-key and a
// cancellable context: it answers over HTTPS and returns 0 once the
// context ends.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	pool := writeSelfSigned(t, certFile, keyFile)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var errOut logBuffer
	code := make(chan int, 1)
	getenv := func(k string) string {
		switch k {
		case "HOME":
			return dir
		case "SKILL_ID":
			return testSkillID
		}
		return ""
	}
	go func() {
		code <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile,
			"--db", filepath.Join(dir, "s.db"), "--path", "/alexa"}, nil, outW, &errOut, getenv)
		_ = outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("read URL: %v\n%s", err, errOut.Take())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "spasmcoach serve: listening on ")
	if !ok || !strings.HasPrefix(url, "https://127.0.0.1:") || !strings.HasSuffix(url, "/alexa") {
		t.Fatalf("first line %q", line)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost"}}}
	resp, err := client.Get(strings.TrimSuffix(url, "/alexa") + healthPath)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("health over TLS: %d", resp.StatusCode)
	}
	// Verification is on: an unsigned request is refused.
	resp, err = client.Post(url, "application/json", bytes.NewReader(reqSpec{user: "amzn1.ask.account.TLS"}.body()))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unsigned request over TLS: %d, want 400", resp.StatusCode)
	}
	cancel()
	if c := <-code; c != exitOK {
		t.Errorf("exit %d after the context ended\n%s", c, errOut.Take())
	}
	logs := errOut.Take()
	if !strings.Contains(logs, "rule=cert-url-missing") || !strings.Contains(logs, "shutting down") {
		t.Errorf("logs:\n%s", logs)
	}
}

// writeSelfSigned writes a self-signed certificate for localhost and
// 127.0.0.1 and its key, and returns a pool that trusts it.
func writeSelfSigned(t *testing.T, certFile, keyFile string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: "localhost"},
		NotBefore:   time.Now().Add(-time.Hour),
		NotAfter:    time.Now().Add(time.Hour),
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	cert := pki.Cert(tmpl, nil, &key.PublicKey, key)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pki.PEM(cert), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}
