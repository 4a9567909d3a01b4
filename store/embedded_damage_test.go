package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"spasmcoach/store"
	"spasmcoach/store/storetest"
)

// damageUsers is how many users the damaged files hold: enough for a
// branch page above several leaves.
const damageUsers = 120

// mustStateFile writes a state file of damageUsers users, each with 300
// bytes of state, and returns its path and bbolt's page size.
func mustStateFile(tb testing.TB) (path string, pageSize int) {
	tb.Helper()
	path = filepath.Join(tb.TempDir(), "state.db")
	s, err := store.OpenEmbedded(path)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range damageUsers {
		storetest.MustPut(tb, s, fmt.Sprintf("user-%03d", i), bytes.Repeat([]byte{byte('a' + i%26)}, 300), 0)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
	return path, os.Getpagesize()
}

// pageOfType returns the ID of the first page of bbolt's type typ
// ("branch", "leaf", "freelist") in the file at path.
func pageOfType(tb testing.TB, path, typ string) int {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	id := -1
	_ = db.View(func(tx *bolt.Tx) error {
		for i := 2; id < 0; i++ {
			p, err := tx.Page(i)
			if err != nil || p == nil {
				break
			}
			if p.Type == typ {
				id = i
			}
		}
		return nil
	})
	if id < 0 {
		tb.Fatalf("no %s page in %s", typ, path)
	}
	return id
}

// overwrite replaces page id (of size pageSize) of the file with fill's
// bytes.
func overwrite(tb testing.TB, path string, pageSize, id int, fill func([]byte)) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	fill(data[id*pageSize : (id+1)*pageSize])
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
}

func zeros(b []byte) { clear(b) }

func random(seed uint64) func([]byte) {
	return func(b []byte) {
		rng := rand.New(rand.NewPCG(seed, seed))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
	}
}

// Outcomes of opening a damaged file.
const (
	opens     = "opens"     // the data is intact
	recovers  = "recovers"  // moved aside, fresh file, Recovery set
	refuses   = "refuses"   // an error naming the cause; the file untouched
	badRecord = "badRecord" // opens; one user counts as absent
)

// TestEmbeddedDamagedFiles opens damaged state files: none may crash the
// process (a truncated file used to SIGBUS, damaged pages to panic). A
// damaged file is moved aside unchanged and a fresh one started; a file
// that is not a state file, or a directory, is an error that names it and
// touches nothing.
func TestEmbeddedDamagedFiles(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(t *testing.T, path string, pageSize int)
		outcome string
		wantErr error // for refuses
	}{
		{name: "intact", damage: func(*testing.T, string, int) {}, outcome: opens},
		{name: "truncated to 8 KiB", damage: truncateTo(8 << 10), outcome: recovers},
		{name: "truncated to 16 KiB", damage: truncateTo(16 << 10), outcome: recovers},
		{name: "last page in use cut off", damage: func(t *testing.T, path string, ps int) {
			truncateTo(sizeInUse(t, path)-int64(ps))(t, path, ps)
		}, outcome: recovers},
		{name: "0 bytes", damage: truncateTo(0), outcome: recovers},
		{name: "all zeros", damage: func(t *testing.T, path string, _ int) {
			fi, _ := os.Stat(path)
			writeFile(t, path, make([]byte, fi.Size()))
		}, outcome: recovers},
		{name: "zeroed meta page 0", damage: pageDamage(0, zeros), outcome: recovers}, // bbolt's check refuses it
		{name: "zeroed freelist page", damage: typedPageDamage("freelist", zeros), outcome: recovers},
		{name: "zeroed root branch page", damage: typedPageDamage("branch", zeros), outcome: recovers},
		{name: "zeroed leaf page", damage: typedPageDamage("leaf", zeros), outcome: recovers},
		{name: "random freelist page", damage: typedPageDamage("freelist", random(1)), outcome: recovers},
		{name: "random root branch page", damage: typedPageDamage("branch", random(2)), outcome: recovers},
		{name: "random leaf page", damage: typedPageDamage("leaf", random(3)), outcome: recovers},
		{name: "random bytes in every page after the metas", damage: func(t *testing.T, path string, ps int) {
			fi, _ := os.Stat(path)
			for id := 2; id < int(fi.Size())/ps; id++ {
				overwrite(t, path, ps, id, random(uint64(id)))
			}
		}, outcome: recovers},
		{name: "both meta checksums broken", damage: func(t *testing.T, path string, ps int) {
			overwrite(t, path, ps, 0, func(b []byte) { b[60] ^= 0xff })
			overwrite(t, path, ps, 1, func(b []byte) { b[60] ^= 0xff })
		}, outcome: recovers},
		{name: "bad record header", damage: func(t *testing.T, path string, _ int) {
			writeRaw(t, path, map[string][]byte{"user-007": []byte("\x09garbage")})
		}, outcome: badRecord},
		{name: "not a state file", damage: func(t *testing.T, path string, _ int) {
			writeFile(t, path, []byte("my notes, not a database\n"))
		}, outcome: refuses, wantErr: store.ErrNotStateFile},
		{name: "a directory", damage: func(t *testing.T, path string, _ int) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, outcome: refuses, wantErr: store.ErrNotStateFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, pageSize := mustStateFile(t)
			tt.damage(t, path, pageSize)
			before := snapshot(t, path)
			s, err := store.OpenEmbedded(path)
			if tt.outcome == refuses {
				checkRefused(t, path, before, s, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatalf("OpenEmbedded: %v", err)
			}
			defer func() { _ = s.Close() }()
			switch tt.outcome {
			case opens:
				checkIntact(t, s, "")
			case badRecord:
				checkIntact(t, s, "user-007")
			case recovers:
				checkRecovered(t, s, path, before)
			}
		})
	}
}

