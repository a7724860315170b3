package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"
)

// Kinds of mail with a template. Each has <kind>.txt (defining "subject"
// and "content") and <kind>.html (defining "content", optionally
// "preheader" and "reason") under templates/, rendered in the layout.
const (
	KindTest               = "test"
	KindUploadLinkInvite   = "upload_link_invite"
	KindUploadLinkPasscode = "upload_link_passcode"
	KindReviewLinkInvite   = "review_link_invite"
	KindReviewDigest       = "review_digest"
	KindShareLinkInvite    = "share_link_invite"
)

// ShareLinkInvite is the data of a KindShareLinkInvite mail: a share link
// sent by email, with the recipient's own code in Path.
type ShareLinkInvite struct {
	SenderName  string
	LinkName    string
	Path        string // "/s/KEY?invite=CODE"
	Message     string
	Reissued    bool // a fresh link after the first one was opened in another browser
	Bound       bool // the link works in one browser only
	HasPassword bool
	ExpiresAt   *time.Time
}

// sensitiveKinds carry a secret: admins do not see their body, and it is
// deleted once delivered.
var sensitiveKinds = map[string]bool{KindUploadLinkPasscode: true}

// TestData is the data of a KindTest mail.
type TestData struct {
	To     string // where the test went
	Server string // SMTP host:port it went through
	SentAt time.Time
}

// UploadLinkInvite is the data of a KindUploadLinkInvite mail: the first of
// the two mails of an upload link, carrying the link.
type UploadLinkInvite struct {
	RecipientName string     // may be empty
	SenderName    string     // the user who made the link
	LinkName      string     // may be empty
	Path          string     // the link's path, e.g. "/u/KEY"; joined to public_url
	Message       string     // the sender's custom message, may be empty
	ExpiresAt     *time.Time // nil: never
}

// UploadLinkPasscode is the data of a KindUploadLinkPasscode mail: the
// second mail of an upload link, carrying the passcode and no link.
type UploadLinkPasscode struct {
	RecipientName string
	SenderName    string
	LinkName      string
	Passcode      string // the 6 digits
	ExpiresAt     *time.Time
}

// ReviewLinkInvite is the data of a KindReviewLinkInvite mail: a review
// link sent to a reviewer (the password, if any, never goes with it).
type ReviewLinkInvite struct {
	SenderName  string
	LinkName    string
	Path        string // "/r/KEY"
	Message     string
	Approvals   bool
	HasPassword bool
	ExpiresAt   *time.Time
}

// ReviewDigest is the data of a KindReviewDigest mail: feedback that
// arrived through a review link since the last digest.
type ReviewDigest struct {
	OwnerName string
	LinkName  string
	Path      string // "/review-links/ID" in the app
	Lines     []string
}

//go:embed templates
var templateFS embed.FS

type kindTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// parsed holds the templates of every kind, parsed once with placeholder
// functions; Render clones them and binds the site's values.
var parsed = mustParse(KindTest, KindUploadLinkInvite, KindUploadLinkPasscode, KindReviewLinkInvite, KindReviewDigest, KindShareLinkInvite)

func mustParse(kinds ...string) map[string]kindTemplates {
	out := map[string]kindTemplates{}
	funcs := Templates{}.funcs()
	for _, k := range kinds {
		t := texttemplate.Must(texttemplate.New(k).Funcs(funcs).ParseFS(templateFS, "templates/layout.txt", "templates/"+k+".txt"))
		h := htmltemplate.Must(htmltemplate.New(k).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+k+".html"))
		out[k] = kindTemplates{text: t, html: h}
	}
	return out
}

// Templates renders mail in Ferry's layout: the site name as header, the
// body, an optional call-to-action button and a small footer. Every link
// is built from PublicURL.
type Templates struct {
	SiteName  string
	PublicURL string
}

// Content is a rendered mail.
type Content struct {
	Subject string
	Text    string
	HTML    string
}

