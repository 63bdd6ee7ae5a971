package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/pglocal"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// privateDatabase starts a PostgreSQL server of the test's own (which it
// may stop), with a migrated database.
func privateDatabase(t *testing.T) (*pglocal.Server, string) {
	t.Helper()
	base, err := os.MkdirTemp("", "hiregraph-faults-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil { // the server's account must get through
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pg, err := pglocal.Start(ctx, pglocal.Options{DataDir: filepath.Join(base, "data"), Fast: true})
	if err != nil {
		if os.Getenv("HIREGRAPH_REQUIRE_TOOLS") != "1" && os.Getenv("TEST_DATABASE_URL") != "" {
			t.Skipf("no local PostgreSQL binaries to stop and start (%v)", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	if err := pglocal.EnsureDatabase(ctx, pg, "hiregraph"); err != nil {
		t.Fatal(err)
	}
	return pg, pg.DSN("hiregraph")
}

// TestDatabaseDown: issue 11, acceptance 8. With the database stopped,
// queries and mutations (signed in or not) answer HTTP 503 with
// Retry-After and UNAVAILABLE, not INTERNAL; a new subscription on an open
// connection gets an error; a new connection is closed with 1013 (try
// again later) and says why.
func TestDatabaseDown(t *testing.T) {
	pg, dsn := privateDatabase(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn, postgres.Pool{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := postgres.Migrate(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	a := newAppOn(t, db, dsn)
	fr := a.login(hiring.DemoFreelancer)
	open := a.dial(wstest.TransportWS, fr).Ack()
	page := a.post(fr, invitationsPage, nil) // its statements now prepared on the pool
	if len(page.Errors) > 0 {
		t.Fatalf("the invitations page: %+v", page.Errors)
	}

	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct{ token, query string }{
		"query":              {fr, `{ viewer { id } }`},
		"mutation":           {fr, `mutation { markNotificationsRead(input: {all: true}) { unreadCount } }`},
		"anonymous mutation": {"", `mutation { login(input: {email: "freelancer@hiregraph.test", password: "hiregraph-demo"}) { token } }`},
	} {
		body, _ := json.Marshal(map[string]any{"query": tc.query})
		res, raw := rawPostHeader(t, a.URL, tc.token, body)
		var out response
		_ = json.Unmarshal(raw, &out)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || out.Code() != "UNAVAILABLE" {
			t.Errorf("%s: status %d, Retry-After %q, errors %+v", name, res.StatusCode, res.Header.Get("Retry-After"), out.Errors)
		}
	}

	open.Subscribe("1", `subscription { notificationReceived { unreadCount } }`, nil)
	if e := open.Event(10 * time.Second); len(e.Errors) == 0 || e.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Errorf("a subscription started while the database is down: %+v", e)
	}

	for _, proto := range wstest.Protocols {
		code, reason := a.dial(proto, fr).ExpectClose(10 * time.Second)
		if code != websocket.CloseTryAgainLater || reason == "" {
			t.Errorf("%s: a new connection closed with %d %q", proto, code, reason)
		}
	}

	// The database back: the prepared statements (the token check, the
	// page) are prepared again on new connections and the page answers as
	// before. A request may still meet one of the pool's 8 broken
	// connections (UNAVAILABLE), each only once.
	pg, err = pg.Restart(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	for attempt := 1; ; attempt++ {
		again := a.post(fr, invitationsPage, nil)
		if len(again.Errors) == 0 {
			if string(again.Data) != string(page.Data) {
				t.Errorf("after the restart the page is %s, before %s", again.Data, page.Data)
			}
			t.Logf("the page answered at attempt %d after the restart", attempt)
			break
		}
		if again.Code() != "UNAVAILABLE" || attempt > 2*8 {
			t.Fatalf("attempt %d after the restart: %+v", attempt, again.Errors)
		}
	}
}
