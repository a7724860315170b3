package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ferryhq/ferry/client"
	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// visFolder makes a project with a folder and returns the folder's id.
func visFolder(t *testing.T, c *testkit.Client, project, folder string) string {
	t.Helper()
	var p model.Project
	if res := c.Do("POST", "/api/v2/projects", model.NewProject{Name: project}, &p); res.StatusCode != 201 {
		t.Fatalf("create project: %d", res.StatusCode)
	}
	return visMkdir(t, c, p.RootAssetID, folder)
}

func visMkdir(t *testing.T, c *testkit.Client, parent, name string) string {
	t.Helper()
	var f model.Asset
	if res := c.Do("POST", "/api/v2/assets/"+parent+"/children", model.NewAsset{Type: "folder", Name: name}, &f); res.StatusCode != 201 {
		t.Fatalf("create folder %s: %d", name, res.StatusCode)
	}
	return f.ID
}

func visCreateLink(t *testing.T, c *testkit.Client, body model.NewShareLink) model.ShareLink {
	t.Helper()
	l, err := c.API().CreateShareLink(body)
	if err != nil {
		t.Fatalf("create share link: %v (%d)", err, client.StatusOf(err))
	}
	return l
}

func visChildren(t *testing.T, c *testkit.Client, folder string) map[string]model.Asset {
	t.Helper()
	var kids []model.Asset
	if res := c.Do("GET", "/api/v2/assets/"+folder+"/children", nil, &kids); res.StatusCode != 200 {
		t.Fatalf("list folder: %d", res.StatusCode)
	}
	out := map[string]model.Asset{}
	for _, k := range kids {
		out[k.Name] = k
	}
	return out
}

func visOriginal(t *testing.T, c *testkit.Client, base, id string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v2/assets/"+id+"/original", nil)
	res := c.Send(req, nil)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("original of %s: %d", id, res.StatusCode)
	}
	return b
}

// visFile writes n random bytes to dir/name.
func visFile(t *testing.T, dir, name string, n int) (string, []byte) {
	t.Helper()
	data := make([]byte, n)
	rand.Read(data)
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, data
}

