package intents

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"spasmcoach/alexa"
)

// ErrMalformed is wrapped by DecodeRequest for a payload that is not an
// Alexa request: invalid JSON, or JSON of the wrong shape.
var ErrMalformed = errors.New("intents: malformed request")

// DecodeRequest decodes an Alexa request, once. It fails with an error
// wrapping ErrMalformed when b is not a JSON object of a request's shape.
func DecodeRequest(b []byte) (*alexa.Request, error) {
	r := new(alexa.Request)
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return r, nil
}

// UserKey returns the store key of the request's user: the hex SHA-256 of
// alexa.Request.UserID (the recognised person's ID, else the account's),
// or "" when the request names nobody.
func UserKey(r *alexa.Request) string {
	id := r.UserID()
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// deviceKey returns a one-way hash of the request's device ID (the hex of
// the first 16 bytes of its SHA-256), under which the state keeps the
// device's time zone, or "" when the request names no device.
func deviceKey(r *alexa.Request) string {
	id := r.Context.System.Device.DeviceID
	if id == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:16])
}

// shortHash returns a short prefix of a key, enough to tell users apart in
// logs without identifying anyone.
func shortHash(key string) string {
	if len(key) > 8 {
		return key[:8]
	}
	return key
}
