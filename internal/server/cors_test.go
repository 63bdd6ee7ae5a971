package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/server"
)

// Issue 10: cross-origin access from one setting (ALLOWED_ORIGINS) for HTTP
// and websockets, with the CSRF protection unchanged.

const devPage = "http://localhost:5173"

func preflight(a *app, origin, method, headers string) *rawResponse {
	return a.do(http.MethodOptions, "/query", map[string]string{
		"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers,
	}, nil)
}

func TestCORSDevelopmentOrigins(t *testing.T) {
	a := newApp(t, func(o *server.Options) {
		o.AllowedOrigins = server.DevelopmentOrigins
		o.MaxBodyBytes = 4096
	})
	fr := a.login(hiring.DemoFreelancer)

	for _, origin := range []string{devPage, "http://127.0.0.1:3000", "http://localhost:8081"} {
		r := preflight(a, origin, "POST", "authorization,content-type,apollo-require-preflight")
		if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != origin {
			t.Fatalf("preflight from %s: %d %v", origin, r.Status, r.Header)
		}
		allowed := strings.ToLower(r.Header.Get("Access-Control-Allow-Headers"))
		for _, h := range []string{"authorization", "content-type", "x-requested-with", "apollo-require-preflight", "graphql-require-preflight"} {
			if !strings.Contains(allowed, h) {
				t.Errorf("preflight does not allow %s: %q", h, allowed)
			}
		}
		if m := r.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "POST") || !strings.Contains(m, "GET") {
			t.Errorf("Access-Control-Allow-Methods %q", m)
		}
		if !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Origin") {
			t.Errorf("no Vary: Origin: %v", r.Header)
		}
	}
	// Not loopback, or not http: no permission.
	for _, origin := range []string{"http://evil.example", "https://localhost:5173", "http://localhost.evil.example:5173"} {
		r := preflight(a, origin, "POST", "authorization,content-type")
		if r.Status != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("preflight from %s: %d %v", origin, r.Status, r.Header)
		}
	}

	post := func(origin string, header map[string]string, body string) *rawResponse {
		h := map[string]string{"Origin": origin, "Content-Type": "application/json"}
		for k, v := range header {
			h[k] = v
		}
		return a.do(http.MethodPost, "/query", h, strings.NewReader(body))
	}
	wantCORS := func(what string, r *rawResponse, status int) {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
		}
		if r.Header.Get("Access-Control-Allow-Origin") != devPage || r.Header.Get("Access-Control-Allow-Credentials") != "true" {
			t.Fatalf("%s: no CORS permission on the response: %v", what, r.Header)
		}
		if !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
			t.Fatalf("%s: Retry-After not exposed: %v", what, r.Header)
		}
	}
	// A query, and errors of every kind, are readable by the page.
	r := post(devPage, map[string]string{"Authorization": "Bearer " + fr}, gqlBody(`{ viewer { name } }`, nil))
	wantCORS("query", r, http.StatusOK)
	if r.JSON(t).Code() != "" {
		t.Fatalf("query failed: %s", r.Body)
	}
	r = post(devPage, nil, gqlBody(`{ viewer { name } }`, nil))
	wantCORS("without a token", r, http.StatusOK)
	if c := r.JSON(t).Code(); c != "UNAUTHENTICATED" {
		t.Fatalf("without a token: %s", r.Body)
	}
	r = post(devPage, map[string]string{"Authorization": "Bearer not-a-token"}, gqlBody(`{ viewer { name } }`, nil))
	wantCORS("bad token", r, http.StatusOK)
	wantCORS("too large", post(devPage, nil, gqlBody(`{ __typename `+strings.Repeat(",", 5000)+` }`, nil)), http.StatusRequestEntityTooLarge)
	wantCORS("not JSON", post(devPage, nil, `{"query":`), http.StatusBadRequest)
	wantCORS("unsupported", post(devPage, map[string]string{"Content-Type": "application/xml", "X-Requested-With": "x"}, "<q/>"), http.StatusUnsupportedMediaType)
	wantCORS("GET", a.do(http.MethodGet, "/query?query=%7B__typename%7D", map[string]string{"Origin": devPage}, nil), http.StatusOK)

	// CSRF: an allowed origin gains nothing a browser would send without a
	// preflight. A form or text/plain POST is still refused (readably).
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		r := post(devPage, map[string]string{"Content-Type": ct, "Authorization": "Bearer " + fr},
			gqlBody(`mutation { markNotificationsRead(input: {all: true}) { unreadCount } }`, nil))
		wantCORS("simple "+ct, r, http.StatusForbidden)
		if r.JSON(t).Code() != "FORBIDDEN" {
			t.Fatalf("simple %s: %s", ct, r.Body)
		}
	}
	// And from an origin that is not allowed: refused, and unreadable.
	r = post("http://evil.example", map[string]string{"Content-Type": "text/plain"}, gqlBody(`{ __typename }`, nil))
	if r.Status != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("cross-site simple POST: %d %v", r.Status, r.Header)
	}
	// An OPTIONS that is not a preflight still gets the transport's answer.
	if r := a.do(http.MethodOptions, "/query", nil, nil); r.Status != http.StatusNoContent || r.Header.Get("Allow") == "" {
		t.Fatalf("plain OPTIONS: %d %v", r.Status, r.Header)
	}

	// Websockets follow the same policy.
	ws := strings.Replace(a.URL, "http", "ws", 1) + "/query"
	for origin, ok := range map[string]bool{devPage: true, "http://127.0.0.1:4000": true, "http://evil.example": false, "": true} {
		if got := dialOrigin(t, ws, origin); got != ok {
			t.Errorf("websocket from %q: accepted=%v, want %v", origin, got, ok)
		}
	}
}