// TestShareVisitorUploadOnly is a visitor of a share link that only takes
// uploads: a clean upload page that shows nothing of the folder, two files
// sent through the page from a desktop and one from a phone, a done state
// for each, and the owner finds them in the folder byte for byte.
func TestShareVisitorUploadOnly(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	folder := visFolder(t, c, "Harbour Campaign", "Contributions")
	c.Upload(folder, "earlier-secret.pdf", minimalPDF)
	l := visCreateLink(t, c, model.NewShareLink{Kind: "public", FolderID: folder, AllowedActions: "upload", Name: "Send us your harbour RAWs", Description: "RAW files from Tuesday's shoot, please.\nName them HARBOUR_###.", MaxUploadMB: model.Set[int64](64)})
	dir := t.TempDir()
	rawPath, raw := visFile(t, dir, "HARBOUR_001.ARW", 3<<20+17)
	notesPath, notes := visFile(t, dir, "shot-notes.txt", 180<<10)
	phonePath, phoneRaw := visFile(t, dir, "HARBOUR_002.ARW", 1<<20+3)

	for _, size := range []struct {
		name string
		w, h int
	}{{"desktop", 1280, 860}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := testkit.Browser(t, size.w, size.h)
			run(t, ctx, "open the link",
				chromedp.Navigate(srv.URL+"/s/"+l.Key),
				present("#app-ready"),
				visible("#share-upload-page"),
				waitAttr(".pub", "data-state", "ready"),
				waitText(".gal-main", nil, "Send us your harbour RAWs", "Name them HARBOUR_###", "Upload files", "Upload folder", "Up to 64.0 MiB per file"),
				// Nothing of the folder: no gallery, not its files.
				waitFor(`document.querySelectorAll('.gallery-tile, #download-all, .gal-groups').length === 0`),
				waitFor(`!document.querySelector('.gal-main').innerText.includes('earlier-secret')`),
			)
			testkit.Screenshot(t, ctx, "share-visitor-upload-"+size.name)
			files := []string{rawPath, notesPath}
			if size.name == "phone" {
				files = []string{phonePath}
			}
			runFor(t, ctx, 3*time.Minute, "upload",
				chromedp.Evaluate(`window.ferryUploads.chunkSize = 1024 * 1024`, nil),
				pickFiles("#share-file-input", files...),
				visible("#share-uploads"),
				visible("#share-done"),
			)
			var rows []string
			run(t, ctx, "every upload row done", evalUntil(fmt.Sprintf("%d rows, each done and Uploaded", len(files)),
				`[...document.querySelectorAll('#share-uploads .vis-up')].map(li => li.dataset.status + ' ' + li.innerText.replace(/\s+/g, ' '))`, &rows,
				func(rows []string) bool {
					for _, r := range rows {
						if !strings.HasPrefix(r, "done ") || !strings.Contains(r, "Uploaded") {
							return false
						}
					}
					return len(rows) == len(files)
				}),
				// The floating upload panel stays away from a page that lists the uploads itself.
				waitFor(`document.querySelectorAll('#ferry-uploads:not([hidden])').length === 0`),
			)
			testkit.Screenshot(t, ctx, "share-visitor-upload-done-"+size.name)
		})
	}

	kids := visChildren(t, c, folder)
	for name, want := range map[string][]byte{"HARBOUR_001.ARW": raw, "shot-notes.txt": notes, "HARBOUR_002.ARW": phoneRaw} {
		k, ok := kids[name]
		if !ok {
			t.Fatalf("%s is not in the folder: %v", name, kids)
		}
		if got := visOriginal(t, c, srv.URL, k.ID); !bytes.Equal(got, want) {
			t.Errorf("%s arrived with %d bytes, not the %d sent", name, len(got), len(want))
		}
	}
	if len(kids) != 4 {
		t.Errorf("the folder holds %d items, want 4", len(kids))
	}
}

// TestShareVisitorRegistration is a visitor of a link with a custom form (a
// dropdown among the standard fields) and a clickwrap: empty and invalid
// answers are refused next to their fields, then the filled form opens the
// gallery and the owner sees the registration.
func TestShareVisitorRegistration(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	folder := visFolder(t, c, "Harbour Campaign", "Press kit")
	c.Upload(folder, "press-release.pdf", minimalPDF)
	l := visRegistrationLink(t, c, folder)

	phone := testkit.Browser(t, 390, 844)
	run(t, phone, "open on a phone",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		present("#app-ready"),
		visible("#share-register"),
	)
	testkit.Screenshot(t, phone, "share-visitor-register-phone")

	ctx := testkit.Browser(t, 1280, 900)
	run(t, ctx, "open the link",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		present("#app-ready"),
		visible("#share-register"),
		// No files before registering.
		waitFor(`document.querySelectorAll('.gallery-tile').length === 0`),
		waitText("#share-register", nil, "Name", "Company", "Email", "Outlet type", "Embargo terms", "I agree to the terms"),
		waitFor(`(document.querySelector('[data-field] .vis-help')?.dataset.tip || '') === 'What kind of publication you write for.'`),
	)
	outlet := "#reg-" + visFieldID(t, ctx, "Outlet type")
	run(t, ctx, "send it empty: an error at each required field",
		click("#share-register-submit"),
		visible(".vis-field-error"),
		waitFor(`[...document.querySelectorAll('.vis-field-error')].map(e => e.id).join(' ') === `+jsString("reg-name-error reg-email-error "+outlet[1:]+"-error share-accept-error")),
	)
	run(t, ctx, "a bad email",
		setValue("#reg-name", "Mara Lind"),
		setValue("#reg-company", "Coastal Weekly"),
		setValue("#reg-email", "mara.coastal-weekly"),
		gone("#reg-name-error.vis-field-error, #reg-email-error.vis-field-error"),
		click("#share-register-submit"),
		visible("#reg-email-error"),
	)
	testkit.Screenshot(t, ctx, "share-visitor-register-errors-desktop")
	run(t, ctx, "fill it in and agree",
		setValue("#reg-email", "mara@coastal-weekly.example"),
		setValue(outlet, "Magazine"),
		click("#share-accept"),
		// Each answer clears its error, which moves the button up; click
		// clicks it once it stands still.
		gone(".vis-field-error"),
		click("#share-register-submit"),
		visible(".gallery-tile"),
	)
	testkit.Screenshot(t, ctx, "share-visitor-registered-desktop")

	var regs []model.Registration
	c.Do("GET", "/api/v2/share_links/"+l.ID+"/registrations", nil, &regs)
	if len(regs) != 1 || regs[0].Name != "Mara Lind" || regs[0].Email != "mara@coastal-weekly.example" || !regs[0].ClickwrapAccepted {
		t.Fatalf("registrations %+v", regs)
	}
	found := false
	for _, a := range regs[0].Answers {
		found = found || a.Label == "Outlet type" && a.Value == "Magazine"
	}
	if !found {
		t.Errorf("the dropdown answer is missing: %+v", regs[0].Answers)
	}
	noBrowserErrors(t, ctx)
}

