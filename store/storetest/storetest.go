package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"spasmcoach/internal/testutil/clock"
	"spasmcoach/store"
)

// Store is the contract under test: the methods every backend has.
type Store interface {
	Get(ctx context.Context, key string) (store.Item, error)
	Put(ctx context.Context, key string, data []byte, expected int64) (int64, error)
	Delete(ctx context.Context, key string) error
}

// Opener opens a new, empty store for one subtest, applying opts (the
// suite passes a fake clock and TTLs through them), and registers its
// clean-up with t.Cleanup. It fails t if it cannot.
type Opener func(t *testing.T, opts ...store.Option) Store

// Writers and writes per writer of the concurrency test.
const (
	concurrentWriters   = 8
	writesPerWriter     = 6
	maxAttemptsPerWrite = 1000
)

// Run runs the whole contract suite against the stores open returns, one
// subtest per rule.
func Run(t *testing.T, open Opener) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, open Opener)
	}{
		{"GetAbsent", testGetAbsent},
		{"PutGetRoundTrip", testPutGetRoundTrip},
		{"EmptyData", testEmptyData},
		{"VersionIncrements", testVersionIncrements},
		{"ConflictOnStaleVersion", testConflictOnStaleVersion},
		{"ConflictOnCreateWhenExists", testConflictOnCreateWhenExists},
		{"ConflictOnUpdateWhenAbsent", testConflictOnUpdateWhenAbsent},
		{"ConflictAfterDelete", testConflictAfterDelete},
		{"Expiry", testExpiry},
		{"ExpiryWithTTL", testExpiryWithTTL},
		{"PutRefreshesExpiry", testPutRefreshesExpiry},
		{"Delete", testDelete},
		{"DeleteAbsent", testDeleteAbsent},
		{"DeleteExpired", testDeleteExpired},
		{"KeysIsolated", testKeysIsolated},
		{"InvalidArguments", testInvalidArguments},
		{"ContextCanceled", testContextCanceled},
		{"ContextDeadlineExceeded", testContextDeadlineExceeded},
		{"ConcurrentWriters", testConcurrentWriters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open) })
	}
}

// start is the fake clock's first reading: any fixed time will do.
var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// MustPut puts data under key expecting version expected, fails the test
// on error, and checks the new version is expected+1.
func MustPut(tb testing.TB, s Store, key string, data []byte, expected int64) int64 {
	tb.Helper()
	v, err := s.Put(context.Background(), key, data, expected)
	if err != nil {
		tb.Fatalf("Put(%q, expected %d): %v", key, expected, err)
	}
	if v != expected+1 {
		tb.Fatalf("Put(%q, expected %d) = version %d, want %d", key, expected, v, expected+1)
	}
	return v
}

// MustGet gets the live item under key and fails the test on error or
// when nothing live is stored.
func MustGet(tb testing.TB, s Store, key string) store.Item {
	tb.Helper()
	item, err := s.Get(context.Background(), key)
	if err != nil {
		tb.Fatalf("Get(%q): %v", key, err)
	}
	if item.Data == nil {
		tb.Fatalf("Get(%q) = nil data at version %d, want a live item", key, item.Version)
	}
	return item
}

// MustHave checks that key holds data at version.
func MustHave(tb testing.TB, s Store, key string, data []byte, version int64) {
	tb.Helper()
	item := MustGet(tb, s, key)
	if !bytes.Equal(item.Data, data) || item.Version != version {
		tb.Fatalf("Get(%q) = {%q, version %d}, want {%q, version %d}", key, item.Data, item.Version, data, version)
	}
}

// MustBeAbsent checks that Get(key) reports no live item: nil data, with
// version (the stored version of an expired item, else 0), and no error.
func MustBeAbsent(tb testing.TB, s Store, key string, version int64) {
	tb.Helper()
	item, err := s.Get(context.Background(), key)
	if err != nil {
		tb.Fatalf("Get(%q): %v", key, err)
	}
	if item.Data != nil || item.Version != version {
		tb.Fatalf("Get(%q) = {%q, version %d}, want {nil, version %d}", key, item.Data, item.Version, version)
	}
}

