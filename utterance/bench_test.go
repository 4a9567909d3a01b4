package utterance_test

import (
	"testing"
	"time"

	"spasmcoach/infra"
	"spasmcoach/utterance"
)

func BenchmarkResolve(b *testing.B) {
	m, err := infra.Model("en-US")
	if err != nil {
		b.Fatal(err)
	}
	today := time.Date(2026, time.December, 5, 10, 0, 0, 0, time.UTC)
	r, err := utterance.NewResolver(m, utterance.WithClock(func() time.Time { return today }))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, text string }{
		{"sample", "start breathing"},
		{"builtin", "yeah"},
		{"slots", "set an ice pack timer for fifteen minutes"},
		{"loose", "set timer for my ice pack"},
		{"fallback", "what is the weather like in paris today"},
		{"date", "it started last thursday"},
		{"speech", "oh god I think I fell down the stairs and I can't get up"},
		{"speech fallback", "well I think the weather in paris is lovely at this time of year"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.Resolve(bc.text)
			}
		})
	}
}

func BenchmarkNewResolver(b *testing.B) {
	m, err := infra.Model("en-US")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := utterance.NewResolver(m); err != nil {
			b.Fatal(err)
		}
	}
}