// visRegistrationLink creates a share link of folder that asks visitors to
// register first: a form (name, company, email and a required dropdown
// "Outlet type") and clickwrap terms ("Embargo terms").
func visRegistrationLink(t *testing.T, c *testkit.Client, folder string) model.ShareLink {
	t.Helper()
	var form model.ShareForm
	if res := c.Do("POST", "/api/v2/share_forms", model.ShareFormInput{Title: "Press", StandardFields: model.Ptr([]string{"name", "company", "email"}), Fields: []model.FormField{model.FormField{Label: "Outlet type", Description: "What kind of publication you write for.", Type: "dropdown", Options: []string{"Newspaper", "Magazine", "Blog"}, Required: true}}}, &form); res.StatusCode != 201 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("create a share form: %d %s", res.StatusCode, b)
	}
	var terms model.Clickwrap
	if res := c.Do("POST", "/api/v2/clickwraps", model.ClickwrapInput{Name: "Embargo terms", Body: strings.Repeat("You agree not to publish before 1 December 2026, 09:00 CET.\n\n", 12)}, &terms); res.StatusCode != 201 {
		t.Fatalf("create a clickwrap: %d", res.StatusCode)
	}
	return visCreateLink(t, c, model.NewShareLink{Kind: "public", FolderID: folder, Name: "Harbour press kit", FormID: form.ID, ClickwrapID: terms.ID})
}

// visFieldID is the id the server gave the form field labelled label.
func visFieldID(t *testing.T, ctx context.Context, label string) string {
	t.Helper()
	var id string
	run(t, ctx, "the field "+label, evalUntil("a field labelled "+label, fmt.Sprintf(`(() => { for (const f of document.querySelectorAll('[data-field]'))
		if (f.querySelector('.field-label')?.innerText.startsWith(%q)) return f.dataset.field; return '' })()`, label), &id,
		func(s string) bool { return s != "" }))
	return id
}

