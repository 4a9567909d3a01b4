package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// brokenPipe is standard output after the reader went away: the first
// limit bytes get through, then every write fails.
type brokenPipe struct {
	limit int
	got   bytes.Buffer
}

func (b *brokenPipe) Write(p []byte) (int, error) {
	if b.got.Len()+len(p) > b.limit {
		return 0, syscall.EPIPE
	}
	return b.got.Write(p)
}

// TestChatStopsWhenOutputFails: a chat whose output has gone stops at the
// next line with an error that says so, instead of talking on unheard (and
// sending requests nobody reads).
func TestChatStopsWhenOutputFails(t *testing.T) {
	out := &brokenPipe{limit: 200}
	var stderr bytes.Buffer
	lines := strings.Repeat("open back spasm coach\nnext step\nwhere am i\n", 20)
	getenv := func(string) string { return "" }
	code := run(context.Background(), []string{"chat", "--db", filepath.Join(t.TempDir(), "state.db")},
		strings.NewReader(lines), out, &stderr, getenv)
	if code != exitError {
		t.Errorf("exit %d, want %d (error)", code, exitError)
	}
	if !strings.Contains(stderr.String(), "write output") || !strings.Contains(stderr.String(), "broken pipe") {
		t.Errorf("stderr does not say the output failed: %q", stderr.String())
	}
	if n := strings.Count(out.got.String(), "> "); n > 2 {
		t.Errorf("the chat went on after its output failed: %d lines echoed", n)
	}
}

func TestPrinterKeepsFirstError(t *testing.T) {
	out := &brokenPipe{limit: 5}
	p := &printer{w: out}
	p.printf("%s", "hello")
	if err := p.Err(); err != nil {
		t.Fatalf("a write that fit failed: %v", err)
	}
	p.println("more")
	p.printf("and %d more", 3)
	if err := p.Err(); !errors.Is(err, syscall.EPIPE) {
		t.Errorf("Err() = %v, want EPIPE", err)
	}
	if out.got.String() != "hello" {
		t.Errorf("written %q, want only what fit", out.got.String())
	}
}
