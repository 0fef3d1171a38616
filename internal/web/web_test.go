package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestHandlerServesThePageAndItsModules(t *testing.T) {
	h := Handler()
	for _, c := range []struct {
		method, path string
		status       int
		contentType  string
		holds        string
	}{
		{"GET", "/", 200, "text/html", `<script type="module" src="/app.js">`},
		{"GET", "/app.js", 200, "javascript", "events"},
		// The transparency page is a page of its own, with its own module
		// and no sign-in.
		{"GET", "/public", 200, "text/html", `<script type="module" src="/public.js">`},
		{"GET", "/public.js", 200, "javascript", "/v1/public"},
		{"POST", "/public", 405, "", ""},
		{"GET", "/style.css", 200, "text/css", ":root"},
		// The service worker is a script of the origin's root, so its
		// scope covers every page.
		{"GET", "/sw.js", 200, "javascript", "caches"},
		{"GET", "/missing.js", 404, "", ""},
		{"POST", "/", 405, "", ""},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status || !strings.Contains(rec.Header().Get("Content-Type"), c.contentType) ||
			!strings.Contains(rec.Body.String(), c.holds) {
			t.Errorf("%s %s: %d %q, want %d %q holding %q", c.method, c.path, rec.Code, rec.Header().Get("Content-Type"), c.status, c.contentType, c.holds)
		}
		if c.status == 200 && !strings.Contains(rec.Header().Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s %s: no content security policy", c.method, c.path)
		}
	}
	// HEAD answers as GET does, with the same headers and no body.
	get, head := httptest.NewRecorder(), httptest.NewRecorder()
	h.ServeHTTP(get, httptest.NewRequest(http.MethodGet, "/", nil))
	h.ServeHTTP(head, httptest.NewRequest(http.MethodHead, "/", nil))
	if head.Code != 200 || head.Body.Len() != 0 {
		t.Errorf("HEAD /: %d with a %d-byte body, want 200 and no body", head.Code, head.Body.Len())
	}
	for _, name := range []string{"Content-Type", "Content-Length", "Content-Security-Policy", "Cache-Control"} {
		if g, h := get.Header().Get(name), head.Header().Get(name); g == "" || g != h {
			t.Errorf("%s: GET says %q, HEAD says %q", name, g, h)
		}
	}
	if want := strconv.Itoa(get.Body.Len()); head.Header().Get("Content-Length") != want {
		t.Errorf("HEAD / Content-Length %q, want the page's %s bytes", head.Header().Get("Content-Length"), want)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/", nil))
	if rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("405 without Allow: %v", rec.Header())
	}
}
