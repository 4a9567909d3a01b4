//go:build !unix

package dynalitetest

import "os/exec"

// setProcessGroup does nothing here: the server runs in the test's group.
func setProcessGroup(*exec.Cmd) {}

// terminate stops the server (there is no gentler way here).
func terminate(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// kill stops the server at once.
func kill(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
