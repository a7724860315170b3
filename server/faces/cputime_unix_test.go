//go:build unix

package faces

import "syscall"

// cpuSeconds is the CPU time this process has used (user and system):
// under a loaded machine it measures a kernel's cost where wall time
// measures the queue for the cores.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