// TestShareVisitorFullAccess is a visitor of a full-access folder link:
// into a subfolder and back by the breadcrumbs, a new folder, a file
// renamed through its "…" menu, another deleted after a confirmation, a
// copy into another folder, an upload into a subfolder that then shows
// there, and the owner sees every change.
func TestShareVisitorFullAccess(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	folder := visFolder(t, c, "Harbour Campaign", "Shared edit")
	sub := visMkdir(t, c, folder, "Day 2")
	keep := c.Upload(folder, "harbour.pdf", minimalPDF)
	removed := c.Upload(folder, "draft.pdf", minimalPDF)
	c.Upload(sub, "pier.pdf", minimalPDF)
	l := visCreateLink(t, c, model.NewShareLink{Kind: "public", FolderID: folder, AllowedActions: "full", Name: "Harbour edit", AllowOriginal: model.Ptr(true)})

	ctx := testkit.Browser(t, 1280, 860)
	run(t, ctx, "open the link",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		present("#app-ready"),
		visible("#share-browser"),
		visible(`.vis-folder[data-path="Day 2"]`),
		// One Download all: a full-access link with originals.
		waitFor(`document.querySelectorAll('#download-all').length === 1`),
	)
	testkit.Screenshot(t, ctx, "share-visitor-full-desktop")
	run(t, ctx, "into Day 2 and back",
		click(`.vis-folder[data-path="Day 2"]`),
		visible(`.gallery-tile[title="pier.pdf"]`),
		click("#share-crumb-root"),
		visible(`.gallery-tile[data-id="`+keep+`"]`),
	)
	run(t, ctx, "a new folder",
		click("#share-new-folder"),
		visible("#vis-dialog-name"),
		setValue("#vis-dialog-name", "Selects"),
		click("#share-dialog-submit"),
		visible(`.vis-folder[data-path="Selects"]`),
	)
	managed := `.vis-managed[data-id="` + keep + `"]`
	run(t, ctx, "rename through the … menu",
		click(managed+" .vis-more"),
		visible(managed+` .vis-menu [data-action=rename]`),
	)
	testkit.Screenshot(t, ctx, "share-visitor-full-menu-desktop")
	run(t, ctx, "rename",
		click(managed+` .vis-menu [data-action=rename]`),
		visible("#vis-dialog-name"),
		setValue("#vis-dialog-name", "harbour-final.pdf"),
		click("#share-dialog-submit"),
		visible(`.gallery-tile[title="harbour-final.pdf"]`),
	)
	doomed := `.vis-managed[data-id="` + removed + `"]`
	run(t, ctx, "select and delete",
		click(doomed+" .vis-check"),
		visible("#share-selection"),
		click("#share-selection-delete"),
		visible(`#share-dialog[data-kind=delete]`),
	)
	testkit.Screenshot(t, ctx, "share-visitor-full-delete-desktop")
	run(t, ctx, "confirm",
		click("#share-dialog-submit"),
		gone(doomed),
		gone("#share-dialog"),
	)
	kids := visChildren(t, c, folder)
	if _, ok := kids["harbour-final.pdf"]; !ok {
		t.Errorf("the rename did not reach the folder: %v", kids)
	}
	selects := kids["Selects"].ID
	run(t, ctx, "copy into Selects through the folder picker",
		click(managed+" .vis-more"),
		click(managed+` .vis-menu [data-action=copy]`),
		visible(`#share-folder-picker`),
		click(`#share-folder-picker .vis-pick[data-path="Selects"] input`),
		click("#share-dialog-submit"),
		gone("#share-dialog"),
		visible(`.vis-folder[data-path="Selects"]`),
	)
	if _, ok := visChildren(t, c, selects)["harbour-final.pdf"]; !ok {
		t.Errorf("the copy is not in Selects")
	}
	dir := t.TempDir()
	upPath, upData := visFile(t, dir, "pier-notes.txt", 70<<10)
	runFor(t, ctx, 2*time.Minute, "upload into Day 2: it appears there",
		click(`.vis-folder[data-path="Day 2"]`),
		visible(`.gallery-tile[title="pier.pdf"]`),
		pickFiles("#share-file-input", upPath),
		visible(`.gallery-tile[title="pier-notes.txt"]`),
	)
	testkit.Screenshot(t, ctx, "share-visitor-full-uploaded-desktop")
	if k, ok := visChildren(t, c, sub)["pier-notes.txt"]; !ok {
		t.Errorf("the upload is not in Day 2")
	} else if got := visOriginal(t, c, srv.URL, k.ID); !bytes.Equal(got, upData) {
		t.Errorf("the upload has %d bytes, not the %d sent", len(got), len(upData))
	}
	if _, ok := kids["draft.pdf"]; ok {
		t.Errorf("draft.pdf is still in the folder")
	}
	if k, ok := kids["Selects"]; !ok || k.Type != "folder" {
		t.Errorf("the new folder is missing: %v", kids)
	}

	phone := testkit.Browser(t, 390, 844)
	run(t, phone, "on a phone",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		present("#app-ready"),
		visible("#share-browser"),
		click(`.vis-managed[data-id="`+keep+`"] .vis-check`),
		visible("#share-selection"),
	)
	testkit.Screenshot(t, phone, "share-visitor-full-phone")
	noBrowserErrors(t, ctx, phone)
}

