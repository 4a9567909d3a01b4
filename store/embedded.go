package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Embedded is the local backend: every user's item in one bbolt file. It is
// safe for concurrent use by many goroutines (bbolt serialises writers and
// lets readers run alongside); one process at a time holds the file.
//
// Expired items are not deleted by the store: Get reports them as nil Data
// with their version, and the next Put or Delete replaces or
// removes them, like DynamoDB before its lazy TTL deletion.
//
// A record whose header cannot be decoded (damaged on disk) counts as
// nothing stored: Get reports nil Data with Version 0, Put expecting 0 replaces it and Delete removes
// it, so that a damaged record never locks its user out; the state it held
// was unreadable anyway.
//
// Delete leaves no copy of the item in the file: bbolt writes copy-on-write
// and keeps old pages, so after each deletion the store copies the live
// items into a new file and puts it in place of the old one.
type Embedded struct {
	path     string
	opts     options
	recovery *Recovery

	mu sync.RWMutex // held for writing while the file is replaced
	db *bolt.DB
}

var _ backend = (*Embedded)(nil)

// embeddedBucket holds one record per key.
var embeddedBucket = []byte("items")

// embeddedLockTimeout is how long OpenEmbedded waits for another process to
// release the file before giving up.
const embeddedLockTimeout = 2 * time.Second

// OpenEmbedded opens (creating it and its parent directories when needed)
// the bbolt file at path. Close it when done. It fails, rather than waits,
// with an error wrapping [ErrLocked] when another process holds the file
// for more than two seconds.
//
// It checks an existing file before using it (see embeddedcheck.go): a
// damaged one is moved aside, never deleted, and a fresh file started in
// its place, which [Embedded.Recovery] reports; a file that is not a bbolt
// file, a directory, or one that cannot be read is an error naming the
// cause, and is left alone.
func OpenEmbedded(path string, opts ...Option) (*Embedded, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if path == "" {
		return nil, errors.New("store: open: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	e := &Embedded{path: path, opts: o}
	db, err := openChecked(path)
	if errors.Is(err, ErrDamaged) {
		moved, merr := moveAside(path, time.Now())
		if merr != nil {
			return nil, fmt.Errorf("store: open %s: %w; %w", path, err, merr)
		}
		e.recovery = &Recovery{MovedTo: moved, Cause: err}
		db, err = openChecked(path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	e.db = db
	return e, nil
}

// openChecked checks the file at path if there is one, opens it and makes
// sure the bucket exists. Damage gives an error wrapping ErrDamaged.
func openChecked(path string) (*bolt.DB, error) {
	if _, err := os.Lstat(path); err == nil {
		if err := checkFile(path); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var db *bolt.DB
	err := guard(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: embeddedLockTimeout})
		return err
	})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%w (is another spasmcoach using it?): %w", ErrLocked, err)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
	case err != nil:
		return nil, err
	}
	if err := checkDB(db); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(embeddedBucket)
		return err
	}); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// Recovery reports whether OpenEmbedded found the file damaged and started
// afresh, and if so where the damaged file went. It is nil otherwise.
func (e *Embedded) Recovery() *Recovery { return e.recovery }

// Close releases the file. The store must not be used afterwards.
func (e *Embedded) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.db == nil {
		return nil
	}
	err := e.db.Close()
	e.db = nil
	if err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// view and update run fn in a read or write transaction of the current
// file, with faults and panics from damaged pages turned into errors.
func (e *Embedded) view(fn func(*bolt.Tx) error) error { return e.tx((*bolt.DB).View, fn) }

func (e *Embedded) update(fn func(*bolt.Tx) error) error { return e.tx((*bolt.DB).Update, fn) }

// tx runs fn in a transaction that run (bolt's View or Update) opens.
func (e *Embedded) tx(run func(*bolt.DB, func(*bolt.Tx) error) error, fn func(*bolt.Tx) error) error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.db == nil {
		return errors.New("store is closed")
	}
	return guard(func() error { return run(e.db, fn) })
}

// Get returns the live item stored under key; nil Data when there is none
// (with the stored Version when the item has expired).
func (e *Embedded) Get(ctx context.Context, key string) (Item, error) {
	if err := checkCall(ctx, key); err != nil {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	var item Item
	err := e.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(embeddedBucket).Get([]byte(key))
		if raw == nil {
			return nil
		}
		rec, err := decodeRecord(raw)
		if err != nil {
			return nil // a damaged record counts as nothing stored
		}
		item.Version = rec.version
		if !expired(rec.expiresAt, e.opts.now()) {
			// raw lives only as long as the transaction: copy.
			item.Data = append([]byte{}, rec.data...)
		}
		return nil
	})
	if err != nil {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	return item, nil
}

