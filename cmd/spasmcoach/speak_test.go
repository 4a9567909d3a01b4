package main

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"spasmcoach/internal/testutil/tools"
	"spasmcoach/speech"
)

// wavLength reads the length of a 16-bit PCM WAV file sox wrote.
func wavLength(t *testing.T, path string) time.Duration {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rate, channels uint32
	for i := 12; i+8 <= len(b); {
		id, n := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:]))
		switch id {
		case "fmt ":
			channels = uint32(binary.LittleEndian.Uint16(b[i+10:]))
			rate = binary.LittleEndian.Uint32(b[i+12:])
		case "data":
			if rate == 0 || channels == 0 {
				t.Fatalf("%s: data before fmt", path)
			}
			frames := time.Duration(n / 2 / int(channels))
			return frames * time.Second / time.Duration(rate)
		}
		i += 8 + n + n%2
	}
	t.Fatalf("%s: no data chunk", path)
	return 0
}

// TestRenderTimeline renders a paced timeline the way chat --speak plays
// it (espeak-ng for each cue, sox to place it in its slot) and checks
// that the audio lasts exactly its slots and silences, even when a cue
// is longer than its slot and is cut.
func TestRenderTimeline(t *testing.T) {
	espeak := tools.Need(t, "espeak-ng", "Debian/Ubuntu: apt-get install espeak-ng")
	sox := tools.Need(t, "sox", "Debian/Ubuntu: apt-get install sox")
	tl := []speech.TimedText{
		{At: 0, Text: "Breathe in", Slot: 950 * time.Millisecond},
		{At: 950 * time.Millisecond, Text: "two", Slot: 1050 * time.Millisecond},
		{At: 2 * time.Second, Slot: 1500 * time.Millisecond},
		{At: 3500 * time.Millisecond, Text: "a cue far too long for its short slot", Slot: 300 * time.Millisecond},
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out.wav")
	if err := renderTimeline(context.Background(), espeak, sox, "en-us", tl, dir, out); err != nil {
		t.Fatal(err)
	}
	if got, want := wavLength(t, out), 3800*time.Millisecond; (got - want).Abs() > time.Millisecond {
		t.Errorf("the timeline's audio lasts %v, want %v", got, want)
	}
	// A line lasts as long as it is said.
	line := []speech.TimedText{tl[0], {At: 950 * time.Millisecond, Text: "And rest."}}
	if err := renderTimeline(context.Background(), espeak, sox, "en-us", line, dir, out); err != nil {
		t.Fatal(err)
	}
	if got := wavLength(t, out); got < 950*time.Millisecond+300*time.Millisecond {
		t.Errorf("a slot and a line last %v, want the slot and the line's own length", got)
	}
}
