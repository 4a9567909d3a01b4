package intents_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
)

// FuzzInvoke: arbitrary bytes as a request never panic and always give a
// valid response, or ErrSkillID; both with an allow-list of skill IDs and
// without one (which lets far more inputs through to a turn). The handler
// turns a panic into a valid apology, so the fuzz body reads what both
// handlers logged for that input and fails on a "panic in turn" line (and
// the harness logger on any secret).
func FuzzInvoke(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "requests", "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{``, `{}`, `null`, `{"request":{"type":"IntentRequest","intent":{"name":"GoToStepIntent","slots":{"step":{"value":"99999999999"}}}},"session":{"user":{"userId":"u"}}}`,
		`{"session":{"new":false,"user":{"userId":"u"},"attributes":{"state":{"sv":1,"st":3,"ep":1}}},"request":{"type":"LaunchRequest"}}`,
		`{"session":{"new":false,"user":{"userId":"u"},"attributes":{"state":"x","tz":"Mars/Olympus"}},"request":{"type":"Connections.Response","name":"AskFor","token":"%%%","payload":{"status":"ACCEPTED"}}}`,
		`{"session":{"new":false,"user":{"userId":"u"},"attributes":{"state":{"sv":1,"st":5,"ep":1,"q":9,"tm":{"id":"t1","p":1,"e":2}}}},"request":{"type":"Connections.Response","name":"AskFor","token":"perm=timers&then=cancel-pack","payload":{"status":"ACCEPTED"}}}`} {
		f.Add([]byte(s))
	}
	clk := clock.New(t0)
	st := openStore(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		log, sink := newLogger(t)
		strict, err := intents.New(st, intents.WithClock(clk.Now), intents.WithLogger(log), intents.WithSkillIDs(testSkillID))
		if err != nil {
			t.Fatal(err)
		}
		open, err := intents.New(st, intents.WithClock(clk.Now), intents.WithLogger(log))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []*intents.Handler{strict, open} {
			out, err := h.Invoke(context.Background(), b)
			if err != nil {
				if !errors.Is(err, intents.ErrSkillID) || out != nil {
					t.Fatalf("Invoke = %s, %v", out, err)
				}
				continue
			}
			checkResponse(t, out)
			if line := sink.unexpectedPanic(); line != "" {
				t.Fatalf("a turn panicked on %q (allow-list %v): %s", b, h == strict, line)
			}
		}
	})
}
