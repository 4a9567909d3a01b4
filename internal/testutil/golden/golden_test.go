package golden_test

import (
	"os"
	"path/filepath"
	"testing"

	"spasmcoach/internal/testutil/golden"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"equal", "one\ntwo\n", "one\ntwo\n", ""},
		{"a changed byte: its line and column in each",
			"breathe in\nhold for one\n", "breathe in\nhold for two\n",
			"want:2:10: hold for one\ngot:2:10: hold for two\n"},
		{"longer output: the lengths, and where the golden file ends",
			"step one\n", "step one\nstep two\n",
			"length changed: len(want) = 9, len(got) = 18\nwant:2:1: \ngot:2:1: step two\n"},
		{"a missing last newline",
			"done\n", "done",
			"length changed: len(want) = 5, len(got) = 4\nwant:1:5: done\ngot:1:5: done\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := golden.Diff("want", "got", []byte(tc.a), []byte(tc.b)); got != tc.want {
				t.Errorf("Diff =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestCheck compares with a file, and reports a difference through the
// test it is given.
func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "reply.txt")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("Nice and slow.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, path, []byte("Nice and slow.\n"))

	rec := &recorder{TB: t}
	golden.Check(rec, path, []byte("Nice and fast.\n"))
	if !rec.failed {
		t.Error("a different output passed")
	}
}

// recorder is a testing.TB that records a failure instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.failed = true }
