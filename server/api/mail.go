package api

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/mail"
	"github.com/ferryhq/ferry/server/store"
)

// MailAPI serves Settings > Email and the outbox to admins.
type MailAPI struct {
	Outbox *mail.Outbox
	Sender *mail.Sender
	Store  *store.Store

	jsonLimit int64
}

// testMailTimeout bounds the wait for the SMTP server's answer to a test.
const testMailTimeout = 30 * time.Second

// sensitiveBody replaces the parts of a mail carrying a secret.
const sensitiveBody = "This message carries a secret (such as an upload passcode) and is not shown here."

func (m *MailAPI) status(c *fiber.Ctx, _ *Principal) error {
	st, err := m.Sender.Status()
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// configure sets the SMTP server and From address from Settings > Email:
// applied at once and kept in Badger for the next start. A password left
// masked ("xxxxx") keeps the one already set.
func (m *MailAPI) configure(c *fiber.Ctx, _ *Principal) error {
	var req mail.Settings
	if err := decode(c, m.jsonLimit, &req); err != nil {
		return err
	}
	req.SMTPURL = m.Sender.KeepPassword(req.SMTPURL)
	if err := m.Sender.Configure(req.SMTPURL, req.From); err != nil {
		return err
	}
	if err := mail.SaveSettings(m.Store, req); err != nil {
		return err
	}
	st, err := m.Sender.Status()
	return reply(c, fiber.StatusOK, st, err)
}

// sendTest answers 200 {"delivered": true} once the SMTP server accepted
// the test mail, or 502 with what the server (or network) said.
func (m *MailAPI) sendTest(c *fiber.Ctx, _ *Principal) error {
	var req model.TestEmail
	if err := decode(c, m.jsonLimit, &req); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), testMailTimeout)
	defer cancel()
	msg, err := m.Sender.TestMessage(ctx, req.To)
	var de *mail.DeliveryError
	if errors.As(err, &de) {
		return fiber.NewError(fiber.StatusBadGateway, de.Error())
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"delivered": true, "message": msg})
}

func (m *MailAPI) list(c *fiber.Ctx, _ *Principal) error {
	msgs, err := m.Outbox.List(c.Query("status"))
	if err != nil {
		return err
	}
	page, err := paginate(c, msgs)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (m *MailAPI) get(c *fiber.Ctx, _ *Principal) error {
	msg, err := m.Outbox.Get(c.Params("id"))
	if err != nil {
		return err
	}
	if msg.Sensitive {
		msg.Text, msg.HTML = sensitiveBody, ""
	}
	return c.JSON(msg)
}

func (m *MailAPI) retry(c *fiber.Ctx, _ *Principal) error {
	msg, err := m.Outbox.Retry(c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(msg)
}
