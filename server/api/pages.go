package api

import "net/http"

// buildFiles are what go-app generates per build: its build-wide ETag
// fits them. Every other path is a page, prerendered from data (a share
// link's gallery, a link's title).
var buildFiles = map[string]bool{
	"/app.js": true, "/goapp.js": true, "/app-worker.js": true, "/wasm_exec.js": true, "/app.css": true,
	"/manifest.webmanifest": true, "/manifest.json": true,
}

// uncachedPages wraps the go-app handler, which tags every answer with one
// build-wide ETag and answers 304 to it: a page that changed since (a
// gallery revoked after a visit) would come back from the browser's cache.
// Pages are not kept at all instead. (A tag of the page's bytes would not
// help: go-app writes attributes in map order, so no two renders match.)
func uncachedPages(web http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if buildFiles[r.URL.Path] {
			web.ServeHTTP(w, r)
			return
		}
		r.Header.Del("If-None-Match")
		web.ServeHTTP(&uncachedWriter{ResponseWriter: w}, r)
	})
}

// uncachedWriter replaces the caching headers go-app set when the answer starts.
type uncachedWriter struct {
	http.ResponseWriter
	started bool
}

func (u *uncachedWriter) WriteHeader(code int) {
	if !u.started {
		u.started = true
		u.Header().Del("ETag")
		u.Header().Set("Cache-Control", "no-store")
	}
	u.ResponseWriter.WriteHeader(code)
}

func (u *uncachedWriter) Write(b []byte) (int, error) {
	if !u.started {
		u.WriteHeader(http.StatusOK)
	}
	return u.ResponseWriter.Write(b)
}
