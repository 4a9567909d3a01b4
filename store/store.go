package store

import (
	"context"
	"errors"
	"fmt"
)

// Item is what Get read for one user.
type Item struct {
	// Data is the encoded state, opaque to the store. Nil when the user
	// has no live state (nothing stored, an expired item, a damaged
	// record); non-nil (possibly empty) for a live item.
	Data []byte
	// Version is the stored version, the one the next Put must expect. It
	// is 0 when nothing is stored, and stays non-zero for an expired item
	// that has not been deleted yet.
	Version int64
}

// ErrConflict is returned (wrapped) by Put when the stored version is not
// the expected one: someone else wrote first. The caller reloads with Get
// and decides again. Test for it with errors.Is(err, ErrConflict).
var ErrConflict = errors.New("store: version conflict")

// ConflictError is the error Put returns when its condition fails. It
// matches [ErrConflict] under errors.Is; errors.As gives access to the
// version the caller expected.
type ConflictError struct {
	// Expected is the version the failed Put expected.
	Expected int64
	// Err is the backend's own report of the failed condition (for
	// DynamoDB, the ConditionalCheckFailedException), or nil.
	Err error
}

// Error reports the conflict and the version that was expected.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("store: put item: version conflict: expected version %d is not the stored one", e.Expected)
}

// Unwrap returns ErrConflict and, when there is one, the backend's error.
func (e *ConflictError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrConflict}
	}
	return []error{ErrConflict, e.Err}
}

// backend is the method set every backend has (the contract in the package
// documentation). Consumers define their own interface with the methods
// they call; this one only lets the compiler check each backend.
type backend interface {
	Get(ctx context.Context, key string) (Item, error)
	Put(ctx context.Context, key string, data []byte, expected int64) (int64, error)
	Delete(ctx context.Context, key string) error
}
