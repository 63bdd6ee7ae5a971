package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hiregraph/hiregraph/internal/market"
)

// The response media types of GraphQL over HTTP.
const (
	mediaGraphQLResponse = "application/graphql-response+json"
	mediaJSON            = "application/json"
)

// preflightHeaders are the headers that make a browser send a CORS preflight
// (which this server does not answer with a permission), so a request that
// carries one cannot have come from another site's page. Any one of them,
// with any value, lets a request with a simple content type through the
// CSRF check (it then fails as an unsupported media type unless it is JSON).
var preflightHeaders = []string{"X-Requested-With", "Apollo-Require-Preflight", "GraphQL-Require-Preflight"}

// httpTransport serves queries and mutations over HTTP as the GraphQL over
// HTTP specification describes it (https://graphql.github.io/graphql-over-http/):
//
//   - POST with Content-Type application/json; GET with the parameters in the
//     URL, for queries only (a mutation over GET is 405 with Allow: POST).
//   - The response is application/graphql-response+json or application/json,
//     whichever the Accept header prefers; without Accept, or with only
//     wildcards, application/json; 406 when neither is acceptable.
//   - With application/json, a well-formed request gets 200 even when the
//     document does not parse or validate (the errors are in the body), as
//     clients written before the spec expect. With
//     application/graphql-response+json such a request gets 400, and the body
//     has no data entry.
//   - A malformed request (not JSON, no query, a parameter of the wrong
//     type) is 400; a body over the limit 413; a content type other than
//     JSON 415; a method other than GET, POST or OPTIONS 405.
//   - CSRF: a POST a browser could send from another site without a
//     preflight (text/plain, form or multipart content, or none) is refused
//     with 403 unless it carries a preflight-forcing header; GET never runs
//     a mutation.
//
// Every error carries extensions.code. Subscriptions are served over
// websockets only.
type httpTransport struct {
	maxBodyBytes int64
	// bodyTimeout bounds the time to receive a body (0: no bound).
	bodyTimeout time.Duration
}

var _ graphql.Transport = httpTransport{}

// Supports takes every request except websocket upgrades.
func (t httpTransport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") == "" }

// httpRequestKey marks the context of an operation that came over this
// transport with its method (the mutation rate limit skips GET requests,
// which are refused before they run).
type httpRequestKey struct{}

func httpMethod(ctx context.Context) string {
	m, _ := ctx.Value(httpRequestKey{}).(string)
	return m
}

func (t httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := context.WithValue(r.Context(), httpRequestKey{}, r.Method)
	switch r.Method {
	case http.MethodGet, http.MethodPost:
	case http.MethodOptions:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		t.refuse(ctx, w, exec, mediaJSON, http.StatusMethodNotAllowed, market.CodeValidationFailed,
			"method %s is not allowed: send queries with GET or POST, mutations with POST", r.Method)
		return
	}
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		t.refuse(ctx, w, exec, mediaJSON, http.StatusNotAcceptable, market.CodeValidationFailed,
			"none of the accepted media types (%s) can be served: accept %s or %s", r.Header.Get("Accept"), mediaGraphQLResponse, mediaJSON)
		return
	}

	var params *graphql.RawParams
	if r.Method == http.MethodPost {
		if status, code, msg := checkContentType(r); status != 0 {
			t.refuse(ctx, w, exec, media, status, code, "%s", msg)
			return
		}
		body, err := t.readBody(w, r)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				t.refuse(ctx, w, exec, media, http.StatusRequestEntityTooLarge, market.CodeValidationFailed,
					"the request body is larger than the limit of %d bytes (MAX_BODY_BYTES)", tooLarge.Limit)
				return
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				// The connection cannot carry another request: close it.
				w.Header().Set("Connection", "close")
				t.refuse(ctx, w, exec, media, http.StatusRequestTimeout, market.CodeValidationFailed,
					"the request body did not arrive within %s (BODY_TIMEOUT)", t.bodyTimeout)
				return
			}
			t.refuse(ctx, w, exec, media, http.StatusBadRequest, market.CodeValidationFailed,
				"the request body could not be read in full: it was shorter than its Content-Length or cut off")
			return
		}
		if params, err = decodeBody(body); err != nil {
			t.refuse(ctx, w, exec, media, http.StatusBadRequest, market.CodeValidationFailed, "%v", err)
			return
		}
	} else {
		var err error
		if params, err = decodeURL(r.URL.RawQuery); err != nil {
			t.refuse(ctx, w, exec, media, http.StatusBadRequest, market.CodeValidationFailed, "%v", err)
			return
		}
	}
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		t.refuse(ctx, w, exec, media, http.StatusBadRequest, market.CodeValidationFailed,
			`the request has no query: send {"query": "..."} (POST) or ?query=... (GET)`)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.GetStartTime(ctx), End: graphql.Now()}

	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if opCtx != nil {
		noteOperation(ctx, opCtx.Operation)
	}
	if errs != nil {
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		for _, e := range errs {
			if e.Extensions["code"] == string(market.CodeRateLimited) {
				status = http.StatusTooManyRequests
				if after, ok := e.Extensions["retryAfterSeconds"].(int); ok {
					w.Header().Set("Retry-After", strconv.Itoa(after))
				}
			}
		}
		t.write(w, media, status, exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs), false)
		return
	}
	switch opCtx.Operation.Operation {
	case ast.Mutation:
		if r.Method == http.MethodGet {
			w.Header().Set("Allow", "POST")
			t.refuse(ctx, w, exec, media, http.StatusMethodNotAllowed, market.CodeValidationFailed,
				"mutations are not allowed over GET: send them with POST")
			return
		}
	case ast.Subscription:
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		t.refuse(ctx, w, exec, media, status, market.CodeValidationFailed,
			"subscriptions are served over websockets (graphql-transport-ws or graphql-ws) at this URL, not over %s", r.Method)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	status := http.StatusOK
	if after, ok := unavailable(resp); ok {
		// A dependency is down: say so with the status and when to retry,
		// so that a client (or a proxy) can tell an outage from a bug.
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", strconv.Itoa(after))
	}
	t.write(w, media, status, resp, true)
}

