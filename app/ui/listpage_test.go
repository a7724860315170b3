package ui

import (
	"slices"
	"strings"
	"testing"
)

func TestListShown(t *testing.T) {
	l := List[string]{Items: []string{"Mia Member mia@example.com", "Jane Admin jane@example.com", "Member D d@example.com"}, Loaded: true}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", l.Items},
		{"   ", l.Items},
		{"MIA", l.Items[:1]},
		{"member", []string{l.Items[0], l.Items[2]}},
		{"member d@", l.Items[2:]},        // every word, anywhere
		{"d@ member", l.Items[2:]},        // in any order
		{"jane nobody", nil},              // a word that matches nothing hides the row
		{"example.com", l.Items},          // a word in every row keeps them all
		{"ane@exa", []string{l.Items[1]}}, // parts of words count
	} {
		l.Query = c.query
		if got := l.Shown(func(s string) string { return s }); !slices.Equal(got, c.want) {
			t.Errorf("Shown(%q) = %q, want %q", c.query, got, c.want)
		}
	}
}

func TestListSearchBoxFromEightRecords(t *testing.T) {
	var l List[string]
	for i := range SearchFrom {
		if l.SearchBox("s", "Search", "") != nil {
			t.Fatalf("a search with %d records", i)
		}
		l.Items = append(l.Items, strings.Repeat("x", i))
	}
	if l.SearchBox("s", "Search", "") == nil {
		t.Fatalf("no search with %d records", len(l.Items))
	}
	// A search typed stays while the list shrinks below eight, so it can
	// be cleared.
	l.Items, l.Query = l.Items[:2], "x"
	if l.SearchBox("s", "Search", "") == nil {
		t.Fatal("the search went while it still filters")
	}
}