// TestCORSRateLimited: a 429 reaches the page with its Retry-After.
func TestCORSRateLimited(t *testing.T) {
	a := newApp(t, func(o *server.Options) {
		o.AllowedOrigins = []string{devPage}
		o.MutationRate, o.MutationBurst = 0.001, 1
	})
	fr := a.login(hiring.DemoFreelancer) // the login mutation is the anonymous bucket's
	h := map[string]string{"Origin": devPage, "Content-Type": "application/json", "Authorization": "Bearer " + fr}
	body := gqlBody(`mutation { markNotificationsRead(input: {all: true}) { unreadCount } }`, nil)
	a.do(http.MethodPost, "/query", h, strings.NewReader(body))
	r := a.do(http.MethodPost, "/query", h, strings.NewReader(body))
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Access-Control-Allow-Origin") != devPage ||
		r.Header.Get("Retry-After") == "" || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
		t.Fatalf("429: %d %v %s", r.Status, r.Header, r.Body)
	}
}

// TestCORSProduction: with nothing configured, nothing cross-origin is
// allowed; the server's own origin (also behind a proxy that rewrites Host)
// and non-browser clients are unaffected. An exact origin opens just that one.
func TestCORSProduction(t *testing.T) {
	a := newApp(t) // AllowedOrigins empty: production's default
	if r := preflight(a, devPage, "POST", "content-type"); r.Status != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight: %d %v", r.Status, r.Header)
	}
	r := a.do(http.MethodPost, "/query", map[string]string{"Origin": devPage, "Content-Type": "application/json"}, strings.NewReader(gqlBody(`{ __typename }`, nil)))
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("a response to a foreign origin carries a permission: %v", r.Header)
	}
	ws := strings.Replace(a.URL, "http", "ws", 1) + "/query"
	if dialOrigin(t, ws, devPage) {
		t.Fatal("a websocket from a foreign origin was accepted")
	}
	if !dialOrigin(t, ws, a.URL) || !dialOrigin(t, ws, "") {
		t.Fatal("a same-origin or non-browser websocket was refused")
	}

	b := newApp(t, func(o *server.Options) { o.AllowedOrigins = []string{"https://app.example.com"} })
	if r := preflight(b, "https://app.example.com", "POST", "authorization,content-type"); r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Fatalf("configured origin: %d %v", r.Status, r.Header)
	}
	if r := preflight(b, "https://app.example.com:8443", "POST", "content-type"); r.Status != http.StatusForbidden {
		t.Fatalf("another port of a configured origin: %d", r.Status)
	}
	if r := preflight(b, devPage, "POST", "content-type"); r.Status != http.StatusForbidden {
		t.Fatalf("loopback in production: %d", r.Status)
	}

	// "*": any origin, never with credentials.
	c := newApp(t, func(o *server.Options) { o.AllowedOrigins = []string{"*"} })
	r = preflight(c, "https://anything.example", "POST", "authorization,content-type")
	if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "*" || r.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("*: %d %v", r.Status, r.Header)
	}
}

func TestParseOrigins(t *testing.T) {
	for _, ok := range [][]string{{"*"}, {"https://app.example.com"}, {"http://localhost:*", "http://127.0.0.1:8080"}, nil} {
		if err := server.ParseOrigins(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"app.example.com", "https://app.example.com/path", "ftp://x", "https://x:8080:*", "http://"} {
		if err := server.ParseOrigins([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// dialOrigin opens a websocket with an Origin header and reports whether the
// server accepted it.
func dialOrigin(t *testing.T, url, origin string) bool {
	t.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 30 * time.Second}
	conn, res, err := d.Dial(url, h)
	if err != nil {
		if res == nil {
			t.Fatalf("dial %s: %v", url, err)
		}
		return false
	}
	_ = conn.Close()
	return true
}
