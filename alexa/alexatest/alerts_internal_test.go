package alexatest

import (
	"testing"
	"time"
)

func TestSpokenDuration(t *testing.T) {
	tests := map[time.Duration]string{
		20 * time.Minute:                 "20 minutes",
		time.Minute:                      "1 minute",
		90 * time.Second:                 "1 minute 30 seconds",
		2 * time.Hour:                    "2 hours",
		time.Hour + time.Second:          "1 hour 1 second",
		0:                                "0 seconds",
		1500 * time.Millisecond:          "2 seconds",
		45*time.Second + time.Nanosecond: "45 seconds",
	}
	for d, want := range tests {
		if got := spokenDuration(d); got != want {
			t.Errorf("spokenDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
