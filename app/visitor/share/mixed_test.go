package share

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
)

// A share of files and folders together browses from its top level: the
// shared files and folders (two of one name told apart by the server's
// paths), each folder's subfolders below it; nothing is uploaded into it.
func TestMixedShareBrowses(t *testing.T) {
	s := &model.PublicShare{TargetType: "collection", AllowedActions: "download", Title: "For Mia", CanUpload: true,
		Folders: []model.PublicFolder{
			{ID: "b", ParentID: "a", Name: "Selects", Path: "Day 1/Selects"},
			{ID: "a", Name: "Day 1", Path: "Day 1"}, {ID: "c", Name: "Day 1", Path: "Day 1 (2)"},
		},
		Items: []model.PublicAsset{{ID: "1"}, {ID: "2", Path: "Day 1"}, {ID: "3", Path: "Day 1/Selects"}, {ID: "4", Path: "Day 1 (2)"}}}
	var f visitorFiles
	f.use(s)
	if !f.browsing() {
		t.Fatal("a share with folders is not browsed")
	}
	var got []string
	for _, d := range f.folders {
		got = append(got, d.ID+"="+d.Path)
	}
	if want := "=|a=Day 1|b=Day 1/Selects|c=Day 1 (2)"; strings.Join(got, "|") != want {
		t.Errorf("tree %q, want %q", strings.Join(got, "|"), want)
	}
	if items, _ := f.current(s.Items); len(items) != 1 || items[0].ID != "1" {
		t.Errorf("the top level shows %+v", items)
	}
	if subs := f.subfolders(); len(subs) != 2 {
		t.Errorf("the top level has subfolders %+v", subs)
	}
	p := &Page{share: s}
	p.files = f
	if target := p.uploadTarget(); target != "" {
		t.Errorf("uploads of a mixed share go to %q, want its inbox (none here)", target)
	}
	if !p.browsingNow() {
		t.Error("a mixed share without a face filter is not browsed")
	}
	// Searching by a person shows the matches of every folder as a gallery.
	p.faces.person = "someone"
	if p.browsingNow() {
		t.Error("a face filter on a mixed share still browses one folder")
	}
	// A collection of files only is a gallery, as before.
	var g visitorFiles
	g.use(&model.PublicShare{TargetType: "collection", AllowedActions: "download", Items: s.Items[:1]})
	if g.browsing() {
		t.Error("a collection of files only is browsed")
	}
}
