package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/testkit"
)

// An upload link whose mails the SMTP server refuses shows the refusal to
// its owner (a member, who cannot read the outbox), not just "pending".
func TestUploadLinkShowsMailRefusal(t *testing.T) {
	mp := testkit.Mailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
	s := start(t, withSMTP("smtp://"+mp.SMTPAddr, "Studio Desk <desk@nordlicht.example>"))
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Autumn Campaign")
	owner := createMember(t, admin, "owner@x.example", "owner password 12")
	wantStatus(t, "members", admin.Do("PUT", "/api/v2/projects/"+projectID, model.ProjectPatch{MemberIDs: model.Ptr([]string{owner.ID})}, nil), 200, "")
	c := s.Login(t, "owner@x.example", "owner password 12")
	var l model.UploadLink
	wantStatus(t, "create", c.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: projectID, Name: "Harbour",
		RecipientEmail: "jane@photo.elsewhere"}, &l), 201, "")
	l = waitLink(t, c, l.ID, func(l model.UploadLink) bool {
		return l.InviteEmail == "failed" && l.PasscodeEmail == "failed"
	})
	if l.Status != "pending" || !strings.Contains(l.MailError, "RCPT TO <jane@photo.elsewhere>: 5") {
		t.Fatalf("refused link: status %q, mail error %q", l.Status, l.MailError)
	}
	wantStatus(t, "member reads the outbox", c.Do("GET", "/api/v2/outbox", nil, nil), 403, "")
	var list []model.UploadLink
	wantStatus(t, "list", c.Do("GET", "/api/v2/upload_links", nil, &list), 200, "")
	if len(list) != 1 || list[0].MailError != l.MailError {
		t.Fatalf("the list lacks the mail error: %+v", list)
	}
	// Another member does not see the link, error and all.
	createMember(t, admin, "other@x.example", "other password 12")
	other := s.Login(t, "other@x.example", "other password 12")
	wantStatus(t, "other member", other.Do("GET", "/api/v2/upload_links/"+l.ID, nil, nil), 404, "")

	// A link to an accepted address has no error.
	var ok model.UploadLink
	wantStatus(t, "create", c.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: projectID, Name: "Dock",
		RecipientEmail: "jane@example.com"}, &ok), 201, "")
	ok = waitLink(t, c, ok.ID, func(l model.UploadLink) bool { return l.Status == "active" })
	if ok.MailError != "" {
		t.Fatalf("a delivered link shows %q", ok.MailError)
	}
}

// While the SMTP server cannot be reached the link stays pending and says
// why; the sender keeps retrying.
func TestUploadLinkShowsMailRetrying(t *testing.T) {
	s := start(t, withSMTP("smtp://127.0.0.1:"+strconv.Itoa(testkit.FreePort(t)), "Studio Desk <desk@nordlicht.example>"))
	admin := s.Admin(t)
	projectID, _ := linkProject(t, admin, "Autumn Campaign")
	var l model.UploadLink
	wantStatus(t, "create", admin.Do("POST", "/api/v2/upload_links", model.NewUploadLink{ProjectID: projectID, Name: "Harbour",
		RecipientEmail: "jane@photo.example"}, &l), 201, "")
	l = waitLink(t, admin, l.ID, func(l model.UploadLink) bool { return l.MailError != "" })
	if l.Status != "pending" || l.InviteEmail == "failed" || !strings.Contains(l.MailError, "refused") {
		t.Fatalf("unreachable SMTP: status %q, invite %q, error %q", l.Status, l.InviteEmail, l.MailError)
	}
}
