package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// rawResponse is an HTTP response with its body read.
type rawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as a GraphQL response, failing the test if it is not one.
func (r *rawResponse) JSON(t testing.TB) *response {
	t.Helper()
	var out response
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatalf("status %d: the body is not a GraphQL response: %v\n%s", r.Status, err, r.Body)
	}
	return &out
}

// hasData reports whether the body has a data entry at all (even null).
func (r *rawResponse) hasData(t testing.TB) bool {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("status %d: the body is not JSON: %v\n%s", r.Status, err, r.Body)
	}
	_, ok := m["data"]
	return ok
}

// do sends any HTTP request to the app; header values of "" are left out.
func (a *app) do(method, target string, header map[string]string, body io.Reader) *rawResponse {
	a.t.Helper()
	req, err := http.NewRequest(method, a.URL+target, body)
	if err != nil {
		a.t.Fatal(err)
	}
	for k, v := range header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return &rawResponse{Status: res.StatusCode, Header: res.Header, Body: b}
}

func gqlBody(query string, vars map[string]any) string {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return string(b)
}

// TestAnonymousTypename: `{ __typename }` needs no sign-in (the audit
// relies on it); a viewer field without one fails with UNAUTHENTICATED.
func TestAnonymousTypename(t *testing.T) {
	a := newApp(t)
	var d struct {
		Typename string `json:"__typename"`
	}
	a.ok("", `{ __typename }`, nil, &d)
	if d.Typename != "Query" {
		t.Errorf("__typename = %q", d.Typename)
	}
	a.fails("UNAUTHENTICATED", "", `{ viewer { id } }`, nil)
}

