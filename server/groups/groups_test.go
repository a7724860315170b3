package groups_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/auth"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/groups"
	"github.com/ferryhq/ferry/server/store"
)

// of reads a user's groups as the rights check does.
func of(t *testing.T, st *store.Store, userID string) []string {
	t.Helper()
	var out []string
	if err := st.View(func(tx *store.Tx) (err error) { out, err = groups.Of(tx, userID); return err }); err != nil {
		t.Fatal(err)
	}
	return out
}

// The per-user index follows every change of members, and a deleted
// group leaves none behind; refused changes change nothing.
func TestMembershipIndex(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users := &auth.Service{Store: st}
	var ids []string
	for _, e := range []string{"a@x.example", "b@x.example"} {
		u, err := users.CreateUser(auth.NewUser{Email: e, Name: e, Role: auth.RoleMember, Password: "a long password 1"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	a, b := ids[0], ids[1]
	gs := &groups.Service{Store: st}
	name := "Editors"
	both := []string{a, b, a}
	g, err := gs.Create(model.GroupPatch{Name: &name, UserIDs: &both})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.UserIDs, []string{a, b}) || !slices.Equal(of(t, st, a), []string{g.ID}) || !slices.Equal(of(t, st, b), []string{g.ID}) {
		t.Fatalf("after create: %+v, a in %v, b in %v", g, of(t, st, a), of(t, st, b))
	}
	onlyB := []string{b}
	if _, err := gs.Update(g.ID, model.GroupPatch{UserIDs: &onlyB}); err != nil {
		t.Fatal(err)
	}
	if len(of(t, st, a)) != 0 || len(of(t, st, b)) != 1 {
		t.Fatalf("after removing a: a in %v, b in %v", of(t, st, a), of(t, st, b))
	}
	ghost := []string{b, "0b9c5c1e-0000-4000-8000-000000000000"}
	if _, err := gs.Update(g.ID, model.GroupPatch{UserIDs: &ghost}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("an unknown user: %v", err)
	}
	if got, _ := gs.Get(g.ID); !slices.Equal(got.UserIDs, onlyB) {
		t.Fatalf("a refused change changed the members: %v", got.UserIDs)
	}
	if err := gs.Delete(g.ID); err != nil {
		t.Fatal(err)
	}
	if len(of(t, st, b)) != 0 {
		t.Fatalf("a deleted group left b in %v", of(t, st, b))
	}
	if _, err := gs.Get(g.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("deleted group: %v", err)
	}
}
