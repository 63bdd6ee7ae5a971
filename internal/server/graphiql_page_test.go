package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/server"
)

// Issue 10: GraphiQL opens with example operations, says whose token is
// prefilled, and has a favicon.
func TestGraphiQLPage(t *testing.T) {
	a := newApp(t, func(o *server.Options) {
		o.GraphiQLHeaders = func() map[string]string { return map[string]string{"Authorization": "Bearer demo-token"} }
		o.GraphiQLTokenOwner = "Frankie Freelancer (freelancer@hiregraph.test), the demo freelancer"
	})
	r := a.do(http.MethodGet, "/", nil, nil)
	page := string(r.Body)
	for _, want := range []string{
		"defaultTabs", "query MyInvitations", "subscription Bell", "notificationReceived",
		"mutation AcceptInvitation", "acceptInvitation(input: $in)",
		"holds a bearer token of", "Frankie Freelancer (freelancer@hiregraph.test), the demo freelancer",
		`rel="icon" href="/favicon.svg"`, "Bearer demo-token",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, p := range []string{"/favicon.svg", "/favicon.ico"} {
		if r := a.do(http.MethodGet, p, nil, nil); r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(string(r.Body), "<svg") {
			t.Errorf("%s: %d %s", p, r.Status, r.Header.Get("Content-Type"))
		}
	}

	// Without a prefilled token the page says how to get one.
	b := newApp(t)
	if page := string(b.do(http.MethodGet, "/", nil, nil).Body); !strings.Contains(page, "No token is prefilled") {
		t.Errorf("the page without a token does not say so")
	}
}
