package api

import (
	"encoding/csv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/links/share"
)

func (a *ShareLinksAPI) sharingSettings(c *fiber.Ctx, _ *Principal) error {
	v, err := a.Links.Sharing()
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) setSharingSettings(c *fiber.Ctx, _ *Principal) error {
	var in share.SharingSettings
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	v, err := a.Links.SetSharing(in)
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) listForms(c *fiber.Ctx, _ *Principal) error {
	v, err := a.Links.Forms()
	return replyPage(c, v, err)
}

func (a *ShareLinksAPI) getForm(c *fiber.Ctx, _ *Principal) error {
	v, err := a.Links.Form(c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) saveForm(c *fiber.Ctx, _ *Principal) error {
	var in share.FormInput
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	v, err := a.Links.SaveForm(c.Params("id"), in)
	status := fiber.StatusOK
	if c.Params("id") == "" {
		status = fiber.StatusCreated
	}
	return reply(c, status, v, err)
}

func (a *ShareLinksAPI) deleteForm(c *fiber.Ctx, _ *Principal) error {
	return noContent(c, a.Links.DeleteForm(c.Params("id")))
}

func (a *ShareLinksAPI) listClickwraps(c *fiber.Ctx, _ *Principal) error {
	v, err := a.Links.Clickwraps()
	return replyPage(c, v, err)
}

func (a *ShareLinksAPI) getClickwrap(c *fiber.Ctx, _ *Principal) error {
	v, err := a.Links.Clickwrap(c.Params("id"))
	return reply(c, fiber.StatusOK, v, err)
}

func (a *ShareLinksAPI) saveClickwrap(c *fiber.Ctx, _ *Principal) error {
	var in share.ClickwrapInput
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	v, err := a.Links.SaveClickwrap(c.Params("id"), in)
	status := fiber.StatusOK
	if c.Params("id") == "" {
		status = fiber.StatusCreated
	}
	return reply(c, status, v, err)
}

func (a *ShareLinksAPI) deleteClickwrap(c *fiber.Ctx, _ *Principal) error {
	return noContent(c, a.Links.DeleteClickwrap(c.Params("id")))
}

// registrations answers a link's registrations as JSON, or CSV with ?format=csv.
func (a *ShareLinksAPI) registrations(c *fiber.Ctx, p *Principal) error {
	regs, labels, err := a.Links.Registrations(viewer(p), c.Params("id"))
	if err != nil {
		return err
	}
	switch c.Query("format") {
	case "", "json":
		return replyPage(c, regs, nil)
	case "csv":
	default:
		return errs.Invalidf("format must be json or csv")
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, ContentDisposition("attachment", "registrations-"+c.Params("id")+".csv"))
	w := csv.NewWriter(c.Response().BodyWriter())
	head := []string{"time", "name", "company", "email"}
	for _, l := range labels {
		head = append(head, csvSafe(l))
	}
	w.Write(append(head, "clickwrap", "address"))
	for _, r := range regs {
		row := []string{r.InsertedAt.Format(time.RFC3339), csvSafe(r.Name), csvSafe(r.Company), csvSafe(r.Email)}
		for _, l := range labels {
			v := ""
			for _, ans := range r.Answers {
				if ans.Label == l {
					v = ans.Value
				}
			}
			row = append(row, csvSafe(v))
		}
		accepted := ""
		if r.ClickwrapAccepted {
			accepted = "accepted"
		}
		w.Write(append(row, accepted, r.Address))
	}
	w.Flush()
	return w.Error()
}

func (a *ShareLinksAPI) recipients(c *fiber.Ctx, p *Principal) error {
	v, err := a.Links.Recipients(viewer(p), c.Params("id"))
	return replyPage(c, v, err)
}

func (a *ShareLinksAPI) sendEmails(c *fiber.Ctx, p *Principal) error {
	var in share.EmailRequest
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	v, err := a.Links.SendInvites(viewer(p), c.Params("id"), in)
	return reply(c, fiber.StatusCreated, v, err)
}

func (a *ShareLinksAPI) revokeMany(c *fiber.Ctx, p *Principal) error {
	var in model.RevokeShareLinks
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	if len(in.IDs) == 0 {
		return errs.Invalidf("send the ids of the links to revoke")
	}
	n, skipped, err := a.Links.RevokeMany(viewer(p), in.IDs)
	return reply(c, fiber.StatusOK, model.RevokeAnswer{Revoked: n, Skipped: skipped}, err)
}

func (a *ShareLinksAPI) register(c *fiber.Ctx) error {
	key := c.Params("key")
	var in share.RegisterRequest
	if err := decode(c, a.jsonLimit, &in); err != nil {
		return err
	}
	v, secret, err := a.Links.Register(key, in, visitor(c))
	if err != nil {
		return err
	}
	setVisitCookie(c, key, secret, v.ExpiresAt)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}
