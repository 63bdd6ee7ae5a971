package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/server"
)

// Issue 6, acceptance 4: one test per limit, crossing it and checking the
// error's code (and that the message names the setting).

func wantLimit(t *testing.T, r *response, code, says string) {
	t.Helper()
	if r.Code() != code || !strings.Contains(r.Errors[0].Message, says) {
		t.Fatalf("want %s saying %q, got errors %+v data %s", code, says, r.Errors, r.Data)
	}
	if len(r.Data) > 0 && string(r.Data) != "null" {
		t.Fatalf("the refused operation returned data: %s", r.Data)
	}
}

func TestLimitBodySize(t *testing.T) {
	a := newApp(t, func(o *server.Options) { o.MaxBodyBytes = 4096 })
	fr := a.login(hiring.DemoFreelancer)
	// Padding with ignored commas keeps the query valid: only its size is wrong.
	big := gqlBody(`{ __typename `+strings.Repeat(",", 5000)+` }`, nil)
	r := a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + fr}, strings.NewReader(big))
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413: %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	wantLimit(t, r.JSON(t), "VALIDATION_FAILED", "MAX_BODY_BYTES")
	// Just under the limit is fine.
	a.ok(fr, `{ __typename `+strings.Repeat(",", 3000)+` }`, nil, nil)
}

func TestLimitQueryTokens(t *testing.T) {
	a := newApp(t) // the default: 10000 tokens
	fr := a.login(hiring.DemoFreelancer)
	wantLimit(t, a.post(fr, `{ `+strings.Repeat("__typename ", server.DefaultOptions().MaxQueryTokens)+`}`, nil), "GRAPHQL_PARSE_FAILED", "token limit of 10000")
	a.ok(fr, `{ `+strings.Repeat("__typename ", 1000)+`}`, nil, nil)
}

func TestLimitQueryDepth(t *testing.T) {
	a := newApp(t) // the default: 12 levels
	client := a.login(hiring.DemoClient)
	// nest is jobs(1) edges(2) node(3), then levels of invitations edges
	// node job (4 each), then leaf.
	nest := func(levels int, leaf string) string {
		q := leaf
		for range levels {
			q = fmt.Sprintf("invitations(first: 1) { edges { node { job { %s } } } }", q)
		}
		return "{ jobs(first: 1) { edges { node { " + q + " } } } }"
	}
	// 13 deep.
	deep := nest(2, "invitations(first: 1) { totalCount }")
	wantLimit(t, a.post(client, deep, nil), "VALIDATION_FAILED", "13 levels deep, deeper than the limit of 12 (MAX_QUERY_DEPTH)")
	// Through fragments too.
	wantLimit(t, a.post(client, `{ ...deep } fragment deep on Query `+deep, nil), "VALIDATION_FAILED", "MAX_QUERY_DEPTH")
	wantLimit(t, a.post(client, strings.Replace(deep, "{ totalCount }", "{ ...count }", 1)+` fragment count on InvitationConnection { totalCount }`, nil), "VALIDATION_FAILED", "MAX_QUERY_DEPTH")
	// 12 deep runs.
	a.ok(client, nest(2, "title"), nil, nil)
	// Introspection is not counted: GraphiQL's schema query nests deeper.
	a.ok(client, `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`, nil, nil)
}

func TestLimitComplexity(t *testing.T) {
	a := newApp(t) // the default: 10000
	client := a.login(hiring.DemoClient)
	// 100 jobs × 100 invitations each: 1 + 100 × (1 + 1 + 1 + 100 × 3) = 30301.
	q := func(n int) string {
		return fmt.Sprintf(`{ jobs(first: %d) { edges { node { invitations(first: %d) { edges { node { id } } } } } } }`, n, n)
	}
	wantLimit(t, a.post(client, q(100), nil), "VALIDATION_FAILED", "MAX_COMPLEXITY")
	// The page size may come in a variable.
	wantLimit(t, a.post(client, `query($n: Int) { jobs(first: $n) { edges { node { invitations(first: $n) { edges { node { id } } } } } } }`, map[string]any{"n": 100}),
		"VALIDATION_FAILED", "MAX_COMPLEXITY")
	// Without first, a connection counts its default page (20): 20 × 20 pages fit.
	a.ok(client, `{ jobs { edges { node { invitations { edges { node { id } } } } } } }`, nil, nil)
	a.ok(client, q(30), nil, nil)
}

// TestLimitPageSize: first/last over 100 fail with VALIDATION_FAILED naming
// the argument (the complexity limit leaves them to that clearer error).
func TestLimitPageSize(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	r := a.fails("VALIDATION_FAILED", fr, `{ invitations(first: 101) { totalCount } }`, nil)
	if r.Errors[0].Extensions["field"] != "first" {
		t.Errorf("first: %+v", r.Errors[0])
	}
	// Nested, and with a value far over the cap.
	client := a.login(hiring.DemoClient)
	r = a.fails("VALIDATION_FAILED", client, `{ jobs { edges { node { proposals(first: 100000) { totalCount } } } } }`, nil)
	if r.Errors[0].Extensions["field"] != "first" {
		t.Errorf("nested first: %+v", r.Errors[0])
	}
	// (rooms_test.go checks last over 100 on a room's messages.)
}

