package model

import "time"

// MailAddress is one recipient.
type MailAddress struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// OutboxMessage is one mail of the outbox.
type OutboxMessage struct {
	ID      string        `json:"id"`
	To      []MailAddress `json:"to"`
	Subject string        `json:"subject"`
	// Text and HTML are the two parts. List leaves them empty; Get fills them.
	Text string `json:"text,omitempty"`
	HTML string `json:"html,omitempty"`
	// Kind names the template or purpose ("test", "upload_link_invite").
	Kind string `json:"kind"`
	// Ref is the caller's reference (an upload link's ID), for ByRef.
	Ref string `json:"ref,omitempty"`
	// Sensitive marks a mail carrying a secret (a passcode): its body is
	// not shown to admins and is deleted from the outbox once delivered.
	Sensitive bool `json:"sensitive,omitempty"`

	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	LastError     string     `json:"last_error,omitempty"`
	DeliveredAt   *time.Time `json:"delivered_at"`
	// MessageID is the Message-ID header, set at the first attempt and kept
	// for retries, so a mail sent twice after a crash is recognisably one.
	MessageID  string    `json:"message_id,omitempty"`
	InsertedAt time.Time `json:"inserted_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// EmailStatus is the email configuration and outbox summary admins see.
type EmailStatus struct {
	Configured bool   `json:"configured"`
	Host       string `json:"host,omitempty"` // host:port, never the password
	Username   string `json:"username,omitempty"`
	// Security is "tls" (smtps://), "starttls" (required) or
	// "starttls_if_offered" (a server on this machine).
	Security string `json:"security,omitempty"`
	From     string `json:"from"`
	// FromDefault is set when smtp.from is empty and From is made up.
	FromDefault bool           `json:"from_default"`
	PublicURL   string         `json:"public_url"`
	Counts      map[string]int `json:"counts"`
	// Warning tells admins what is wrong, in words (empty when nothing is).
	Warning string `json:"warning,omitempty"`
	// Editable is true unless smtp.url comes from the config file or
	// environment; ChangeHint says how to change the settings.
	Editable   bool   `json:"editable"`
	ChangeHint string `json:"change_hint"`
	// SMTPURL is the current URL with the password masked, for the form.
	SMTPURL string `json:"smtp_url,omitempty"`
}
