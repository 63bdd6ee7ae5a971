package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Cross-origin access: one policy, from ALLOWED_ORIGINS, for HTTP (CORS) and
// for the websocket's origin check.
//
// Why this keeps the CSRF protection as strong as before: hiregraph has no
// ambient credentials (no cookies; the token travels in the Authorization
// header, which a page on another site does not have), and the transport
// still refuses any POST a browser could send without a preflight unless it
// is JSON or carries a preflight-forcing header. Both of those make a
// browser ask first, and a preflight is granted only to an allowed origin.
// So a page on an origin that is not allowed can still only send what it
// could before (simple requests, refused with 403 or, for GET, read-only and
// unreadable to it), and an allowed origin gets exactly the requests it
// asked for in its preflight.

// DevelopmentOrigins are allowed by default in development: any port on the
// loopback names, where Vite, Next and the like serve a single-page app.
var DevelopmentOrigins = []string{"http://localhost:*", "http://127.0.0.1:*"}

// corsAllowedHeaders are the request headers a preflight may ask for: the
// token, JSON, the headers that force a preflight (see preflightHeaders),
// and the request id.
const corsAllowedHeaders = "Authorization, Content-Type, Accept, X-Requested-With, Apollo-Require-Preflight, GraphQL-Require-Preflight, X-Request-ID"

// corsExposedHeaders are the response headers a page may read besides the
// safelisted ones: Retry-After on 429 and 503, and the request id.
const corsExposedHeaders = "Retry-After, X-Request-ID"

// originPolicy says which origins other than the server's own may call the
// API from a browser.
type originPolicy struct {
	// any: every origin ("*"), answered with Access-Control-Allow-Origin: *
	// and never with credentials.
	any   bool
	exact map[string]bool
	// anyPort holds "scheme://host" for entries written "scheme://host:*".
	anyPort map[string]bool
}

// ParseOrigins checks ALLOWED_ORIGINS' entries: "*", an exact origin
// (scheme://host[:port], no path), or scheme://host:* for any port.
func ParseOrigins(entries []string) error {
	_, err := newOriginPolicy(entries)
	return err
}

func newOriginPolicy(entries []string) (*originPolicy, error) {
	p := &originPolicy{exact: map[string]bool{}, anyPort: map[string]bool{}}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		switch {
		case e == "":
			continue
		case e == "*":
			p.any = true
			continue
		}
		base, wildcard := strings.CutSuffix(e, ":*")
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || (wildcard && u.Port() != "") {
			return nil, fmt.Errorf("%q is not an origin: write scheme://host[:port] (e.g. https://app.example.com), scheme://host:* for any port, or *", e)
		}
		origin := strings.ToLower(u.Scheme + "://" + u.Host)
		if wildcard {
			p.anyPort[origin] = true
		} else {
			p.exact[origin] = true
		}
	}
	return p, nil
}

// allows reports whether a page on origin may call the API on r. The
// server's own origin (the Origin's host equal to the request's Host, also
// behind a dev proxy that rewrites Host with changeOrigin) always may.
func (p *originPolicy) allows(origin string, r *http.Request) bool {
	if p.any {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	o := strings.ToLower(u.Scheme + "://" + u.Host)
	if p.exact[o] {
		return true
	}
	return u.Port() != "" && p.anyPort[strings.ToLower(u.Scheme+"://"+u.Hostname())] ||
		u.Port() == "" && p.anyPort[o]
}

// checkWebsocketOrigin is the websocket's origin check: non-browser clients
// (no Origin) and the allowed origins.
func (p *originPolicy) checkWebsocketOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	return origin == "" || p.allows(origin, r)
}

// cors wraps the API's handler. A preflight from an allowed origin is
// answered here (204 with the permissions); one from another origin is
// refused (403, no permissions). Every other response to an allowed origin,
// errors included (401, 413, 415, 429, ...), carries
// Access-Control-Allow-Origin, so the page can read what went wrong.
func (p *originPolicy) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
		}
		if !p.allows(origin, r) {
			if preflight {
				h.Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusForbidden)
				_, _ = fmt.Fprintf(w, "origin %s is not allowed to call this API (ALLOWED_ORIGINS)\n", origin)
				return
			}
			// No permission: the browser hides the response from the page.
			// The request itself is judged as before (CSRF check included).
			next.ServeHTTP(w, r)
			return
		}
		if p.any {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if preflight {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", corsAllowedHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.Set("Access-Control-Expose-Headers", corsExposedHeaders)
		next.ServeHTTP(w, r)
	})
}
