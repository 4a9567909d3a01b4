package store_test

import (
	"context"
	"errors"
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
	defer s.Close()
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
				s.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "store: open") {
				t.Errorf("error %q does not start with \"store: open\"", err)
			}
		})
	}
}

func TestEmbeddedCorruptRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("items"))
		if err != nil {
			return err
		}
		return b.Put([]byte("user"), []byte("not a record"))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := store.OpenEmbedded(path)
	if err != nil {
		t.Fatalf("OpenEmbedded: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	_, err = s.Get(ctx, "user")
	if err == nil || errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("Get of a corrupt record: %v, want a corrupt-record error", err)
	}
	_, err = s.Put(ctx, "user", []byte("x"), 0)
	if err == nil || errors.Is(err, store.ErrConflict) {
		t.Errorf("Put over a corrupt record: %v, want an error that is not a conflict", err)
	}
	if err := s.Delete(ctx, "user"); err != nil {
		t.Errorf("Delete of a corrupt record: %v", err)
	}
	storetest.MustPut(t, s, "user", []byte("x"), 0)
}
