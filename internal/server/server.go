// Package server assembles the HTTP side: the GraphQL handler and its
// transports, GraphiQL, health checks and limits.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/jmoiron/sqlx"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/graph"
	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
)

// Options configure the HTTP server.
type Options struct {
	Introspection bool
	// MaxBodyBytes caps a request body.
	MaxBodyBytes int64
	// LoaderWait is how long dataloaders collect keys (0: graph.DefaultLoaderWait).
	LoaderWait time.Duration
	Logger     *slog.Logger
}

// Deps are the application's parts the handler serves.
type Deps struct {
	DB     *sqlx.DB
	Hiring *hiring.Service
	Tokens *auth.Tokens
}

// New returns the HTTP handler: GraphQL at /query, GraphiQL at /, and /healthz.
func New(d Deps, o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 1 << 20
	}
	gql := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Hiring: d.Hiring, Tokens: d.Tokens, LoaderWait: o.LoaderWait}}))
	gql.AddTransport(transport.Options{})
	gql.AddTransport(transport.GET{})
	gql.AddTransport(transport.POST{})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if o.Introspection {
		gql.Use(extension.Introspection{})
	}
	gql.SetErrorPresenter(presentError(o.Logger))
	gql.SetRecoverFunc(recoverPanic(o.Logger))

	mux := http.NewServeMux()
	mux.Handle("/query", d.Tokens.Middleware(graph.LoaderMiddleware(d.Hiring, o.LoaderWait, http.MaxBytesHandler(gql, o.MaxBodyBytes))))
	mux.Handle("GET /{$}", playground.Handler("hiregraph", "/query"))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.DB.PingContext(ctx); err != nil {
			http.Error(w, `{"status":"unavailable"}`, http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	return mux
}
