package assets_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

func newServiceB(t testing.TB) (*assets.Service, string) { return newServiceTB(t) }

func newService(t *testing.T) (*assets.Service, string) { return newServiceTB(t) }

func newServiceTB(t testing.TB) (*assets.Service, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	assets.CacheRecords(st) // as the server does
	s := &assets.Service{Store: st, Blobs: storage.Disk{Root: dir},
		IsImage: func(m, _ string) bool { return strings.HasPrefix(m, "image/") }}
	if _, err := s.IndexChildOrder(); err != nil { // as the server does at start
		t.Fatal(err)
	}
	return s, dir
}

var owner = assets.Viewer{UserID: "u1", Name: "Ana"}

// upload runs the same steps the tus hooks do: prepare, save, write bytes, complete.
func upload(t *testing.T, s *assets.Service, dir string, r assets.UploadRequest, data string) assets.Asset {
	t.Helper()
	r.Size = int64(len(data))
	up, err := s.PrepareUpload(owner, r, 1<<30)
	if err != nil {
		t.Fatalf("prepare %s: %v", r.Name, err)
	}
	if err := s.SavePending(up); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "upload-"+up.ID)
	if err := os.WriteFile(tmp, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := s.Complete(up.ID, tmp)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCleanName(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"photo.jpg", true}, {"  spaced  ", true}, {"Été 2027.mov", true},
		{"", false}, {"   ", false}, {".", false}, {"..", false}, {"../x", false}, {`a\b`, false},
		{"a/b", false}, {"nul\x00", false}, {"tab\there", false}, {strings.Repeat("x", 256), false}, {strings.Repeat("x", 255), true},
	} {
		_, err := assets.CleanName("file", tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("CleanName(%q) err=%v, want ok=%v", tc.in, err, tc.ok)
		}
		if err != nil && !errs.Is(err, errs.Invalid) {
			t.Errorf("CleanName(%q) = %v, want an Invalid error", tc.in, err)
		}
	}
}

