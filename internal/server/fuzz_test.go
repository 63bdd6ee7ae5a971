package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/server"
)

// checkAnswer fails t when an answer shows INTERNAL or an internal name, or
// is not a GraphQL response at all.
func checkAnswer(t *testing.T, what string, status int, body []byte) {
	t.Helper()
	if status >= 500 && status != http.StatusServiceUnavailable {
		t.Errorf("%s: status %d: %s", what, status, body)
	}
	var out response
	if err := json.Unmarshal(body, &out); err != nil {
		t.Errorf("%s: not a GraphQL response (status %d): %q", what, status, body)
		return
	}
	for _, e := range out.Errors {
		if e.Extensions["code"] == "INTERNAL" || e.Extensions["code"] == nil {
			t.Errorf("%s: %+v", what, e)
		}
		if leak := server.LeaksInternals(e.Message); leak != "" {
			t.Errorf("%s: %q shows %q", what, e.Message, leak)
		}
	}
}

// rawPost sends body as it is (any bytes) to /query, with a bearer token
// unless empty, and returns the status and the response body.
func rawPost(t *testing.T, url, token string, body []byte) (int, []byte) {
	t.Helper()
	res, b := rawPostHeader(t, url, token, body)
	return res.StatusCode, b
}

func rawPostHeader(t *testing.T, url, token string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// FuzzHTTPBody: issue 11, acceptance 3. Any request body, sent to the real
// server, gets an answer with a code, never INTERNAL, and no message names
// a Go type, SQL or a path. `go test` runs the seeds (among them the JSON
// array the issue found); `go test -fuzz FuzzHTTPBody ./internal/server`
// explores.
func FuzzHTTPBody(f *testing.F) {
	a := newApp(f, func(o *server.Options) { o.MutationRate = 0 })
	for _, seed := range []string{
		`[{"query":"{ viewer { id } }"}]`, `{"query":"{ viewer { id } }"}`, `{"query":1}`, `{`, `null`, ``,
		`{"query":"mutation { login(input: {email: \"a\u0000b\", password: \"x\"}) { token } }"}`,
		"{\"query\":\"mutation { login(input: {email: \\\"\xff\\\", password: \\\"x\\\"}) { token } }\"}",
		`{"query":"query($t: Time) { __typename }","variables":{"t":"yesterday"}}`,
		`{"query":"{ node(id: \"\u0000\") { id } }"}`, `{"query":"{ node(id: 5) { id } }"}`,
		`{"query":"{ notifications(first: 1000000000000) { totalCount } }"}`,
		`{"query":"{ notifications(after: \"%%%\") { totalCount } }"}`,
		`{"query":"{ viewer { id } }","variables":{"x":[[[[[]]]]]}}`,
	} {
		f.Add([]byte(seed))
	}
	token := a.tok(hiring.DemoFreelancer)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, tok := range []string{"", token} {
			status, out := rawPost(t, a.URL, tok, body)
			checkAnswer(t, string(body), status, out)
		}
	})
}

// FuzzTextAndMoneyInputs: issue 11, acceptance 3. Any text and any amount
// and currency, in a sign-in, a job post and a profile edit, get a clear
// answer: success or an error with a code other than INTERNAL, and no
// internal name in its message.
func FuzzTextAndMoneyInputs(f *testing.F) {
	a := newApp(f, func(o *server.Options) { o.MutationRate = 0 })
	for _, seed := range [][3]string{
		{"Data pipeline", "45.00", "USD"}, {"a\x00b", " 45.00", ""}, {"\xff\xfe", "1e3", "usd"}, {"\u200b\u200b", "-1", "EUR"},
		{"line\nbreak", "10000000.00", "USD"}, {"\x1b[31mred", "99999999999999999999", "USD"}, {"", "", ""},
		{"x@example.com", "0.001", "USD"}, {"'; DROP TABLE users; --", "45.00.00", "US D"}, {"\xed\xa0\x80", "٤٥", "\x00"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	client := a.tok(hiring.DemoClient)
	fr := a.tok(hiring.DemoFreelancer)
	send := func(t *testing.T, what, token, query string, vars map[string]any) {
		body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
		if err != nil {
			t.Skip() // not representable as JSON
		}
		status, out := rawPost(t, a.URL, token, body)
		checkAnswer(t, what, status, out)
	}
	f.Fuzz(func(t *testing.T, text, amount, currency string) {
		money := map[string]any{"amount": amount, "currency": currency}
		send(t, "login", "", `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
			map[string]any{"e": text, "p": text})
		send(t, "postJob", client, `mutation($in: PostJobInput!) { postJob(input: $in) { job { id } } }`, map[string]any{"in": map[string]any{
			"title": text, "description": text, "contractType": "FIXED", "budget": money, "connectsRequired": 1, "skills": []string{text}}})
		send(t, "updateProfile", fr, `mutation($in: UpdateProfileInput!) { updateProfile(input: $in) { __typename } }`, map[string]any{"in": map[string]any{
			"title": text, "overview": text, "hourlyRate": money}})
	})
}