// TestShareVisitorInbox is a visitor of a preview-only link with an
// associated inbox: no download anywhere (no Download all, none in the
// viewer), and "Send files" takes a file into the inbox folder, which the
// page never lists. An emailed-only link opened without its invitation
// explains where to open it from.
func TestShareVisitorInbox(t *testing.T) {
	srv := testkit.Start(t)
	c := srv.Admin(t)
	folder := visFolder(t, c, "Harbour Campaign", "Proofs")
	c.Upload(folder, "proof-sheet.pdf", minimalPDF)
	var root model.Asset
	c.Do("GET", "/api/v2/assets/"+folder, nil, &root)
	inbox := visMkdir(t, c, root.ParentID, "Client returns")
	l := visCreateLink(t, c, model.NewShareLink{Kind: "public", FolderID: folder, AllowedActions: "preview", InboxFolderID: inbox, AllowOriginal: model.Ptr(true), Name: "Proofs for approval"})
	dir := t.TempDir()
	notePath, note := visFile(t, dir, "approved-with-notes.txt", 40<<10)

	ctx := testkit.Browser(t, 1280, 860)
	run(t, ctx, "open the link",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		present("#app-ready"),
		visible(".gallery-tile"),
		visible("#share-inbox-toggle"),
		waitAttr(".pub", "data-state", "ready"),
		// A preview-only link has no download buttons.
		waitFor(`document.querySelectorAll('#download-all, .share-download').length === 0`),
	)
	run(t, ctx, "the viewer offers no download",
		click(".gallery-tile"),
		visible("#share-viewer .sv-nodl"),
		waitFor(`document.querySelectorAll('#share-viewer a[download], #share-viewer .share-download').length === 0`),
	)
	runFor(t, ctx, 2*time.Minute, "send a file",
		click("#share-viewer-close"),
		click("#share-inbox-toggle"),
		visible("#share-inbox"),
		pickFiles("#share-inbox-file-input", notePath),
		visible("#share-inbox-done"),
		// The gallery still shows its one file, not the one sent.
		waitFor(`document.querySelectorAll('.gallery-tile').length === 1`),
	)
	testkit.Screenshot(t, ctx, "share-visitor-inbox-desktop")
	k, ok := visChildren(t, c, inbox)["approved-with-notes.txt"]
	if !ok {
		t.Fatal("the file is not in the inbox folder")
	}
	if got := visOriginal(t, c, srv.URL, k.ID); !bytes.Equal(got, note) {
		t.Errorf("the inbox file has %d bytes, not the %d sent", len(got), len(note))
	}

	phone := testkit.Browser(t, 390, 844)
	run(t, phone, "on a phone",
		chromedp.Navigate(srv.URL+"/s/"+l.Key),
		present("#app-ready"),
		visible("#share-inbox-toggle"),
		click("#share-inbox-toggle"),
		visible("#share-inbox"),
	)
	testkit.Screenshot(t, phone, "share-visitor-inbox-phone")

	emailed := visCreateLink(t, c, model.NewShareLink{Kind: "public", FolderID: folder, AccessControl: "emailed", Name: "For invitees"})
	run(t, ctx, "an emailed link without its invitation",
		chromedp.Navigate(srv.URL+"/s/"+emailed.Key),
		present("#app-ready"),
		visible("#share-invite-required"),
		waitFor(`document.querySelector('#share-invite-required h1').innerText === 'This link opens only from the invitation emailed to you'`),
		// No files without the invitation.
		waitFor(`document.querySelectorAll('.gallery-tile').length === 0`),
	)
	testkit.Screenshot(t, ctx, "share-visitor-invite-required-desktop")
}
