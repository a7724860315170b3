package media

import (
	"fmt"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// childProcess makes the kernel kill ffmpeg if Ferry dies first, so no
// transcode outlives the server that would record it.
func childProcess(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// limitMemory caps the address space of process pid at n bytes (0: no
// cap). It is set right after the process starts, while ffmpeg is still
// loading its libraries, long before it reads the input.
func limitMemory(pid int, n int64) error {
	if n <= 0 {
		return nil
	}
	lim := unix.Rlimit{Cur: uint64(n), Max: uint64(n)}
	if err := unix.Prlimit(pid, unix.RLIMIT_AS, &lim, nil); err != nil {
		return fmt.Errorf("limiting ffmpeg's memory: %w", err)
	}
	return nil
}
