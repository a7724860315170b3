package poll

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sleepCall is a call of time.Sleep in Go source.
var sleepCall = regexp.MustCompile(`\btime\.Sleep\(`)

// TestSleepsSayWhy: a test that sleeps waits for time to pass or guesses
// how long something takes. Time to pass comes from the clock
// (testkit/clock), a state comes from Until or True; the sleeps left must
// say why, as "// sleep: <reason>" on their line or the line above.
func TestSleepsSayWhy(t *testing.T) {
	root := filepath.Join("..", "..") // server/
	var bare []string
	files := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") && !underTestkit(path) {
			return nil
		}
		files++
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		prev := ""
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if sleepCall.MatchString(line) && !strings.Contains(line, "// sleep: ") && !strings.HasPrefix(strings.TrimSpace(prev), "// sleep: ") {
				bare = append(bare, path+":"+strconv.Itoa(n)+": "+strings.TrimSpace(line))
			}
			prev = line
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("looked at %d test files under %s; the walk missed the tree", files, root)
	}
	if len(bare) > 0 {
		t.Errorf("%d sleeps without a `// sleep: <reason>` comment (wait with poll.Until, or move the clock):\n%s", len(bare), strings.Join(bare, "\n"))
	}
}

// underTestkit says whether path is test support code (testkit), which
// tests run as their own.
func underTestkit(path string) bool {
	return strings.HasSuffix(path, ".go") && strings.Contains(filepath.ToSlash(path), "/testkit/")
}