// sizeInUse is the size of the pages in use of the file at path.
func sizeInUse(tb testing.TB, path string) int64 {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var n int64
	_ = db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

func truncateTo(n int64) func(*testing.T, string, int) {
	return func(t *testing.T, path string, _ int) {
		if err := os.Truncate(path, n); err != nil {
			t.Fatal(err)
		}
	}
}

func pageDamage(id int, fill func([]byte)) func(*testing.T, string, int) {
	return func(t *testing.T, path string, ps int) { overwrite(t, path, ps, id, fill) }
}

func typedPageDamage(typ string, fill func([]byte)) func(*testing.T, string, int) {
	return func(t *testing.T, path string, ps int) { overwrite(t, path, ps, pageOfType(t, path, typ), fill) }
}

func writeFile(tb testing.TB, path string, data []byte) {
	tb.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// snapshot returns the file's bytes ("<dir>" for a directory).
func snapshot(tb testing.TB, path string) string {
	tb.Helper()
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return "<dir>"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// checkIntact checks every user but absent.
func checkIntact(t *testing.T, s *store.Embedded, absent string) {
	t.Helper()
	if r := s.Recovery(); r != nil {
		t.Errorf("Recovery = %+v for a usable file", r)
	}
	for i := range damageUsers {
		key := fmt.Sprintf("user-%03d", i)
		if key == absent {
			storetest.MustBeAbsent(t, s, key, 0)
			storetest.MustPut(t, s, key, []byte("afresh"), 0)
			continue
		}
		storetest.MustHave(t, s, key, bytes.Repeat([]byte{byte('a' + i%26)}, 300), 1)
	}
}

// checkRecovered checks that the damaged file was moved aside unchanged,
// that the store is fresh and works, and that Recovery says why.
func checkRecovered(t *testing.T, s *store.Embedded, path, before string) {
	t.Helper()
	r := s.Recovery()
	if r == nil {
		t.Fatal("no Recovery for a damaged file")
	}
	if !errors.Is(r.Cause, store.ErrDamaged) {
		t.Errorf("Recovery.Cause = %v, want ErrDamaged", r.Cause)
	}
	if !strings.HasPrefix(r.MovedTo, path+".damaged-") {
		t.Errorf("moved to %s, want %s.damaged-<time>", r.MovedTo, path)
	}
	if got := snapshot(t, r.MovedTo); got != before {
		t.Errorf("the moved file differs from the damaged one (%d bytes, want %d)", len(got), len(before))
	}
	storetest.MustBeAbsent(t, s, "user-001", 0)
	storetest.MustPut(t, s, "user-001", []byte("afresh"), 0)
	storetest.MustHave(t, s, "user-001", []byte("afresh"), 1)
	t.Logf("cause: %v", r.Cause)
}

// checkRefused checks the error and that nothing was touched.
func checkRefused(t *testing.T, path, before string, s *store.Embedded, err error, want error) {
	t.Helper()
	if err == nil {
		_ = s.Close()
		t.Fatal("OpenEmbedded: no error")
	}
	if !errors.Is(err, want) || !strings.HasPrefix(err.Error(), "store: open ") {
		t.Errorf("error %q, want %v under \"store: open\"", err, want)
	}
	if strings.Contains(err.Error(), "another spasmcoach") {
		t.Errorf("error %q blames another spasmcoach", err)
	}
	if got := snapshot(t, path); got != before {
		t.Error("the file was changed")
	}
	if m, _ := filepath.Glob(path + ".damaged-*"); len(m) != 0 {
		t.Errorf("moved aside: %v", m)
	}
	t.Logf("error: %v", err)
}

// TestEmbeddedLocked checks that a file held by another open store is an
// ErrLocked error that says so, and is left alone.
func TestEmbeddedLocked(t *testing.T) {
	path, _ := mustStateFile(t)
	held, err := store.OpenEmbedded(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = held.Close() }()
	before := snapshot(t, path)
	s, err := store.OpenEmbedded(path)
	if err == nil {
		_ = s.Close()
		t.Fatal("second OpenEmbedded: no error")
	}
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "another spasmcoach") {
		t.Errorf("error %q, want ErrLocked asking about another spasmcoach", err)
	}
	if snapshot(t, path) != before {
		t.Error("the file was changed")
	}
}

// TestEmbeddedDeleteLeavesNoCopy checks that after Delete ("forget me") the
// file's bytes hold neither the user's key nor any of its states, while the
// other users' data is still there.
func TestEmbeddedDeleteLeavesNoCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := store.OpenEmbedded(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	const key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" // a user key hash
	var states [][]byte
	version := int64(0)
	for i := range 5 {
		state := fmt.Appendf(nil, `{"v":1,"step":%d,"note":"FORGET-ME-STATE-%d"}`, i, i)
		states = append(states, state)
		version = storetest.MustPut(t, s, key, state, version)
		storetest.MustPut(t, s, fmt.Sprintf("other-%d", i), []byte("KEEP-OTHER-STATE"), 0)
	}
	before, _ := os.ReadFile(path)
	if !bytes.Contains(before, []byte(key)) || !bytes.Contains(before, states[len(states)-1]) {
		t.Fatal("the file does not hold the user's data before Delete: the test proves nothing")
	}
	if err := s.Delete(context.Background(), key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(after, []byte(key)) {
		t.Error("the file still holds the deleted user's key")
	}
	for i, st := range states {
		if bytes.Contains(after, st) || bytes.Contains(after, fmt.Appendf(nil, "FORGET-ME-STATE-%d", i)) {
			t.Errorf("the file still holds state %d of the deleted user", i)
		}
	}
	if !bytes.Contains(after, []byte("KEEP-OTHER-STATE")) {
		t.Error("the other users' data is gone")
	}
	storetest.MustBeAbsent(t, s, key, 0)
	for i := range 5 {
		storetest.MustHave(t, s, fmt.Sprintf("other-%d", i), []byte("KEEP-OTHER-STATE"), 1)
	}
	if m, _ := filepath.Glob(path + ".*"); len(m) != 0 {
		t.Errorf("files left next to the state file: %v", m)
	}
}
