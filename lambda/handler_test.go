package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"spasmcoach/alexa"
	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/store/dynalitetest"
)

// newTestHandler builds what main builds (newHandler, with cfg's table set
// to a fresh one) on the dynalite server at endpoint, through a client that
// counts DynamoDB calls, wrapped as lambda.Start wraps it.
func newTestHandler(tb testing.TB, endpoint string, cfg config.Config, logs io.Writer) (lambda.Handler, *dynalitetest.CountingClient) {
	tb.Helper()
	client := dynalitetest.Client(tb, endpoint)
	cfg.TableName = dynalitetest.NewTable(tb, client)
	counting := dynalitetest.NewCountingClient(client)
	h, err := newHandler(cfg, counting, newLogger(logs, cfg.LogLevel))
	if err != nil {
		tb.Fatalf("newHandler: %v", err)
	}
	return lambda.NewHandler(h), counting
}

// invocationContext is the context lambda.Start gives a handler: the
// function's deadline and the invocation's metadata.
func invocationContext(tb testing.TB, requestID string) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), invocationTimeout)
	tb.Cleanup(cancel)
	return lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       requestID,
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:spasmcoach",
	})
}

// TestHandlerFixtures invokes the handler main builds with the request
// fixtures in testdata/, as the Runtime API loop does, with the state in
// dynalite.
func TestHandlerFixtures(t *testing.T) {
	endpoint := dynalitetest.Start(t)
	alexaAPI := newFakeAlexaAPI(t)
	tests := []struct {
		name      string
		fixture   string
		skillIDs  []string
		wantErr   error
		wantCalls dynalitetest.Calls
		check     func(t *testing.T, raw []byte, r *alexa.Envelope, logs string)
	}{
		{
			name:      "LaunchRequest of a first-time user",
			fixture:   "launch.json",
			skillIDs:  []string{fixtureSkillID},
			wantCalls: dynalitetest.Calls{GetItem: 1, PutItem: 1},
			check: func(t *testing.T, raw []byte, r *alexa.Envelope, _ string) {
				checkSpoken(t, raw, r)
				if ends(r) {
					t.Errorf("the session ends after the first launch")
				}
				if r.SessionAttributes == nil || len(r.SessionAttributes.State) == 0 {
					t.Errorf("no state in the session attributes: %s", raw)
				}
				if !strings.Contains(strings.ToLower(spoken(r)), "warning signs") {
					t.Errorf("a first launch without the warning signs: %q", spoken(r))
				}
			},
		},
		{
			name:      "IntentRequest without session state",
			fixture:   "intent-next.json",
			skillIDs:  []string{fixtureSkillID},
			wantCalls: dynalitetest.Calls{GetItem: 1, PutItem: 1},
			check: func(t *testing.T, raw []byte, r *alexa.Envelope, _ string) {
				checkSpoken(t, raw, r)
			},
		},
		{
			name:     "SessionEndedRequest with an error",
			fixture:  "session-ended.json",
			skillIDs: []string{fixtureSkillID},
			// A user with nothing stored: read, nothing to write.
			wantCalls: dynalitetest.Calls{GetItem: 1},
			check: func(t *testing.T, raw []byte, r *alexa.Envelope, logs string) {
				if r.Response.OutputSpeech != nil || r.Response.Reprompt != nil {
					t.Errorf("speech in the answer to a SessionEndedRequest: %s", raw)
				}
				if !strings.Contains(logs, "INVALID_RESPONSE") {
					t.Errorf("the session's error is not logged:\n%s", logs)
				}
			},
		},
		{
			name:     "wrong skill ID is refused",
			fixture:  "wrong-skill.json",
			skillIDs: []string{fixtureSkillID},
			wantErr:  intents.ErrSkillID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			cfg := config.Config{SkillIDs: tt.skillIDs, LogLevel: slog.LevelDebug}
			h, counting := newTestHandler(t, endpoint, cfg, &logs)
			ctx := invocationContext(t, "lambda-request-"+tt.fixture)
			raw, err := h.Invoke(ctx, withAPIEndpoint(readFixture(t, tt.fixture), alexaAPI.URL))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Invoke() error = %v, want %v", err, tt.wantErr)
				}
			} else {
				if err != nil {
					t.Fatalf("Invoke() error = %v", err)
				}
				r := decodeResponse(t, raw)
				if tt.check != nil {
					tt.check(t, raw, r, logs.String())
				}
			}
			if got := counting.Calls(); got != tt.wantCalls {
				t.Errorf("DynamoDB calls %+v, want %+v", got, tt.wantCalls)
			}
			out := logs.String()
			checkLogs(t, out)
			if !strings.Contains(out, `"msg":"turn"`) {
				t.Errorf("no turn log line:\n%s", out)
			}
			if !strings.Contains(out, `"awsRequestId":"lambda-request-`+tt.fixture+`"`) {
				t.Errorf("log lines do not carry the Lambda request ID:\n%s", out)
			}
			if t.Failed() {
				t.Logf("logs:\n%s", out)
			}
		})
	}
}

