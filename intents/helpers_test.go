package intents_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"spasmcoach/alexa"
	"spasmcoach/intents/intentstest"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// indent pretty-prints JSON without changing its escaping.
func indent(tb testing.TB, b []byte) []byte {
	tb.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		tb.Fatalf("invalid JSON %s: %v", b, err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// checkResponse checks one response against Alexa's rules and ours
// (intentstest.CheckResponse), and returns it decoded. Every test runs it
// on every response it gets.
func checkResponse(tb testing.TB, raw []byte) *alexa.Envelope {
	tb.Helper()
	return intentstest.CheckResponse(tb, raw)
}
