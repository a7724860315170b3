package assets_test

import (
	"testing"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/errs"
)

// The nearest folder with a record decides, the asset itself included;
// owners, admins and links' visitors are never capped.
func TestPrivilegeInheritance(t *testing.T) {
	s, dir := newService(t)
	p, err := s.CreateProject(owner, "Agency")
	if err != nil {
		t.Fatal(err)
	}
	member := assets.Viewer{UserID: "u2", Name: "Mia"}
	if _, err := s.UpdateProject(owner, p.ID, assets.ProjectPatch{MemberIDs: &[]string{member.UserID}}); err != nil {
		t.Fatal(err)
	}
	admin := assets.Viewer{UserID: "a1", Admin: true}
	a, _ := s.CreateFolder(owner, p.RootAssetID, "A")
	b, _ := s.CreateFolder(owner, a.ID, "B")
	c, _ := s.CreateFolder(owner, b.ID, "C")
	file := upload(t, s, dir, assets.UploadRequest{Name: "f.txt", ParentID: c.ID}, "data")

	set := func(folder, access string, share bool) {
		t.Helper()
		if _, err := s.SetPrivilege(admin, member.UserID, folder, assets.Rights{Access: access, Share: share}); err != nil {
			t.Fatal(err)
		}
	}
	set(a.ID, assets.AccessDownload, true)
	set(c.ID, assets.AccessFull, false)
	for _, tc := range []struct {
		who  assets.Viewer
		id   string
		want assets.Rights
	}{
		{member, p.RootAssetID, assets.AllRights},
		{member, a.ID, assets.Rights{Access: assets.AccessDownload, Share: true}},
		{member, b.ID, assets.Rights{Access: assets.AccessDownload, Share: true}},
		{member, c.ID, assets.Rights{Access: assets.AccessFull, Share: false}},
		{member, file.ID, assets.Rights{Access: assets.AccessFull, Share: false}},
		{owner, b.ID, assets.AllRights},
		{admin, b.ID, assets.AllRights},
		{assets.Viewer{UserID: "share:x", ProjectID: p.ID}, b.ID, assets.AllRights},
	} {
		got, err := s.Rights(tc.who, tc.id)
		if err != nil || got != tc.want {
			t.Errorf("%s on %s: %+v %v, want %+v", tc.who.UserID, tc.id, got, err, tc.want)
		}
	}

	if _, err := s.CreateFolder(member, b.ID, "New"); !isNotPermitted(err) {
		t.Errorf("folder in a download folder: %v", err)
	}
	if _, err := s.CreateFolder(member, c.ID, "New"); err != nil {
		t.Errorf("folder in a full folder: %v", err)
	}
	if _, err := s.PrepareUpload(member, assets.UploadRequest{Name: "x", ParentID: b.ID}, 1<<20); !isNotPermitted(err) {
		t.Errorf("upload into a download folder: %v", err)
	}
	name := "g.txt"
	if _, err := s.UpdateAsset(member, file.ID, assets.AssetPatch{Name: &name}); err != nil {
		t.Errorf("rename in a full folder: %v", err)
	}
	other := "Renamed"
	if _, err := s.UpdateAsset(member, b.ID, assets.AssetPatch{Name: &other}); !isNotPermitted(err) {
		t.Errorf("rename in a download folder: %v", err)
	}
	to := b.ID
	if _, err := s.UpdateAsset(member, file.ID, assets.AssetPatch{ParentID: &to}); !isNotPermitted(err) {
		t.Errorf("move into a download folder: %v", err)
	}
	if err := s.DeleteAsset(member, b.ID); !isNotPermitted(err) {
		t.Errorf("delete in a download folder: %v", err)
	}

	list, err := s.Privileges(member.UserID)
	if err != nil || len(list) != 2 || list[0].FolderPath != "/A/" || list[1].FolderPath != "/A/B/C/" {
		t.Fatalf("list: %+v %v", list, err)
	}
	if err := s.DeletePrivilege(admin, member.UserID, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Rights(member, b.ID); got != assets.AllRights {
		t.Errorf("after delete: %+v", got)
	}
	if _, err := s.SetPrivilege(member, member.UserID, a.ID, assets.AllRights); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a member sets privileges: %v", err)
	}
	if _, err := s.SetPrivilege(admin, member.UserID, a.ID, assets.Rights{Access: "owner"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown access: %v", err)
	}
	if _, err := s.SetPrivilege(admin, member.UserID, file.ID, assets.AllRights); !errs.Is(err, errs.Invalid) {
		t.Errorf("a record on a file: %v", err)
	}
}

func isNotPermitted(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Code == "not_permitted"
}
