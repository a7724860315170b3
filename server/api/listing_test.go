package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// listing GETs page 1 of folder as c and returns the status and the body.
func listing(t *testing.T, c *testkit.Client, folder string) (int, string) {
	t.Helper()
	res, b := get(t, c, "/api/v2/assets/"+folder+"/children?page=1&page_size=50")
	return res.StatusCode, string(b)
}

// originals maps each listed file's name to its signed original URL.
func originals(t *testing.T, body string) map[string]string {
	t.Helper()
	var items []struct {
		Name     string `json:"name"`
		Original string `json:"original"`
	}
	if err := json.Unmarshal([]byte(body), &items); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	out := map[string]string{}
	for _, it := range items {
		out[it.Name] = it.Original
	}
	return out
}

// TestChildrenKeptPerViewer: a folder's page is encoded once per change
// for each viewer and sent from memory, but never to another viewer, and
// every change of the folder or of a viewer's rights reaches the next
// request.
func TestChildrenKeptPerViewer(t *testing.T) {
	f := newAccessFixture(t)
	_, first := listing(t, f.admin, f.private)
	status, again := listing(t, f.admin, f.private)
	if status != 200 || again != first || originals(t, first)["secret.jpg"] == "" {
		t.Fatalf("admin's page: %d, kept the same: %v, %s", status, again == first, first)
	}
	// Carol may preview /Private: the same files, no original URL, and
	// nothing of the admin's page.
	status, carols := listing(t, f.carol, f.private)
	if status != 200 || originals(t, carols)["secret.jpg"] != "" || strings.Contains(carols, originals(t, first)["secret.jpg"]) {
		t.Fatalf("carol's page of /Private: %d %s", status, carols)
	}
	listing(t, f.carol, f.private) // kept
	f.setCarol(t, "download", false)
	if _, body := listing(t, f.carol, f.private); originals(t, body)["secret.jpg"] == "" {
		t.Fatalf("carol got download rights but her kept page has no original: %s", body)
	} else if u := originals(t, body)["secret.jpg"]; u == originals(t, first)["secret.jpg"] {
		t.Fatal("carol got the admin's signed URL")
	}
	// A rename shows at once.
	wantStatus(t, "rename", f.admin.Do("PUT", "/api/v2/assets/"+f.secret, model.AssetPatch{Name: model.Ptr("hidden.jpg")}, nil), 200, "")
	if _, body := listing(t, f.admin, f.private); !strings.Contains(body, "hidden.jpg") || strings.Contains(body, "secret.jpg") {
		t.Fatalf("the kept page still shows the old name: %s", body)
	}
	// Carol taken off the project: her kept pages are refused.
	listing(t, f.carol, f.root)
	if status, _ := listing(t, f.carol, f.root); status != 200 {
		t.Fatalf("carol's page of the root: %d", status)
	}
	wantStatus(t, "members", f.admin.Do("PUT", "/api/v2/projects/"+f.project, model.ProjectPatch{MemberIDs: model.Ptr([]string{})}, nil), 200, "")
	for _, folder := range []string{f.root, f.private} {
		if status, body := listing(t, f.carol, folder); status != 404 && status != 403 {
			t.Fatalf("carol off the project, page of %s: %d %s", folder, status, body)
		}
	}
	// Anonymous: refused, kept pages or not.
	if status, _ := listing(t, f.s.Client(t), f.root); status != 401 {
		t.Fatalf("anonymous: %d", status)
	}
}
