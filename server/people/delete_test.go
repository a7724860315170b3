package people

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/faces"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
	"github.com/ferryhq/ferry/server/testkit/teststore"
)

// library is a real assets service and face service over one store, wired
// as server/serve wires them: a deletion tells Forget of its files at once.
type library struct {
	dir    string
	st     *store.Store
	assets *assets.Service
	people *Service
	owner  assets.Viewer
}

func newLibrary(t testing.TB) *library {
	t.Helper()
	dir := t.TempDir()
	st := teststore.OpenData(t, dir)
	blobs := storage.Disk{Root: filepath.Join(dir, "blobs")}
	a := &assets.Service{Store: st, Blobs: blobs}
	p := &Service{Store: st, Blobs: blobs, ProjectOf: a.ProjectOf}
	if err := p.Load(); err != nil {
		t.Fatal(err)
	}
	a.Deleted = p.Forget
	return &library{dir: dir, st: st, assets: a, people: p, owner: assets.Viewer{UserID: "u1", Name: "Ana"}}
}

// photos adds n photos under parent as the tus hooks do and, with people,
// indexes each as indexing would store it: one face of person
// people[i % len(people)], with its crop and done mark.
func (l *library) photos(t testing.TB, parent string, n int, people []string) []string {
	t.Helper()
	var ids []string
	for i := range n {
		up, err := l.assets.PrepareUpload(l.owner, assets.UploadRequest{Name: fmt.Sprintf("p%04d.jpg", i), Filetype: "image/jpeg", Size: 1, ParentID: parent}, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.assets.SavePending(up); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(l.dir, "upload-"+up.ID)
		if err := os.WriteFile(tmp, []byte{1}, 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := l.assets.Complete(up.ID, tmp)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
		if len(people) == 0 {
			continue
		}
		f := Face{AssetID: a.ID, Person: people[i%len(people)], Score: 0.9, Box: faces.Box{W: 60, H: 60}}
		err = l.st.Update(func(tx *store.Tx) error {
			if err := tx.Put(faceKey(f), f); err != nil {
				return err
			}
			return tx.Put(prefixDone+a.ID, done{At: time.Now(), Faces: 1})
		})
		if err != nil {
			t.Fatal(err)
		}
		w, err := l.people.Blobs.Create(CropKey(f))
		if err == nil {
			_, err = w.Write([]byte("crop"))
			err = errors.Join(err, w.Close())
		}
		if err != nil {
			t.Fatal(err)
		}
		l.people.mu.Lock()
		l.people.byID[a.ID] = []Face{f}
		l.people.mu.Unlock()
	}
	return ids
}

// name gives each person a name in project, as a member would.
func (l *library) name(t testing.TB, project string, people []string) {
	t.Helper()
	in := l.people.PhotosIn(project)
	for _, p := range people {
		n := "Name of " + p
		if _, err := l.people.Update(project, p, in, &n, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// keys lists the store's keys under prefix.
func (l *library) keys(t testing.TB, prefix string) []string {
	t.Helper()
	var out []string
	err := l.st.View(func(tx *store.Tx) error {
		return tx.ScanKeys(prefix, func(k string) error { out = append(out, k); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// Deleting a folder of N indexed photos makes one pass over the people,
// whatever N (it made N before: a deletion cost N × the library), and so
// does deleting their project; what they leave behind is only what the
// photos that stay still show.
func TestDeletingAFolderPrunesPeopleOnce(t *testing.T) {
	l := newLibrary(t)
	p, err := l.assets.CreateProject(l.owner, "Gala")
	if err != nil {
		t.Fatal(err)
	}
	folder, err := l.assets.CreateFolder(l.owner, p.RootAssetID, "Day 1")
	if err != nil {
		t.Fatal(err)
	}
	cast := []string{"ann", "bob", "cid", "dan", "eve"}
	kept := l.photos(t, p.RootAssetID, 1, cast[:1]) // Ann stays at the root
	gone := l.photos(t, folder.ID, 60, cast)
	l.name(t, p.ID, cast)
	if got := len(l.keys(t, prefixPerson)); got != len(cast) {
		t.Fatalf("%d person records, want %d", got, len(cast))
	}

	before := l.people.prunes.Load()
	if err := l.assets.DeleteAsset(l.owner, folder.ID); err != nil {
		t.Fatal(err)
	}
	if n := l.people.prunes.Load() - before; n != 1 {
		t.Errorf("deleting a folder of %d indexed photos: %d passes over the people, want 1", len(gone), n)
	}
	if got, want := l.keys(t, prefixPerson), []string{personKey(p.ID, "ann")}; !slices.Equal(got, want) {
		t.Errorf("person records after deleting the folder: %v, want only Ann's %v", got, want)
	}
	want := []string{faceKey(Face{AssetID: kept[0]}), prefixDone + kept[0]}
	sort.Strings(want)
	if got := append(l.keys(t, prefixFace), l.keys(t, prefixDone)...); !slices.Equal(got, want) {
		t.Errorf("face records after deleting the folder: %v, want only the kept photo's %v", got, want)
	}
	for _, id := range gone {
		if _, err := l.people.Blobs.Stat(CropKey(Face{AssetID: id})); err == nil {
			t.Fatalf("the crop of deleted photo %s is left", id)
		}
	}
	if _, err := l.people.Blobs.Stat(CropKey(Face{AssetID: kept[0]})); err != nil {
		t.Errorf("the kept photo's crop: %v", err)
	}
	if ids := l.people.PhotosIn(p.ID); !slices.Equal(ids, kept) {
		t.Errorf("photos with faces after deleting the folder: %v, want %v", ids, kept)
	}

	if err := l.assets.DeleteProject(l.owner, p.ID); err != nil {
		t.Fatal(err)
	}
	if n := l.people.prunes.Load() - before; n != 2 {
		t.Errorf("deleting the folder, then the project: %d passes over the people, want 2", n)
	}
	if got := append(l.keys(t, prefixPerson), l.keys(t, prefixFace)...); len(got) != 0 {
		t.Errorf("records left after deleting the project: %v", got)
	}

	// A deletion without faces does not look at the people at all.
	q, err := l.assets.CreateProject(l.owner, "Plain")
	if err != nil {
		t.Fatal(err)
	}
	l.photos(t, q.RootAssetID, 5, nil)
	if err := l.assets.DeleteProject(l.owner, q.ID); err != nil {
		t.Fatal(err)
	}
	if n := l.people.prunes.Load() - before; n != 2 {
		t.Errorf("deleting a project without faces: %d passes over the people in all, want still 2", n)
	}
}

// TestDeletingAProjectCost times deleting a project of 1 000 indexed
// photos (one face each, 100 named people) against the same project
// without faces, and against the wiring before one pass per deletion
// (Forget, with its pass over the people, once per photo). make bench
// runs it (FERRY_BENCH=1); rounds alternate which side goes first.
func TestDeletingAProjectCost(t *testing.T) {
	if os.Getenv("FERRY_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it (FERRY_BENCH=1)")
	}
	const photos, rounds = 1000, 3
	cast := make([]string, 100)
	for i := range cast {
		cast[i] = fmt.Sprintf("person-%03d", i)
	}
	l := newLibrary(t)
	onePass := l.assets.Deleted
	perPhoto := func(ids []string) {
		for _, id := range ids {
			l.people.Forget([]string{id})
		}
	}
	type cost struct{ wall, cpu time.Duration }
	timeDelete := func(people []string, deleted func([]string)) cost {
		p, err := l.assets.CreateProject(l.owner, "Bench")
		if err != nil {
			t.Fatal(err)
		}
		l.photos(t, p.RootAssetID, photos, people)
		if len(people) > 0 {
			l.name(t, p.ID, people)
		}
		l.assets.Deleted = deleted
		start, cpu := time.Now(), cpuTime()
		if err := l.assets.DeleteProject(l.owner, p.ID); err != nil {
			t.Fatal(err)
		}
		d := cost{time.Since(start), cpuTime() - cpu}
		if left := l.keys(t, prefixFace); len(left) > 0 {
			t.Fatalf("%d face records left", len(left))
		}
		return d
	}
	var plain, faced, old []cost
	for r := range rounds {
		sides := []func(){
			func() { plain = append(plain, timeDelete(nil, onePass)) },
			func() { faced = append(faced, timeDelete(cast, onePass)) },
			func() { old = append(old, timeDelete(cast, perPhoto)) },
		}
		for i := range sides {
			sides[(i+r)%len(sides)]()
		}
	}
	med := func(cs []cost) (wall, cpu float64) {
		slices.SortFunc(cs, func(a, b cost) int { return int(a.wall - b.wall) })
		c := cs[len(cs)/2]
		return c.wall.Seconds(), c.cpu.Seconds()
	}
	pw, pc := med(plain)
	fw, fc := med(faced)
	ow, oc := med(old)
	t.Logf("BENCH delete photos=%d rounds=%d plain=%.3fs/%.3fcpu faces=%.3fs/%.3fcpu per_photo=%.3fs/%.3fcpu",
		photos, rounds, pw, pc, fw, fc, ow, oc)
}
