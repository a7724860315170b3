package mail

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
)

// maxHeaderLine is where header lines are folded (RFC 5322 recommends 78).
const maxHeaderLine = 76

// compose builds the RFC 5322 message: From, To, Subject (RFC 2047 when
// not ASCII), Date, Message-ID and MIME headers, then a
// multipart/alternative body of UTF-8 quoted-printable text and HTML parts
// (text only when there is no HTML). Lines end in CRLF.
func compose(from Address, m Message, date time.Time) ([]byte, error) {
	// Enqueue refused these already; From comes from the configuration.
	for _, v := range append([]string{from.Name, from.Email, m.Subject, m.MessageID}, names(m.To)...) {
		if hasLineBreak(v) {
			return nil, errors.New("a header value contains a line break")
		}
	}
	var h bytes.Buffer
	writeHeader(&h, "From", []string{formatAddress(from)}, ",")
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = formatAddress(a)
	}
	writeHeader(&h, "To", to, ",")
	writeHeader(&h, "Subject", strings.Split(mime.QEncoding.Encode("utf-8", m.Subject), " "), "")
	writeHeader(&h, "Date", []string{date.Format(time.RFC1123Z)}, "")
	writeHeader(&h, "Message-ID", []string{m.MessageID}, "")
	writeHeader(&h, "MIME-Version", []string{"1.0"}, "")
	// Automatic mail: out-of-office replies should not answer it (RFC 3834).
	writeHeader(&h, "Auto-Submitted", []string{"auto-generated"}, "")

	if m.HTML == "" {
		writeHeader(&h, "Content-Type", []string{"text/plain; charset=utf-8"}, "")
		writeHeader(&h, "Content-Transfer-Encoding", []string{"quoted-printable"}, "")
		h.WriteString("\r\n")
		if err := writeQP(&h, m.Text); err != nil {
			return nil, err
		}
		return h.Bytes(), nil
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ ctype, content string }{
		{"text/plain; charset=utf-8", m.Text},
		{"text/html; charset=utf-8", m.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.content); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	writeHeader(&h, "Content-Type", []string{"multipart/alternative;", fmt.Sprintf("boundary=%q", mw.Boundary())}, "")
	h.WriteString("\r\n")
	h.Write(body.Bytes())
	return h.Bytes(), nil
}

func names(as []Address) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return out
}

// writeQP writes s quoted-printable; its line breaks become CRLF.
func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(strings.ReplaceAll(s, "\r\n", "\n"))); err != nil {
		return err
	}
	return qp.Close()
}

// writeHeader writes "Name: t1<sep> t2..." folding before a token when the
// line would pass maxHeaderLine. Tokens are where folding is safe: whole
// addresses, or the words of an (encoded) subject.
func writeHeader(b *bytes.Buffer, name string, tokens []string, sep string) {
	line := len(name) + 1
	b.WriteString(name + ":")
	for i, tok := range tokens {
		if i > 0 {
			b.WriteString(sep)
			line += len(sep)
		}
		if line+1+len(tok) > maxHeaderLine && line > 0 {
			b.WriteString("\r\n")
			line = 0
		}
		b.WriteString(" " + tok)
		line += 1 + len(tok)
	}
	b.WriteString("\r\n")
}
