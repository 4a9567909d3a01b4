package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Embedded is the local backend: every user's item in one bbolt file. It is
// safe for concurrent use by many goroutines (bbolt serialises writers and
// lets readers run alongside); one process at a time holds the file.
//
// Expired items are not deleted by the store: Get reports them as
// [ErrNotFound] with their version, and the next Put or Delete replaces or
// removes them, like DynamoDB before its lazy TTL deletion.
type Embedded struct {
	db   *bolt.DB
	opts options
}

var _ backend = (*Embedded)(nil)

// embeddedBucket holds one record per key.
var embeddedBucket = []byte("items")

// embeddedLockTimeout is how long OpenEmbedded waits for another process to
// release the file before giving up.
const embeddedLockTimeout = 2 * time.Second

// OpenEmbedded opens (creating it and its parent directories when needed)
// the bbolt file at path. Close it when done. It fails, rather than waits,
// when another process holds the file for more than two seconds.
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
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: embeddedLockTimeout})
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(embeddedBucket)
		return err
	}); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Embedded{db: db, opts: o}, nil
}

// Close releases the file. The store must not be used afterwards.
func (e *Embedded) Close() error {
	if err := e.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Get returns the live item stored under key, or [ErrNotFound] (with the
// stored Version when the item has expired).
func (e *Embedded) Get(ctx context.Context, key string) (Item, error) {
	if err := checkCall(ctx, key); err != nil {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	var (
		item  Item
		found bool
	)
	err := e.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(embeddedBucket).Get([]byte(key))
		if raw == nil {
			return nil
		}
		rec, err := decodeRecord(raw)
		if err != nil {
			return err
		}
		item.Version = rec.version
		if expired(rec.expiresAt, e.opts.now()) {
			return nil
		}
		// raw lives only as long as the transaction: copy.
		item.Data = append([]byte{}, rec.data...)
		found = true
		return nil
	})
	if err != nil {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	if !found {
		return item, ErrNotFound
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
	err := e.db.Update(func(tx *bolt.Tx) error {
		// The writer lock may have taken a while: look again.
		if err := ctx.Err(); err != nil {
			return err
		}
		b := tx.Bucket(embeddedBucket)
		var stored int64
		if raw := b.Get([]byte(key)); raw != nil {
			rec, err := decodeRecord(raw)
			if err != nil {
				return err
			}
			stored = rec.version
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

// Delete removes the item stored under key, if any.
func (e *Embedded) Delete(ctx context.Context, key string) error {
	if err := checkCall(ctx, key); err != nil {
		return fmt.Errorf("store: delete item: %w", err)
	}
	err := e.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return tx.Bucket(embeddedBucket).Delete([]byte(key))
	})
	if err != nil {
		return fmt.Errorf("store: delete item: %w", err)
	}
	return nil
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
