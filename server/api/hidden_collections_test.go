package api_test

import (
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// Hidden collections (Picvario seed 001): created hidden or hidden later
// with PUT, listed only with include_hidden=true, yet they open by id for
// members and their share links keep working for visitors. Who may not
// reach the project cannot list, open or unhide them.
func TestHiddenCollections(t *testing.T) {
	f := newShareFixture(t)
	carol := createMember(t, f.admin, "carol@x.example", "member password 123")
	wantStatus(t, "members", f.admin.Do("PUT", "/api/v2/projects/"+f.project, model.ProjectPatch{MemberIDs: model.Ptr([]string{carol.ID})}, nil), 200, "")
	mem := f.s.Login(t, "carol@x.example", "member password 123")
	createMember(t, f.admin, "dave@x.example", "outsider password 123")
	outsider := f.s.Login(t, "dave@x.example", "outsider password 123")

	var hidden, shown model.Collection
	wantStatus(t, "create hidden", mem.Do("POST", "/api/v2/projects/"+f.project+"/collections",
		model.NewCollection{Name: "Selects", AssetIDs: f.images[:2], Hidden: true}, &hidden), 201, "")
	if !hidden.Hidden {
		t.Fatalf("created hidden: %+v", hidden)
	}
	wantStatus(t, "create shown", f.admin.Do("POST", "/api/v2/projects/"+f.project+"/collections",
		model.NewCollection{Name: "Team picks", AssetIDs: f.images[:1]}, &shown), 201, "")

	list := func(c *testkit.Client, q string) map[string]bool {
		t.Helper()
		var cs []model.Collection
		wantStatus(t, "list "+q, c.Do("GET", "/api/v2/projects/"+f.project+"/collections"+q, nil, &cs), 200, "")
		out := map[string]bool{}
		for _, c := range cs {
			out[c.ID] = c.Hidden
		}
		return out
	}
	for _, c := range []*testkit.Client{f.admin, mem} {
		if l := list(c, ""); len(l) != 1 || l[shown.ID] {
			t.Errorf("without include_hidden: %v", l)
		}
		if l := list(c, "?include_hidden=true"); len(l) != 2 || !l[hidden.ID] || l[shown.ID] {
			t.Errorf("with include_hidden: %v", l)
		}
	}

	// A hidden collection opens by id and can be shared.
	var got model.Collection
	wantStatus(t, "open hidden", mem.Do("GET", "/api/v2/collections/"+hidden.ID, nil, &got), 200, "")
	var link model.ShareLink
	wantStatus(t, "share hidden", mem.Do("POST", "/api/v2/share_links", model.NewShareLink{Kind: "public", CollectionID: hidden.ID}, &link), 201, "")
	var pub model.PublicShare
	wantStatus(t, "visit", f.s.Client(t).Do("GET", "/api/v2/public/links/"+link.Key, nil, &pub), 200, "")
	if len(pub.Items) != 2 {
		t.Errorf("visitor of a hidden collection's link sees %d items, want 2", len(pub.Items))
	}

	// Unhide and hide again with PUT; other fields stay.
	var put model.Collection
	wantStatus(t, "unhide", mem.Do("PUT", "/api/v2/collections/"+hidden.ID, model.CollectionPatch{Hidden: model.Ptr(false)}, &put), 200, "")
	if put.Hidden || put.Name != "Selects" || len(put.AssetIDs) != 2 {
		t.Errorf("after unhide: %+v", put)
	}
	if l := list(mem, ""); len(l) != 2 {
		t.Errorf("unhidden collection not listed: %v", l)
	}
	wantStatus(t, "hide", f.admin.Do("PUT", "/api/v2/collections/"+shown.ID, model.CollectionPatch{Hidden: model.Ptr(true)}, &put), 200, "")
	if l := list(mem, ""); len(l) != 1 || l[hidden.ID] {
		t.Errorf("after hiding the team collection: %v", l)
	}
	wantStatus(t, "visit after hide and unhide", f.s.Client(t).Do("GET", "/api/v2/public/links/"+link.Key, nil, nil), 200, "")

	// Refusals: bad input, an outsider, anonymous.
	wantStatus(t, "hidden not a bool", mem.Do("PUT", "/api/v2/collections/"+shown.ID, map[string]any{"hidden": "yes"}, nil) /* raw: a wrong type on purpose */, 400, "")
	wantStatus(t, "outsider lists", outsider.Do("GET", "/api/v2/projects/"+f.project+"/collections?include_hidden=true", nil, nil), 404, "")
	wantStatus(t, "outsider opens", outsider.Do("GET", "/api/v2/collections/"+shown.ID, nil, nil), 404, "")
	wantStatus(t, "outsider unhides", outsider.Do("PUT", "/api/v2/collections/"+shown.ID, model.CollectionPatch{Hidden: model.Ptr(false)}, nil), 404, "")
	wantStatus(t, "outsider creates hidden", outsider.Do("POST", "/api/v2/projects/"+f.project+"/collections", model.NewCollection{Name: "x", Hidden: true}, nil), 404, "")
	anon := f.s.Client(t)
	wantStatus(t, "anonymous lists", anon.Do("GET", "/api/v2/projects/"+f.project+"/collections?include_hidden=true", nil, nil), 401, "")
	wantStatus(t, "anonymous unhides", anon.Do("PUT", "/api/v2/collections/"+shown.ID, model.CollectionPatch{Hidden: model.Ptr(false)}, nil), 401, "")
	if l := list(f.admin, "?include_hidden=true"); !l[shown.ID] {
		t.Errorf("a refused unhide changed the collection: %v", l)
	}
}
