package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/internal/market"
)

// selects reports whether the current field's selection reaches path, a
// chain of field names (through fragments of any type): a list resolver
// looks ahead with it to fetch only what the client asked for.
func selects(ctx context.Context, path ...string) bool {
	fields := graphql.CollectFieldsCtx(ctx, nil)
	for i, name := range path {
		var next ast.SelectionSet
		found := false
		for _, f := range fields {
			if f.Name == name {
				found = true
				next = append(next, f.Selections...)
			}
		}
		if !found {
			return false
		}
		if i == len(path)-1 {
			return true
		}
		fields = graphql.CollectFields(graphql.GetOperationContext(ctx), next, nil)
	}
	return len(path) == 0
}

// pageWithCount asks for the list's total count only when the client
// selected totalCount: counting is a statement of its own.
func pageWithCount(ctx context.Context, p market.PageRequest) market.PageRequest {
	p.Count = selects(ctx, "totalCount")
	return p
}

// prime fetches, in one statement, the rows of ids that l does not hold yet
// and puts them in l: a list resolver that knows what its items will ask
// for primes the request's loaders, so that the items' resolvers find their
// rows at once instead of waiting for a loader's batch window.
// It returns the rows it fetched.
func prime[V any](ctx context.Context, l *dataloadgen.Loader[int64, V], fetch func(context.Context, []int64) (map[int64]V, error), ids []int64) (map[int64]V, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	m, err := fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, v := range m {
		l.Prime(id, v)
	}
	return m, nil
}
