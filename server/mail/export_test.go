package mail

// Claim exposes claim to the external tests, which need testkit (and so
// cannot be in this package): it marks due mail as sending, as the sender
// does just before an SMTP conversation.
func Claim(o *Outbox, n int, messageID string) ([]Message, error) {
	msgs, _, err := o.claim(n, func() string { return messageID })
	return msgs, err
}
