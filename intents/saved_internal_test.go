package intents

import (
	"testing"

	"spasmcoach/skill"
)

// TestSessionStateKeepsVersion: the session carries the store version
// beside the state's keys; a session written before the version left
// skill.State (its "v" right after "sv") reads the same.
func TestSessionStateKeepsVersion(t *testing.T) {
	want := saved{State: skill.State{Schema: 2, Step: 5, Episode: 1773151200, Ask: skill.AskBriefing}, version: 4}
	enc, err := encodeSession(want)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(enc); got != `{"sv":2,"st":5,"ep":1773151200,"q":3,"v":4}` {
		t.Errorf("encoded %s", got)
	}
	for _, raw := range []string{string(enc), `{"sv":2,"v":4,"st":5,"ep":1773151200,"q":3}`} {
		got, err := decodeSession([]byte(raw))
		if err != nil || got != want {
			t.Errorf("decodeSession(%s) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	never, err := encodeSession(saved{State: want.State})
	if err != nil || string(never) != `{"sv":2,"st":5,"ep":1773151200,"q":3}` {
		t.Errorf("a state never saved encodes as %s, %v; want no version", never, err)
	}
}