// Put stores data under key as version expected+1, provided the stored
// version is expected (0: nothing stored); otherwise it returns a
// [*ConflictError] and changes nothing.
func (e *Embedded) Put(ctx context.Context, key string, data []byte, expected int64) (int64, error) {
	if err := checkPut(ctx, key, expected); err != nil {
		return 0, fmt.Errorf("store: put item: %w", err)
	}
	next := expected + 1
	err := e.update(func(tx *bolt.Tx) error {
		// The writer lock may have taken a while: look again.
		if err := ctx.Err(); err != nil {
			return err
		}
		b := tx.Bucket(embeddedBucket)
		var stored int64
		if raw := b.Get([]byte(key)); raw != nil {
			if rec, err := decodeRecord(raw); err == nil {
				stored = rec.version
			} // a damaged record counts as nothing stored
		}
		if stored != expected {
			return &ConflictError{Expected: expected}
		}
		now := e.opts.now()
		return b.Put([]byte(key), encodeRecord(record{
			version:   next,
			updatedAt: now.Unix(),
			expiresAt: e.opts.expiresAt(now),
			data:      data,
		}))
	})
	if err != nil {
		var conflict *ConflictError
		if errors.As(err, &conflict) {
			return 0, err
		}
		return 0, fmt.Errorf("store: put item: %w", err)
	}
	return next, nil
}

// Delete removes the item stored under key, if any, and then rewrites the
// file so that no earlier page still holds it (see [Embedded]). An error
// from the rewrite is returned even though the item is gone; calling
// Delete again retries it.
func (e *Embedded) Delete(ctx context.Context, key string) error {
	if err := checkCall(ctx, key); err != nil {
		return fmt.Errorf("store: delete item: %w", err)
	}
	err := e.update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return tx.Bucket(embeddedBucket).Delete([]byte(key))
	})
	if err != nil {
		return fmt.Errorf("store: delete item: %w", err)
	}
	if err := e.compact(); err != nil {
		return fmt.Errorf("store: delete item: deleted, but old copies may remain in the file: %w", err)
	}
	return nil
}

// compact copies the live items into a new file next to the old one,
// flushes it, and renames it over the old one, so that the file holds no
// page of deleted or overwritten items.
func (e *Embedded) compact() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.db == nil {
		return errors.New("store is closed")
	}
	tmp := e.path + ".compact"
	_ = os.Remove(tmp) // a leftover from a crash
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: embeddedLockTimeout})
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	err = guard(func() error { return bolt.Compact(dst, e.db, 0) })
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("copy live items: %w", err)
	}
	if err := e.db.Close(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("close the old file: %w", err)
	}
	e.db = nil
	renameErr := os.Rename(tmp, e.path)
	if renameErr == nil {
		renameErr = syncDir(filepath.Dir(e.path))
	}
	db, err := bolt.Open(e.path, 0o600, &bolt.Options{Timeout: embeddedLockTimeout})
	if err != nil {
		return fmt.Errorf("reopen %s: %w", e.path, err)
	}
	e.db = db
	if renameErr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("replace the file: %w", renameErr)
	}
	return nil
}

// syncDir flushes a directory, so that a rename in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkCall rejects a call whose context is already done or whose key is
// empty.
func checkCall(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" {
		return errors.New("empty key")
	}
	return nil
}

// checkPut is checkCall plus a check of the expected version.
func checkPut(ctx context.Context, key string, expected int64) error {
	if err := checkCall(ctx, key); err != nil {
		return err
	}
	if expected < 0 {
		return fmt.Errorf("negative expected version %d", expected)
	}
	return nil
}

// record is one stored item of the embedded backend. Its encoding is a
// 25-byte header (format 1, then version, updatedAt and expiresAt as
// big-endian 64-bit integers, times in epoch seconds) followed by the data.
type record struct {
	version   int64
	updatedAt int64
	expiresAt int64
	data      []byte
}

const (
	recordFormat     = 1
	recordHeaderSize = 1 + 3*8
)

func encodeRecord(r record) []byte {
	buf := make([]byte, recordHeaderSize, recordHeaderSize+len(r.data))
	buf[0] = recordFormat
	binary.BigEndian.PutUint64(buf[1:], uint64(r.version))
	binary.BigEndian.PutUint64(buf[9:], uint64(r.updatedAt))
	binary.BigEndian.PutUint64(buf[17:], uint64(r.expiresAt))
	return append(buf, r.data...)
}

// decodeRecord decodes raw; the returned data aliases raw.
func decodeRecord(raw []byte) (record, error) {
	if len(raw) < recordHeaderSize || raw[0] != recordFormat {
		return record{}, fmt.Errorf("corrupt record (%d bytes, format %d)", len(raw), firstByte(raw))
	}
	return record{
		version:   int64(binary.BigEndian.Uint64(raw[1:])),
		updatedAt: int64(binary.BigEndian.Uint64(raw[9:])),
		expiresAt: int64(binary.BigEndian.Uint64(raw[17:])),
		data:      raw[recordHeaderSize:],
	}, nil
}

func firstByte(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}
