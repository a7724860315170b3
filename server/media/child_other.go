//go:build !linux

package media

import "os/exec"

func childProcess(*exec.Cmd) {}

func limitMemory(int, int64) error { return nil }