// mustConflict checks that err is a conflict for the expected version.
func mustConflict(tb testing.TB, err error, expected int64) {
	tb.Helper()
	if !errors.Is(err, store.ErrConflict) {
		tb.Fatalf("Put(expected %d) error = %v, want ErrConflict", expected, err)
	}
	var ce *store.ConflictError
	if !errors.As(err, &ce) {
		tb.Fatalf("Put(expected %d) error %T is not a *store.ConflictError", expected, err)
	}
	if ce.Expected != expected {
		tb.Errorf("ConflictError.Expected = %d, want %d", ce.Expected, expected)
	}
}

func testGetAbsent(t *testing.T, open Opener) {
	s := open(t)
	MustBeAbsent(t, s, "absent", 0)
}

func testPutGetRoundTrip(t *testing.T, open Opener) {
	s := open(t)
	tests := []struct {
		name string
		data []byte
	}{
		{"json", []byte(`{"schema":1,"step":"breathing","heard":["intro"]}`)},
		{"binary", []byte{0, 1, 2, 0xff, 0xfe, 0, '\n', 0x80}},
		{"large", bytes.Repeat([]byte("0123456789abcdef"), 4096)}, // 64 KiB
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "user-" + tt.name
			in := append([]byte{}, tt.data...)
			MustPut(t, s, key, in, 0)
			// The store must not keep the caller's slice.
			for i := range in {
				in[i] ^= 0xff
			}
			MustHave(t, s, key, tt.data, 1)
			// Nor hand out its own.
			got := MustGet(t, s, key)
			for i := range got.Data {
				got.Data[i] ^= 0xff
			}
			MustHave(t, s, key, tt.data, 1)
		})
	}
}

func testEmptyData(t *testing.T, open Opener) {
	s := open(t)
	for _, data := range [][]byte{nil, {}} {
		key := fmt.Sprintf("empty-%v", data == nil)
		MustPut(t, s, key, data, 0)
		item := MustGet(t, s, key)
		if item.Data == nil || len(item.Data) != 0 || item.Version != 1 {
			t.Errorf("Get(%q) after Put(%#v) = {%#v, version %d}, want non-nil empty data, version 1", key, data, item.Data, item.Version)
		}
	}
}

func testVersionIncrements(t *testing.T, open Opener) {
	s := open(t)
	var v int64
	for i := range 5 {
		data := []byte("state " + strconv.Itoa(i))
		v = MustPut(t, s, "user", data, v)
		MustHave(t, s, "user", data, int64(i+1))
	}
}

func testConflictOnStaleVersion(t *testing.T, open Opener) {
	s := open(t)
	MustPut(t, s, "user", []byte("one"), 0)
	MustPut(t, s, "user", []byte("two"), 1)
	for _, stale := range []int64{1, 3, 100} {
		v, err := s.Put(context.Background(), "user", []byte("stale"), stale)
		mustConflict(t, err, stale)
		if v != 0 {
			t.Errorf("Put(expected %d) = version %d with conflict, want 0", stale, v)
		}
		MustHave(t, s, "user", []byte("two"), 2)
	}
}

func testConflictOnCreateWhenExists(t *testing.T, open Opener) {
	s := open(t)
	MustPut(t, s, "user", []byte("first"), 0)
	_, err := s.Put(context.Background(), "user", []byte("second"), 0)
	mustConflict(t, err, 0)
	MustHave(t, s, "user", []byte("first"), 1)
}

func testConflictOnUpdateWhenAbsent(t *testing.T, open Opener) {
	s := open(t)
	_, err := s.Put(context.Background(), "user", []byte("data"), 3)
	mustConflict(t, err, 3)
	MustBeAbsent(t, s, "user", 0)
}

