package access_test

import (
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/access"
	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/groups"
)

// A group's rights reach its members in the file manager and in the links
// they made, and leave with them: the policy reads group membership at
// every decision.
func TestGroupRightsReachMembersAndTheirLinks(t *testing.T) {
	w := newWorld(t)
	gs := &groups.Service{Store: w.as.Store}
	admin, carol := w.viewer(t, "admin"), w.viewer(t, "carol")
	name, members := "Editors", []string{w.ids["carol"]}
	g, err := gs.Create(model.GroupPatch{Name: &name, UserIDs: &members})
	if err != nil {
		t.Fatal(err)
	}
	// Carol's own record: preview, no share, on /Private.
	if err := w.policy.Member(carol, w.secret.ID, access.Download, "downloading"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("carol downloads with preview only: %v", err)
	}
	if _, err := w.as.SetPrivilege(admin, assets.GroupHolder(g.ID), w.project.RootAssetID, assets.Rights{Access: assets.AccessDownload, Share: true}); err != nil {
		t.Fatal(err)
	}
	if err := w.policy.Member(carol, w.secret.ID, access.Download, "downloading"); err != nil {
		t.Fatalf("carol through Editors: %v", err)
	}
	if r := w.policy.Creator(w.ids["carol"]).On(w.secret); r.Access != assets.AccessDownload || !r.Share {
		t.Fatalf("carol's links through Editors: %+v", r)
	}

	none := []string{}
	if _, err := gs.Update(g.ID, model.GroupPatch{UserIDs: &none}); err != nil {
		t.Fatal(err)
	}
	if err := w.policy.Member(carol, w.secret.ID, access.Download, "downloading"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("carol after leaving Editors: %v", err)
	}
	if r := w.policy.Creator(w.ids["carol"]).On(w.secret); r.Access != assets.AccessPreview || r.Share {
		t.Fatalf("carol's links after leaving Editors: %+v", r)
	}
	if err := access.ManageGroups(carol); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a member manages groups: %v", err)
	}
	if err := access.ManageGroups(admin); err != nil {
		t.Fatalf("an admin may not manage groups: %v", err)
	}
}
