package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"spasmcoach/store"
	"spasmcoach/store/storetest"
)

var _ storetest.Store = (*store.Embedded)(nil)

// MustOpenEmbedded opens an embedded store in a new file under t's
// temporary directory and closes it at cleanup.
func MustOpenEmbedded(tb testing.TB, opts ...store.Option) *store.Embedded {
	tb.Helper()
	s, err := store.OpenEmbedded(filepath.Join(tb.TempDir(), "state", "spasmcoach.db"), opts...)
	if err != nil {
		tb.Fatalf("OpenEmbedded: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestEmbeddedContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, opts ...store.Option) storetest.Store {
		return MustOpenEmbedded(t, opts...)
	})
}

func TestEmbeddedPersistsAcrossOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "state.db")
	s, err := store.OpenEmbedded(path)
	if err != nil {
		t.Fatalf("OpenEmbedded: %v", err)
	}
	storetest.MustPut(t, s, "user", []byte("step 3"), 0)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file: %v, mode %v; want mode 0600", err, fi.Mode().Perm())
	}

	s, err = store.OpenEmbedded(path)
	if err != nil {
		t.Fatalf("OpenEmbedded again: %v", err)
	}
	defer func() { _ = s.Close() }()
	storetest.MustHave(t, s, "user", []byte("step 3"), 1)
}

func TestOpenEmbeddedErrors(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		opts []store.Option
	}{
		{"empty path", "", nil},
		{"parent is a file", filepath.Join(notADir, "state.db"), nil},
		{"not a bbolt file", notADir, nil},
		{"TTL too short", filepath.Join(dir, "ttl.db"), []store.Option{store.WithTTL(0)}},
		{"nil clock", filepath.Join(dir, "clock.db"), []store.Option{store.WithClock(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := store.OpenEmbedded(tt.path, tt.opts...)
			if err == nil {
				_ = s.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "store: open") {
				t.Errorf("error %q does not start with \"store: open\"", err)
			}
		})
	}
}

// TestEmbeddedCorruptRecord checks the contract for a record whose header
// cannot be decoded: it counts as nothing stored, so its user is not locked
// out: Get reports nothing stored, a first Put replaces it,
// and Delete ("forget me") removes it.
func TestEmbeddedCorruptRecord(t *testing.T) {
	for _, op := range []string{"put", "delete"} {
		t.Run(op, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			writeRaw(t, path, map[string][]byte{"user": []byte("not a record"), "other": nil})
			s, err := store.OpenEmbedded(path)
			if err != nil {
				t.Fatalf("OpenEmbedded: %v", err)
			}
			defer func() { _ = s.Close() }()
			ctx := context.Background()
			storetest.MustBeAbsent(t, s, "user", 0)
			switch op {
			case "put":
				storetest.MustPut(t, s, "user", []byte("x"), 0)
				storetest.MustHave(t, s, "user", []byte("x"), 1)
			case "delete":
				if err := s.Delete(ctx, "user"); err != nil {
					t.Fatalf("Delete of a corrupt record: %v", err)
				}
				storetest.MustBeAbsent(t, s, "user", 0)
			}
		})
	}
}

// writeRaw writes a bbolt file at path whose items bucket holds the raw
// values given (a nil value: a valid record of "state").
func writeRaw(tb testing.TB, path string, raw map[string][]byte) {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("items"))
		if err != nil {
			return err
		}
		for k, v := range raw {
			if v == nil {
				v = append([]byte{1, 0, 0, 0, 0, 0, 0, 0, 1}, make([]byte, 16)...)
				v = append(v, "state"...)
			}
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
}
