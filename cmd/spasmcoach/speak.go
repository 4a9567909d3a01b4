package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"spasmcoach/speech"
)

// speaker says responses aloud with espeak-ng, which understands the SSML
// Alexa does for what matters here (<break>, <prosody>) and ignores the
// rest. It is best effort: when espeak-ng is missing or fails, it says so
// once on errOut and the chat goes on in text.
type speaker struct {
	path   string // espeak-ng, "" when not installed
	voice  string
	errOut io.Writer
	noted  bool
	sox    string // sox, for timed cues; "" when it is not installed
}

// espeakInstallHint tells how to get espeak-ng on Debian and Ubuntu.
const espeakInstallHint = "install it with: sudo apt-get install espeak-ng"

// newSpeaker finds espeak-ng on PATH and picks the voice for locale. When
// espeak-ng is missing it writes a note to errOut and returns a speaker
// that stays quiet.
func newSpeaker(locale string, errOut io.Writer) *speaker {
	s := &speaker{voice: espeakVoice(locale), errOut: errOut}
	path, err := exec.LookPath("espeak-ng")
	if err != nil {
		writef(errOut, "note: --speak needs espeak-ng, which is not installed (%s); printing only\n", espeakInstallHint)
		s.noted = true
		return s
	}
	s.path = path
	s.sox, _ = exec.LookPath("sox")
	return s
}

// espeakVoice is the espeak-ng voice for an Alexa locale.
func espeakVoice(locale string) string {
	switch locale {
	case "en-US", "en-CA":
		return "en-us"
	case "en-GB", "en-AU", "en-IN":
		return "en-gb"
	}
	return "en"
}

// Say speaks text (SSML when isSSML) and returns when it has been said or
// ctx is done.
func (s *speaker) Say(ctx context.Context, text string, isSSML bool) {
	if s.path == "" || text == "" {
		return
	}
	args := []string{"-v", s.voice, "--stdin"}
	if isSSML {
		args = append([]string{"-m"}, args...)
	}
	cmd := exec.CommandContext(ctx, s.path, args...)
	cmd.Stdin = strings.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if s.noted {
		return
	}
	switch {
	case err != nil:
		s.note(fmt.Sprintf("note: espeak-ng failed (%v): %s; printing only from now on\n", err, lastLine(stderr.String())))
		s.path = ""
	case stderr.Len() > 0:
		// espeak-ng exits 0 even when there is no sound device; show what
		// it said once.
		s.note(fmt.Sprintf("note: espeak-ng said: %s (is there a sound device?)\n", lastLine(stderr.String())))
	}
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// Play plays an APLA timeline with the timing Alexa gives it: each cue
// synthesised on its own with espeak-ng and placed at its slot's start,
// cut at the slot's end; silences exact; lines at their own length. It
// builds the audio with sox (renderTimeline) and plays it with sox's play.
// Like Say it is best effort: a missing sox is noted once.
func (s *speaker) Play(ctx context.Context, tl []speech.TimedText) {
	if s.path == "" || len(tl) == 0 {
		return
	}
	soxPath := s.sox
	if soxPath == "" {
		s.note("note: --speak needs sox to play timed cues, which is not installed (sudo apt-get install sox); printing only\n")
		return
	}
	dir, err := os.MkdirTemp("", "spasmcoach-apla-")
	if err != nil {
		s.note(fmt.Sprintf("note: --speak: %v\n", err))
		return
	}
	defer func() { _ = os.RemoveAll(dir) }() // a temporary directory
	out := filepath.Join(dir, "apla.wav")
	if err := renderTimeline(ctx, s.path, soxPath, s.voice, tl, dir, out); err != nil {
		s.note(fmt.Sprintf("note: --speak: %v\n", err))
		return
	}
	cmd := exec.CommandContext(ctx, soxPath, "-q", out, "-d")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		s.note(fmt.Sprintf("note: sox could not play (%v): %s\n", err, lastLine(stderr.String())))
	}
}

// note writes msg to errOut once per chat.
func (s *speaker) note(msg string) {
	if !s.noted {
		s.noted = true
		writef(s.errOut, "%s", msg)
	}
}

// renderTimeline writes the audio of tl to out (WAV) with espeak-ng and
// sox, in dir: each cue synthesised and padded or cut to exactly its slot
// (as a Mixer of a Silence and a Speech trimmed to it plays), each silence
// generated at its length, each line as synthesised, all joined in order.
func renderTimeline(ctx context.Context, espeak, sox, voice string, tl []speech.TimedText, dir, out string) error {
	run := func(name string, args ...string) error {
		cmd := exec.CommandContext(ctx, name, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w: %s", filepath.Base(name), err, lastLine(stderr.String()))
		}
		return nil
	}
	parts := make([]string, 0, len(tl))
	for i, e := range tl {
		part := filepath.Join(dir, "part"+strconv.Itoa(i)+".wav")
		slot := seconds(e.Slot)
		var err error
		if e.Text == "" {
			err = run(sox, "-q", "-n", "-r", "22050", "-c", "1", "-b", "16", part, "trim", "0", slot)
		} else {
			said := filepath.Join(dir, "said"+strconv.Itoa(i)+".wav")
			err = run(espeak, "-v", voice, "-w", said, e.Text)
			if err == nil && e.Slot > 0 {
				err = run(sox, "-q", said, part, "pad", "0", slot, "trim", "0", slot)
			} else {
				part = said
			}
		}
		if err != nil {
			return err
		}
		parts = append(parts, part)
	}
	return run(sox, append(append([]string{"-q"}, parts...), out)...)
}

// seconds formats d for sox, in seconds to the millisecond.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(time.Millisecond).Seconds(), 'f', 3, 64)
}
