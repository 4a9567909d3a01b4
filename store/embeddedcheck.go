package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The embedded store checks its file before bbolt maps it, because bbolt
// trusts the file: pages past the end of a truncated file fault (SIGBUS)
// when touched, and damaged pages make it panic. The checks, in order:
//
//  1. The path is a regular file (a directory or device is an error, left
//     alone).
//  2. A meta page is valid: bbolt's magic number, format version 2 and
//     checksum (FNV-1a over the meta fields), read with plain file reads.
//     A file without bbolt's magic number in either meta page that is not
//     all zeros is not a state file at all (a mistyped --db, say): an
//     error, left alone.
//  3. The file holds every page the meta page says is in use (its
//     high-water mark times the page size).
//  4. bbolt opens it and reads every key and value of every bucket, then
//     runs its own consistency check (tx.Check: free list, reachability,
//     page types, key order), with faults turned into panics and panics
//     into errors.
//
// A file that fails 2 (being all zeros or empty), 3 or 4 is damaged: it is
// moved aside to "<path>.damaged-<UTC time>" (never deleted), a fresh file
// takes its place, and Recovery says so.

// ErrDamaged is wrapped by the cause a Recovery reports: the state file
// could not be used as it was.
var ErrDamaged = errors.New("store: state file damaged")

// ErrNotStateFile is returned (wrapped) by OpenEmbedded for a file that is
// not a bbolt file at all; it is left as it is.
var ErrNotStateFile = errors.New("store: not a spasmcoach state file")

// ErrLocked is returned (wrapped) by OpenEmbedded when another process holds
// the file (another spasmcoach, typically) for longer than two seconds.
var ErrLocked = errors.New("store: state file in use by another process")

// Recovery reports that OpenEmbedded found the state file damaged and
// started a fresh one.
type Recovery struct {
	// MovedTo is where the damaged file now is.
	MovedTo string
	// Cause says what was wrong; it wraps ErrDamaged.
	Cause error
}

// bbolt's on-disk format (version 2, in the host's byte order, which is
// little-endian on every platform the skill runs on).
const (
	boltMagic       = 0xED0CDAED
	boltVersion     = 2
	boltPageHeader  = 16
	boltMetaSize    = 64 // magic .. checksum
	boltMinPageSize = 512
	boltMaxPageSize = 1 << 16
)

// boltMeta is what the checks read from a meta page.
type boltMeta struct {
	pageSize uint32
	pgid     uint64 // high-water mark: pages [0, pgid) are in use
	txid     uint64
}

// readBoltMeta decodes and checks the meta page at offset off of f.
func readBoltMeta(f io.ReaderAt, off int64) (boltMeta, bool) {
	m, _, ok := readBoltMetaMagic(f, off)
	return m, ok
}

// readBoltMetaMagic is readBoltMeta that also reports whether the page
// starts with bbolt's magic number, valid or not.
func readBoltMetaMagic(f io.ReaderAt, off int64) (meta boltMeta, magic, valid bool) {
	var b [boltPageHeader + boltMetaSize]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		return boltMeta{}, false, false
	}
	m := b[boltPageHeader:]
	le := binary.LittleEndian
	h := fnv.New64a()
	_, _ = h.Write(m[:56])
	meta = boltMeta{pageSize: le.Uint32(m[8:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	magic = le.Uint32(m[0:]) == boltMagic
	valid = magic && le.Uint32(m[4:]) == boltVersion && le.Uint64(m[56:]) == h.Sum64() &&
		meta.pageSize >= boltMinPageSize && meta.pageSize <= boltMaxPageSize && meta.pageSize&(meta.pageSize-1) == 0
	return meta, magic, valid
}

// checkFile applies checks 1 to 3 to the file at path, which exists. It
// returns an error wrapping ErrDamaged for a damaged file, and another
// error for a file it must not touch.
func checkFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // opened read-only
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is a %s, not a file", ErrNotStateFile, path, fileKind(fi.Mode()))
	}
	size := fi.Size()
	if size == 0 {
		return fmt.Errorf("%w: the file is empty (0 bytes)", ErrDamaged)
	}
	// bbolt uses the valid meta page with the highest transaction ID; meta
	// 1 follows meta 0 at its page size, or at the OS page size.
	var best boltMeta
	found := false
	offsets := []int64{4096, int64(os.Getpagesize())}
	if m0, ok := readBoltMeta(f, 0); ok {
		best, found, offsets = m0, true, []int64{int64(m0.pageSize)}
	}
	for _, off := range offsets {
		if m1, ok := readBoltMeta(f, off); ok && (!found || m1.txid > best.txid) {
			best, found = m1, true
			break
		}
	}
	if !found {
		return noValidMeta(f, path, size)
	}
	if need := int64(best.pgid) * int64(best.pageSize); best.pgid < 2 || size < need {
		return fmt.Errorf("%w: the file is %d bytes but its header says %d pages of %d bytes are in use (truncated)",
			ErrDamaged, size, best.pgid, best.pageSize)
	}
	return nil
}

// noValidMeta tells a damaged bbolt file (a meta page with bbolt's magic
// number, or nothing but zeros) from a file that is something else.
func noValidMeta(f io.ReaderAt, path string, size int64) error {
	for _, off := range []int64{0, 4096, int64(os.Getpagesize())} {
		if _, magic, _ := readBoltMetaMagic(f, off); magic {
			return fmt.Errorf("%w: no meta page passes its checksum", ErrDamaged)
		}
	}
	if zero, err := allZero(f, min(size, 1<<20)); err == nil && zero {
		return fmt.Errorf("%w: no valid meta page; the first %d bytes are zeros", ErrDamaged, min(size, 1<<20))
	}
	return fmt.Errorf("%w: %s has no bbolt header; left as it is", ErrNotStateFile, path)
}

func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&(os.ModeDevice|os.ModeCharDevice) != 0:
		return "device"
	}
	return "special file"
}

// allZero reports whether the first n bytes of f are zeros.
func allZero(f io.ReaderAt, n int64) (bool, error) {
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, 0); err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	for _, c := range buf {
		if c != 0 {
			return false, nil
		}
	}
	return true, nil
}

// guard runs fn with memory faults turned into panics and any panic into
// an error wrapping ErrDamaged, so that a damaged page cannot crash the
// process.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: bbolt failed reading it: %v", ErrDamaged, p)
		}
	}()
	return fn()
}

// checkDB is check 4: every bucket, key and value read, then bbolt's own
// consistency check.
func checkDB(db *bolt.DB) error {
	return guard(func() error {
		return db.View(func(tx *bolt.Tx) error {
			if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return readBucket(b, 0) }); err != nil {
				return err
			}
			for err := range tx.Check() {
				return fmt.Errorf("%w: consistency check: %w", ErrDamaged, err)
			}
			return nil
		})
	})
}

// readBucket touches every key and value of b and its nested buckets.
func readBucket(b *bolt.Bucket, depth int) error {
	if depth > 16 {
		return fmt.Errorf("%w: buckets nested %d deep", ErrDamaged, depth)
	}
	var sum byte
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				return readBucket(nb, depth+1)
			}
			return nil
		}
		for _, c := range k {
			sum ^= c
		}
		for _, c := range v {
			sum ^= c
		}
		return nil
	})
}

// moveAside renames the damaged file at path to a new, timestamped name
// next to it and returns that name.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".damaged-" + now.UTC().Format("20060102T150405Z")
	dest := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(dest); errors.Is(err, os.ErrNotExist) {
			break
		}
		dest = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(path, dest); err != nil {
		return "", fmt.Errorf("move the damaged file aside: %w", err)
	}
	return dest, nil
}
