package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/errs"
)

// ErrorBody is model.ErrorBody, the JSON document.
type ErrorBody = model.ErrorBody

// ErrorItem is model.ErrorItem, the JSON document.
type ErrorItem = model.ErrorItem

var kindStatus = map[errs.Kind]int{
	errs.Internal:     500,
	errs.Invalid:      400,
	errs.Unauthorized: 401,
	errs.Forbidden:    403,
	errs.NotFound:     404,
	errs.Conflict:     409,
	errs.Gone:         410,
	errs.TooLarge:     413,
	errs.Locked:       423,
	errs.Throttled:    429,
	errs.Unsupported:  415,

	errs.InsufficientStorage: 507,
	errs.Unavailable:         503,
	errs.Unprocessable:       422,
}

// StatusOf maps a domain error to its HTTP status.
func StatusOf(err error) int {
	if e, ok := errs.As(err); ok {
		return kindStatus[e.Kind]
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return 500
}

// FrameioClientHeader is what the Frame.io SDKs send with every API call
// (python-frameio-client: "python/2.0.0").
const FrameioClientHeader = "X-Frameio-Client"

// writeError is the one place domain errors become HTTP answers.
func writeError(c *fiber.Ctx, log *slog.Logger, err error) error {
	status := StatusOf(err)
	// Frame.io v2 answers invalid arguments with 422, and its Python SDK
	// retries a 400 up to 100 times with growing pauses (hours) before it
	// shows the error: a client that names itself a Frame.io SDK gets 422.
	if status == fiber.StatusBadRequest && c.Get(FrameioClientHeader) != "" {
		status = fiber.StatusUnprocessableEntity
	}
	item := ErrorItem{Status: status, Title: http.StatusText(status)}
	if e, ok := errs.As(err); ok {
		item.Code, item.Detail = e.Code, e.Detail
		if e.RetryAfter > 0 {
			c.Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
		}
	} else if fe := (*fiber.Error)(nil); errors.As(err, &fe) {
		item.Code, item.Detail = strings.ReplaceAll(strings.ToLower(http.StatusText(fe.Code)), " ", "_"), fe.Message
	} else {
		item.Code, item.Detail = "internal", "something went wrong on the server; it was logged"
		log.Error("request failed", slog.String("path", c.Path()), slog.String("method", c.Method()), slog.Any("err", err))
	}
	return c.Status(status).JSON(ErrorBody{Errors: []ErrorItem{item}})
}

// decode reads a JSON body into v: the content type must be JSON, the body
// at most limit bytes, a single object, and unknown fields are refused.
func decode(c *fiber.Ctx, limit int64, v any) error {
	body, err := readJSON(c, limit)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// readJSON reads a JSON request body of at most limit bytes.
func readJSON(c *fiber.Ctx, limit int64) ([]byte, error) {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(string(c.Request().Header.ContentType()), ";")[0]))
	if ct != "application/json" {
		return nil, errs.New(errs.Unsupported, "unsupported_media_type", "send the body as application/json")
	}
	if cl := c.Request().Header.ContentLength(); cl > int(limit) {
		return nil, errs.New(errs.TooLarge, "body_too_large", "the JSON body is larger than %d bytes", limit)
	}
	var body []byte
	if c.Request().IsBodyStream() {
		b, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), limit+1))
		if err != nil {
			return nil, errs.Invalidf("reading body: %v", err)
		}
		body = b
	} else {
		body = c.Body()
	}
	if int64(len(body)) > limit {
		return nil, errs.New(errs.TooLarge, "body_too_large", "the JSON body is larger than %d bytes", limit)
	}
	return body, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errs.New(errs.Invalid, "invalid_json", "%s", jsonProblem(err))
	}
	if dec.More() {
		return errs.New(errs.Invalid, "invalid_json", "the body holds more than one JSON value")
	}
	return nil
}

// maxDrain bounds how much of a request body a handler left unread is read
// and discarded to keep the connection; past it the connection is closed.
const maxDrain = 256 << 10

// finishBody runs around every handler. With StreamRequestBody, fasthttp
// leaves a body the handler did not read (an error answered before decoding,
// a refused upload) on the connection, where its bytes would be parsed as
// the next request. Discard a small remainder, or close the connection.
func finishBody(c *fiber.Ctx) error {
	err := c.Next()
	body := c.Context().RequestBodyStream()
	if body == nil {
		return err
	}
	if c.Request().Header.ContentLength() < 0 {
		// Chunked: reading on after the last chunk would consume the next
		// request, and whether the handler reached it cannot be told.
		c.Context().SetConnectionClose()
		return err
	}
	n, derr := io.CopyN(io.Discard, body, maxDrain+1)
	if n > maxDrain || (derr != nil && !errors.Is(derr, io.EOF)) {
		c.Context().SetConnectionClose()
	}
	return err
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be %s, not %s", te.Field, te.Type, te.Value)
	case errors.Is(err, io.EOF):
		return "the body is empty; send a JSON object"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "malformed JSON: " + err.Error()
}

// pageParams reads Frame.io v2 pagination (?page=&page_size=).
func pageParams(c *fiber.Ctx) (page, size int, err error) {
	page, size = 1, 50
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, errs.Invalidf("page must be a positive integer")
		}
		page = n
	}
	if v := c.Query("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return 0, 0, errs.Invalidf("page_size must be 1 to 1000")
		}
		size = n
	}
	return page, size, nil
}

// setPageHeaders sets the page-number, per-page, total, total-pages and
// link headers of a list answer.
func setPageHeaders(c *fiber.Ctx, total, page, size int) {
	pages := (total + size - 1) / size
	if pages == 0 {
		pages = 1
	}
	c.Set("page-number", strconv.Itoa(page))
	c.Set("per-page", strconv.Itoa(size))
	c.Set("total", strconv.Itoa(total))
	c.Set("total-pages", strconv.Itoa(pages))
	var links []string
	base := c.Path()
	if page < pages {
		links = append(links, fmt.Sprintf(`<%s?page=%d&page_size=%d>; rel="next"`, base, page+1, size))
	}
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s?page=%d&page_size=%d>; rel="prev"`, base, page-1, size))
	}
	links = append(links, fmt.Sprintf(`<%s?page=%d&page_size=%d>; rel="last"`, base, pages, size))
	c.Set("link", strings.Join(links, ", "))
}

// paginate applies Frame.io v2 pagination to items and sets its headers.
func paginate[T any](c *fiber.Ctx, items []T) ([]T, error) {
	page, size, err := pageParams(c)
	if err != nil {
		return nil, err
	}
	total := len(items)
	setPageHeaders(c, total, page, size)
	start := (page - 1) * size
	if start >= total {
		return []T{}, nil
	}
	return items[start:min(total, start+size)], nil
}
