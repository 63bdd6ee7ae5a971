package graph

import (
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestCovered: an invitations page is marshalled element by element only
// when its nodes ask for plain fields and the relations the priming
// fetched; anything with a resolver of its own, below them too, sends it
// to gqlgen's concurrent path.
func TestCovered(t *testing.T) {
	for _, c := range []struct {
		node string
		want bool
	}{
		{`id message`, true},
		{`id message job { id title client { id name } }`, true},
		{`__typename id job { __typename id title skills budget { amount currency } }`, true},
		{`id job { hourlyRange { min { amount } } }`, false}, // a resolver, even one that loads nothing
		{`id client { id name } freelancer { id name }`, true},
		{`...on Invitation { id job { title } }`, true},
		{`id agency { id }`, false},                                     // a relation the priming did not fetch
		{`id job { id questions { id } }`, false},                       // below a fetched one
		{`id job { client { id freelancerProfile { title } } }`, false}, // two levels down
		{`id declineReason { id }`, false},                              // a resolver
		{`id proposal { id }`, false},                                   // a resolver
		{`id job { id client { id } } freelancer { freelancerProfile { title } }`, false},
	} {
		doc, err := gqlparser.LoadQueryWithRules(parsedSchema, `{ invitations(first: 20) { edges { node { `+c.node+` } } } }`, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.node, err)
		}
		op := &graphql.OperationContext{Doc: doc, Variables: map[string]any{}}
		var node ast.SelectionSet
		for _, f := range graphql.CollectFields(op, doc.Operations[0].SelectionSet, nil) {
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				for _, n := range graphql.CollectFields(op, e.Selections, nil) {
					node = n.Selections
				}
			}
		}
		if got := covered(op, "Invitation", node, invitationRelations); got != c.want {
			t.Errorf("%s: covered %v, want %v", c.node, got, c.want)
		}
	}
}

// TestResolverFields: the fields with resolvers are read off ResolverRoot.
func TestResolverFields(t *testing.T) {
	r := resolverFields()
	for _, f := range []string{"job", "client", "freelancer", "agency", "proposal"} {
		if !r["Invitation"][f] {
			t.Errorf("Invitation.%s: no resolver found", f)
		}
	}
	if r["Invitation"]["message"] || r["Invitation"]["id"] {
		t.Errorf("Invitation's plain fields taken for resolvers: %v", r["Invitation"])
	}
}
