package server

import (
	"strings"
	"testing"
)

// FuzzDecodeRequest: issue 11, acceptance 3 (the decoder's half). Whatever
// a POST body or a GET query string holds, decoding it either succeeds or
// says what is wrong without a Go type, a package, SQL or a path. `go test`
// runs the seed corpus; `go test -fuzz FuzzDecodeRequest ./internal/server`
// explores.
func FuzzDecodeRequest(f *testing.F) {
	for _, seed := range []string{
		`{"query":"{ viewer { id } }"}`, `[]`, `[{"query":"{ a }"}]`, `"query"`, `1`, `null`, `true`, `{`, `{"query":1}`,
		`{"query":"q","variables":[]}`, `{"query":"q","variables":"x"}`, `{"query":"q","extensions":5}`,
		`{"query":"q"} {"query":"r"}`, `{"query":"q\u0000"}`, "{\"query\":\"\xff\"}", `{"query":"\ud800"}`,
		`{"query":"q","operationName":{}}`, `{"query":"q","variables":{"a":1e999}}`, `   `, "\x00",
		`query=%7B&variables=%zz`, `query=a&variables=[1]`, `query=a&extensions=nope`, `%`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := decodeBody([]byte(s)); err != nil {
			if leak := LeaksInternals(err.Error()); leak != "" {
				t.Errorf("body %q: %q shows %q", s, err, leak)
			}
		}
		if _, err := decodeURL(s); err != nil {
			if leak := LeaksInternals(err.Error()); leak != "" {
				t.Errorf("query string %q: %q shows %q", s, err, leak)
			}
		}
	})
}

// TestDecodeArrayBody: the body the issue found answered with a Go type.
func TestDecodeArrayBody(t *testing.T) {
	_, err := decodeBody([]byte(`[{"query":"{ viewer { id } }"}]`))
	if err == nil || !strings.Contains(err.Error(), "an array, not an object") || LeaksInternals(err.Error()) != "" {
		t.Errorf("%v", err)
	}
}
