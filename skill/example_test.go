package skill_test

import (
	"fmt"
	"time"

	"spasmcoach/skill"
)

// A first launch gives the disclaimer and the safety briefing; "continue"
// then starts the routine at step one. Apply never changes its input, so
// the caller saves the returned state only when it differs.
func ExampleApply() {
	now := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	var s skill.State // a first-time user

	s, r := skill.Apply(s, skill.Event{Kind: skill.EvLaunch, Locale: "en-GB"}, now)
	fmt.Println(r.Say.Parts[0].Say)
	fmt.Println("step:", s.Step, "listening:", r.Listen)

	s, r = skill.Apply(s, skill.Event{Kind: skill.EvContinue, Locale: "en-GB"}, now.Add(time.Minute))
	fmt.Println(r.Say.Parts[0].Say)
	fmt.Println(r.Card.Title)

	next, _ := skill.Apply(s, skill.Event{Kind: skill.EvWhereAmI}, now.Add(2*time.Minute))
	fmt.Println("changed:", next != s)
	// Output:
	// Welcome to Back Spasm Coach.
	// step: 1 listening: true
	// Step one. Stop and rest.
	// Step 1: Stop and rest
	// changed: false
}
