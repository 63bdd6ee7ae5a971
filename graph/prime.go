package graph

import (
	"context"
)

// prime fetches, in one statement, the rows of ids and puts them in l: a
// list resolver that knows what its items will ask for primes the request's
// loaders, so that the items' resolvers find their rows at once instead of
// waiting for a loader's batch window. It returns the rows it fetched.
func prime[V any](ctx context.Context, l *lazyLoader[int64, V], fetch func(context.Context, []int64) (map[int64]V, error), ids []int64) (map[int64]V, error) {
	ids = dedupe(ids)
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
