package server

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/graph"
)

// fragmentBombs are small documents whose fragments multiply: each level
// spreads the next one twice, so the operation asks for 2^n fields while
// the document holds about 2n selections.
func fragmentBombs(n int) map[string]string {
	var chain, inline, nested strings.Builder
	for i := range n {
		fmt.Fprintf(&chain, "fragment F%d on Viewer { ...F%d ...F%d }\n", i, i+1, i+1)
		fmt.Fprintf(&inline, "fragment F%d on Viewer { ... on Viewer { ...F%d } ... { ...F%d } }\n", i, i+1, i+1)
		// Through fields: each level goes through a field and back.
		fmt.Fprintf(&nested, "fragment F%d on Viewer { name user { id } ...F%d ...F%d }\n", i, i+1, i+1)
	}
	last := fmt.Sprintf("fragment F%d on Viewer { name }\n", n)
	var aliases strings.Builder
	aliases.WriteString("query {")
	for i := range 100 {
		fmt.Fprintf(&aliases, " a%d: viewer { ...F0 }", i)
	}
	aliases.WriteString(" }\n")
	return map[string]string{
		"nested spreads":   "query { viewer { ...F0 } }\n" + chain.String() + last,
		"inline fragments": "query { viewer { ...F0 } }\n" + inline.String() + last,
		"through fields":   "query { viewer { ...F0 } }\n" + nested.String() + last,
		"wide aliases":     aliases.String() + chain.String() + last,
	}
}

// selectionsWritten counts the selections written in a document (each
// operation and fragment once, spreads not followed).
func selectionsWritten(doc *ast.QueryDocument) int {
	var count func(ast.SelectionSet) int
	count = func(set ast.SelectionSet) int {
		n := 0
		for _, sel := range set {
			n++
			switch s := sel.(type) {
			case *ast.Field:
				n += count(s.SelectionSet)
			case *ast.InlineFragment:
				n += count(s.SelectionSet)
			}
		}
		return n
	}
	n := 0
	for _, op := range doc.Operations {
		n += count(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		n += count(f.SelectionSet)
	}
	return n
}

func executableSchema() pagedComplexity {
	return pagedComplexity{graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}})}
}

// TestFragmentBombWorkIsLinear: issue 11, acceptance 4. The fragment bomb
// (n = 40) and its variants are costed by looking at each written
// selection at most once: the work is counted (selections visited), not
// timed, so the test cannot flake; the complexity found is astronomical and
// refused.
func TestFragmentBombWorkIsLinear(t *testing.T) {
	es := executableSchema()
	for name, q := range fragmentBombs(40) {
		doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), q, nil)
		if errs != nil {
			t.Fatalf("%s: %v", name, errs)
		}
		written := selectionsWritten(doc)
		n, visited := operationComplexity(context.Background(), es, doc.Operations[0], nil)
		if visited > written {
			t.Errorf("%s: visited %d selections, more than the %d written", name, visited, written)
		}
		if n < 1<<40 {
			t.Errorf("%s: complexity %d, want at least 2^40", name, n)
		}
		depthVisited := 0
		if d := selectionDepth(doc.Operations[0].SelectionSet, map[string]int{}, &depthVisited); d < 1 || depthVisited > written {
			t.Errorf("%s: depth %d after visiting %d selections (%d written)", name, d, depthVisited, written)
		}
		t.Logf("%s: %d bytes, %d selections written, %d visited, complexity %d", name, len(q), written, visited, n)
	}
}

// TestComplexityAsGqlgen: on ordinary documents the linear walk finds what
// gqlgen's rules give (a connection's children times its page size),
// counting aliases of one field separately.
func TestComplexityAsGqlgen(t *testing.T) {
	es := executableSchema()
	for _, tc := range []struct {
		q    string
		want int
	}{
		{`{ viewer { id name } }`, 3},
		{`{ viewer { ...V } } fragment V on Viewer { id name }`, 3},
		{`{ a: viewer { id } b: viewer { id } }`, 4},
		{`{ notifications(first: 10) { edges { node { id } } } }`, 1 + 10*3},
		{`{ notifications(first: 10) { ...N } } fragment N on NotificationConnection { edges { node { id } } }`, 1 + 10*3},
		{`{ notifications(first: 10) { totalCount } }`, 1 + 10*1},
	} {
		doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), tc.q, nil)
		if errs != nil {
			t.Fatalf("%s: %v", tc.q, errs)
		}
		n, _ := operationComplexity(context.Background(), es, doc.Operations[0], nil)
		if n != tc.want {
			t.Errorf("%s: complexity %d, want %d", tc.q, n, tc.want)
		}
		// gqlgen merges aliases of one field; elsewhere the two agree.
		if g := complexity.Calculate(context.Background(), es, doc.Operations[0], nil); g != n && !strings.Contains(tc.q, "b:") {
			t.Errorf("%s: complexity %d, gqlgen's %d", tc.q, n, g)
		}
	}
	if saturatingAdd(math.MaxInt, 1) != math.MaxInt {
		t.Error("saturatingAdd overflows")
	}
}

// BenchmarkFragmentBomb measures validating and costing the n = 40 fragment
// bomb (parse, validate, depth and complexity), the work a request does
// before it is refused.
func BenchmarkFragmentBomb(b *testing.B) {
	es := executableSchema()
	for name, q := range fragmentBombs(40) {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), q, nil)
				if errs != nil {
					b.Fatal(errs)
				}
				visited := 0
				selectionDepth(doc.Operations[0].SelectionSet, map[string]int{}, &visited)
				operationComplexity(context.Background(), es, doc.Operations[0], nil)
			}
		})
	}
}

// BenchmarkGqlgenComplexityBomb is the comparison: gqlgen's own
// complexity.Calculate walks a fragment again at every spread, so the same
// bomb at n = 16 and n = 20 costs 2^n walks (at n = 40 it would run for
// days). Run it with -bench GqlgenComplexityBomb -benchtime 3x.
func BenchmarkGqlgenComplexityBomb(b *testing.B) {
	es := executableSchema()
	for _, n := range []int{16, 20} {
		q := fragmentBombs(n)["nested spreads"]
		doc, errs := gqlparser.LoadQueryWithRules(es.Schema(), q, nil)
		if errs != nil {
			b.Fatal(errs)
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				complexity.Calculate(context.Background(), es, doc.Operations[0], nil)
			}
		})
	}
}
