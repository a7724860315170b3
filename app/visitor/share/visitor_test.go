package share

import (
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
)

func TestFolderTree(t *testing.T) {
	withRoot := &model.PublicShare{Title: "Shoot", UploadFolderID: "r", Folders: []model.PublicFolder{
		{ID: "r", Name: "Shoot"}, {ID: "b", ParentID: "a", Name: "Selects", Path: "Day 1/Selects"},
		{ID: "a", ParentID: "r", Name: "Day 1", Path: "Day 1"}, {ID: "c", ParentID: "r", Name: "Day 2", Path: "Day 2"},
	}}
	// Without the link's folder in the list, and with paths that name the
	// parent only: the tree still comes from the parent ids.
	withoutRoot := &model.PublicShare{Title: "Shoot", UploadFolderID: "r", Folders: []model.PublicFolder{
		{ID: "c", ParentID: "r", Name: "Day 2"}, {ID: "a", ParentID: "r", Name: "Day 1"}, {ID: "b", ParentID: "a", Name: "Selects", Path: "Day 1"},
	}}
	for name, s := range map[string]*model.PublicShare{"with root": withRoot, "without root": withoutRoot} {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, f := range folderTree(s) {
				got = append(got, f.ID+"="+f.Path)
			}
			if want := "r=|a=Day 1|b=Day 1/Selects|c=Day 2"; strings.Join(got, "|") != want {
				t.Errorf("tree %q, want %q", strings.Join(got, "|"), want)
			}
		})
	}
}

func TestVisitorFilesNavigation(t *testing.T) {
	s := &model.PublicShare{AllowedActions: "full", UploadFolderID: "r", Folders: []model.PublicFolder{
		{ID: "r", Name: "Shoot"}, {ID: "a", ParentID: "r", Name: "Day 1"}, {ID: "b", ParentID: "a", Name: "Selects"},
	}, Items: []model.PublicAsset{{ID: "1"}, {ID: "2", Path: "Day 1"}, {ID: "3", Path: "Day 1/Selects"}, {ID: "4", Path: "Day 1"}}}
	var f visitorFiles
	f.use(s)
	if !f.browsing() || f.currentID() != "r" {
		t.Fatalf("browsing %v in %q", f.browsing(), f.currentID())
	}
	f.path = "Day 1"
	items, _ := f.current(s.Items)
	if len(items) != 2 || items[0].ID != "2" || items[1].ID != "4" {
		t.Errorf("Day 1 shows %+v", items)
	}
	if subs := f.subfolders(); len(subs) != 1 || subs[0].ID != "b" || f.currentID() != "a" {
		t.Errorf("Day 1 has subfolders %+v", subs)
	}
	if n := folderCount(s.Items, "Day 1"); n != 3 {
		t.Errorf("Day 1 holds %d files, want 3", n)
	}
	// The folder shown goes away: back to the top.
	s.Folders = s.Folders[:1]
	f.use(s)
	if f.path != "" {
		t.Errorf("path %q after its folder went", f.path)
	}
	// Behind a gate, or in a download link, nothing is browsed.
	for _, s := range []*model.PublicShare{{AllowedActions: "full", Needs: []string{"registration"}}, {AllowedActions: "download"}} {
		f.use(s)
		if f.browsing() {
			t.Errorf("browsing %+v", s)
		}
	}
}

func TestFieldNamed(t *testing.T) {
	fields := []model.FormField{{ID: "name", Label: "Name"}, {ID: "email", Label: "Email"},
		{ID: "f1", Label: "Company size"}, {ID: "company", Label: "Company"}, {ID: "f2", Label: "Outlet type"}}
	for _, tc := range []struct{ detail, want string }{
		{`"email" must be a valid address`, "email"},
		{"answer the required field name", "name"},
		{"Outlet type: choose one of Newspaper, Magazine", "f2"},
		{"company size is required", "f1"},
		{"surname is required", ""}, // "name" inside another word names nothing
		{"something else went wrong", ""},
	} {
		if got := fieldNamed(fields, tc.detail); got != tc.want {
			t.Errorf("fieldNamed(%q) = %q, want %q", tc.detail, got, tc.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"mara@coastal-weekly.example", true}, {"a.b+c@x.io", true},
		{"mara.coastal-weekly", false}, {"@x.io", false}, {"a@b", false}, {"a@b.", false},
		{"a b@x.io", false}, {"a@b@x.io", false}, {"a@x.io, b@y.io", false},
	} {
		if got := validEmail(tc.in); got != tc.ok {
			t.Errorf("validEmail(%q) = %v", tc.in, got)
		}
	}
}
