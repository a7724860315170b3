package api_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/poll"
	"github.com/ferryhq/ferry/server/testkit/teststore"
)

// TestDeletingForgetsFacesAndPeople: deleting a folder, then a whole
// project, deletes their photos' faces, crops and indexing records, and
// what members said of people left without a face there (names, merges,
// split faces, hiding), while the same people's names in another project,
// where they still have photos, stay. The store is read afterwards to
// prove nothing of the deleted photos and project is left.
func TestDeletingForgetsFacesAndPeople(t *testing.T) {
	f := newFaceEvent(t)
	gala := f.link.ProjectID
	api := f.admin.API()

	// Project Second: photo 0 (Johns 0 and 1) at its root, photos 2
	// (Johns 0 and 2) and 3 (Johns 1 and 3) in its folder "Day 2".
	second, root := linkProject(t, f.admin, "Second")
	day2, err := api.CreateFolder(root, "Day 2")
	wantErr(t, "folder", err, 0, "")
	upload := func(parent string, photo int) string {
		t.Helper()
		status, id := visitorUpload(t, f.admin, map[string]string{"filename": "s" + string(rune('0'+photo)) + ".jpg",
			"filetype": "image/jpeg", "parent_id": parent}, f.ev.Photos[photo])
		if status != 204 {
			t.Fatalf("upload photo %d: %d", photo, status)
		}
		return id
	}
	kept := upload(root, 0)
	inFolder := []string{upload(day2.ID, 2), upload(day2.ID, 3)}
	waitReady(t, f.admin, append([]string{kept}, inFolder...)...)
	f.waitIndexed(t, 11)

	// Every kind of record in Gala: a name, a merge, a hidden person, a
	// split face with a name of its own.
	galaPeople, err := api.ProjectPeople(gala, false)
	wantErr(t, "Gala's people", err, 0, "")
	john := make([]model.ProjectPerson, 5)
	for i := range john {
		john[i] = personOf(t, api, gala, galaPeople, f.expected(i))
	}
	_, err = api.UpdatePerson(gala, john[0].ID, model.PersonPatch{Name: model.Ptr("Ann in Gala")})
	wantErr(t, "name in Gala", err, 0, "")
	_, err = api.MergePeople(gala, john[1].ID, john[2].ID)
	wantErr(t, "merge in Gala", err, 0, "")
	_, err = api.UpdatePerson(gala, john[3].ID, model.PersonPatch{Hidden: model.Ptr(true)})
	wantErr(t, "hide in Gala", err, 0, "")
	d, err := api.ProjectPerson(gala, john[4].ID)
	wantErr(t, "John 4", err, 0, "")
	split, err := api.SplitFace(gala, d.Faces[0].ID)
	wantErr(t, "split in Gala", err, 0, "")
	_, err = api.UpdatePerson(gala, split.ID, model.PersonPatch{Name: model.Ptr("Split in Gala")})
	wantErr(t, "name the split face", err, 0, "")

	// In Second: John 0 (who keeps photo 0) and John 3 (only in the folder).
	secondPeople, err := api.ProjectPeople(second, false)
	wantErr(t, "Second's people", err, 0, "")
	zed := personOf(t, api, second, secondPeople, sorted([]string{kept, inFolder[0]}))
	tri := personOf(t, api, second, secondPeople, inFolder[1:])
	for who, name := range map[string]string{zed.ID: "Zed", tri.ID: "Tri"} {
		_, err := api.UpdatePerson(second, who, model.PersonPatch{Name: model.Ptr(name)})
		wantErr(t, "name "+name, err, 0, "")
	}

	waitFaces := func(what string, faces, indexed int) {
		t.Helper()
		poll.Until(t, 30*time.Second, func() error {
			var st model.FaceSettings
			wantStatus(t, "status", f.admin.Do("GET", "/api/v2/settings/faces", nil, &st), 200, "")
			if st.Faces == faces && st.Indexed == indexed {
				return nil
			}
			return fmt.Errorf("after %s: %+v, want %d faces in %d photos", what, st, faces, indexed)
		})
	}
	wantErr(t, "delete the folder", api.DeleteAsset(day2.ID), 0, "")
	waitFaces("deleting the folder", 19+2, 9)
	wantErr(t, "delete Gala", api.DeleteProject(gala), 0, "")
	waitFaces("deleting Gala", 2, 1)

	// Second keeps its two people, and Zed their name.
	after, err := api.ProjectPeople(second, true)
	wantErr(t, "Second's people after", err, 0, "")
	names := map[string]string{}
	for _, p := range after {
		names[p.ID] = p.Name
	}
	if len(after) != 2 || names[zed.ID] != "Zed" {
		t.Fatalf("Second's people after the deletions: %+v, want Zed and one more", after)
	}
	var st model.FaceSettings
	wantStatus(t, "status", f.admin.Do("GET", "/api/v2/settings/faces", nil, &st), 200, "")
	if st.People != 2 {
		t.Errorf("%d people in the library, want Second's 2: %+v", st.People, st)
	}

	gone := append(slices.Clone(f.photos), inFolder...)
	gone = append(gone, gala, f.root, day2.ID)
	f.s.Stop()
	// No crop of a deleted photo is left on disk.
	for _, id := range gone {
		if crops, _ := filepath.Glob(filepath.Join(f.s.DataDir, "proxies", "*", id, "face-*.jpg")); len(crops) > 0 {
			t.Errorf("face crops of deleted photo %s are left: %v", id, crops)
		}
	}
	if _, err := os.Stat(filepath.Join(f.s.DataDir, "proxies", kept[:2], kept, "face-0.jpg")); err != nil {
		t.Errorf("the kept photo's crop: %v", err)
	}
	st2 := teststore.OpenData(t, f.s.DataDir)
	var faceKeys, personKeys []string
	err = st2.View(func(tx *store.Tx) error {
		return tx.ScanKeys("", func(k string) error {
			for _, id := range gone {
				if strings.Contains(k, id) {
					t.Errorf("a key of the deleted %s is left: %s", id, k)
				}
			}
			switch {
			case strings.HasPrefix(k, "face"): // face/, faceq/, facedone/
				faceKeys = append(faceKeys, k)
			case strings.HasPrefix(k, "person/"):
				personKeys = append(personKeys, k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	wantFace := []string{"face/" + kept + "/0000", "face/" + kept + "/0001", "facedone/" + kept}
	slices.Sort(faceKeys)
	slices.Sort(wantFace)
	if !slices.Equal(faceKeys, wantFace) {
		t.Errorf("face records left: %v, want only the kept photo's: %v", faceKeys, wantFace)
	}
	if want := []string{"person/" + second + "/" + zed.ID}; !slices.Equal(personKeys, want) {
		t.Errorf("person records left: %v, want only Zed's in Second: %v", personKeys, want)
	}
}