func TestLimitMutationRate(t *testing.T) {
	// A bucket of 3 that refills once in 1000 seconds: no refill during the test.
	a := newApp(t, func(o *server.Options) { o.MutationRate, o.MutationBurst = 0.001, 3 })
	client := a.login(hiring.DemoClient) // anonymous mutations: the address's bucket (1 of 3)
	fr := a.login(hiring.DemoFreelancer) // (2 of 3)
	jobs := func() int { return a.count(`SELECT count(*) FROM jobs`) }
	const postJob = `mutation($t: String!) { postJob(input: {title: $t, description: "Rate", contractType: FIXED, budget: {amount: "100"}, connectsRequired: 1}) { job { id } } }`
	for i := range 3 {
		a.ok(client, postJob, map[string]any{"t": fmt.Sprint("Job ", i)}, nil)
	}
	before := jobs()
	body := gqlBody(postJob, map[string]any{"t": "One too many"})
	raw := a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + client}, strings.NewReader(body))
	if raw.Status != http.StatusTooManyRequests || raw.Header.Get("Retry-After") == "" {
		t.Errorf("status %d, Retry-After %q: want 429 with Retry-After", raw.Status, raw.Header.Get("Retry-After"))
	}
	r := raw.JSON(t)
	wantLimit(t, r, "RATE_LIMITED", "MUTATION_RATE")
	if _, ok := r.Errors[0].Extensions["retryAfterSeconds"].(float64); !ok {
		t.Errorf("no retryAfterSeconds: %+v", r.Errors[0])
	}
	if after := jobs(); after != before {
		t.Fatalf("the refused mutation ran: %d jobs before, %d after", before, after)
	}
	// Queries are not limited.
	for range 5 {
		a.ok(client, `{ jobs { totalCount } }`, nil, nil)
	}
	// Other users have buckets of their own.
	a.ok(fr, `mutation { markNotificationsRead(input: {all: true}) { unreadCount } }`, nil, nil)
	// Anonymous mutations share the address's bucket: the third login
	// passes, the fourth is refused.
	a.login(hiring.DemoOwner)
	a.fails("RATE_LIMITED", "", `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
		map[string]any{"e": hiring.DemoMember, "p": hiring.DemoPassword})
}

// TestPersistedQueries: automatic persisted queries. A client sends the
// query's SHA-256 alone; the server does not know it yet
// (PERSISTED_QUERY_NOT_FOUND); the client sends hash and query; from then
// on the hash alone runs it, over POST or GET.
func TestPersistedQueries(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	const query = `query MyInvitations { invitations { totalCount } }`
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	send := func(withQuery bool) *response {
		t.Helper()
		body := map[string]any{"extensions": ext}
		if withQuery {
			body["query"] = query
		}
		b, _ := json.Marshal(body)
		return a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + fr}, strings.NewReader(string(b))).JSON(t)
	}
	if r := send(false); r.Code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("hash only, first time: %+v", r.Errors)
	}
	for i, withQuery := range []bool{true, false} {
		r := send(withQuery)
		if len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"totalCount":`) {
			t.Fatalf("request %d (query sent: %v): %+v %s", i+2, withQuery, r.Errors, r.Data)
		}
	}
	extJSON, _ := json.Marshal(ext)
	raw := a.do(http.MethodGet, "/query?extensions="+url.QueryEscape(string(extJSON)), map[string]string{"Authorization": "Bearer " + fr}, nil)
	if r := raw.JSON(t); raw.Status != http.StatusOK || len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"totalCount":`) {
		t.Fatalf("GET with the hash: %d %s", raw.Status, raw.Body)
	}
	// A hash that does not match the query is refused.
	bad := map[string]any{"query": `{ __typename }`, "extensions": ext}
	b, _ := json.Marshal(bad)
	if r := a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json"}, strings.NewReader(string(b))).JSON(t); r.Code() != "VALIDATION_FAILED" {
		t.Fatalf("mismatched hash: %+v", r.Errors)
	}
}

// TestIntrospectionOff: with Options.Introspection false (production's
// default), __schema and __type are refused with a clear error; __typename
// still works.
func TestIntrospectionOff(t *testing.T) {
	a := newApp(t, func(o *server.Options) { o.Introspection = false })
	fr := a.login(hiring.DemoFreelancer)
	for _, q := range []string{
		`{ __schema { types { name } } }`,
		`{ __type(name: "Query") { name } }`,
		`query { ...f } fragment f on Query { __schema { queryType { name } } }`,
	} {
		r := a.fails("FORBIDDEN", fr, q, nil)
		if !strings.Contains(r.Errors[0].Message, "introspection") || !strings.Contains(r.Errors[0].Message, "INTROSPECTION") {
			t.Errorf("%s: %q", q, r.Errors[0].Message)
		}
	}
	a.ok(fr, `{ __typename viewer { __typename id } }`, nil, nil)
	// On (development's default and newApp's), introspection answers.
	on := newApp(t)
	on.ok("", `{ __schema { queryType { name } } }`, nil, nil)
}
