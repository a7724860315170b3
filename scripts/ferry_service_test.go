// Package scripts holds the tests of the scripts and files beside them
// that build and run Ferry on a host: release.sh and ferry.service.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// verify runs systemd-analyze verify on unit text, with ExecStart's binary
// replaced by one that exists here, and returns what it printed: it exits
// 0 on unknown keys and bad values, so any output is a failure.
func verify(t *testing.T, unit string) string {
	t.Helper()
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		msg := "systemd-analyze is not installed (Debian: apt-get install systemd); the unit is not verified"
		if os.Getenv("FERRY_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED LOUDLY: " + msg)
	}
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ferry.service")
	unit = strings.ReplaceAll(unit, "/usr/local/bin/ferry", bin)
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "verify", path).CombinedOutput()
	if err != nil && len(out) == 0 {
		t.Fatalf("systemd-analyze verify: %v", err)
	}
	return string(out)
}

func TestServiceUnitVerifies(t *testing.T) {
	b, err := os.ReadFile("ferry.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(b)
	for _, want := range []string{
		"User=ferry", "StateDirectory=ferry", "ReadWritePaths=/var/lib/ferry", "ProtectSystem=strict",
		"AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
		"NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes", "Restart=on-failure",
		"EnvironmentFile=-/etc/ferry/ferry.env", "ExecStart=/usr/local/bin/ferry serve",
	} {
		if !strings.Contains(unit, "\n"+want+"\n") {
			t.Errorf("ferry.service lacks the line %q", want)
		}
	}
	if out := verify(t, unit); out != "" {
		t.Fatalf("systemd-analyze verify ferry.service:\n%s", out)
	}
	// The check itself can fail: a misspelt key and a bad value are reported.
	broken := strings.Replace(strings.Replace(unit, "ProtectSystem=strict", "ProtectSystem=strcit", 1),
		"NoNewPrivileges=yes", "NoNewPrivilege=yes", 1)
	out := verify(t, broken)
	if !strings.Contains(out, "NoNewPrivilege") || !strings.Contains(out, "strcit") {
		t.Fatalf("systemd-analyze verify did not report a broken unit: %q", out)
	}
}
