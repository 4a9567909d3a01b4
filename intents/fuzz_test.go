package intents_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"spasmcoach/intents"
)

// FuzzInvoke: arbitrary bytes as a request never panic (a recovered panic
// is logged, and the logger fails the test) and always give a valid
// response, or ErrSkillID.
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
		`{"session":{"new":false,"user":{"userId":"u"},"attributes":{"state":"x","tz":"Mars/Olympus"}},"request":{"type":"Connections.Response","name":"AskFor","token":"%%%","payload":{"status":"ACCEPTED"}}}`} {
		f.Add([]byte(s))
	}
	clk := &clock{now: t0}
	st := openStore(f)
	h, _ := newHandler(f, st, clk)
	open, err := intents.New(st, intents.WithClock(clk.Now))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, h := range []*intents.Handler{h, open} {
			out, err := h.Invoke(context.Background(), b)
			if err != nil {
				if !errors.Is(err, intents.ErrSkillID) || out != nil {
					t.Fatalf("Invoke = %s, %v", out, err)
				}
				continue
			}
			checkResponse(t, out)
		}
	})
}
