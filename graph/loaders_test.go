package graph

import (
	"context"
	"testing"
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
