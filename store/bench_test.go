package store_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"spasmcoach/store/dynalitetest"
	"spasmcoach/store/storetest"
)

// benchState is about the size of an encoded coaching state.
var benchState = bytes.Repeat([]byte(`{"step":"breathing","n":3}`), 12)

// benchBackends opens each backend for a benchmark.
func benchBackends(b *testing.B) []struct {
	name string
	open func(b *testing.B) storetest.Store
} {
	return []struct {
		name string
		open func(b *testing.B) storetest.Store
	}{
		{"embedded", func(b *testing.B) storetest.Store { return MustOpenEmbedded(b) }},
		{"dynalite", func(b *testing.B) storetest.Store {
			client, table := dynalitetest.Open(b)
			return MustNewDynamoDB(b, client, table)
		}},
	}
}

func BenchmarkGet(b *testing.B) {
	for _, be := range benchBackends(b) {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			storetest.MustPut(b, s, "user", benchState, 0)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Get(ctx, "user"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPut(b *testing.B) {
	for _, be := range benchBackends(b) {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			ctx := context.Background()
			var v int64
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if v, err = s.Put(ctx, "user", benchState, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEmbeddedDelete measures "forget me" in the embedded store, which
// rewrites the file (here 1,000 other users) so that no copy remains.
func BenchmarkEmbeddedDelete(b *testing.B) {
	s := MustOpenEmbedded(b)
	ctx := context.Background()
	for i := range 1000 {
		storetest.MustPut(b, s, fmt.Sprintf("other-%04d", i), benchState, 0)
	}
	b.ReportAllocs()
	for b.Loop() {
		storetest.MustPut(b, s, "user", benchState, 0)
		if err := s.Delete(ctx, "user"); err != nil {
			b.Fatal(err)
		}
	}
}