// unavailable reports whether a response carries an UNAVAILABLE error, and
// its retry delay in seconds.
func unavailable(resp *graphql.Response) (int, bool) {
	if resp == nil {
		return 0, false
	}
	for _, e := range resp.Errors {
		if e.Extensions["code"] == string(market.CodeUnavailable) {
			after, ok := e.Extensions["retryAfterSeconds"].(int)
			if !ok {
				after = unavailableRetryAfter
			}
			return after, true
		}
	}
	return 0, false
}

// readBody reads a POST body within the size limit and the body timeout.
// The read deadline is lifted once the body is in: net/http keeps reading
// the connection to notice a client that leaves, and that read must not time
// out. (After a timeout it stays, so that the server closes the connection
// at once instead of waiting for the rest of the body.)
func (t httpTransport) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var src io.Reader = r.Body
	if t.maxBodyBytes > 0 { // 0: no limit
		src = http.MaxBytesReader(w, r.Body, t.maxBodyBytes)
	}
	if t.bodyTimeout <= 0 { // 0: no limit
		return io.ReadAll(src)
	}
	rc := http.NewResponseController(w)
	deadline := rc.SetReadDeadline(time.Now().Add(t.bodyTimeout)) == nil
	body, err := io.ReadAll(src)
	if deadline && err == nil {
		_ = rc.SetReadDeadline(time.Time{})
	}
	return body, err
}

// refuse answers a request that cannot be executed with one error. It goes
// through the executor, so that the error presenter and the response
// middleware see it like any other.
func (t httpTransport) refuse(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, media string, status int, code market.Code, format string, args ...any) {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": string(code)}
	t.write(w, media, status, exec.DispatchError(ctx, gqlerror.List{err}), false)
}

// write sends a response. A response of a request that did not execute has
// no data entry (GraphQL over HTTP: "the data entry ... MUST NOT be present
// if the request ... failed before execution").
func (t httpTransport) write(w http.ResponseWriter, media string, status int, resp *graphql.Response, executed bool) {
	if resp == nil {
		resp = &graphql.Response{Errors: gqlerror.List{{Message: "the request was cancelled", Extensions: map[string]any{"code": string(market.CodeInternal)}}}}
	}
	b, ok := dataResponse(resp)
	if !ok || !executed {
		out := struct {
			Errors     gqlerror.List   `json:"errors,omitempty"`
			Data       json.RawMessage `json:"data,omitempty"`
			Extensions map[string]any  `json:"extensions,omitempty"`
		}{Errors: resp.Errors, Extensions: resp.Extensions}
		if executed {
			out.Data = resp.Data
			if out.Data == nil {
				out.Data = json.RawMessage("null")
			}
		}
		var err error
		if b, err = json.Marshal(out); err != nil {
			status = http.StatusInternalServerError
			b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
		}
	}
	h := w.Header()
	h.Set("Content-Type", media+"; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// dataResponse is the response {"data": …} of an execution with nothing
// but data (no errors, extensions or incremental parts), written as is:
// gqlgen's marshalling wrote the data as compact JSON already, which
// json.Marshal would validate and copy again (a few per cent of a page's
// CPU). Strings keep their <, > and & as they are (the response is never
// HTML: X-Content-Type-Options: nosniff). False for any other response.
func dataResponse(resp *graphql.Response) ([]byte, bool) {
	if len(resp.Errors) > 0 || len(resp.Extensions) > 0 || len(resp.Data) == 0 ||
		resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		return nil, false
	}
	b := make([]byte, 0, len(`{"data":}`)+len(resp.Data))
	b = append(b, `{"data":`...)
	b = append(b, resp.Data...)
	return append(b, '}'), true
}

// negotiate picks the response media type from an Accept header: the
// acceptable type with the highest quality; on a tie the one named
// explicitly, then the one listed first; through wildcards alone,
// application/json. An empty Accept means application/json.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	type score struct {
		q        float64
		explicit bool
		pos      int
		matched  bool
	}
	var best [2]score // mediaGraphQLResponse, mediaJSON
	for pos, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		for i, candidate := range [2]string{mediaGraphQLResponse, mediaJSON} {
			explicit := mt == candidate
			if !explicit && mt != "*/*" && mt != "application/*" {
				continue
			}
			// The most specific range that matches sets the quality.
			if b := best[i]; !b.matched || (explicit && !b.explicit) {
				best[i] = score{q: q, explicit: explicit, pos: pos, matched: true}
			}
		}
	}
	g, j := best[0], best[1]
	switch {
	case g.q <= 0 && j.q <= 0:
		return "", false
	case g.q != j.q:
		if g.q > j.q {
			return mediaGraphQLResponse, true
		}
		return mediaJSON, true
	case g.explicit && !j.explicit:
		return mediaGraphQLResponse, true
	case g.explicit && j.explicit && g.pos < j.pos:
		return mediaGraphQLResponse, true
	default:
		return mediaJSON, true
	}
}

