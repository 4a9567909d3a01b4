package intents_test

import (
	"context"
	"testing"

	"spasmcoach/alexa"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
)

// BenchmarkTurn measures one turn through the handler, from request bytes
// to response bytes, on the embedded store: "next" and "go back" in turn
// in an open session, so that each turn takes the state from the session
// attributes, changes it, and writes it to the store with a conditional
// put. Building each request from the previous response is not timed.
func BenchmarkTurn(b *testing.B) {
	benchmarkTurn(b, intents.IntentNext, intents.IntentPrevious)
}

// BenchmarkTurnNoWrite is a turn that changes nothing ("where am I"): no
// store call at all.
func BenchmarkTurnNoWrite(b *testing.B) {
	benchmarkTurn(b, intents.IntentWhereAmI)
}

func benchmarkTurn(b *testing.B, seq ...string) {
	clk := clock.New(t0)
	h, _ := newHandler(b, openStore(b), clk)
	c := newConvo(b, h, clk, defaultUser())
	c.u.apiEndpoint, c.u.token = "", ""
	c.launch()
	c.say(intents.IntentResume)
	c.say(intents.IntentNext)
	request := func(i int) []byte {
		return c.request(alexa.RequestIntent, map[string]any{"intent": map[string]any{"name": seq[i%len(seq)]}})
	}
	// One turn of each distinct request first, untimed, its response
	// checked in full, so that the loop measures turns known to answer
	// correctly; and the turns of the loop stay on the path measured.
	for i := range seq {
		c.send(seq[i], alexa.RequestIntent, map[string]any{"intent": map[string]any{"name": seq[i]}})
		c.expectOpen()
		if seq[i] != intents.IntentWhereAmI && c.last.Response.Card == nil {
			b.Fatalf("%s: no step card: %s", seq[i], c.lastRaw)
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		req := request(i)
		b.StartTimer()
		out, err := h.Invoke(ctx, req)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		env := checkResponse(b, out)
		c.s.ReceiveEnvelope(env)
		b.StartTimer()
	}
}
