package intents

import (
	"encoding/json"
	"fmt"

	"spasmcoach/skill"
)

// saved is a user's state beside the store version it was last saved at:
// the state machine's value and the store's, side by side. The version is
// 0 when nothing live is stored and the state was never saved, and the
// expired item's version when only an expired item is stored (the next
// write must expect it).
type saved struct {
	skill.State
	version int64
}

// sessionState is how the session attributes carry a saved state: the
// state's own keys with the version beside them under "v" (a key the
// state reserves for it).
type sessionState struct {
	skill.State
	Version int64 `json:"v,omitempty"`
}

// encodeSession returns the session attributes' encoding of s.
func encodeSession(s saved) ([]byte, error) {
	b, err := json.Marshal(sessionState{State: s.State, Version: s.version})
	if err != nil {
		return nil, fmt.Errorf("encode session state: %w", err)
	}
	return b, nil
}

// decodeSession parses what encodeSession wrote, migrating the state
// (skill.Migrate).
func decodeSession(raw []byte) (saved, error) {
	var ss sessionState
	if err := json.Unmarshal(raw, &ss); err != nil {
		return saved{}, fmt.Errorf("decode session state: %w", err)
	}
	st, err := skill.Migrate(ss.State)
	if err != nil {
		return saved{}, err
	}
	return saved{State: st, version: ss.Version}, nil
}
