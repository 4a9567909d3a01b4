package alexatest

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// bodyShapes are the documented JSON bodies the skill posts, as the keys
// and kinds of value they must have: a create-timer request that announces
// a text when it rings, and a relative create-reminder request.
var bodyShapes = map[string]string{
	OpCreateTimer: `{"duration":"s","timerLabel":"s","creationBehavior":{"displayExperience":{"visibility":"s"}},` +
		`"triggeringBehavior":{"operation":{"type":"s","textToAnnounce":[{"locale":"s","text":"s"}]},"notificationConfig":{"playAudible":true}}}`,
	OpCreateReminder: `{"requestTime":"s","trigger":{"type":"s","offsetInSeconds":1},` +
		`"alertInfo":{"spokenInfo":{"content":[{"locale":"s","text":"s"}]}},"pushNotification":{"status":"s"}}`,
}

// optionalKeys are the top-level keys of a body that the documentation
// allows to leave out.
var optionalKeys = map[string][]string{OpCreateTimer: {"timerLabel"}}

// checkShape reports whether body is JSON of exactly the shape's keys and
// kinds of values, but for the optional keys of op.
func checkShape(op string, body []byte, shape string) error {
	var got, want any
	if err := json.Unmarshal(body, &got); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	if err := json.Unmarshal([]byte(shape), &want); err != nil {
		return fmt.Errorf("shape: %w", err)
	}
	if m, ok := got.(map[string]any); ok {
		for _, k := range optionalKeys[op] {
			if _, ok := m[k]; !ok {
				m[k] = want.(map[string]any)[k]
			}
		}
	}
	if !sameShape(got, want) {
		return fmt.Errorf("body %s does not have the documented shape %s", body, shape)
	}
	return nil
}

// sameShape reports whether two decoded JSON values have the same keys and
// kinds of values, recursively.
func sameShape(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameShape(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameShape(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.TypeOf(a) == reflect.TypeOf(b)
}
