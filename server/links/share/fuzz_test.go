package share

import (
	"strings"
	"testing"
)

// FuzzZipPath: whatever a file or folder is called, its ZIP entry name
// cannot escape the archive's folder or upset an unzip tool.
func FuzzZipPath(f *testing.F) {
	for _, s := range []string{"a.jpg", "../../etc/passwd", "/abs/x", `C:\Users\x.jpg`, "Day 1/./../b.jpg", "con?.txt", "é/ü.png", ". .", "a\x00b", "x/\n/y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := ZipPath(in)
		if strings.HasPrefix(out, "/") || strings.Contains(out, `\`) || strings.HasSuffix(out, "/") {
			t.Fatalf("ZipPath(%q) = %q", in, out)
		}
		for _, seg := range strings.Split(out, "/") {
			if out != "" && (seg == "" || seg == "." || seg == "..") {
				t.Fatalf("ZipPath(%q) = %q has segment %q", in, out, seg)
			}
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"|?*`, r) {
				t.Fatalf("ZipPath(%q) = %q holds %U", in, out, r)
			}
		}
		if ZipPath(out) != out {
			t.Fatalf("ZipPath is not stable: %q → %q → %q", in, out, ZipPath(out))
		}
		used := map[string]bool{}
		a, b := uniqueName(used, out), uniqueName(used, out)
		if strings.EqualFold(a, b) {
			t.Fatalf("uniqueName gave %q twice", a)
		}
	})
}
