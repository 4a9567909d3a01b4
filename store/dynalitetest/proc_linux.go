//go:build linux

package dynalitetest

import "syscall"

// setParentDeathSignal has Linux kill the server if the test binary dies
// without running its cleanups (a panic, a timeout, SIGKILL), so that no
// orphan keeps listening.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}
