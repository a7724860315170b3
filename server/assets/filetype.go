package assets

import (
	"mime"
	"strings"

	"github.com/ferryhq/ferry/server/errs"
)

// CleanFiletype checks the media type a client declares for an upload and
// returns it in canonical form: exactly one type/subtype (lower case) with
// at most a charset parameter; "" means application/octet-stream. Lists,
// NUL, control and non-ASCII characters and other oddities are refused,
// so the type stored is one a browser reads the way Ferry does (downloads
// decide inline or attachment from it).
func CleanFiletype(ft string) (string, error) {
	ft = strings.TrimSpace(ft)
	if ft == "" {
		return "application/octet-stream", nil
	}
	bad := func(why string) (string, error) {
		return "", errs.New(errs.Invalid, "invalid_filetype", "filetype %q is not a media type: %s", ft, why)
	}
	if len(ft) > 200 {
		return bad("longer than 200 bytes")
	}
	for _, r := range ft {
		if r < 0x20 || r >= 0x7f {
			return bad("only printable ASCII is allowed")
		}
	}
	if strings.Contains(ft, ",") {
		return bad("give one type, not a list")
	}
	mt, params, err := mime.ParseMediaType(ft)
	if err != nil {
		return bad("want type/subtype, e.g. image/jpeg")
	}
	major, sub, ok := strings.Cut(mt, "/")
	if !ok || major == "" || sub == "" || strings.Contains(sub, "/") {
		return bad("want exactly one type/subtype, e.g. image/jpeg")
	}
	out := mt
	for k, v := range params {
		if k != "charset" {
			continue // parameters other than charset mean nothing to Ferry
		}
		if len(v) == 0 || len(v) > 40 || strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") != "" {
			return bad("charset " + v + " is not a character set name")
		}
		out += "; charset=" + strings.ToLower(v)
	}
	return out, nil
}
