package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// The collection made for a share link of several items is personal to
// whoever made the link: only its creator sees it in the project's list
// (with or without hidden ones), it takes the name given at creation or
// «New collection from [date]», and the link still works. Collections
// made on their own are listed to every member, as before.
func TestPersonalLinkCollections(t *testing.T) {
	f := newShareFixture(t)
	carol := createMember(t, f.admin, "carol@x.example", "member password 123")
	wantStatus(t, "members", f.admin.Do("PUT", "/api/v2/projects/"+f.project, model.ProjectPatch{MemberIDs: model.Ptr([]string{carol.ID})}, nil), 200, "")
	mem := f.s.Login(t, "carol@x.example", "member password 123")

	mine := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: f.images[:2], CollectionName: "Picks for Acme"})
	var hersLink model.ShareLink
	wantStatus(t, "carol's link", mem.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", AssetIDs: []string{f.images[1], f.images[2]}}, &hersLink), 201, "")
	var team model.Collection
	wantStatus(t, "team collection", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/collections", model.NewCollection{Name: "Team picks", AssetIDs: f.images[:1]}, &team), 201, "")

	list := func(c *testkit.Client, q string) map[string]model.Collection {
		t.Helper()
		var cs []model.Collection
		wantStatus(t, "list", c.Do("GET", "/api/v2/projects/"+f.project+"/collections"+q, nil, &cs), 200, "")
		out := map[string]model.Collection{}
		for _, c := range cs {
			out[c.ID] = c
		}
		return out
	}
	for _, q := range []string{"", "?include_hidden=true"} {
		admin, carols := list(f.admin, q), list(mem, q)
		if c, ok := admin[mine.TargetID]; !ok || !c.Personal || c.Name != "Picks for Acme" {
			t.Errorf("%q: the admin's link collection in the admin's list: %+v (present %v)", q, c, ok)
		}
		if _, ok := carols[mine.TargetID]; ok {
			t.Errorf("%q: carol sees the admin's link collection", q)
		}
		if c, ok := carols[hersLink.TargetID]; !ok || !c.Personal || !strings.HasPrefix(c.Name, "New collection from ") {
			t.Errorf("%q: carol's link collection in her list: %+v (present %v)", q, c, ok)
		}
		if _, ok := admin[hersLink.TargetID]; ok {
			t.Errorf("%q: the admin sees carol's link collection", q)
		}
		if c, ok := carols[team.ID]; !ok || c.Personal {
			t.Errorf("%q: the team collection in carol's list: %+v (present %v)", q, c, ok)
		}
	}

	// The link of a personal collection still works for visitors and
	// still shows both files.
	var pub model.PublicShare
	wantStatus(t, "visit", f.s.Client(t).Do("GET", "/api/v2/public/links/"+hersLink.Key, nil, &pub), 200, "")
	var ids []string
	for _, it := range pub.Items {
		ids = append(ids, it.ID)
	}
	slices.Sort(ids)
	want := []string{f.images[1], f.images[2]}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("visitor sees %v, want %v", ids, want)
	}

	// Turning a single-file link into a selection makes a personal
	// collection too.
	one := f.create(t, model.NewShareLink{Kind: "public", AssetIDs: f.images[:1]})
	var edited model.ShareLink
	wantStatus(t, "edit items", f.admin.Do("POST", "/api/v2/share_links/"+one.ID+"/items", model.ShareLinkItems{Add: []string{f.pdf}}, &edited), 200, "")
	if c, ok := list(f.admin, "")[edited.TargetID]; edited.TargetType != "collection" || !ok || !c.Personal {
		t.Errorf("single-file link turned selection: %+v, collection %+v", edited, c)
	}
	if _, ok := list(mem, "")[edited.TargetID]; ok {
		t.Error("carol sees the admin's new selection collection")
	}
}