func TestTreeMoveRenameDelete(t *testing.T) {
	s, dir := newService(t)
	p, err := s.CreateProject(owner, "Campaign")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.CreateFolder(owner, p.RootAssetID, "A")
	b, _ := s.CreateFolder(owner, a.ID, "B")
	f := upload(t, s, dir, assets.UploadRequest{Name: "x.txt", ParentID: b.ID}, "hello")

	// Moving a folder into its own subfolder is refused.
	if _, err := s.UpdateAsset(owner, a.ID, assets.AssetPatch{ParentID: &b.ID}); !errs.Is(err, errs.Invalid) {
		t.Errorf("cycle move: %v", err)
	}
	if _, err := s.UpdateAsset(owner, f.ID, assets.AssetPatch{ParentID: &f.ID}); !errs.Is(err, errs.Invalid) {
		t.Errorf("move into a file: %v", err)
	}
	moved, err := s.UpdateAsset(owner, f.ID, assets.AssetPatch{ParentID: &p.RootAssetID, Name: ptr("y.txt")})
	if err != nil || moved.ParentID != p.RootAssetID || moved.Name != "y.txt" {
		t.Fatalf("move+rename: %+v %v", moved, err)
	}
	crumbs, _ := s.Ancestors(owner, b.ID)
	if len(crumbs) != 2 || crumbs[0].ID != p.RootAssetID || crumbs[1].ID != a.ID {
		t.Errorf("ancestors of B = %+v", crumbs)
	}
	kids, _ := s.Children(owner, p.RootAssetID)
	if len(kids) != 2 || kids[0].Type != assets.TypeFolder {
		t.Errorf("root children (folders first) = %+v", kids)
	}
	// Other users do not see the project at all.
	if _, err := s.Children(assets.Viewer{UserID: "u2"}, p.RootAssetID); !errs.Is(err, errs.NotFound) {
		t.Errorf("stranger sees the project: %v", err)
	}
	if _, err := s.Children(assets.Viewer{UserID: "u2", Admin: true}, p.RootAssetID); err != nil {
		t.Errorf("admin does not see the project: %v", err)
	}
	// Deleting a folder deletes what is inside, and the root cannot go.
	g := upload(t, s, dir, assets.UploadRequest{Name: "g.txt", ParentID: b.ID}, "bytes")
	if err := s.DeleteAsset(owner, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetAsset(owner, g.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("file inside deleted folder still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, assets.OriginalKey(g.ID))); !os.IsNotExist(err) {
		t.Errorf("its bytes are still on disk: %v", err)
	}
	if err := s.DeleteAsset(owner, p.RootAssetID); !errs.Is(err, errs.Invalid) {
		t.Errorf("deleting the root: %v", err)
	}
	root, _ := s.GetAsset(owner, p.RootAssetID)
	if root.ItemCount != 1 {
		t.Errorf("root item_count = %d, want 1", root.ItemCount)
	}
}

func TestVersionStacks(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	v1 := upload(t, s, dir, assets.UploadRequest{Name: "cut.mov", ParentID: p.RootAssetID}, "1")
	v2 := upload(t, s, dir, assets.UploadRequest{Name: "cut2.mov", ParentID: p.RootAssetID}, "22")
	st, err := s.AddVersion(owner, v1.ID, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Type != assets.TypeVersionStack || st.Versions != 2 || st.CoverAssetID != v2.ID || st.Filesize != 2 {
		t.Fatalf("stack = %+v", st)
	}
	v3 := upload(t, s, dir, assets.UploadRequest{Name: "cut3.mov", VersionOf: v1.ID}, "333")
	kids, _ := s.Children(owner, st.ID)
	if len(kids) != 3 || kids[0].ID != v3.ID || kids[0].Index != 3 || kids[2].ID != v1.ID {
		t.Fatalf("versions newest first = %+v", kids)
	}
	root, _ := s.GetAsset(owner, p.RootAssetID)
	if root.ItemCount != 1 {
		t.Errorf("root item_count = %d, want 1 (the stack)", root.ItemCount)
	}
	// Bad version requests.
	other, _ := s.CreateProject(owner, "Other")
	o := upload(t, s, dir, assets.UploadRequest{Name: "o.mov", ParentID: other.RootAssetID}, "o")
	for name, next := range map[string]string{"other project": o.ID, "itself": st.ID, "already stacked": v2.ID} {
		if _, err := s.AddVersion(owner, st.ID, next); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Deleting the newest version makes the next one the cover; deleting all removes the stack.
	if err := s.DeleteAsset(owner, v3.ID); err != nil {
		t.Fatal(err)
	}
	st, _ = s.GetAsset(owner, st.ID)
	if st.CoverAssetID != v2.ID || st.Versions != 2 {
		t.Errorf("after deleting v3: %+v", st)
	}
	s.DeleteAsset(owner, v2.ID)
	s.DeleteAsset(owner, v1.ID)
	if _, err := s.GetAsset(owner, st.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("empty stack still exists: %v", err)
	}
	if root, _ := s.GetAsset(owner, p.RootAssetID); root.ItemCount != 0 {
		t.Errorf("root item_count = %d after the stack went", root.ItemCount)
	}
}

func TestCompleteIsAtomicAndRecovers(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	up, err := s.PrepareUpload(owner, assets.UploadRequest{Name: "crash.jpg", Filetype: "image/jpeg", ParentID: p.RootAssetID, Size: 4}, 100)
	if err != nil {
		t.Fatal(err)
	}
	s.SavePending(up)
	// Simulate a crash after the bytes moved but before the asset was written.
	tmp := filepath.Join(dir, "tmp-bytes")
	os.WriteFile(tmp, []byte("data"), 0o600)
	if err := s.Blobs.Import(tmp, assets.OriginalKey(up.ID)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Exists(up.ID); ok {
		t.Fatal("asset exists before Complete")
	}
	n, err := s.Recover()
	if err != nil || n != 1 {
		t.Fatalf("Recover = %d, %v", n, err)
	}
	a, err := s.GetAsset(owner, up.ID)
	if err != nil || a.Filesize != 4 || a.ProxyStatus != assets.ProxyQueued || a.UploadStatus != "" {
		t.Fatalf("recovered asset = %+v %v", a, err)
	}
	if _, err := s.Pending(up.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("pending record survived: %v", err)
	}
	// Recover again is a no-op.
	if n, err := s.Recover(); err != nil || n != 0 {
		t.Errorf("second Recover = %d, %v", n, err)
	}
	// Size limit and pending listing.
	if _, err := s.PrepareUpload(owner, assets.UploadRequest{Name: "big", ParentID: p.RootAssetID, Size: 101}, 100); !errs.Is(err, errs.TooLarge) {
		t.Errorf("over limit: %v", err)
	}
}

func TestUploadIntoFolderDeletedMidway(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	f, _ := s.CreateFolder(owner, p.RootAssetID, "Incoming")
	up, _ := s.PrepareUpload(owner, assets.UploadRequest{Name: "late.txt", ParentID: f.ID, Size: 2}, 100)
	s.SavePending(up)
	s.DeleteAsset(owner, f.ID)
	tmp := filepath.Join(dir, "late")
	os.WriteFile(tmp, []byte("hi"), 0o600)
	a, err := s.Complete(up.ID, tmp)
	if err != nil {
		t.Fatal(err)
	}
	if a.ParentID != p.RootAssetID {
		t.Errorf("an upload whose folder was deleted should land in the root, not be lost: parent %s", a.ParentID)
	}
}

func TestCollections(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	a := upload(t, s, dir, assets.UploadRequest{Name: "a", ParentID: p.RootAssetID}, "a")
	b := upload(t, s, dir, assets.UploadRequest{Name: "b", ParentID: p.RootAssetID}, "b")
	c, err := s.CreateCollection(owner, p.ID, assets.NewCollection{AssetIDs: []string{a.ID, b.ID, a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Name, "New collection from ") || len(c.AssetIDs) != 2 {
		t.Errorf("collection = %+v", c)
	}
	hidden, _ := s.CreateCollection(owner, p.ID, assets.NewCollection{Name: "link target", AssetIDs: []string{a.ID}, Hidden: true})
	list, _ := s.ListCollections(owner, p.ID, false)
	if len(list) != 1 || list[0].ID != c.ID {
		t.Errorf("visible collections = %+v", list)
	}
	all, _ := s.ListCollections(owner, p.ID, true)
	if len(all) != 2 {
		t.Errorf("with hidden: %d", len(all))
	}
	s.DeleteAsset(owner, b.ID)
	items, _ := s.CollectionItems(owner, c.ID)
	if len(items) != 1 || items[0].ID != a.ID {
		t.Errorf("items after deleting b = %+v", items)
	}
	other, _ := s.CreateProject(owner, "Other")
	o := upload(t, s, dir, assets.UploadRequest{Name: "o", ParentID: other.RootAssetID}, "o")
	if _, err := s.CreateCollection(owner, p.ID, assets.NewCollection{AssetIDs: []string{o.ID}}); !errs.Is(err, errs.Invalid) {
		t.Errorf("cross-project collection: %v", err)
	}
	if err := s.DeleteCollection(owner, hidden.ID); err != nil {
		t.Error(err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestChildrenPageFollowsNamesAndVersions(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	var files []assets.Asset
	for _, n := range []string{"b.txt", "A.txt", "c.txt"} {
		files = append(files, upload(t, s, dir, assets.UploadRequest{Name: n, ParentID: p.RootAssetID}, n))
	}
	s.CreateFolder(owner, p.RootAssetID, "zeta")
	names := func(as []assets.Asset) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	page, total, err := s.ChildrenPage(owner, p.RootAssetID, 0, 10)
	if err != nil || total != 4 || strings.Join(names(page), ",") != "zeta,A.txt,b.txt,c.txt" {
		t.Fatalf("page = %v (total %d, %v)", names(page), total, err)
	}
	// Renaming re-orders the index.
	s.UpdateAsset(owner, files[2].ID, assets.AssetPatch{Name: ptr("0-first.txt")})
	page, _, _ = s.ChildrenPage(owner, p.RootAssetID, 1, 2)
	if strings.Join(names(page), ",") != "0-first.txt,A.txt" {
		t.Errorf("page 2 of size 2 after rename = %v", names(page))
	}
	all, _ := s.Children(owner, p.RootAssetID)
	full, _, _ := s.ChildrenPage(owner, p.RootAssetID, 0, 100)
	if strings.Join(names(all), ",") != strings.Join(names(full), ",") {
		t.Errorf("Children %v and ChildrenPage %v disagree", names(all), names(full))
	}
	// Versions list newest first through the index too.
	st, err := s.AddVersion(owner, files[0].ID, files[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	v3 := upload(t, s, dir, assets.UploadRequest{Name: "b3.txt", VersionOf: st.ID}, "3")
	vs, total, _ := s.ChildrenPage(owner, st.ID, 0, 10)
	if total != 3 || vs[0].ID != v3.ID || vs[2].ID != files[0].ID {
		t.Errorf("versions = %v", names(vs))
	}
	if _, total, _ := s.ChildrenPage(owner, p.RootAssetID, 10, 10); total != 3 {
		t.Errorf("past the end: total %d, want 3 (stack, folder, file)", total)
	}
}

// TestChildOrderIndexStaysExact: after every create, rename, move, version
// and delete, each folder's pages read through the order index equal its
// fully sorted listing; and IndexChildOrder rebuilds a lost index.
func TestChildOrderIndexStaysExact(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	other, _ := s.CreateFolder(owner, p.RootAssetID, "Other")
	folders := []string{p.RootAssetID, other.ID}
	check := func(step string) {
		t.Helper()
		for _, f := range folders {
			all, err := s.Children(owner, f)
			if err != nil {
				t.Fatal(err)
			}
			var paged []string
			for off := 0; ; off += 3 {
				page, total, err := s.ChildrenPage(owner, f, off, 3)
				if err != nil || total != len(all) {
					t.Fatalf("%s: page at %d: total %d of %d (%v)", step, off, total, len(all), err)
				}
				if len(page) == 0 {
					break
				}
				for _, a := range page {
					paged = append(paged, a.ID)
				}
			}
			var want []string
			for _, a := range all {
				want = append(want, a.ID)
			}
			if strings.Join(paged, ",") != strings.Join(want, ",") {
				t.Fatalf("%s: pages %v, sorted listing %v", step, paged, want)
			}
		}
		var order, child int
		s.Store.View(func(tx *store.Tx) error {
			order, _ = tx.Count(store.PrefixChildOrder)
			child, _ = tx.Count(store.PrefixChild)
			return nil
		})
		if order != child {
			t.Fatalf("%s: %d order entries for %d children", step, order, child)
		}
	}
	var files []assets.Asset
	for i, n := range []string{"delta.jpg", "Alpha.jpg", "charlie.jpg", "bravo.jpg", "echo.jpg", "Foxtrot.jpg", "golf.jpg"} {
		files = append(files, upload(t, s, dir, assets.UploadRequest{Name: n, ParentID: folders[i%2]}, n))
	}
	s.CreateFolder(owner, p.RootAssetID, "zulu")
	check("created")
	s.UpdateAsset(owner, files[0].ID, assets.AssetPatch{Name: ptr("aaa.jpg")})
	check("renamed")
	s.UpdateAsset(owner, files[1].ID, assets.AssetPatch{ParentID: ptr(p.RootAssetID)})
	s.UpdateAsset(owner, files[2].ID, assets.AssetPatch{ParentID: ptr(other.ID)})
	check("moved")
	if _, err := s.AddVersion(owner, files[3].ID, files[4].ID); err != nil {
		t.Fatal(err)
	}
	check("stacked")
	if err := s.DeleteAsset(owner, files[5].ID); err != nil {
		t.Fatal(err)
	}
	check("deleted")
	// A database from before the order index: entries and marker gone.
	s.Store.Update(func(tx *store.Tx) error {
		var keys []string
		tx.ScanKeys(store.PrefixChildOrder, func(k string) error { keys = append(keys, k); return nil })
		for _, k := range keys {
			tx.Delete(k)
		}
		return tx.Delete(store.PrefixMeta + "child_order")
	})
	if n, err := s.IndexChildOrder(); err != nil || n == 0 {
		t.Fatalf("IndexChildOrder: %d entries, %v", n, err)
	}
	check("rebuilt")
	if n, _ := s.IndexChildOrder(); n != 0 {
		t.Errorf("IndexChildOrder ran twice (%d entries)", n)
	}
}
