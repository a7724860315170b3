package assets

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/uuid"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/storage"
	"github.com/ferryhq/ferry/server/store"
)

// A folder too big to delete in one Badger transaction (thousands of
// items, one of its folders too big alone) is deleted in parts, whole, by
// a viewer who may; one who may not deletes nothing.
func TestDeleteFolderTooBigForOneTransaction(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &Service{Store: st, Blobs: storage.Disk{Root: dir}}
	if _, err := s.IndexChildOrder(); err != nil {
		t.Fatal(err)
	}
	owner := Viewer{UserID: "u1", Name: "Ana"}
	p, err := s.CreateProject(owner, "P")
	if err != nil {
		t.Fatal(err)
	}
	big, err := s.CreateFolder(owner, p.RootAssetID, "big")
	if err != nil {
		t.Fatal(err)
	}
	nested, err := s.CreateFolder(owner, big.ID, "nested")
	if err != nil {
		t.Fatal(err)
	}
	keep, err := s.CreateFolder(owner, p.RootAssetID, "keep")
	if err != nil {
		t.Fatal(err)
	}
	// Folders made a thousand a transaction: CreateFolder one by one takes
	// minutes.
	fill := func(parentID string, n int) {
		t.Helper()
		for done := 0; done < n; done += 1000 {
			err := st.Update(func(tx *store.Tx) error {
				for i := done; i < min(done+1000, n); i++ {
					parent, err := getAsset(tx, parentID)
					if err != nil {
						return err
					}
					a := Asset{ID: uuid.NewString(), Type: TypeFolder, Name: fmt.Sprintf("f%05d", i), ProjectID: p.ID, ParentID: parentID}
					if err := s.link(tx, parent, a); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	fill(big.ID, 3000)
	fill(nested.ID, 5000)
	// Too big for one transaction: the test means what it says.
	if err := s.deleteAsset(owner, nested.ID); !store.TooBig(err) {
		t.Fatalf("the nested folder in one transaction: %v, want Badger's too big", err)
	}
	stranger := Viewer{UserID: "u2", Name: "Bo"}
	if err := s.DeleteAsset(stranger, big.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a viewer outside the project: %v, want not found", err)
	}
	if err := s.DeleteAsset(owner, big.ID); err != nil {
		t.Fatal(err)
	}
	err = st.View(func(tx *store.Tx) error {
		for _, prefix := range []string{store.PrefixChild + big.ID + "/", store.PrefixChild + nested.ID + "/",
			store.PrefixChildOrder + big.ID + "/", store.PrefixChildOrder + nested.ID + "/"} {
			if n, err := tx.Count(prefix); err != nil || n != 0 {
				t.Errorf("%s: %d keys left, %v", prefix, n, err)
			}
		}
		if n, err := tx.Count(store.PrefixAsset); err != nil || n != 2 {
			t.Errorf("%d assets left, want the root and keep: %v", n, err)
		}
		root, err := getAsset(tx, p.RootAssetID)
		if err != nil || root.ItemCount != 1 {
			t.Errorf("root: %d items, %v; want 1 (keep)", root.ItemCount, err)
		}
		_, err = getAsset(tx, keep.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
