package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// APIError is an error answer of the Ferry API.
type APIError struct {
	Status int
	Code   string
	Detail string
}

func (e *APIError) Error() string {
	if e.Detail != "" {
		return e.Detail
	}
	return fmt.Sprintf("request failed (%d)", e.Status)
}

// call sends a JSON request to the API from the browser (same origin, so
// the session cookie goes along) and decodes the answer into out.
func call(method, path string, in, out any) error { return callWithHeader(method, path, nil, in, out) }

// callWithHeader is call with extra request headers (a share link's session).
func callWithHeader(method, path string, header map[string]string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the server: %w", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 400 {
		e := &APIError{Status: res.StatusCode}
		var doc struct {
			Errors []struct {
				Code   string `json:"code"`
				Detail string `json:"detail"`
			} `json:"errors"`
		}
		if json.Unmarshal(b, &doc) == nil && len(doc.Errors) > 0 {
			e.Code, e.Detail = doc.Errors[0].Code, doc.Errors[0].Detail
		}
		return e
	}
	if out != nil && len(b) > 0 {
		return json.Unmarshal(b, out)
	}
	return nil
}

// isUnauthorized reports whether err means the session is gone.
func isUnauthorized(err error) bool {
	e, ok := err.(*APIError)
	return ok && e.Status == 401
}

// copyText puts s on the clipboard.
func copyText(s string) {
	if app.IsClient {
		app.Window().Get("navigator").Get("clipboard").Call("writeText", s)
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func initials(name string) string {
	parts := strings.Fields(name)
	out := ""
	for _, p := range parts {
		out += strings.ToUpper(string([]rune(p)[0]))
		if len(out) == 2 {
			break
		}
	}
	if out == "" {
		return "?"
	}
	return out
}
