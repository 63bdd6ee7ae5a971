package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/postgres/postgrestest"
	"github.com/hiregraph/hiregraph/internal/realtime"
	"github.com/hiregraph/hiregraph/internal/server"
)

// app is a real hiregraph HTTP server on a random port, over a fresh
// database loaded with the demo data.
type app struct {
	t      testing.TB
	URL    string
	DSN    string
	DB     *sqlx.DB
	Hiring *hiring.Service
	Clock  *hiringtest.Clock
	Server *server.Server
	Broker *realtime.Broker
}

// newApp starts the app; opts change the server's options (the defaults
// here: introspection on, a 1s keep-alive, a mutation rate limit generous
// enough for the tests that send many mutations at once, logs at warning
// level and above).
func newApp(t testing.TB, opts ...func(*server.Options)) *app {
	t.Helper()
	return startApp(t, true, opts...)
}

// startApp is newApp, over an empty database unless seed.
func startApp(t testing.TB, seed bool, opts ...func(*server.Options)) *app {
	t.Helper()
	db, dsn := postgrestest.New(t)
	return startAppOn(t, db, dsn, seed, opts...)
}

// newAppOn is newApp over a given (migrated) database.
func newAppOn(t testing.TB, db *sqlx.DB, dsn string, opts ...func(*server.Options)) *app {
	t.Helper()
	return startAppOn(t, db, dsn, true, opts...)
}

// startAppOn is startApp over a given (migrated) database.
func startAppOn(t testing.TB, db *sqlx.DB, dsn string, seed bool, opts ...func(*server.Options)) *app {
	t.Helper()
	clk := hiringtest.NewClock()
	svc := hiring.New(postgres.New(db), hiring.Config{ChargeConnectsForInvitations: true, SignupConnects: market.DefaultSignupConnects}, clk.Now)
	if seed {
		if _, err := svc.Seed(context.Background()); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	tokens, err := auth.NewTokens("test-secret-0123456789", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// The realtime side as in production: one listener feeding a broker.
	broker := realtime.NewBroker()
	svc.UseBroker(broker)
	listener := postgres.NewListener(dsn, nil)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = listener.Run(ctx, broker.Publish, broker.ResyncAll) }()
	// The production defaults, with pings every second and a mutation rate
	// no test meets by accident (the rate limit's own test sets its own).
	o := server.DefaultOptions()
	o.Introspection, o.KeepAlive = true, time.Second
	o.MutationRate, o.MutationBurst = 1000, 1000
	o.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	o.Ready = func() error {
		if !listener.Connected() {
			return errors.New("the event listener is not connected")
		}
		return nil
	}
	for _, f := range opts {
		f(&o)
	}
	h := server.New(server.Deps{DB: db, Hiring: svc, Tokens: tokens, Broker: broker, Statements: postgres.Statements}, o)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.CloseWebsockets("test over")
		srv.Close()
		stop()
		<-done
	})
	for i := 0; i < 200 && !listener.Connected(); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	return &app{t: t, URL: srv.URL, DSN: dsn, DB: db, Hiring: svc, Clock: clk, Server: h, Broker: broker}
}

// gqlError is one error of a GraphQL response.
type gqlError struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Locations  []struct{ Line, Column int }
	Extensions map[string]any `json:"extensions"`
}

// response is a GraphQL response.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// Code returns the first error's extensions.code ("" without errors).
func (r *response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// post sends a GraphQL request over HTTP with an optional bearer token.
func (a *app) post(token, query string, vars map[string]any) *response {
	a.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	var out response
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		a.t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return &out
}

// ok sends a request that must succeed and decodes its data into dest.
func (a *app) ok(token, query string, vars map[string]any, dest any) {
	a.t.Helper()
	r := a.post(token, query, vars)
	if len(r.Errors) > 0 {
		a.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if dest != nil {
		if err := json.Unmarshal(r.Data, dest); err != nil {
			a.t.Fatalf("decode data %s: %v", r.Data, err)
		}
	}
}

// fails sends a request that must fail with code and returns the response.
func (a *app) fails(code, token, query string, vars map[string]any) *response {
	a.t.Helper()
	r := a.post(token, query, vars)
	if r.Code() != code {
		a.t.Fatalf("want error %s, got errors %+v data %s", code, r.Errors, r.Data)
	}
	return r
}

// login signs in through the API and returns the token.
func (a *app) login(email string) string {
	a.t.Helper()
	var d struct {
		Login struct{ Token string } `json:"login"`
	}
	a.ok("", `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": email, "p": hiring.DemoPassword}, &d)
	return d.Login.Token
}

// count runs a SELECT count(*) style query.
func (a *app) count(query string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.DB.Get(&n, query, args...); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// viewerID returns the signed-in user's global User id.
func (a *app) viewerID(token string) string {
	a.t.Helper()
	var d struct {
		Viewer struct{ User struct{ ID string } }
	}
	a.ok(token, `{ viewer { user { id } } }`, nil, &d)
	return d.Viewer.User.ID
}

// skipUnlessRequired skips a test that needs an outside tool (Chromium,
// Node) which this machine lacks, unless HIREGRAPH_REQUIRE_TOOLS=1 (set by
// .ci/run, which installs them), where the lack is a failure.
func skipUnlessRequired(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("HIREGRAPH_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s (HIREGRAPH_REQUIRE_TOOLS=1)", why)
	}
	t.Skip(why)
}
