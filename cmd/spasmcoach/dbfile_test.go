package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"spasmcoach/store"
	"spasmcoach/store/storetest"
)

// mustSavedStateFile writes a state file holding a few users, at path.
func mustSavedStateFile(tb testing.TB, path string) {
	tb.Helper()
	s, err := store.OpenEmbedded(path)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range 80 {
		storetest.MustPut(tb, s, fmt.Sprintf("user-%d", i), bytes.Repeat([]byte("s"), 400), 0)
	}
	if err := s.Close(); err != nil {
		tb.Fatal(err)
	}
}

// runChatProcess runs `spasmcoach chat args...` on script and returns its
// outputs and error (an *exec.ExitError when it did not exit 0).
func runChatProcess(t *testing.T, script string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(mustBinary(t), append([]string{"chat"}, args...)...)
	cmd.Env = baseEnv(t.TempDir())
	cmd.Stdin = strings.NewReader(script)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// TestChatDamagedStateFile runs chat, a real process, on damaged state
// files: it must not crash (a truncated file used to kill it with SIGBUS),
// must move the file aside unchanged, say so once on stderr and once in the
// log, and then work on a fresh file.
func TestChatDamagedStateFile(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"truncated to 8 KiB", func(t *testing.T, path string) { mustTruncate(t, path, 8<<10) }},
		{"truncated to 16 KiB", func(t *testing.T, path string) { mustTruncate(t, path, 16<<10) }},
		{"0 bytes", func(t *testing.T, path string) { mustTruncate(t, path, 0) }},
		{"pages 2 to 9 zeroed", func(t *testing.T, path string) {
			data, _ := os.ReadFile(path)
			ps := os.Getpagesize()
			clear(data[2*ps : 10*ps])
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			mustSavedStateFile(t, path)
			tt.damage(t, path)
			damaged, _ := os.ReadFile(path)
			out, errOut, err := runChatProcess(t, "open back spasm coach\nexit\n", "--db", path)
			if err != nil {
				t.Fatalf("chat: %v\nstderr:\n%s", err, errOut)
			}
			if !strings.Contains(out, "Alexa:") {
				t.Errorf("chat did not answer:\n%s", out)
			}
			if n := strings.Count(errOut, "spasmcoach: the state file "+path+" was damaged"); n != 1 {
				t.Errorf("%d sentences on stderr about the damage, want 1:\n%s", n, errOut)
			}
			if n := strings.Count(errOut, `msg="state file damaged; moved aside and started afresh"`); n != 1 {
				t.Errorf("%d log lines about the damage, want 1:\n%s", n, errOut)
			}
			moved, _ := filepath.Glob(path + ".damaged-*")
			if len(moved) != 1 {
				t.Fatalf("moved-aside files: %v, want 1", moved)
			}
			if got, _ := os.ReadFile(moved[0]); !bytes.Equal(got, damaged) {
				t.Error("the moved file is not the damaged file as it was")
			}
			// The fresh file works: a second run says nothing more.
			if _, errOut, err := runChatProcess(t, "open back spasm coach\nexit\n", "--db", path); err != nil || errOut != "" {
				t.Errorf("second run: %v\nstderr:\n%s", err, errOut)
			}
		})
	}
}

func mustTruncate(t *testing.T, path string, n int64) {
	t.Helper()
	if err := os.Truncate(path, n); err != nil {
		t.Fatal(err)
	}
}

// TestChatStateFileErrors checks that a --db that cannot be used is an
// error (exit status 1, not a crash) naming the real cause, and that
// nothing is created or moved.
func TestChatStateFileErrors(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("my notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		db   string
		want string
	}{
		{"directory that does not exist", filepath.Join(dir, "typo", "state.db"), "does not exist"},
		{"a directory", dir, "is a directory"},
		{"not a state file", notes, "not a spasmcoach state file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, err := runChatProcess(t, "open back spasm coach\nexit\n", "--db", tt.db)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("chat: %v, want exit status 1\nstderr:\n%s", err, errOut)
			}
			if !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "another spasmcoach") {
				t.Errorf("stderr does not name the cause (%q):\n%s", tt.want, errOut)
			}
			if _, err := os.Stat(filepath.Join(dir, "typo")); !errors.Is(err, os.ErrNotExist) {
				t.Error("the missing directory was created")
			}
			if data, _ := os.ReadFile(notes); string(data) != "my notes\n" {
				t.Error("the notes file was changed")
			}
			if m, _ := filepath.Glob(filepath.Join(dir, "*.damaged-*")); len(m) != 0 {
				t.Errorf("moved aside: %v", m)
			}
		})
	}
}
