package server_test

import (
	"strings"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// Issue 10: @defer is not advertised (the server has no incremental
// delivery), and an operation using it fails validation clearly instead of
// returning null for a non-null field.
func TestNoDefer(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	var d struct {
		Schema struct{ Directives []struct{ Name string } } `json:"__schema"`
	}
	a.ok(fr, `{ __schema { directives { name } } }`, nil, &d)
	var names []string
	for _, dir := range d.Schema.Directives {
		names = append(names, dir.Name)
	}
	if strings.Contains(" "+strings.Join(names, " ")+" ", " defer ") || !strings.Contains(strings.Join(names, " "), "include") {
		t.Fatalf("served directives: %v", names)
	}
	r := a.post(fr, `{ viewer { name ... @defer { connectsBalance } } }`, nil)
	if r.Code() != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(r.Errors[0].Message, "defer") {
		t.Fatalf("@defer: errors %+v data %s", r.Errors, r.Data)
	}
}
