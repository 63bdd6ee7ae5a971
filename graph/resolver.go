// Package graph is the GraphQL layer: thin resolvers over package hiring,
// per-request dataloaders, and the generated executable schema.
package graph

import (
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
)

//go:generate go tool gqlgen generate
//go:generate go run ../internal/tools/genrewrite generated.go

// Resolver is the root resolver; it holds the application's services.
type Resolver struct {
	Hiring *hiring.Service
	Tokens *auth.Tokens
	// LoaderWait is how long dataloaders collect keys (0: DefaultLoaderWait).
	LoaderWait time.Duration
}
