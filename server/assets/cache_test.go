package assets_test

import (
	"fmt"
	"testing"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

func names(as []assets.Asset) string {
	s := ""
	for _, a := range as {
		s += a.Name + " "
	}
	return s
}

// Pages of a folder are cached by the version of the folder's mark: every
// change a listing shows (add, rename, move, delete, a child's record, its
// checksum, the project's members) shows on the next read.
func TestChildrenPageFollowsChanges(t *testing.T) {
	s, dir := newService(t)
	p, _ := s.CreateProject(owner, "P")
	root := p.RootAssetID
	page := func(v assets.Viewer, offset, limit int) ([]assets.Asset, int) {
		t.Helper()
		as, total, err := s.ChildrenPage(v, root, offset, limit)
		if err != nil {
			t.Fatal(err)
		}
		return as, total
	}
	for _, n := range []string{"c", "a", "b"} {
		if _, err := s.CreateFolder(owner, root, n); err != nil {
			t.Fatal(err)
		}
	}
	file := upload(t, s, dir, assets.UploadRequest{Name: "z.txt", ParentID: root}, "hello")
	for i := 0; i < 2; i++ { // the second read comes from the cache
		if as, total := page(owner, 0, 2); names(as) != "a b " || total != 4 {
			t.Fatalf("read %d: %q of %d", i, names(as), total)
		}
	}
	if as, _ := page(owner, 2, 2); names(as) != "c z.txt " {
		t.Fatalf("page 2: %q", names(as))
	}
	a := findNamed(t, s, root, "a")
	if _, err := s.UpdateAsset(owner, a.ID, assets.AssetPatch{Name: ptr("d")}); err != nil {
		t.Fatal(err)
	}
	if as, _ := page(owner, 0, 2); names(as) != "b c " {
		t.Fatalf("after a rename: %q", names(as))
	}
	b := findNamed(t, s, root, "b")
	c := findNamed(t, s, root, "c")
	if _, err := s.UpdateAsset(owner, b.ID, assets.AssetPatch{ParentID: &c.ID}); err != nil {
		t.Fatal(err)
	}
	if as, total := page(owner, 0, 10); names(as) != "c d z.txt " || total != 3 {
		t.Fatalf("after a move: %q of %d", names(as), total)
	}
	// A child's own record (c gains a folder) changes no order of root.
	if _, err := s.CreateFolder(owner, c.ID, "e"); err != nil {
		t.Fatal(err)
	}
	if as, _ := page(owner, 0, 10); as[0].ItemCount != 2 {
		t.Fatalf("the folder shows %d items, want 2", as[0].ItemCount)
	}
	if err := s.ChecksumBlob(assets.OriginalKey(file.ID)); err != nil {
		t.Fatal(err)
	}
	if as, _ := page(owner, 2, 1); as[0].Checksums == nil || as[0].Checksums.XXHash == "" {
		t.Fatalf("no checksum after ChecksumBlob: %+v", as[0].Checksums)
	}
	if err := s.DeleteAsset(owner, c.ID); err != nil {
		t.Fatal(err)
	}
	if as, total := page(owner, 0, 10); names(as) != "d z.txt " || total != 2 {
		t.Fatalf("after a delete: %q of %d", names(as), total)
	}
	// A caller changing its page changes nothing cached.
	as, _ := page(owner, 0, 10)
	as[0].Name = "changed"
	if as, _ := page(owner, 0, 10); as[0].Name != "d" {
		t.Fatalf("a caller's change reached the cache: %q", as[0].Name)
	}
	// A member removed from the project is refused at once.
	member := assets.Viewer{UserID: "u2", Name: "Ben"}
	if _, err := s.UpdateProject(owner, p.ID, assets.ProjectPatch{MemberIDs: &[]string{"u2"}}); err != nil {
		t.Fatal(err)
	}
	if as, _ := page(member, 0, 10); len(as) != 2 {
		t.Fatalf("member sees %q", names(as))
	}
	if _, err := s.UpdateProject(owner, p.ID, assets.ProjectPatch{MemberIDs: &[]string{}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ChildrenPage(member, root, 0, 10); !errs.Is(err, errs.NotFound) {
		t.Fatalf("removed member: %v, want not found", err)
	}
	if _, _, err := s.ChildrenPage(assets.Viewer{UserID: "stranger"}, root, 0, 10); !errs.Is(err, errs.NotFound) {
		t.Fatalf("stranger: %v, want not found", err)
	}
}

// Page 100 of a folder of 10 000 is read as page 1 is: the same ids in
// display order, and the same total.
func TestChildrenPageDeepPages(t *testing.T) {
	s, _ := newService(t)
	p, _ := s.CreateProject(owner, "P")
	for i := 0; i < 1000; i++ {
		if _, err := s.CreateFolder(owner, p.RootAssetID, fmt.Sprintf("f%04d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, pg := range []int{0, 5, 9, 10} {
		for read := 0; read < 2; read++ {
			as, total, err := s.ChildrenPage(owner, p.RootAssetID, pg*100, 100)
			if err != nil || total != 1000 {
				t.Fatalf("page %d: %d total, %v", pg, total, err)
			}
			want := 100
			if pg == 10 {
				want = 0
			}
			if len(as) != want || want > 0 && (as[0].Name != fmt.Sprintf("f%04d", pg*100) || as[99].Name != fmt.Sprintf("f%04d", pg*100+99)) {
				t.Fatalf("page %d read %d: %d items from %q", pg, read, len(as), names(as[:min(1, len(as))]))
			}
		}
	}
}

func findNamed(t *testing.T, s *assets.Service, parent, name string) assets.Asset {
	t.Helper()
	kids, err := s.Children(owner, parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		if k.Name == name {
			return k
		}
	}
	t.Fatalf("no %q in %s", name, parent)
	return assets.Asset{}
}
