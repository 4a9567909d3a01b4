package intents_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"spasmcoach/internal/testutil/clock"
	"spasmcoach/logcap"
)

// TestHostileRequestsLogShortLines sends requests whose every free-text
// field is huge and full of control characters (as a forged request to
// `serve --dev`, or a broken client, could) and checks that no log line
// the turn writes is longer than logcap.MaxLine or split in two: the
// handler caps its logger whatever logger it is given.
func TestHostileRequestsLogShortLines(t *testing.T) {
	hostile := strings.Repeat("\x1b[2J\"\\\n"+strings.Repeat("A", 500), 60) // ~30 KB
	edits := map[string]func(req map[string]any){
		"request ID":  func(r map[string]any) { field(r, "request")["requestId"] = hostile },
		"intent name": func(r map[string]any) { field(r, "request", "intent")["name"] = hostile },
		"slot value": func(r map[string]any) {
			field(r, "request", "intent")["slots"] = map[string]any{"PACK": map[string]any{"name": "PACK", "value": hostile}}
		},
		"request type":  func(r map[string]any) { field(r, "request")["type"] = hostile },
		"session zone":  func(r map[string]any) { field(r, "session", "attributes")["tz"] = hostile },
		"session state": func(r map[string]any) { field(r, "session", "attributes")["state"] = hostile },
		"connection name": func(r map[string]any) {
			r["request"] = map[string]any{"type": "Connections.Response", "requestId": hostile, "name": hostile, "status": map[string]any{"code": "500", "message": hostile}, "timestamp": "2026-03-10T14:00:00Z"}
		},
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			h, sink := newHandler(t, openStore(t), clock.New(t0))
			var req map[string]any
			if err := json.Unmarshal(readFixture(t, "intent_slots.json"), &req); err != nil {
				t.Fatal(err)
			}
			edit(req)
			body, err := json.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			out, err := h.Invoke(context.Background(), body)
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			checkResponse(t, out)
			lines := strings.Split(strings.TrimSpace(sink.String()), "\n")
			for _, line := range lines {
				if len(line) > logcap.MaxLine || !json.Valid([]byte(line)) {
					t.Errorf("log line of %d bytes (valid JSON: %v): %.200s", len(line), json.Valid([]byte(line)), line)
				}
			}
			if !strings.Contains(sink.String(), `"msg":"turn"`) {
				t.Errorf("no turn line:\n%.2000s", sink.String())
			}
		})
	}
}

// field returns the object at path in req, creating it when missing.
func field(req map[string]any, path ...string) map[string]any {
	m := req
	for _, p := range path {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	return m
}