// TestGraphQLOverHTTP checks the transport's choices that the audit does
// not: content negotiation, methods, media types, status codes.
func TestGraphQLOverHTTP(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	post := func(accept, body string) *rawResponse {
		return a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json", "Accept": accept, "Authorization": "Bearer " + fr}, strings.NewReader(body))
	}
	typename := gqlBody(`{ __typename }`, nil)

	t.Run("Accept", func(t *testing.T) {
		for _, c := range []struct{ accept, want string }{
			{"", "application/json"},
			{"*/*", "application/json"},
			{"application/*", "application/json"},
			{"application/json", "application/json"},
			{"application/graphql-response+json", "application/graphql-response+json"},
			{"application/graphql-response+json, application/json", "application/graphql-response+json"},
			{"application/json, application/graphql-response+json", "application/json"},
			{"application/json;q=0.9, application/graphql-response+json", "application/graphql-response+json"},
			{"application/graphql-response+json;q=0.5, */*", "application/json"}, // */* has q=1
			{"application/graphql-response+json, */*;q=0.5", "application/graphql-response+json"},
			{"application/json, multipart/mixed", "application/json"},                               // GraphiQL's fetcher
			{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json"}, // a browser
		} {
			r := post(c.accept, typename)
			if ct := r.Header.Get("Content-Type"); r.Status != http.StatusOK || !strings.HasPrefix(ct, c.want) {
				t.Errorf("Accept %q: status %d, Content-Type %q, want 200 and %s", c.accept, r.Status, ct, c.want)
			}
		}
		r := post("text/html", typename)
		if r.Status != http.StatusNotAcceptable || r.JSON(t).Code() != "VALIDATION_FAILED" {
			t.Errorf("Accept text/html: %d %s, want 406 and VALIDATION_FAILED", r.Status, r.Body)
		}
	})

	t.Run("DocumentErrors", func(t *testing.T) {
		for _, c := range []struct{ name, body, code string }{
			{"parse", gqlBody(`{ viewer {`, nil), "GRAPHQL_PARSE_FAILED"},
			{"validation", gqlBody(`{ noSuchField }`, nil), "GRAPHQL_VALIDATION_FAILED"},
			{"variables", gqlBody(`query($f: Int!) { invitations(first: $f) { totalCount } }`, map[string]any{"f": "ten"}), "GRAPHQL_VALIDATION_FAILED"},
			{"operation name", `{"query": "query A { __typename }", "operationName": "B"}`, "GRAPHQL_VALIDATION_FAILED"},
		} {
			// application/json: 200, as clients written before the spec expect.
			if r := post("application/json", c.body); r.Status != http.StatusOK || r.JSON(t).Code() != c.code {
				t.Errorf("%s, application/json: %d %s, want 200 and %s", c.name, r.Status, r.Body, c.code)
			}
			// application/graphql-response+json: 400 and no data entry.
			r := post("application/graphql-response+json", c.body)
			if r.Status != http.StatusBadRequest || r.JSON(t).Code() != c.code || r.hasData(t) {
				t.Errorf("%s, application/graphql-response+json: %d %s, want 400, %s and no data", c.name, r.Status, r.Body, c.code)
			}
		}
	})

	t.Run("MalformedRequests", func(t *testing.T) {
		for _, c := range []struct{ name, body, says string }{
			{"not JSON", `{"query": `, "not a JSON object"},
			{"empty body", ``, "empty"},
			{"no query", `{"qeury": "{ __typename }"}`, "no query"},
			{"query not a string", `{"query": 1}`, "query parameter must be a string"},
			{"variables not an object", `{"query": "{ __typename }", "variables": "{}"}`, "variables parameter must be a JSON object"},
			{"a batch", `[{"query": "{ __typename }"}]`, "not a JSON object"},
			{"trailing data", `{"query": "{ __typename }"} {}`, "not a JSON object"},
		} {
			for _, accept := range []string{"application/json", "application/graphql-response+json"} {
				r := post(accept, c.body)
				res := r.JSON(t)
				if r.Status != http.StatusBadRequest || res.Code() != "VALIDATION_FAILED" || !strings.Contains(res.Errors[0].Message, c.says) || r.hasData(t) {
					t.Errorf("%s (%s): %d %s, want 400, VALIDATION_FAILED saying %q, no data", c.name, accept, r.Status, r.Body, c.says)
				}
			}
		}
	})

	t.Run("Methods", func(t *testing.T) {
		r := a.do(http.MethodPut, "/query", map[string]string{"Content-Type": "application/json"}, strings.NewReader(typename))
		if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, POST, OPTIONS" || r.JSON(t).Code() != "VALIDATION_FAILED" {
			t.Errorf("PUT: %d Allow %q %s", r.Status, r.Header.Get("Allow"), r.Body)
		}
		r = a.do(http.MethodOptions, "/query", nil, nil)
		if r.Status != http.StatusNoContent || r.Header.Get("Allow") != "GET, POST, OPTIONS" {
			t.Errorf("OPTIONS: %d Allow %q", r.Status, r.Header.Get("Allow"))
		}
		// GET runs queries, with variables.
		q := url.Values{"query": {`query($f: Int) { invitations(first: $f) { totalCount } }`}, "variables": {`{"f": 1}`}}
		r = a.do(http.MethodGet, "/query?"+q.Encode(), map[string]string{"Authorization": "Bearer " + fr}, nil)
		if res := r.JSON(t); r.Status != http.StatusOK || len(res.Errors) > 0 || !strings.Contains(string(res.Data), "totalCount") {
			t.Errorf("GET query: %d %s", r.Status, r.Body)
		}
	})

	t.Run("MediaTypes", func(t *testing.T) {
		// With a preflight-forcing header the CSRF check passes, and the
		// content type itself is refused.
		for _, ct := range []string{"application/xml", "application/graphql", "text/plain"} {
			r := a.do(http.MethodPost, "/query", map[string]string{"Content-Type": ct, "X-Requested-With": "test"}, strings.NewReader(typename))
			if r.Status != http.StatusUnsupportedMediaType || r.JSON(t).Code() != "VALIDATION_FAILED" {
				t.Errorf("Content-Type %s: %d %s, want 415", ct, r.Status, r.Body)
			}
		}
		r := a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json; charset=latin1"}, strings.NewReader(typename))
		if r.Status != http.StatusUnsupportedMediaType {
			t.Errorf("charset latin1: %d %s, want 415", r.Status, r.Body)
		}
		r = a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/json; charset=UTF-8"}, strings.NewReader(typename))
		if r.Status != http.StatusOK {
			t.Errorf("charset UTF-8: %d %s, want 200", r.Status, r.Body)
		}
	})

	t.Run("SubscriptionOverHTTP", func(t *testing.T) {
		r := post("application/json", gqlBody(`subscription { notificationReceived { unreadCount } }`, nil))
		if res := r.JSON(t); r.Status != http.StatusOK || res.Code() != "VALIDATION_FAILED" || !strings.Contains(res.Errors[0].Message, "websocket") {
			t.Errorf("subscription over POST: %d %s", r.Status, r.Body)
		}
	})
}