// TestSetup runs main's whole init (setup) with the AWS SDK configured
// from the environment, as in Lambda, and answers a request with what it
// built.
func TestSetup(t *testing.T) {
	endpoint := dynalitetest.Start(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	alexaAPI := newFakeAlexaAPI(t)
	for _, kv := range dynalitetest.Env(endpoint) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")

	tests := []struct {
		name     string
		env      map[string]string
		wantType string // the init error's type; "" for success
		wantLog  []string
	}{
		{
			name:     "ErrNoTableName",
			env:      map[string]string{config.EnvSkillID: fixtureSkillID},
			wantType: errTypeConfig,
		},
		{
			name:     "ErrBadLogLevel",
			env:      map[string]string{config.EnvTableName: table, config.EnvLogLevel: "chatty"},
			wantType: errTypeConfig,
		},
		{
			name:    "configured",
			env:     map[string]string{config.EnvTableName: table, config.EnvSkillID: fixtureSkillID, config.EnvLogLevel: "warn"},
			wantLog: []string{},
		},
		{
			name:     "ErrNoSkillID",
			env:      map[string]string{config.EnvTableName: table},
			wantType: errTypeConfig,
		},
		{
			name:    "configured, start-up line",
			env:     map[string]string{config.EnvTableName: table, config.EnvSkillID: fixtureSkillID},
			wantLog: []string{`"msg":"init done"`, `"table":"` + table + `"`, `"skillIds":"[` + fixtureSkillID + `]"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			h, logger, err := setup(context.Background(), func(k string) string { return tt.env[k] }, &logs)
			if logger == nil {
				t.Fatal("setup returned no logger")
			}
			if tt.wantType != "" {
				if err == nil || errorType(err) != tt.wantType {
					t.Fatalf("setup() error = %v (type %s), want one of type %s", err, errorType(err), tt.wantType)
				}
				return
			}
			if err != nil {
				t.Fatalf("setup() error = %v", err)
			}
			for _, w := range tt.wantLog {
				if !strings.Contains(logs.String(), w) {
					t.Errorf("start-up log lacks %s:\n%s", w, logs.String())
				}
			}
			raw, err := h.Invoke(invocationContext(t, "setup"), withAPIEndpoint(readFixture(t, "launch.json"), alexaAPI.URL))
			if err != nil {
				t.Fatalf("Invoke() error = %v", err)
			}
			checkSpoken(t, raw, decodeResponse(t, raw))
			checkLogs(t, logs.String())
		})
	}
}

// TestRequestIDHandler: records logged with an invocation's context carry
// its Lambda request ID, also through loggers derived with With.
func TestRequestIDHandler(t *testing.T) {
	var logs syncBuffer
	logger := newLogger(&logs, slog.LevelInfo).With("component", "test")
	logger.InfoContext(invocationContext(t, "req-1"), "inside")
	logger.InfoContext(context.Background(), "outside")
	logger.Debug("hidden")
	var lines []map[string]any
	for line := range strings.Lines(logs.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), logs.String())
	}
	if lines[0]["awsRequestId"] != "req-1" || lines[0]["component"] != "test" {
		t.Errorf("inside an invocation: %v", lines[0])
	}
	if _, ok := lines[1]["awsRequestId"]; ok {
		t.Errorf("outside an invocation: %v", lines[1])
	}
}

// errNoTable is an init error to report.
var errNoTable = errors.New("config: TABLE_NAME is not set")

// TestReportInitErrorRefused: a Runtime API that does not accept the
// report gives an error naming the status.
func TestReportInitErrorRefused(t *testing.T) {
	api := newRuntimeAPI(t)
	// Not a host:port of a Runtime API: the fake answers 404.
	err := reportInitError(context.Background(), api.Addr()+"/nowhere", &initError{kind: errTypeConfig, err: errNoTable})
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("reportInitError() = %v, want an error naming 404", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := reportInitError(ctx, api.Addr(), &initError{kind: errTypeConfig, err: errNoTable}); err != nil {
		t.Fatalf("reportInitError() = %v", err)
	}
	got, err := api.InitError(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.HeaderType != errTypeConfig || got.ErrorType != errTypeConfig || got.ErrorMessage != errNoTable.Error() {
		t.Errorf("posted %+v", got)
	}
}