// checkContentType accepts a POST whose body is JSON (in UTF-8). Anything
// else is refused: as a possible cross-site request forgery when a browser
// could have sent it from another site without a preflight, else as an
// unsupported media type.
func checkContentType(r *http.Request) (status int, code market.Code, msg string) {
	header := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(header)
	if err == nil && mt == mediaJSON {
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return http.StatusUnsupportedMediaType, market.CodeValidationFailed,
				fmt.Sprintf("charset %q is not supported: send the JSON body in UTF-8", cs)
		}
		return 0, "", ""
	}
	simple := header == "" || err != nil || mt == "text/plain" || mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
	if simple && !hasPreflightHeader(r) {
		return http.StatusForbidden, market.CodeForbidden,
			"this request was refused as a possible cross-site request forgery: send it with Content-Type: application/json " +
				"(or with an X-Requested-With, Apollo-Require-Preflight or GraphQL-Require-Preflight header)"
	}
	if header == "" {
		return http.StatusUnsupportedMediaType, market.CodeValidationFailed, "the request has no Content-Type: send the body as application/json"
	}
	return http.StatusUnsupportedMediaType, market.CodeValidationFailed,
		fmt.Sprintf("content type %q is not supported: send the body as application/json", mt)
}

func hasPreflightHeader(r *http.Request) bool {
	for _, h := range preflightHeaders {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	return false
}

// bodyParams is a POST body; each field is checked for its JSON type, so
// that {"query": 1} is a clear 400 rather than a decoding error.
type bodyParams struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

func decodeBody(body []byte) (*graphql.RawParams, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, errors.New(`the request body is empty: send {"query": "..."}`)
	}
	var b bodyParams
	if err := decodeJSON(string(body), &b); err != nil {
		return nil, fmt.Errorf("the request body is not a JSON object of GraphQL parameters: %s", describeJSONError(err))
	}
	p := &graphql.RawParams{}
	if err := decodeParam("query", b.Query, &p.Query); err != nil {
		return nil, err
	}
	if err := decodeParam("operationName", b.OperationName, &p.OperationName); err != nil {
		return nil, err
	}
	if err := decodeParam("variables", b.Variables, &p.Variables); err != nil {
		return nil, err
	}
	if err := decodeParam("extensions", b.Extensions, &p.Extensions); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeParam decodes a parameter that may be absent or null.
func decodeParam[T any](name string, raw json.RawMessage, dest *T) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := decodeJSON(string(raw), dest); err != nil {
		kind := "a string"
		if _, isMap := any(dest).(*map[string]any); isMap {
			kind = "a JSON object"
		}
		return fmt.Errorf("the %s parameter must be %s", name, kind)
	}
	return nil
}

// describeJSONError says what is wrong with a JSON text in the client's
// words, without the decoder's own (which name Go types).
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("it is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("%q is %s, of the wrong type", typ.Field, jsonKind(typ.Value))
		}
		return fmt.Sprintf("it is %s, not an object", jsonKind(typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "it ends before the JSON value does"
	case errors.Is(err, errTrailingData):
		return "there is more after the JSON value"
	}
	return "it is not valid JSON"
}

// jsonKind names the kind of JSON value a decoder reported ("array").
func jsonKind(v string) string {
	switch {
	case v == "array", v == "object", v == "string", v == "bool":
		return map[string]string{"array": "an array", "object": "an object", "string": "a string", "bool": "a boolean"}[v]
	case strings.HasPrefix(v, "number"):
		return "a number"
	}
	return "a value"
}

var errTrailingData = errors.New("unexpected data after the JSON value")

func decodeURL(rawQuery string) (*graphql.RawParams, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, errors.New("the URL's query string is malformed: it has an invalid %-escape or separator")
	}
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for name, dest := range map[string]*map[string]any{"variables": &p.Variables, "extensions": &p.Extensions} {
		if v := q.Get(name); v != "" && v != "null" {
			if err := decodeJSON(v, dest); err != nil {
				return nil, fmt.Errorf("the %s parameter must be a URL-encoded JSON object", name)
			}
		}
	}
	return p, nil
}

// decodeJSON decodes exactly one JSON value, keeping numbers exact.
func decodeJSON(s string, dest any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(dest); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailingData
	}
	return nil
}
