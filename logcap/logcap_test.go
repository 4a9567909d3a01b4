package logcap_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"spasmcoach/logcap"
)

func TestText(t *testing.T) {
	long := strings.Repeat("a", 40<<10)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain", in: "amzn1.echo-api.request.1234", want: "amzn1.echo-api.request.1234"},
		{name: "empty", in: "", want: ""},
		{name: "newline and escape", in: "line\nbreak\x1b[2J", want: "line?break?[2J"},
		{name: "invalid utf-8", in: "a\xffb", want: "a?b"},
		{name: "line separator", in: "a\u2028b", want: "a?b"},
		{name: "accents kept", in: "Zürich, São Paulo", want: "Zürich, São Paulo"},
		{name: "long cut", in: long, want: long[:logcap.ValueLimit-len("…")] + "…"},
		{name: "quotes cost two", in: strings.Repeat(`"`, logcap.ValueLimit), want: strings.Repeat(`"`, (logcap.ValueLimit-3)/2) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := logcap.Text(tt.in); got != tt.want {
				t.Errorf("Text(%.40q) = %.80q (%d bytes), want %.80q (%d bytes)", tt.in, got, len(got), tt.want, len(tt.want))
			}
		})
	}
}

// hostile returns values an attacker might put in a request field.
func hostile(rng *rand.Rand) []string {
	random := make([]byte, 8<<10)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	return []string{
		strings.Repeat("A", 35<<10),
		"https://s3.amazonaws.com/echo.api/" + strings.Repeat("%2F..", 7<<10),
		strings.Repeat(`"\`, 10<<10),
		strings.Repeat("\x00\x01\n\r\t", 4<<10),
		strings.Repeat("\u2028\u00a0é", 4<<10),
		strings.Repeat("\xff\xfe", 8<<10),
		string(random),
	}
}

// TestLineBound writes records shaped like the skill's own (the turn line,
// a refused request, an API failure) with hostile values in every field,
// through the JSON and text handlers, and checks each line.
func TestLineBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	longest := 0
	defer func() { t.Logf("longest line: %d bytes", longest) }()
	for _, v := range hostile(rng) {
		for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		} {
			var buf bytes.Buffer
			log := slog.New(logcap.NewHandler(newHandler(&buf))).With("awsRequestId", v)
			log.Info("turn", "requestId", v, "type", v, "intent", v, "user", v, "step", 3,
				"outcome", v, "effects", v, "duration", 12)
			log.Warn("request refused", "rule", "cert-fetch", "remote", v, "err", errors.New(v))
			log.Warn("alexa api call failed", slog.Group("api", "code", v, "message", v), "error", v)
			log.Warn(v, v, v)
			lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			if len(lines) != 4 {
				t.Fatalf("%s: %d lines, want 4 (a value broke a line?)", name, len(lines))
			}
			for _, line := range lines {
				longest = max(longest, len(line))
				if len(line) > logcap.MaxLine {
					t.Errorf("%s: line of %d bytes > %d: %.200s", name, len(line), logcap.MaxLine, line)
				}
				if !utf8.ValidString(line) {
					t.Errorf("%s: line is not valid UTF-8: %.200q", name, line)
				}
				if name == "json" && !json.Valid([]byte(line)) {
					t.Errorf("json: line is not JSON: %.200s", line)
				}
			}
		}
	}
}

func TestNewHandlerOnce(t *testing.T) {
	h := logcap.NewHandler(slog.DiscardHandler)
	if logcap.NewHandler(h) != h {
		t.Error("NewHandler wrapped a capped handler again")
	}
}

func TestShortValuesUntouched(t *testing.T) {
	var buf bytes.Buffer
	slog.New(logcap.NewHandler(slog.NewJSONHandler(&buf, nil))).Info("turn", "intent", "NextStepIntent", "step", 4)
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["intent"] != "NextStepIntent" || got["step"] != float64(4) || got["msg"] != "turn" {
		t.Errorf("record changed: %v", got)
	}
}

// BenchmarkHandle measures a turn-like line through the JSON handler, with
// and without the cap (the difference is the cap's cost).
func BenchmarkHandle(b *testing.B) {
	for name, h := range map[string]slog.Handler{
		"capped":   logcap.NewHandler(slog.NewJSONHandler(io.Discard, nil)),
		"uncapped": slog.NewJSONHandler(io.Discard, nil),
	} {
		b.Run(name, func(b *testing.B) {
			log := slog.New(h)
			b.ReportAllocs()
			for b.Loop() {
				log.Info("turn", "requestId", "amzn1.echo-api.request.0000-1111", "type", "IntentRequest",
					"intent", "NextStepIntent", "step", 4, "outcome", "saved")
			}
		})
	}
}
