// Package store keeps each user's encoded state, with versioned conditional
// writes so that two devices talking at once never lose an update. Each
// backend lives in its own file: an embedded file store (bbolt) for local
// use and DynamoDB for production. They share one contract and one contract
// test suite (package storetest).
package store

import "errors"

// Item is one user's stored state.
type Item struct {
	// Data is the encoded state, opaque to the store. Nil when the user
	// has no live state.
	Data []byte
	// Version is the stored version, the one the next Put must expect. It
	// is 0 when nothing is stored, and stays non-zero for an expired item
	// that has not been deleted yet.
	Version int64
}

// ErrNotFound is returned by Get when the user has no live state: nothing
// stored, or only an expired item (whose Version is still returned).
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned (wrapped) by Put when the stored version is not
// the expected one: someone else wrote first.
var ErrConflict = errors.New("store: version conflict")
