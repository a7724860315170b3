package access_test

import (
	"testing"

	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
)

// Inside on a small tree: root / {a.jpg, Day 1 / {b.jpg, Selects / c.jpg}, Day 2 / d.jpg}.
func TestInside(t *testing.T) {
	tree := map[string]assets.Asset{
		"root":    {ID: "root", Type: assets.TypeFolder},
		"a":       {ID: "a", Type: assets.TypeFile, ParentID: "root"},
		"day1":    {ID: "day1", Type: assets.TypeFolder, ParentID: "root"},
		"b":       {ID: "b", Type: assets.TypeFile, ParentID: "day1"},
		"selects": {ID: "selects", Type: assets.TypeFolder, ParentID: "day1"},
		"c":       {ID: "c", Type: assets.TypeFile, ParentID: "selects"},
		"day2":    {ID: "day2", Type: assets.TypeFolder, ParentID: "root"},
		"d":       {ID: "d", Type: assets.TypeFile, ParentID: "day2"},
		"stack":   {ID: "stack", Type: assets.TypeVersionStack, ParentID: "root"},
	}
	up := func(a assets.Asset) (assets.Asset, bool) {
		p, ok := tree[a.ParentID]
		return p, ok && a.ParentID != ""
	}
	cases := []struct {
		name   string
		listed []string
		file   string
		self   []string
		want   bool
	}{
		{"a listed file", []string{"a", "day1"}, "a", nil, true},
		{"a file in a listed folder", []string{"a", "day1"}, "b", nil, true},
		{"a file in a subfolder of a listed folder", []string{"a", "day1"}, "c", nil, true},
		{"a sibling folder's file", []string{"a", "day1"}, "d", nil, false},
		{"a listed file's sibling", []string{"b"}, "c", nil, false},
		{"a file beside a listed subfolder", []string{"selects"}, "b", nil, false},
		{"the root is not a shared folder", []string{"a"}, "d", nil, false},
		{"listed files and stacks reach nothing under them", []string{"b", "stack"}, "c", nil, false},
		{"a version listed before it was stacked", []string{"v1"}, "stack", []string{"v2", "v1"}, true},
		{"nothing listed", nil, "c", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			listed := map[string]bool{}
			for _, id := range tc.listed {
				listed[id] = true
			}
			self := append([]string{tc.file}, tc.self...)
			if got := access.Inside(func(id string) bool { return listed[id] }, self, tree[tc.file], up); got != tc.want {
				t.Errorf("Inside(%v, %s) = %v, want %v", tc.listed, tc.file, got, tc.want)
			}
		})
	}
	// A loop in the parents (a damaged store) ends at MaxDepth.
	loop := func(a assets.Asset) (assets.Asset, bool) { return assets.Asset{ID: "x", Type: assets.TypeFolder}, true }
	if access.Inside(func(id string) bool { return false }, []string{"c"}, tree["c"], loop) {
		t.Error("a parent loop reached something")
	}
}
