package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/store/dynalitetest"
)

// e2eTimeout bounds each wait of the end-to-end tests: generous limits for
// a slow, busy machine, not expectations.
const e2eTimeout = 60 * time.Second

// bootstrapEnv is the environment of a bootstrap talking to the Runtime API
// at api with its state in table on the dynalite server at endpoint.
func bootstrapEnv(api, endpoint, table string, extra ...string) []string {
	env := append([]string{
		envRuntimeAPI + "=" + api,
		config.EnvTableName + "=" + table,
		config.EnvSkillID + "=" + fixtureSkillID,
		config.EnvLogLevel + "=debug",
		"AWS_LAMBDA_FUNCTION_NAME=spasmcoach",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
	}, dynalitetest.Env(endpoint)...)
	return append(env, extra...)
}

// e2eStep is one request of a scripted conversation and what its answer
// must say.
type e2eStep struct {
	name      string
	reqType   string
	intent    string
	slots     []string
	wantWords []string // each must occur in the speech (case-insensitive)
	wantEnd   bool
}

// TestBootstrapConversation builds the real bootstrap for this machine,
// runs it against a local Runtime API with its state in dynalite, and
// drives a whole session as Alexa would, then a new session that must
// resume where the first one left off.
func TestBootstrapConversation(t *testing.T) {
	endpoint := dynalitetest.Start(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	bin := hostBootstrapPath(t)
	api := newRuntimeAPI(t)
	alexaAPI := newFakeAlexaAPI(t)
	proc := startProcess(t, bin, bootstrapEnv(api.Addr(), endpoint, table))

	conv := newConversation(t, "amzn1.ask.account.RAWUSERID-E2E-0001", alexaAPI.URL)
	script := []e2eStep{
		{name: "first launch", reqType: alexa.RequestLaunch, wantWords: []string{"warning signs"}},
		{name: "continue", reqType: alexa.RequestIntent, intent: intents.IntentResume, wantWords: []string{"step one"}},
		{name: "next", reqType: alexa.RequestIntent, intent: intents.IntentNext, wantWords: []string{"step two"}},
		{name: "next again", reqType: alexa.RequestIntent, intent: intents.IntentNext, wantWords: []string{"step three"}},
		{name: "start breathing", reqType: alexa.RequestIntent, intent: intents.IntentStartBreathing, slots: []string{intents.SlotBreaths, intents.SlotMinutes}, wantWords: []string{"breath"}},
		{name: "stop", reqType: alexa.RequestIntent, intent: intents.IntentStop, wantWords: []string{"step 3"}, wantEnd: true},
		// A new session, as on the next day's "open back spasm coach":
		// no attributes, so the state comes from DynamoDB.
		{name: "relaunch resumes", reqType: alexa.RequestLaunch, wantWords: []string{"last time you were on step 3"}},
	}
	for i, st := range script {
		payload := conv.request(t, st.reqType, st.intent, st.slots...)
		if st.name == "relaunch resumes" && !strings.Contains(string(payload), `"new":true`) {
			t.Fatalf("the relaunch is not a new session: %s", payload)
		}
		ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
		res, err := api.Invoke(ctx, payload)
		cancel()
		if err != nil {
			t.Fatalf("turn %d (%s): %v\nbootstrap output:\n%s", i, st.name, err, proc.stderr)
		}
		if res.Err != nil {
			t.Fatalf("turn %d (%s): the function failed: %+v\nbootstrap output:\n%s", i, st.name, *res.Err, proc.stderr)
		}
		r := decodeResponse(t, res.Response)
		checkSpoken(t, res.Response, r)
		speech := strings.ToLower(spoken(r))
		for _, w := range st.wantWords {
			if !strings.Contains(speech, strings.ToLower(w)) {
				t.Errorf("turn %d (%s): speech does not say %q: %q", i, st.name, w, spoken(r))
			}
		}
		if ends(r) != st.wantEnd {
			t.Errorf("turn %d (%s): shouldEndSession %v, want %v: %s", i, st.name, ends(r), st.wantEnd, res.Response)
		}
		t.Logf("turn %d (%s): %s", i, st.name, spoken(r))
		conv.absorb(r)
	}

	// Still healthy: running, polling for the next event, and answering it.
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer cancel()
	if !proc.Running() {
		t.Fatalf("the bootstrap exited after the conversation:\n%s", proc.stderr)
	}
	ended := conv.request(t, alexa.RequestSessionEnded, "")
	// The poll for the next event may come as soon as the answer is
	// posted, before Invoke returns: count from before the request.
	sent := time.Now()
	res, err := api.Invoke(ctx, ended)
	if err != nil || res.Err != nil {
		t.Fatalf("SessionEndedRequest after the conversation: %v %+v\n%s", err, res.Err, proc.stderr)
	}
	if r := decodeResponse(t, res.Response); r.Response.OutputSpeech != nil || r.Response.Reprompt != nil {
		t.Errorf("speech in the answer to a SessionEndedRequest: %s", res.Response)
	}
	if _, err := api.WaitPoll(ctx, sent); err != nil {
		t.Fatalf("the bootstrap does not poll for the next event: %v\n%s", err, proc.stderr)
	}
	if !proc.Running() {
		t.Fatalf("the bootstrap exited:\n%s", proc.stderr)
	}
	// One time zone look-up, through the real Alexa API client main
	// builds, in the first session; the second takes the zone stored with
	// the state.
	if got := int64(alexaAPI.Count(alexatest.OpTimeZone)); got != 1 {
		t.Errorf("%d time zone look-ups for two sessions, want 1", got)
	}
	checkLogs(t, proc.stderr.String())
}

// TestBootstrapRefusesOtherSkills: a request for a skill ID that SKILL_ID
// does not list fails the invocation (Alexa then hears nothing from us),
// and the process goes on serving.
func TestBootstrapRefusesOtherSkills(t *testing.T) {
	bin := hostBootstrapPath(t)
	api := newRuntimeAPI(t)
	// No DynamoDB call is made for a refused request: no server needed.
	proc := startProcess(t, bin, bootstrapEnv(api.Addr(), "http://127.0.0.1:9", "unused-table"))
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer cancel()
	sent := time.Now() // the next poll may come before Invoke returns
	res, err := api.Invoke(ctx, readFixture(t, "wrong-skill.json"))
	if err != nil {
		t.Fatalf("%v\n%s", err, proc.stderr)
	}
	if res.Err == nil {
		t.Fatalf("a request for another skill was answered: %s", res.Response)
	}
	if _, err := api.WaitPoll(ctx, sent); err != nil || !proc.Running() {
		t.Fatalf("the bootstrap stopped serving after refusing a request: %v\n%s", err, proc.stderr)
	}
	checkLogs(t, proc.stderr.String())
}

// TestBootstrapInitErrors: a bootstrap that cannot start posts the reason
// to the Runtime API's init-error endpoint and exits non-zero, before it
// ever polls for an event.
func TestBootstrapInitErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      []string
		wantType string
		wantMsg  string
	}{
		{
			name:     "no TABLE_NAME",
			env:      []string{"AWS_REGION=us-east-1"},
			wantType: errTypeConfig,
			wantMsg:  config.EnvTableName,
		},
		{
			name:     "no SKILL_ID",
			env:      []string{config.EnvTableName + "=t", "AWS_REGION=us-east-1"},
			wantType: errTypeConfig,
			wantMsg:  config.EnvSkillID,
		},
		{
			name:     "SKILL_ID without an ID",
			env:      []string{config.EnvTableName + "=t", config.EnvSkillID + "=,", "AWS_REGION=us-east-1"},
			wantType: errTypeConfig,
			wantMsg:  config.EnvSkillID,
		},
		{
			name:     "bad LOG_LEVEL",
			env:      []string{config.EnvTableName + "=t", config.EnvSkillID + "=" + fixtureSkillID, config.EnvLogLevel + "=loud", "AWS_REGION=us-east-1"},
			wantType: errTypeConfig,
			wantMsg:  config.EnvLogLevel,
		},
		{
			name:     "no region",
			env:      []string{config.EnvTableName + "=t", config.EnvSkillID + "=" + fixtureSkillID},
			wantType: errTypeInit,
			wantMsg:  "AWS_REGION",
		},
	}
	bin := hostBootstrapPath(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newRuntimeAPI(t)
			env := append([]string{envRuntimeAPI + "=" + api.Addr(),
				"AWS_ACCESS_KEY_ID=dummy", "AWS_SECRET_ACCESS_KEY=dummy"}, tt.env...)
			proc := startProcess(t, bin, env)
			ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
			defer cancel()
			ie, err := api.InitError(ctx)
			if err != nil {
				t.Fatalf("%v\nbootstrap output:\n%s", err, proc.stderr)
			}
			if ie.HeaderType != tt.wantType || ie.ErrorType != tt.wantType {
				t.Errorf("error type header %q, body %q; want %q", ie.HeaderType, ie.ErrorType, tt.wantType)
			}
			if !strings.Contains(ie.ErrorMessage, tt.wantMsg) {
				t.Errorf("error message %q does not name %s", ie.ErrorMessage, tt.wantMsg)
			}
			code, err := proc.Wait(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if code == 0 {
				t.Errorf("exit status 0 after an init error")
			}
			if n := api.Polls(); n != 0 {
				t.Errorf("%d polls for events after an init error", n)
			}
			if out := proc.stderr.String(); !strings.Contains(out, `"level":"ERROR"`) || !strings.Contains(out, tt.wantMsg) {
				t.Errorf("the log does not report the error as JSON:\n%s", out)
			}
			checkLogs(t, proc.stderr.String())
		})
	}
}
