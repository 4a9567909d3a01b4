// Package tools finds the programs a test needs (espeak-ng, sox, bash,
// node, shellcheck) on PATH. A test whose program is missing is skipped on
// a developer's machine but fails when CI is set: .ci/run installs every
// program the tests need, so in CI no test may skip.
package tools

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of program name, ending tb when it is not
// installed: a skip, or with CI set a failure. why says what the program
// is for, or how to install it; it is added to the message.
func Need(tb testing.TB, name, why string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := name + " is not installed"
	if why != "" {
		msg += " (" + why + ")"
	}
	if os.Getenv("CI") != "" {
		tb.Fatal(msg + "; CI is set, so a missing program fails the test")
		return ""
	}
	tb.Skip(msg)
	return ""
}
