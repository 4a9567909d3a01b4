package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
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
		fmt.Fprintf(errOut, "note: --speak needs espeak-ng, which is not installed (%s); printing only\n", espeakInstallHint)
		s.noted = true
		return s
	}
	s.path = path
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
		s.noted = true
		fmt.Fprintf(s.errOut, "note: espeak-ng failed (%v): %s; printing only from now on\n", err, lastLine(stderr.String()))
		s.path = ""
	case stderr.Len() > 0:
		// espeak-ng exits 0 even when there is no sound device; show what
		// it said once.
		s.noted = true
		fmt.Fprintf(s.errOut, "note: espeak-ng said: %s (is there a sound device?)\n", lastLine(stderr.String()))
	}
}

// lastLine returns the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
