// Package golden compares a test's output with a golden file, the output
// accepted last, kept under the package's testdata/ directory, so that
// every change to what the skill says or sends is seen and reviewed as a
// diff. Run the package's tests with -update to rewrite the files from what
// the code produces now, then review the change with git diff.
//
// A difference is reported as go/printer's tests report one: the first
// byte that differs, as file:line:column and the line it is on, from the
// golden file and from the output.
//
// Importing the package registers the -update flag: a test binary that
// imports it must not define its own.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Check compares got with the golden file at path (relative to the
// package directory, such as "testdata/routine.txt"), or, with -update,
// writes got to path, creating its directory.
func Check(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run the test with -update to create it)", err)
	}
	if d := Diff(path, "output", want, got); d != "" {
		tb.Errorf("the output differs from the golden file (run the test with -update to accept it):\n%s", d)
	}
}

// Diff returns "" when a and b are equal. Otherwise it reports the first
// differing byte as name:line:column followed by its line, for a (named
// aname) and then b, and a difference in length, if any.
func Diff(aname, bname string, a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	var out bytes.Buffer
	if len(a) != len(b) {
		fmt.Fprintf(&out, "length changed: len(%s) = %d, len(%s) = %d\n", aname, len(a), bname, len(b))
	}
	line, start := 1, 0
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			fmt.Fprintf(&out, "%s:%d:%d: %s\n", aname, line, i-start+1, lineAt(a, start))
			fmt.Fprintf(&out, "%s:%d:%d: %s\n", bname, line, i-start+1, lineAt(b, start))
			return out.String()
		}
		if a[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	// One is a prefix of the other: show where the shorter one ends.
	at := min(len(a), len(b))
	fmt.Fprintf(&out, "%s:%d:%d: %s\n", aname, line, at-start+1, lineAt(a, start))
	fmt.Fprintf(&out, "%s:%d:%d: %s\n", bname, line, at-start+1, lineAt(b, start))
	return out.String()
}

// lineAt returns the line of text that starts at offset start, without
// its newline.
func lineAt(text []byte, start int) []byte {
	end := start
	for end < len(text) && text[end] != '\n' {
		end++
	}
	return text[start:end]
}
