package main

import (
	"os"
	"runtime"
	"strconv"
	"syscall"
)

// exitWithParent asks the kernel to kill this process when its parent dies
// (prctl PR_SET_PDEATHSIG, see prctl(2)): fluxgate killed with SIGKILL runs no
// cleanup, and a build in progress does not read its input. The setting belongs
// to the calling thread, so it is made on the main thread, which lives as long
// as the process. A parent that died before the call is caught by comparing the
// parent's pid with the one fluxgate passes in FLUXGATE_PARENT_PID.
func exitWithParent() {
	runtime.LockOSThread()
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0)
	if errno != 0 {
		return
	}
	if want, err := strconv.Atoi(os.Getenv("FLUXGATE_PARENT_PID")); err == nil && os.Getppid() != want {
		os.Exit(1)
	}
}