// TestCSRF: issue 6, acceptance 3. A request that a page on another site
// could make a browser send without a CORS preflight cannot run a
// mutation: a POST with a simple content type (text/plain, a form) is
// refused unless it carries a header that forces a preflight, and GET never
// runs a mutation. Nothing is executed in either case.
func TestCSRF(t *testing.T) {
	a := newApp(t)
	client := a.login(hiring.DemoClient)
	const postJob = `mutation { postJob(input: {title: "Forged job", description: "Posted by another site", contractType: FIXED, budget: {amount: "100"}, connectsRequired: 1}) { job { id } } }`
	jobs := func() int { return a.count(`SELECT count(*) FROM jobs`) }
	before := jobs()
	auth := "Bearer " + client // sent too, to show the content type alone decides

	refused := func(name string, r *rawResponse) {
		t.Helper()
		res := r.JSON(t)
		if r.Status != http.StatusForbidden || res.Code() != "FORBIDDEN" || !strings.Contains(res.Errors[0].Message, "cross-site request forgery") {
			t.Errorf("%s: %d %s, want 403 FORBIDDEN naming CSRF", name, r.Status, r.Body)
		}
	}
	t.Run("TextPlain", func(t *testing.T) {
		refused("text/plain", a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "text/plain;charset=UTF-8", "Authorization": auth}, strings.NewReader(gqlBody(postJob, nil))))
	})
	t.Run("Form", func(t *testing.T) {
		form := url.Values{"query": {postJob}}.Encode()
		refused("form", a.do(http.MethodPost, "/query", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Authorization": auth}, strings.NewReader(form)))
	})
	t.Run("Multipart", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("operations", gqlBody(postJob, nil))
		_ = mw.Close()
		refused("multipart", a.do(http.MethodPost, "/query", map[string]string{"Content-Type": mw.FormDataContentType(), "Authorization": auth}, &buf))
	})
	t.Run("NoContentType", func(t *testing.T) {
		refused("no content type", a.do(http.MethodPost, "/query", map[string]string{"Authorization": auth}, strings.NewReader(gqlBody(postJob, nil))))
	})
	t.Run("GetMutation", func(t *testing.T) {
		for _, accept := range []string{"", "application/json", "application/graphql-response+json"} {
			r := a.do(http.MethodGet, "/query?"+url.Values{"query": {postJob}}.Encode(), map[string]string{"Accept": accept, "Authorization": auth}, nil)
			res := r.JSON(t)
			if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "POST" || res.Code() != "VALIDATION_FAILED" || r.hasData(t) {
				t.Errorf("GET mutation (Accept %q): %d Allow %q %s, want 405, Allow: POST, VALIDATION_FAILED", accept, r.Status, r.Header.Get("Allow"), r.Body)
			}
		}
	})
	if after := jobs(); after != before {
		t.Fatalf("a refused request posted a job: %d jobs before, %d after", before, after)
	}
	// The same mutation as JSON (what GraphiQL and every client send) runs.
	a.ok(client, postJob, nil, nil)
	if after := jobs(); after != before+1 {
		t.Fatalf("the JSON request did not post the job: %d jobs before, %d after", before, after)
	}
}
