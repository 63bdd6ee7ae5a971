package server

import (
	"context"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// operationComplexity computes an operation's complexity by the rules of
// gqlgen's complexity.Calculate (a field costs what the schema's Complexity
// says, else 1 plus its children; a field of an interface costs what its
// most expensive implementation does), with two differences that bound the
// work by the size of the document:
//
//   - a fragment's cost is computed once and remembered, however many
//     times it is spread (gqlgen walks a fragment again at every spread, so
//     fragments that each spread the next twice cost 2^n walks), and
//   - fields are not merged by response key first: two aliases of the same
//     field cost twice, as they run twice.
//
// It returns the complexity (saturating at math.MaxInt) and visited, the
// number of selections looked at: at most the number of selections written
// in the document, whatever it spreads.
func operationComplexity(ctx context.Context, es graphql.ExecutableSchema, op *ast.OperationDefinition, vars map[string]any) (complexity, visited int) {
	w := costWalker{ctx: ctx, es: es, schema: es.Schema(), vars: vars, memo: map[string]int{}}
	n := w.selectionSet(op.SelectionSet)
	return n, w.visited
}

type costWalker struct {
	ctx     context.Context
	es      graphql.ExecutableSchema
	schema  *ast.Schema
	vars    map[string]any
	memo    map[string]int
	visited int
}

func (w *costWalker) selectionSet(set ast.SelectionSet) int {
	total := 0
	for _, sel := range set {
		w.visited++
		switch s := sel.(type) {
		case *ast.Field:
			total = saturatingAdd(total, w.field(s))
		case *ast.InlineFragment:
			total = saturatingAdd(total, w.selectionSet(s.SelectionSet))
		case *ast.FragmentSpread:
			if s.Definition == nil {
				continue
			}
			n, ok := w.memo[s.Name]
			if !ok {
				w.memo[s.Name] = 0 // a cycle (refused by validation) adds nothing
				n = w.selectionSet(s.Definition.SelectionSet)
				w.memo[s.Name] = n
			}
			total = saturatingAdd(total, n)
		}
	}
	return total
}

func (w *costWalker) field(f *ast.Field) int {
	if f.Definition == nil || f.ObjectDefinition == nil {
		return 0
	}
	def := w.schema.Types[f.Definition.Type.Name()]
	if def == nil || def.Name == "__Schema" {
		return 0
	}
	child := 0
	switch def.Kind {
	case ast.Object, ast.Interface, ast.Union:
		child = w.selectionSet(f.SelectionSet)
	}
	args := f.ArgumentMap(w.vars)
	if f.ObjectDefinition.Kind != ast.Interface {
		return w.fieldOf(f.ObjectDefinition, f.Name, child, args)
	}
	worst := 0
	for _, t := range w.schema.GetPossibleTypes(f.ObjectDefinition) {
		worst = max(worst, w.fieldOf(t, f.Name, child, args))
	}
	return worst
}

func (w *costWalker) fieldOf(def *ast.Definition, name string, child int, args map[string]any) int {
	if n, ok := w.es.Complexity(w.ctx, def.Name, name, child, args); ok && n >= 1 {
		return n
	}
	return saturatingAdd(1, child)
}

// saturatingAdd adds non-negative costs without overflowing.
func saturatingAdd(a, b int) int {
	a, b = max(a, 0), max(b, 0)
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}
