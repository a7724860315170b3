package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
)

// personOf finds the person of a project whose photos are exactly want.
func personOf(t *testing.T, api *client.Client, project string, people []model.ProjectPerson, want []string) model.ProjectPerson {
	t.Helper()
	for _, p := range people {
		d, err := api.ProjectPerson(project, p.ID)
		wantErr(t, "person", err, 0, "")
		if slices.Equal(sorted(d.AssetIDs), want) {
			return p
		}
	}
	t.Fatalf("no person with photos %v among %+v", want, people)
	return model.ProjectPerson{}
}

// TestProjectPeople: a member of a project names, merges, splits and hides
// its people; the visitor strip of a link follows, with names only when
// the link shows them; the edits survive the re-cluster new photos bring.
func TestProjectPeople(t *testing.T) {
	f := newFaceEvent(t)
	project := f.link.ProjectID
	createMember(t, f.admin, "in@example.com", "member password 1")
	wantStatus(t, "add collaborator", f.admin.Do("POST", "/api/v2/projects/"+project+"/collaborators", model.NewCollaborator{Email: "in@example.com"}, nil), 200, "")
	member := f.s.Login(t, "in@example.com", "member password 1").API()

	people, err := member.ProjectPeople(project, false)
	wantErr(t, "list", err, 0, "")
	if len(people) != 5 {
		t.Fatalf("%d people in the project, want the 5 Johns: %+v", len(people), people)
	}
	for _, p := range people {
		if p.Photos < 3 || p.Faces != p.Photos || p.Name != "" || p.Hidden {
			t.Errorf("person %+v", p)
		}
		res := f.s.Login(t, "in@example.com", "member password 1").Do("GET", p.CoverURL, nil, nil)
		wantStatus(t, "cover", res, 200, "")
	}
	john := make([]model.ProjectPerson, 5)
	for i := range john {
		john[i] = personOf(t, member, project, people, f.expected(i))
	}

	named, err := member.UpdatePerson(project, john[0].ID, model.PersonPatch{Name: model.Ptr("  Ann Example ")})
	wantErr(t, "rename", err, 0, "")
	if named.Name != "Ann Example" {
		t.Errorf("renamed to %q", named.Name)
	}
	merged, err := member.MergePeople(project, john[1].ID, john[2].ID)
	wantErr(t, "merge", err, 0, "")
	union := sorted(append(f.expected(1), f.expected(2)...))
	union = slices.Compact(union)
	if merged.Photos != len(union) {
		t.Errorf("merged person in %d photos, want %d", merged.Photos, len(union))
	}
	_, err = member.UpdatePerson(project, john[3].ID, model.PersonPatch{Hidden: model.Ptr(true)})
	wantErr(t, "hide", err, 0, "")
	detail, err := member.ProjectPerson(project, john[4].ID)
	wantErr(t, "detail", err, 0, "")
	split, err := member.SplitFace(project, detail.Faces[0].ID)
	wantErr(t, "split", err, 0, "")
	if split.Photos != 1 || split.ID == john[4].ID {
		t.Errorf("split gave %+v", split)
	}
	list, _ := member.ProjectPeople(project, false)
	withHidden, _ := member.ProjectPeople(project, true)
	if len(list) != 4 || len(withHidden) != 5 {
		t.Errorf("after merge, hide, split: %d people shown, %d with hidden; want 4 and 5", len(list), len(withHidden))
	}

	// The visitor strip: merged as one, hidden and single-photo people
	// left out, no names until the link shows them.
	visitor := f.s.Client(t)
	stripOf := func() map[string]string {
		t.Helper()
		var raw model.PeopleStrip
		wantStatus(t, "strip", visitor.Do("GET", "/api/v2/public/links/"+f.link.Key+"/people", nil, &raw), 200, "")
		out := map[string]string{}
		for _, p := range raw.People {
			out[p.ID] = p.Name
		}
		return out
	}
	got := stripOf()
	if len(got) != 3 || got[john[0].ID] != "" || got[john[2].ID] != "" {
		t.Fatalf("strip %v: want Ann, the merged pair and John 4, no names", got)
	}
	if _, ok := got[john[3].ID]; ok {
		t.Error("a hidden person is in the strip")
	}
	var photos model.PeoplePhotos
	wantStatus(t, "hidden person's photos", visitor.Do("GET", "/api/v2/public/links/"+f.link.Key+"/people/"+john[3].ID, nil, &photos), 200, "")
	if len(photos.AssetIDs) != 0 {
		t.Errorf("a hidden person's photos reach visitors: %v", photos.AssetIDs)
	}
	wantStatus(t, "show names", f.admin.Do("PUT", "/api/v2/share_links/"+f.link.ID, model.ShareLinkPatch{ShowPersonNames: model.Ptr(true)}, nil), 200, "")
	if got = stripOf(); got[john[0].ID] != "Ann Example" {
		t.Errorf("with show_person_names the strip says %v", got)
	}

	// New photos bring a re-cluster; names, merges, splits and hiding stay.
	status, _ := visitorUpload(t, f.admin, map[string]string{"filename": "again.jpg", "filetype": "image/jpeg", "parent_id": f.root}, f.ev.Photos[0])
	if status != 204 {
		t.Fatalf("upload: %d", status)
	}
	f.waitIndexed(t, 9)
	after, _ := member.ProjectPeople(project, false)
	names := map[string]string{}
	for _, p := range after {
		names[p.ID] = p.Name
	}
	if len(after) != 4 || names[john[0].ID] != "Ann Example" {
		t.Errorf("after a re-cluster: %+v", after)
	}
	if d, err := member.ProjectPerson(project, john[0].ID); err != nil || d.Person.Photos != len(f.expected(0))+1 {
		t.Errorf("Ann after a new photo of her: %+v %v", d.Person, err)
	}
}

