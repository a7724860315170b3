package media

import (
	"os/exec"
	"syscall"
)

// childProcess makes the kernel kill ffmpeg if Ferry dies first, so no
// transcode outlives the server that would record it.
func childProcess(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
