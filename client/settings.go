package client

import (
	"net/url"

	"github.com/ferryhq/ferry/model"
)

// SharingSettings are the site's rules for share links.
func (c *Client) SharingSettings() (model.SharingSettings, error) {
	var out model.SharingSettings
	return out, c.get(path("settings", "sharing"), &out)
}

// SetSharingSettings changes the site's rules for share links (admins).
func (c *Client) SetSharingSettings(in model.SharingSettings) (model.SharingSettings, error) {
	var out model.SharingSettings
	return out, c.put(path("settings", "sharing"), in, &out)
}

// Watermark is the site's watermark.
func (c *Client) Watermark() (model.WatermarkSettings, error) {
	var out model.WatermarkSettings
	return out, c.get(path("settings", "watermark"), &out)
}

// SetWatermark changes the watermark's text, position, opacity and scale (admins).
func (c *Client) SetWatermark(in model.WatermarkSettings) (model.WatermarkSettings, error) {
	var out model.WatermarkSettings
	return out, c.put(path("settings", "watermark"), in, &out)
}

// DeleteWatermarkLogo takes the watermark's logo away (admins).
func (c *Client) DeleteWatermarkLogo() (model.WatermarkSettings, error) {
	var out model.WatermarkSettings
	return out, c.delOut(path("settings", "watermark", "logo"), &out)
}

// MediaStatus says whether video and audio are processed on this server.
func (c *Client) MediaStatus() (model.MediaStatus, error) {
	var out model.MediaStatus
	return out, c.get(path("settings", "media"), &out)
}

// EmailStatus is how the server sends mail (admins).
func (c *Client) EmailStatus() (model.EmailStatus, error) {
	var out model.EmailStatus
	return out, c.get(path("settings", "email"), &out)
}

// SetEmailSettings sets the SMTP server and From address (admins).
func (c *Client) SetEmailSettings(in model.EmailSettings) (model.EmailStatus, error) {
	var out model.EmailStatus
	return out, c.put(path("settings", "email"), in, &out)
}

// TestEmail sends a test mail (admins).
func (c *Client) TestEmail(to string) error {
	return c.post(path("settings", "email", "test"), model.TestEmail{To: to}, nil)
}

// Outbox lists the mail Ferry sent or holds (?status=) (admins).
func (c *Client) Outbox(q url.Values) ([]model.OutboxMessage, error) {
	var out []model.OutboxMessage
	return out, c.get(withQuery(path("outbox"), q), &out)
}

// OutboxMessage is one mail with its text and HTML (admins).
func (c *Client) OutboxMessage(id string) (model.OutboxMessage, error) {
	var out model.OutboxMessage
	return out, c.get(path("outbox", id), &out)
}

// RetryMail sends a failed mail again (admins).
func (c *Client) RetryMail(id string) (model.OutboxMessage, error) {
	var out model.OutboxMessage
	return out, c.post(path("outbox", id, "retry"), nil, &out)
}

// ShareForms lists the registration forms.
func (c *Client) ShareForms() ([]model.ShareForm, error) {
	var out []model.ShareForm
	return out, c.get(path("share_forms"), &out)
}

// SaveShareForm makes a registration form, or changes form id (admins).
func (c *Client) SaveShareForm(id string, in model.ShareFormInput) (model.ShareForm, error) {
	var out model.ShareForm
	if id == "" {
		return out, c.post(path("share_forms"), in, &out)
	}
	return out, c.put(path("share_forms", id), in, &out)
}

// DeleteShareForm deletes a registration form (admins).
func (c *Client) DeleteShareForm(id string) error { return c.del(path("share_forms", id)) }

// Clickwraps lists the terms visitors may have to accept.
func (c *Client) Clickwraps() ([]model.Clickwrap, error) {
	var out []model.Clickwrap
	return out, c.get(path("clickwraps"), &out)
}

// SaveClickwrap makes terms, or changes clickwrap id (admins).
func (c *Client) SaveClickwrap(id string, in model.ClickwrapInput) (model.Clickwrap, error) {
	var out model.Clickwrap
	if id == "" {
		return out, c.post(path("clickwraps"), in, &out)
	}
	return out, c.put(path("clickwraps", id), in, &out)
}

// DeleteClickwrap deletes terms (admins).
func (c *Client) DeleteClickwrap(id string) error { return c.del(path("clickwraps", id)) }
