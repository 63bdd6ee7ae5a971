package graph

import (
	"context"
	"testing"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/internal/hiring"
)

// TestLoadersMissingFailLoudly: a resolver run without loaders in its
// context panics with ErrNoLoaders (gqlgen turns it into an INTERNAL error
// and the server logs it) instead of building loaders that batch nothing.
func TestLoadersMissingFailLoudly(t *testing.T) {
	defer func() {
		if p := recover(); p != ErrNoLoaders {
			t.Errorf("recovered %v, want ErrNoLoaders", p)
		}
	}()
	(&Resolver{}).loaders(context.Background())
	t.Error("no panic")
}

// TestSharedLoadersOutliveTheirFirstCaller: the loaders that the
// subscribers of one event share run a batch in the context of whoever
// asked first, and cache its result for all; that subscriber leaving (its
// context cancelled) must not fail the batch for the others. Request
// loaders, used by one request only, stop with it.
func TestSharedLoadersOutliveTheirFirstCaller(t *testing.T) {
	fetch := func(_ *hiring.Service, ctx context.Context, keys []int64) (map[int64]string, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out := map[int64]string{}
		for _, k := range keys {
			out[k] = "row"
		}
		return out, nil
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel() // the first subscriber to ask has left

	for _, tc := range []struct {
		name    string
		src     loaderSource
		wantErr bool
	}{
		{"shared", loaderSource{detach: true, timeout: time.Minute}, false},
		{"shared, no timeout", loaderSource{detach: true}, false},
		{"request", loaderSource{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			src.wait = dataloadgen.WithWait(time.Millisecond)
			var z lazyLoader[int64, string]
			z.init(&src, fetch)
			first, err := z.Load(gone, 7)
			if (err != nil) != tc.wantErr {
				t.Fatalf("the first caller got %q, %v", first, err)
			}
			// Another subscriber asks for the same key: the cached result.
			second, err2 := z.Load(context.Background(), 7)
			if (err2 != nil) != tc.wantErr || (!tc.wantErr && second != "row") {
				t.Fatalf("the next caller got %q, %v", second, err2)
			}
		})
	}
}
