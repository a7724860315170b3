package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The vocabulary is built once: icons, spinners, stat cards, tab bars,
// search boxes and dialogs drawn by hand elsewhere in the app are copies
// that drift (the app had five icon maps and the spinner thirteen times).
func TestVocabularyIsNotCopied(t *testing.T) {
	home := map[string]string{ // markup → the one file under app/ that draws it
		`<svg class="ic"`:                "ui/icons.go",
		`Class("spinner")`:               "ui/ui.go",
		`Class("stat-label")`:            "ui/ui.go",
		`Attr("role", "tablist")`:        "ui/tabs.go",
		`app.Input().Type("search")`:     "ui/tabs.go",
		`Class("pub-closed gal-closed")`: "linkui/gate.go",
	}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", p)
		for mark, want := range home {
			if strings.Contains(string(b), mark) && filepath.ToSlash(rel) != want {
				t.Errorf("app/%s draws %s by hand: use app/%s", rel, mark, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
