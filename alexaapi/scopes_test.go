package alexaapi_test

import (
	"slices"
	"testing"

	"spasmcoach/alexaapi"
)

// TestScopes pins the scope strings Alexa documents; the manifest test
// compares Scopes with skill.json.
func TestScopes(t *testing.T) {
	want := []string{
		"alexa::alerts:timers:skill:readwrite",
		"alexa::alerts:reminders:skill:readwrite",
	}
	if !slices.Equal(alexaapi.Scopes, want) {
		t.Errorf("Scopes = %q, want %q", alexaapi.Scopes, want)
	}
	if alexaapi.ScopeTimers != want[0] || alexaapi.ScopeReminders != want[1] {
		t.Errorf("ScopeTimers, ScopeReminders = %q, %q", alexaapi.ScopeTimers, alexaapi.ScopeReminders)
	}
}
