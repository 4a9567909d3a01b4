package skill

import "time"

// Apply returns the state after e happens to s at now, and what to answer.
// It is pure: the same arguments always give the same result.
func Apply(s State, e Event, now time.Time) (State, Reply) {
	var r Reply
	r.Say.Say("Sorry, I'm still learning that.")
	return s, r
}
