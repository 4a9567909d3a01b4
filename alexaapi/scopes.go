package alexaapi

// Permission scopes the skill asks the user for. This file is the one place
// they are declared: the voice-permission directive takes them from here,
// and the manifest test compares Scopes with skill.json's permissions.
const (
	// ScopeTimers lets the skill create, read and cancel timers.
	ScopeTimers = "alexa::alerts:timers:skill:readwrite"
	// ScopeReminders lets the skill create reminders.
	ScopeReminders = "alexa::alerts:reminders:skill:readwrite"
)

// Scopes lists every permission scope the skill uses, in the order of the
// manifest. Treat it as read-only.
var Scopes = []string{ScopeTimers, ScopeReminders}
