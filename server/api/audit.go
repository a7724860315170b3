package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links"
)

// auditLog is a v2 audit log item: a link access-log entry with v2's
// _type, account_id and inserted_at beside Ferry's own fields.
type auditLog struct {
	links.AuditEntry
	Type       string    `json:"_type"`
	AccountID  string    `json:"account_id"`
	InsertedAt time.Time `json:"inserted_at"`
}

// auditLogs is v2's GET /accounts/{id}/audit_logs, for admins: what
// crossed the site's boundary through its links (views, downloads, ZIPs,
// uploads, failed passwords, content changes), newest first.
func (a *ShareLinksAPI) auditLogs(c *fiber.Ctx, p *Principal) error {
	if c.Params("id") != a.account.ID {
		return errs.NotFoundf("no account %s here: this Ferry is one account, %s", c.Params("id"), a.account.ID)
	}
	entries, err := a.Links.AuditLog(viewer(p))
	if err != nil {
		return err
	}
	out := make([]auditLog, len(entries))
	for i, e := range entries {
		out[i] = auditLog{AuditEntry: e, Type: "audit_log", AccountID: a.account.ID, InsertedAt: e.Time}
	}
	return replyPage(c, out, nil)
}
