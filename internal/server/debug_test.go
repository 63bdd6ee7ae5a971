package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hiregraph/hiregraph/internal/server"
)

// TestPprofOnlyOnTheDebugListener: the API's handler answers 404 for
// /debug/pprof (profiles are never on the public port); the debug handler,
// served on DEBUG_ADDR's own listener, serves them.
func TestPprofOnlyOnTheDebugListener(t *testing.T) {
	a := newApp(t)
	for _, p := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/profile?seconds=1", "/debug/pprof/cmdline"} {
		if r := a.do(http.MethodGet, p, nil, nil); r.Status != http.StatusNotFound {
			t.Errorf("API port: GET %s = %d, want 404", p, r.Status)
		}
	}
	debug := httptest.NewServer(server.DebugHandler())
	defer debug.Close()
	for _, p := range []string{"/debug/pprof/", "/debug/pprof/heap?debug=1", "/debug/pprof/goroutine?debug=1"} {
		resp, err := http.Get(debug.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("debug listener: GET %s = %d, want 200", p, resp.StatusCode)
		}
	}
}