// A writer holding the version from before a delete ("forget me" on
// another device) must not bring the item back.
func testConflictAfterDelete(t *testing.T, open Opener) {
	s := open(t)
	ctx := context.Background()
	MustPut(t, s, "user", []byte("kept"), 0)
	if err := s.Delete(ctx, "user"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := s.Put(ctx, "user", []byte("stale writer"), 1)
	mustConflict(t, err, 1)
	MustBeAbsent(t, s, "user", 0)
	MustPut(t, s, "user", []byte("fresh"), 0)
	MustHave(t, s, "user", []byte("fresh"), 1)
}

func testExpiry(t *testing.T, open Opener) {
	clk := clock.New(start)
	s := open(t, store.WithClock(clk.Now))
	ctx := context.Background()
	MustPut(t, s, "user", []byte("day one"), 0)

	clk.Advance(store.DefaultTTL - time.Second)
	MustHave(t, s, "user", []byte("day one"), 1)

	clk.Advance(time.Second)
	MustBeAbsent(t, s, "user", 1)

	// Only a Put that expects the stored version may replace it.
	_, err := s.Put(ctx, "user", []byte("fresh start"), 0)
	mustConflict(t, err, 0)
	MustPut(t, s, "user", []byte("fresh start"), 1)
	MustHave(t, s, "user", []byte("fresh start"), 2)

	clk.Advance(store.DefaultTTL - time.Second)
	MustHave(t, s, "user", []byte("fresh start"), 2)
}

func testExpiryWithTTL(t *testing.T, open Opener) {
	clk := clock.New(start)
	s := open(t, store.WithClock(clk.Now), store.WithTTL(time.Hour))
	MustPut(t, s, "user", []byte("brief"), 0)
	clk.Advance(time.Hour - time.Second)
	MustHave(t, s, "user", []byte("brief"), 1)
	clk.Advance(time.Second)
	MustBeAbsent(t, s, "user", 1)
}

func testPutRefreshesExpiry(t *testing.T, open Opener) {
	clk := clock.New(start)
	s := open(t, store.WithClock(clk.Now))
	MustPut(t, s, "user", []byte("day one"), 0)
	clk.Advance(20 * 24 * time.Hour)
	MustPut(t, s, "user", []byte("day twenty"), 1)
	clk.Advance(20 * 24 * time.Hour)
	MustHave(t, s, "user", []byte("day twenty"), 2)
}

func testDelete(t *testing.T, open Opener) {
	s := open(t)
	MustPut(t, s, "user", []byte("data"), 0)
	MustPut(t, s, "user", []byte("more"), 1)
	if err := s.Delete(context.Background(), "user"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	MustBeAbsent(t, s, "user", 0)
}

func testDeleteAbsent(t *testing.T, open Opener) {
	s := open(t)
	for range 2 {
		if err := s.Delete(context.Background(), "never-stored"); err != nil {
			t.Fatalf("Delete of an absent key: %v", err)
		}
	}
}

func testDeleteExpired(t *testing.T, open Opener) {
	clk := clock.New(start)
	s := open(t, store.WithClock(clk.Now))
	MustPut(t, s, "user", []byte("old"), 0)
	clk.Advance(store.DefaultTTL)
	if err := s.Delete(context.Background(), "user"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	MustBeAbsent(t, s, "user", 0)
	MustPut(t, s, "user", []byte("new"), 0)
}

func testKeysIsolated(t *testing.T, open Opener) {
	s := open(t)
	// Keys as the caller makes them (SHA-256 hex), and keys that share a
	// prefix.
	a := strings.Repeat("ab", 32)
	b := strings.Repeat("ab", 31) + "ac"
	c := a + "0"
	MustPut(t, s, a, []byte("a1"), 0)
	MustPut(t, s, a, []byte("a2"), 1)
	MustPut(t, s, b, []byte("b1"), 0)
	MustBeAbsent(t, s, c, 0)
	MustHave(t, s, a, []byte("a2"), 2)
	MustHave(t, s, b, []byte("b1"), 1)

	_, err := s.Put(context.Background(), b, []byte("b?"), 2)
	mustConflict(t, err, 2)

	if err := s.Delete(context.Background(), a); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	MustBeAbsent(t, s, a, 0)
	MustHave(t, s, b, []byte("b1"), 1)
}

func testInvalidArguments(t *testing.T, open Opener) {
	s := open(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"Get empty key", func() error { _, err := s.Get(ctx, ""); return err }},
		{"Put empty key", func() error { _, err := s.Put(ctx, "", []byte("x"), 0); return err }},
		{"Put negative version", func() error { _, err := s.Put(ctx, "user", []byte("x"), -1); return err }},
		{"Delete empty key", func() error { return s.Delete(ctx, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, store.ErrConflict) {
				t.Errorf("error %v is ErrConflict", err)
			}
			if !strings.HasPrefix(err.Error(), "store: ") {
				t.Errorf("error %q does not start with \"store: \"", err)
			}
		})
	}
	MustBeAbsent(t, s, "user", 0)
}

func testContextCanceled(t *testing.T, open Opener) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	testContextDone(t, open, ctx, context.Canceled)
}

func testContextDeadlineExceeded(t *testing.T, open Opener) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	testContextDone(t, open, ctx, context.DeadlineExceeded)
}