func TestProjectPeopleRefusals(t *testing.T) {
	f := newFaceEvent(t)
	project := f.link.ProjectID
	people, err := f.admin.API().ProjectPeople(project, false)
	wantErr(t, "admin lists", err, 0, "")
	if len(people) != 5 {
		t.Fatalf("%d people", len(people))
	}
	// A person in no photo of project Other: not one of photo 0's two.
	var galaOnly model.ProjectPerson
	for _, p := range people {
		d, _ := f.admin.API().ProjectPerson(project, p.ID)
		if !slices.Contains(d.AssetIDs, f.photos[0]) {
			galaOnly = p
		}
	}
	person, crop := "/api/v2/projects/"+project+"/people/"+galaOnly.ID, galaOnly.CoverURL
	faceID := crop[strings.LastIndexByte(crop, '/')+1:]

	createMember(t, f.admin, "out@example.com", "member password 1")
	outsider := f.s.Login(t, "out@example.com", "member password 1")
	otherProject, otherRoot := linkProject(t, outsider, "Other")
	status, _ := visitorUpload(t, outsider, map[string]string{"filename": "o.jpg", "filetype": "image/jpeg", "parent_id": otherRoot}, f.ev.Photos[0])
	if status != 204 {
		t.Fatalf("upload: %d", status)
	}
	f.waitIndexed(t, 9)
	visitor := f.s.Client(t)
	wantStatus(t, "open link", visitor.Do("GET", "/api/v2/public/links/"+f.link.Key, nil, nil), 200, "")
	anon := f.s.Client(t)

	routes := []struct{ method, path string }{
		{"GET", "/api/v2/projects/" + project + "/people"},
		{"GET", person},
		{"PUT", person},
		{"POST", person + "/merge"},
		{"POST", "/api/v2/projects/" + project + "/faces/" + faceID + "/split"},
		{"GET", crop},
	}
	body := func(method string) any {
		if method == "PUT" {
			return model.PersonPatch{Name: model.Ptr("Mallory")}
		}
		if method == "POST" {
			return model.PersonMerge{PersonID: people[0].ID}
		}
		return nil
	}
	for _, r := range routes {
		wantStatus(t, "member of another project "+r.method+" "+r.path, outsider.Do(r.method, r.path, body(r.method), nil), 404, "")
		wantStatus(t, "link visitor "+r.method+" "+r.path, visitor.Do(r.method, r.path, body(r.method), nil), 401, "")
		wantStatus(t, "anonymous "+r.method+" "+r.path, anon.Do(r.method, r.path, body(r.method), nil), 401, "")
	}
	readOnly := f.s.TokenClient(t, "assets.read")
	wantStatus(t, "token without assets.update", readOnly.Do("PUT", person, model.PersonPatch{Name: model.Ptr("X")}, nil), 403, "insufficient_scope")
	wantStatus(t, "token without assets.update merges", readOnly.Do("POST", person+"/merge", model.PersonMerge{PersonID: people[0].ID}, nil), 403, "insufficient_scope")
	wantStatus(t, "token with assets.read lists", readOnly.Do("GET", "/api/v2/projects/"+project+"/people", nil, nil), 200, "")
	wantStatus(t, "token without assets.read", f.s.TokenClient(t, "projects.read").Do("GET", "/api/v2/projects/"+project+"/people", nil, nil), 403, "insufficient_scope")

	// A person id of project Gala through project Other, by its own member.
	otherPath := "/api/v2/projects/" + otherProject + "/people/"
	wantStatus(t, "Gala's person via Other", outsider.Do("GET", otherPath+galaOnly.ID, nil, nil), 404, "")
	wantStatus(t, "rename Gala's person via Other", outsider.Do("PUT", otherPath+galaOnly.ID, model.PersonPatch{Name: model.Ptr("Mallory")}, nil), 404, "")
	wantStatus(t, "Gala's crop via Other", outsider.Do("GET", "/api/v2/projects/"+otherProject+"/faces/"+faceID, nil, nil), 404, "")
	wantStatus(t, "split Gala's face via Other", outsider.Do("POST", "/api/v2/projects/"+otherProject+"/faces/"+faceID+"/split", nil, nil), 404, "")
	mine, err := outsider.API().ProjectPeople(otherProject, false)
	wantErr(t, "Other's people", err, 0, "")
	if len(mine) != 2 {
		t.Fatalf("Other has %d people, want photo 0's two", len(mine))
	}
	wantStatus(t, "merge Gala's person into Other's", outsider.Do("POST", otherPath+mine[0].ID+"/merge", model.PersonMerge{PersonID: galaOnly.ID}, nil), 404, "")

	// Bad input: a clear 400 with the reason, nothing changed.
	admin := f.admin
	for _, c := range []struct {
		name, method, path string
		body               any
	}{
		{"empty patch", "PUT", person, model.PersonPatch{}},
		{"name too long", "PUT", person, model.PersonPatch{Name: model.Ptr(strings.Repeat("n", 101))}},
		{"unknown field", "PUT", person, map[string]any{"nom": "x"}}, // raw on purpose: a field Ferry does not know
		{"merge without person", "POST", person + "/merge", model.PersonMerge{}},
		{"merge with oneself", "POST", person + "/merge", model.PersonMerge{PersonID: galaOnly.ID}},
	} {
		wantStatus(t, c.name, admin.Do(c.method, c.path, c.body, nil), 400, "")
	}
	wantStatus(t, "unknown person", admin.Do("PUT", "/api/v2/projects/"+project+"/people/nobody", model.PersonPatch{Name: model.Ptr("x")}, nil), 404, "")
	if after, _ := admin.API().ProjectPeople(project, true); len(after) != 5 || after[0].Name != "" {
		t.Errorf("refused edits changed the people: %+v", after)
	}

	// Face search off: the routes answer 404.
	wantStatus(t, "switch off", admin.Do("PUT", "/api/v2/settings/faces", model.FaceSearchSwitch{Enabled: model.Ptr(false)}, nil), 200, "")
	wantStatus(t, "people while off", admin.Do("GET", "/api/v2/projects/"+project+"/people", nil, nil), 404, "")
}
