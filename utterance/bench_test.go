package utterance_test

import (
	"testing"

	"spasmcoach/infra"
	"spasmcoach/utterance"
)

func BenchmarkResolve(b *testing.B) {
	r := mustResolver(b, "en-US")
	for _, bc := range []struct{ name, text string }{
		{"sample", "start breathing"},
		{"builtin", "yeah"},
		{"slots", "set an ice pack timer for fifteen minutes"},
		{"loose", "set timer for my ice pack"},
		{"fallback", "what is the weather like in paris today"},
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