// Render renders the mail of kind with data (TestData, UploadLinkInvite,
// UploadLinkPasscode).
func (t Templates) Render(kind string, data any) (Content, error) {
	kt, ok := parsed[kind]
	if !ok {
		return Content{}, fmt.Errorf("mail: no template for kind %q", kind)
	}
	funcs := t.funcs()
	text, err := kt.text.Clone()
	if err != nil {
		return Content{}, err
	}
	html, err := kt.html.Clone()
	if err != nil {
		return Content{}, err
	}
	text.Funcs(funcs)
	html.Funcs(funcs)
	var subject, body, page bytes.Buffer
	if err := text.ExecuteTemplate(&subject, "subject", data); err != nil {
		return Content{}, fmt.Errorf("mail: %s subject: %w", kind, err)
	}
	if err := text.ExecuteTemplate(&body, "layout", data); err != nil {
		return Content{}, fmt.Errorf("mail: %s text: %w", kind, err)
	}
	if err := html.ExecuteTemplate(&page, "layout", data); err != nil {
		return Content{}, fmt.Errorf("mail: %s html: %w", kind, err)
	}
	return Content{
		Subject: strings.Join(strings.Fields(subject.String()), " "),
		Text:    tidyText(body.String()),
		HTML:    page.String(),
	}, nil
}

// Message renders kind with data into a message to the given recipients,
// ready for Outbox.Enqueue (set Ref to follow its delivery).
func (t Templates) Message(kind string, to []Address, data any) (Message, error) {
	c, err := t.Render(kind, data)
	if err != nil {
		return Message{}, err
	}
	return Message{To: to, Subject: c.Subject, Text: c.Text, HTML: c.HTML, Kind: kind, Sensitive: sensitiveKinds[kind]}, nil
}

// button is what the "button" template draws.
type button struct {
	Label string
	URL   string
}

func (t Templates) site() string {
	if s := strings.TrimSpace(t.SiteName); s != "" {
		return s
	}
	return "Ferry"
}

// link joins path to the public URL; only paths are accepted, so every
// link in a mail points at this Ferry.
func (t Templates) link(path string) (string, error) {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return "", fmt.Errorf("link %q must be a path starting with /", path)
	}
	return strings.TrimRight(t.PublicURL, "/") + path, nil
}

func (t Templates) funcs() map[string]any {
	return map[string]any{
		"site": t.site,
		"url":  t.link,
		"host": func() string {
			if u, err := url.Parse(t.PublicURL); err == nil && u.Host != "" {
				return u.Host
			}
			return t.PublicURL
		},
		"button": func(label, path string) (button, error) {
			u, err := t.link(path)
			return button{Label: label, URL: u}, err
		},
		"datetime": func(v any) string {
			switch at := v.(type) {
			case time.Time:
				return at.UTC().Format("Monday 2 January 2006, 15:04 UTC")
			case *time.Time:
				if at != nil {
					return at.UTC().Format("Monday 2 January 2006, 15:04 UTC")
				}
			}
			return ""
		},
		"expiry": func(at *time.Time) string {
			if at == nil {
				return "The link does not expire."
			}
			return "The link works until " + at.UTC().Format("Monday 2 January 2006, 15:04 UTC") + "."
		},
		"lines": func(s string) []string {
			return strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
		},
		"quote":     quote,
		"underline": func(s string) string { return strings.Repeat("=", len([]rune(s))) },
	}
}

// quote prefixes every line of s with "> ", as mail quotes a message.
func quote(s string) string {
	lines := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}

// tidyText trims trailing spaces and collapses runs of blank lines that
// optional template sections leave behind.
func tidyText(s string) string {
	var out []string
	blank := 0
	for _, l := range strings.Split(s, "\n") {
		if l != "-- " { // the signature separator keeps its space
			l = strings.TrimRight(l, " \t")
		}
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}
