//go:build !js

// Package webapp serves the go-app web app from the files embedded in the
// binary: prerendered pages, the PWA manifest and service worker, and the
// precompressed wasm under a content-hashed URL.
package webapp

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"io"
	"io/fs"
	"mime"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	ferryapp "github.com/ferryhq/ferry/app"
	webfiles "github.com/ferryhq/ferry/embed"
)

// Web is the web app: the go-app handler and the /web/ file server.
type Web struct {
	files    fs.FS
	wasmHash string
	Handler  *app.Handler
	peeks    sync.Map // share key → *peekRecord of the render under way (SharePages)

	seed      maphash.Seed
	gateLocks [64]sync.Mutex // renders of one upload or review key, one at a time (GatePages)
	gatePeeks sync.Map       // upload or review key → true while GatePages renders it
}

// New prepares the web app for a site name. Routes are registered here, the
// same ones the wasm registers, so prerendering matches the browser; opts
// give the prerendered pages their data.
func New(siteName, version string, opts ferryapp.Options) (*Web, error) {
	files, err := fs.Sub(webfiles.FS, "web")
	if err != nil {
		return nil, err
	}
	w := &Web{files: files, seed: maphash.MakeSeed()}
	if b, err := fs.ReadFile(files, "app.wasm.gz"); err == nil {
		sum := sha256.Sum256(b)
		w.wasmHash = hex.EncodeToString(sum[:])[:16]
	}
	opts.PeekShare = w.recordPeeks(opts.PeekShare)
	opts.PeekUpload = gatedPeek(w, opts.PeekUpload)
	opts.PeekReview = gatedPeek(w, opts.PeekReview)
	ferryapp.Routes(opts)
	w.Handler = &app.Handler{
		Name:            siteName,
		ShortName:       siteName,
		Title:           siteName,
		Description:     "Share, review and receive photos, video and documents.",
		Lang:            "en",
		BackgroundColor: "#0f172a",
		ThemeColor:      "#2563eb",
		LoadingLabel:    "Loading {progress}%",
		Icon: app.Icon{
			Default:  "/web/icon-192.png",
			Large:    "/web/icon-512.png",
			Maskable: "/web/icon-512.png",
			SVG:      "/web/icon.svg",
		},
		Styles: []string{"/web/ferry.css", "/web/uploader.css", "/web/public.css", "/web/gallery.css", "/web/review.css", "/web/governance.css", "/web/library.css"},
		// Deferred: they wait for nothing the page shows (uploader.js
		// starts on DOMContentLoaded), so they do not block the first
		// render. visitor.js lets a visitor act before the wasm runs.
		Scripts:            []string{"/web/visitor.js defer", "/web/uploader.js defer"},
		CacheableResources: []string{"/web/icon.svg"},
		Resources:          resolver{wasm: w.WasmPath()},
		Version:            version + "-" + w.wasmHash,
		// The wasm is served gzip/brotli encoded; the loader's progress
		// reads its real size from this header.
		WasmContentLengthHeader: "X-Uncompressed-Length",
	}
	return w, nil
}

// WasmPath is the content-hashed URL of the wasm.
func (w *Web) WasmPath() string {
	if w.wasmHash == "" {
		return "/web/app.wasm"
	}
	return "/web/app." + w.wasmHash + ".wasm"
}

// HasWasm reports whether the binary carries a built wasm.
func (w *Web) HasWasm() bool { return w.wasmHash != "" }

type resolver struct{ wasm string }

func (r resolver) Resolve(location string) string {
	if location == "" || location == "/" {
		return "/"
	}
	if strings.HasPrefix(location, "http://") || strings.HasPrefix(location, "https://") {
		return location
	}
	if location == "/web/app.wasm" {
		return r.wasm
	}
	return location
}

// Static serves /web/*: the hashed wasm precompressed with immutable
// caching, other files revalidated by ETag.
func (w *Web) Static(c *fiber.Ctx) error {
	name := strings.TrimPrefix(path.Clean(c.Path()), "/web/")
	if strings.HasPrefix(name, "app.") && strings.HasSuffix(name, ".wasm") {
		return w.serveWasm(c, name)
	}
	b, err := fs.ReadFile(w.files, name)
	if err != nil || strings.HasPrefix(name, "app.wasm") || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
		return fiber.NewError(fiber.StatusNotFound, "no such file")
	}
	sum := sha256.Sum256(b)
	tag := hex.EncodeToString(sum[:8])
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Set("Content-Type", ct)
	c.Set("Cache-Control", "no-cache")
	// The stylesheets and scripts carry brotli and gzip copies made at
	// build time (make build: scripts/precompress -keep); each encoding is
	// its own representation, with its own ETag.
	if enc, zb := w.precompressed(name, c.Get("Accept-Encoding")); zb != nil {
		c.Set("Vary", "Accept-Encoding")
		c.Set("Content-Encoding", enc)
		tag += "-" + enc
		b = zb
	}
	etag := `"` + tag + `"`
	c.Set("ETag", etag)
	if c.Get("If-None-Match") == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(b)
}

// precompressed is the build's brotli or gzip copy of name that accept
// allows, brotli first.
func (w *Web) precompressed(name, accept string) (string, []byte) {
	for _, enc := range []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
		if !strings.Contains(accept, enc.name) {
			continue
		}
		if zb, err := fs.ReadFile(w.files, name+enc.ext); err == nil {
			return enc.name, zb
		}
	}
	return "", nil
}

func (w *Web) serveWasm(c *fiber.Ctx, name string) error {
	if w.wasmHash == "" {
		return fiber.NewError(fiber.StatusServiceUnavailable, "this ferry was built without the web app; run `make build`")
	}
	if name != "app."+w.wasmHash+".wasm" {
		return fiber.NewError(fiber.StatusNotFound, "stale wasm; reload the page")
	}
	c.Set("Content-Type", "application/wasm")
	c.Set("Cache-Control", "public, max-age=31536000, immutable")
	c.Set("Vary", "Accept-Encoding")
	gz, _ := fs.ReadFile(w.files, "app.wasm.gz")
	size := uncompressedSize(gz)
	c.Set("X-Uncompressed-Length", strconv.Itoa(size))
	accept := c.Get("Accept-Encoding")
	if strings.Contains(accept, "br") {
		if br, err := fs.ReadFile(w.files, "app.wasm.br"); err == nil {
			c.Set("Content-Encoding", "br")
			return c.Send(br)
		}
	}
	if strings.Contains(accept, "gzip") {
		c.Set("Content-Encoding", "gzip")
		return c.Send(gz)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	return c.Send(raw)
}

// uncompressedSize reads the gzip trailer's ISIZE.
func uncompressedSize(gz []byte) int {
	if len(gz) < 4 {
		return 0
	}
	t := gz[len(gz)-4:]
	return int(uint32(t[0]) | uint32(t[1])<<8 | uint32(t[2])<<16 | uint32(t[3])<<24)
}
