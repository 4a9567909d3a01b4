//go:build unix && !linux

package dynalitetest

import "syscall"

// setParentDeathSignal does nothing where the kernel has no parent-death
// signal: a test binary that dies without its cleanups may leave the server
// running.
func setParentDeathSignal(*syscall.SysProcAttr) {}
