package store

import (
	"errors"
	"time"
)

// DefaultTTL is how long after its last write an item expires, unless
// [WithTTL] says otherwise: a user who comes back within 30 days resumes
// where they left off.
const DefaultTTL = 30 * 24 * time.Hour

// Option changes how a backend stamps and reads items. Every backend
// accepts every Option.
type Option func(*options)

type options struct {
	ttl time.Duration
	now func() time.Time
}

func newOptions(opts []Option) (options, error) {
	o := options{ttl: DefaultTTL, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.ttl < time.Second {
		return o, errors.New("store: TTL must be at least one second")
	}
	if o.now == nil {
		return o, errors.New("store: clock must not be nil")
	}
	return o, nil
}

// WithTTL sets how long after its last write an item expires (at least one
// second; the times are stored in whole seconds).
func WithTTL(d time.Duration) Option {
	return func(o *options) { o.ttl = d }
}

// WithClock sets the clock used to stamp updatedAt and expiresAt and to
// decide whether an item has expired. Tests use it; the default is
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// expiresAt is the expiry time, in epoch seconds, of an item written at now.
func (o options) expiresAt(now time.Time) int64 {
	return now.Add(o.ttl).Unix()
}

// expired reports whether an item whose expiry time is expiresAt (epoch
// seconds, 0 for none) has expired at now. An item expires at the second
// its expiresAt names.
func expired(expiresAt int64, now time.Time) bool {
	return expiresAt != 0 && now.Unix() >= expiresAt
}
