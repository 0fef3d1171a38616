// Package web serves the browser application: plain HTML, CSS and
// JavaScript modules embedded in the binary. The pages work only through
// the REST API under /v1/, with the token the user signs in with, so they
// need nothing the API does not offer and work with no internet.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var static embed.FS

// Handler serves the application's files to GET and HEAD: "/" is the
// application for people who sign in, "/public" the transparency page
// anyone may read with no token.
func Handler() http.Handler {
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	server := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		// Only the application's own files and the API: no inline script,
		// no other origin, not framed by another site.
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The files change with the binary: revalidate rather than cache.
		h.Set("Cache-Control", "no-cache")
		if r.URL.Path == "/public" {
			http.ServeFileFS(w, r, files, "public.html")
			return
		}
		server.ServeHTTP(w, r)
	})
}
