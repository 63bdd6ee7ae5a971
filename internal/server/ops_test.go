package server_test

import (
	"github.com/hiregraph/hiregraph/internal/wstest"

	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/server"
)

// metricsSnapshot reads /metrics: series (name{labels}) → value.
func (a *app) metrics() map[string]float64 {
	a.t.Helper()
	r := a.do(http.MethodGet, "/metrics", nil, nil)
	if r.Status != http.StatusOK {
		a.t.Fatalf("/metrics: %d %s", r.Status, r.Body)
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(r.Body))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			a.t.Fatalf("metrics line %q: %v", line, err)
		}
		m[line[:i]] = v
	}
	return m
}

// TestMetrics: issue 6, acceptance 5. /metrics shows the operation
// counters moving: operations by name and type, their latency, errors by
// code, HTTP requests; beside them open websockets, active subscriptions,
// events received and delivered, and the database pool.
func TestMetrics(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	before := a.metrics()

	const (
		viewerOp   = `hiregraph_graphql_operations_total{operation="Viewer",type="query"}`
		viewerTime = `hiregraph_graphql_operation_duration_seconds_count{operation="Viewer",type="query"}`
		markOp     = `hiregraph_graphql_operations_total{operation="MarkAllRead",type="mutation"}`
		subOp      = `hiregraph_graphql_operations_total{operation="anonymous",type="subscription"}`
		unauth     = `hiregraph_graphql_errors_total{code="UNAUTHENTICATED"}`
		forbidden  = `hiregraph_graphql_errors_total{code="FORBIDDEN"}`
		httpOK     = `hiregraph_http_requests_total{method="POST",route="/query",status="200"}`
		events     = `hiregraph_events_received_total`
		delivered  = `hiregraph_events_delivered_total`
		websockets = `hiregraph_websockets_open`
		subs       = `hiregraph_subscriptions_active`
	)
	for range 3 {
		a.ok(fr, `query Viewer { viewer { id } }`, nil, nil)
	}
	a.ok(fr, `mutation MarkAllRead { markNotificationsRead(input: {all: true}) { unreadCount } }`, nil, nil)
	a.fails("UNAUTHENTICATED", "", `query Viewer { viewer { id } }`, nil)
	a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "text/plain"}, strings.NewReader(`{}`)) // CSRF: FORBIDDEN

	// A live subscription, then an event for it.
	ws := a.dial(wstest.TransportWS, fr).Ack()
	ws.Subscribe("inv", subInvitations, map[string]any{"after": nil})
	a.waitSubscribed(1) // live: the demo data's invitations are history
	a.postAndInvite(client, "Metrics job", a.viewerID(fr))
	ws.Event(5 * time.Second)

	after := a.metrics()
	moved := func(series string, by float64) {
		t.Helper()
		if got := after[series] - before[series]; got != by {
			t.Errorf("%s moved by %v, want %v (before %v, after %v)", series, got, by, before[series], after[series])
		}
	}
	atLeast := func(series string, want float64) {
		t.Helper()
		if after[series] < want {
			t.Errorf("%s = %v, want at least %v", series, after[series], want)
		}
	}
	moved(viewerOp, 4)
	moved(viewerTime, 4)
	moved(markOp, 1)
	moved(subOp, 1)
	moved(unauth, 1)
	moved(forbidden, 1)
	atLeast(httpOK, before[httpOK]+5)
	atLeast(websockets, 1)
	atLeast(subs, 1)
	atLeast(events, before[events]+1)
	atLeast(delivered, before[delivered]+1)
	atLeast(`go_sql_open_connections{db_name="hiregraph"}`, 1)
	atLeast(`go_goroutines`, 1)
	// The viewer queries and the mutation read and wrote through the store.
	atLeast(`hiregraph_db_statements_total`, before[`hiregraph_db_statements_total`]+4)
}

// TestHealthAndReadiness: /healthz is 200 while the process and its
// database answer; /readyz also needs the event listener (Options.Ready),
// and is 503 with the reason otherwise.
func TestHealthAndReadiness(t *testing.T) {
	a := newApp(t)
	for _, p := range []string{"/healthz", "/readyz"} {
		r := a.do(http.MethodGet, p, nil, nil)
		if r.Status != http.StatusOK {
			t.Errorf("%s: %d %s", p, r.Status, r.Body)
		}
	}
	if r := a.do(http.MethodGet, "/readyz", nil, nil); !strings.Contains(string(r.Body), `"status":"ready"`) {
		t.Errorf("/readyz: %s", r.Body)
	}
	down := newApp(t, func(o *server.Options) {
		o.Ready = func() error { return errors.New("the event listener is not connected") }
	})
	r := down.do(http.MethodGet, "/readyz", nil, nil)
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), "event listener") {
		t.Errorf("/readyz with the listener down: %d %s", r.Status, r.Body)
	}
	if r := down.do(http.MethodGet, "/healthz", nil, nil); r.Status != http.StatusOK {
		t.Errorf("/healthz with the listener down: %d (alive all the same)", r.Status)
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// TestAccessLog: one JSON line per request with its request id (the
// client's X-Request-ID, or a generated one, echoed in the response) and
// the operation; errors logged while serving it carry the same id.
func TestAccessLog(t *testing.T) {
	var logs syncBuffer
	a := newApp(t, func(o *server.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	})
	fr := a.login(hiring.DemoFreelancer)
	body := gqlBody(`query MyInvitations { invitations { totalCount } }`, nil)
	r := a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + fr, "X-Request-ID": "test-request-42"}, strings.NewReader(body))
	if r.Status != http.StatusOK || r.Header.Get("X-Request-ID") != "test-request-42" {
		t.Fatalf("status %d, X-Request-ID %q", r.Status, r.Header.Get("X-Request-ID"))
	}
	// Without one (or with an unusable one), the server makes one up.
	r = a.do(http.MethodGet, "/healthz", map[string]string{"X-Request-ID": "bad id with spaces"}, nil)
	if id := r.Header.Get("X-Request-ID"); id == "" || strings.Contains(id, " ") {
		t.Errorf("generated X-Request-ID %q", id)
	}

	var line map[string]any
	for _, l := range logs.lines() {
		if l["request_id"] == "test-request-42" {
			if line != nil {
				t.Fatalf("two log lines for one request: %v and %v", line, l)
			}
			line = l
		}
	}
	if line == nil {
		t.Fatalf("no access-log line with the request id in:\n%s", logs.b.String())
	}
	for k, want := range map[string]any{"msg": "request", "method": "POST", "path": "/query", "status": float64(200), "operation": "query MyInvitations", "level": "INFO"} {
		if line[k] != want {
			t.Errorf("log %s = %v, want %v (line %v)", k, line[k], want, line)
		}
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("no duration_ms: %v", line)
	}
	// A refused operation is logged with its name and status.
	a.do(http.MethodGet, "/query?query="+url.QueryEscape(`mutation Forged { markNotificationsRead(input: {all: true}) { unreadCount } }`),
		map[string]string{"X-Request-ID": "forged-1"}, nil)
	forged := 0
	for _, l := range logs.lines() {
		if l["request_id"] == "forged-1" {
			forged++
			if l["operation"] != "mutation Forged" || l["status"] != float64(405) {
				t.Errorf("refused GET mutation logged as %v", l)
			}
		}
	}
	if forged != 1 {
		t.Errorf("want one line for the refused GET mutation, got %d", forged)
	}
	logins := 0
	for _, l := range logs.lines() {
		if l["operation"] == "mutation" {
			logins++
		}
	}
	if logins != 1 {
		t.Errorf("want the login's line (an anonymous mutation), got %d", logins)
	}
}