// testContextDone checks that every method fails with ctx's error when ctx
// is already done, and changes nothing.
func testContextDone(t *testing.T, open Opener, ctx context.Context, want error) {
	s := open(t)
	MustPut(t, s, "user", []byte("before"), 0)
	tests := []struct {
		name, op string
		call     func() error
	}{
		{"Get", "get item", func() error { _, err := s.Get(ctx, "user"); return err }},
		{"Put", "put item", func() error { _, err := s.Put(ctx, "user", []byte("after"), 1); return err }},
		{"Create", "put item", func() error { _, err := s.Put(ctx, "other", []byte("after"), 0); return err }},
		{"Delete", "delete item", func() error { return s.Delete(ctx, "user") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, want) {
				t.Fatalf("error = %v, want %v", err, want)
			}
			if errors.Is(err, store.ErrConflict) {
				t.Errorf("error %v is ErrConflict", err)
			}
			if prefix := "store: " + tt.op + ": "; !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
		})
	}
	MustHave(t, s, "user", []byte("before"), 1)
	MustBeAbsent(t, s, "other", 0)
}

// testConcurrentWriters has goroutines increment one counter by
// read-modify-write, retrying on conflict: no increment may be lost or
// doubled.
func testConcurrentWriters(t *testing.T, open Opener) {
	s := open(t)
	const key = "household"
	ctx := context.Background()
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		applied   int64
		conflicts int64
		failures  []error
	)
	for w := range concurrentWriters {
		wg.Go(func() {
			for range writesPerWriter {
				if err := increment(ctx, s, key, &conflicts, &mu); err != nil {
					mu.Lock()
					failures = append(failures, fmt.Errorf("writer %d: %w", w, err))
					mu.Unlock()
					return
				}
				mu.Lock()
				applied++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, err := range failures {
		t.Error(err)
	}
	want := int64(concurrentWriters * writesPerWriter)
	if applied != want {
		t.Fatalf("%d increments applied, want %d", applied, want)
	}
	item := MustGet(t, s, key)
	if item.Version != applied {
		t.Errorf("final version %d, want %d (one per applied write)", item.Version, applied)
	}
	if got := string(item.Data); got != strconv.FormatInt(applied, 10) {
		t.Errorf("final counter %s, want %d: an update was lost", got, applied)
	}
	t.Logf("%d writes applied, %d conflicts retried", applied, conflicts)
}

// increment adds one to the decimal counter under key, retrying on
// conflict.
func increment(ctx context.Context, s Store, key string, conflicts *int64, mu *sync.Mutex) error {
	for range maxAttemptsPerWrite {
		item, err := s.Get(ctx, key)
		if err != nil {
			return err
		}
		var n int64
		if item.Data != nil {
			if n, err = strconv.ParseInt(string(item.Data), 10, 64); err != nil {
				return fmt.Errorf("stored counter %q: %w", item.Data, err)
			}
		}
		_, err = s.Put(ctx, key, []byte(strconv.FormatInt(n+1, 10)), item.Version)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
		mu.Lock()
		*conflicts++
		mu.Unlock()
	}
	return fmt.Errorf("no write after %d conflicts", maxAttemptsPerWrite)
}
