// Package server assembles the HTTP side: the GraphQL handler and its
// transports (HTTP and both websocket subprotocols), GraphiQL, health checks
// and limits.
package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/graph"
	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// Deps are the application's parts the handler serves.
type Deps struct {
	DB     *sqlx.DB
	Hiring *hiring.Service
	Tokens *auth.Tokens
	// Broker, when set, feeds the subscription and event metrics.
	Broker *realtime.Broker
	// Collectors are more metrics for /metrics (the event transport's).
	Collectors []prometheus.Collector
	// Statements, when set, counts the SQL statements the process has run
	// (postgres.Statements): the hiregraph_db_statements_total metric.
	Statements func() int64
}

// Server is the HTTP handler, with what a graceful shutdown needs.
type Server struct {
	http.Handler
	ws       *wsTransport
	graphiql *graphiqlHandler
	opts     Options
	// busy counts the responses being produced; for a subscription, that is
	// waiting for its next event and resolving it.
	busy atomic.Int64
}

// SetGraphiQLHeaders changes what fills GraphiQL's headers editor.
func (s *Server) SetGraphiQLHeaders(f func() map[string]string) { s.graphiql.setHeaders(f) }

// CloseWebsockets sends every open websocket a "going away" close frame
// with reason and closes it, and refuses new ones.
func (s *Server) CloseWebsockets(reason string) { s.ws.closeAll(reason) }

// Drain waits, after CloseWebsockets, until the subscriptions have stopped
// producing responses (the last event being resolved), or until ctx ends: the
// database must not be closed under them.
func (s *Server) Drain(ctx context.Context) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for s.busy.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// HTTPServer returns an http.Server for the handler with the timeouts of
// the options: a client that is slow to send its headers, or that keeps an
// idle keep-alive connection open, is disconnected. (Its WriteTimeout is
// unset: subscriptions over websockets live long, and every query and
// mutation has its own deadline, OperationTimeout.)
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{Handler: s, ReadHeaderTimeout: s.opts.ReadHeaderTimeout, IdleTimeout: s.opts.IdleTimeout}
}

// OpenWebsockets counts the open websocket connections.
func (s *Server) OpenWebsockets() int { return s.ws.open() }

// New returns the HTTP handler: GraphQL at /query (POST, GET and
// websockets), GraphiQL at /, /healthz, /readyz and /metrics.
func New(d Deps, o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	log := slog.New(contextHandler{o.Logger.Handler()})
	if err := o.Validate(); err != nil {
		panic("server.New: " + err.Error())
	}

	resolver := &graph.Resolver{Hiring: d.Hiring, Tokens: d.Tokens, LoaderWait: o.LoaderWait}
	es := servedSchema(graph.Config{Resolvers: resolver})
	gql := handler.New(pagedComplexity{es})
	origins, _ := newOriginPolicy(o.AllowedOrigins) // checked by Validate
	ws := newWSTransport(origins.checkWebsocketOrigin)
	ws.authenticate = websocketAuth(d.Tokens, d.Hiring, d.Hiring.Ping, o.MaxSubscriptions)
	ws.keepAlive, ws.initTimeout, ws.writeTimeout = o.KeepAlive, o.InitTimeout, o.WriteTimeout
	ws.readLimit = o.MaxBodyBytes
	ws.log = log
	ws.withBatch = func(ctx context.Context, b *realtime.Batch) context.Context {
		return graph.WithLoaders(ctx, b.Shared(func() any {
			return graph.NewSharedLoaders(d.Hiring, o.LoaderWait, o.OperationTimeout)
		}).(*graph.Loaders))
	}
	m := newMetrics(d.DB, d.Broker, ws, d.Statements)
	m.reg.MustRegister(d.Collectors...)
	gql.AddTransport(ws)
	gql.AddTransport(httpTransport{maxBodyBytes: o.MaxBodyBytes, bodyTimeout: o.BodyTimeout})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if o.MaxQueryTokens > 0 {
		gql.SetParserTokenLimit(o.MaxQueryTokens)
	}
	gql.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](o.APQCacheSize)})
	// Operation checks, in this order, before anything runs.
	gql.Use(&inputGate{})
	if o.Introspection {
		gql.Use(extension.Introspection{})
	} else {
		gql.Use(introspectionOff{})
	}
	if o.MaxQueryDepth > 0 {
		gql.Use(depthLimit{max: o.MaxQueryDepth})
	}
	if o.MaxComplexity > 0 {
		gql.Use(&complexityLimit{max: o.MaxComplexity})
	}
	if o.MutationRate > 0 {
		gql.Use(newMutationLimiter(o.MutationRate, o.MutationBurst))
	}
	gql.AroundOperations(m.aroundOperations)
	gql.AroundOperations(deadline(o.OperationTimeout))
	// Every String input of every mutation goes through the contact-info
	// check before its resolver runs (R17); see graph.ShownTextGate.
	gql.AroundRootFields(graph.ShownTextGate(es.Schema()))
	// Fresh loaders for every response: one per HTTP request, one per event
	// of a subscription (a long-lived connection must not serve stale rows),
	// shared by the subscribers one shared read of an event serves (the
	// transport has put them in the context then).
	s := &Server{ws: ws, opts: o}
	gql.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		s.busy.Add(1)
		defer s.busy.Add(-1)
		if !graph.HasLoaders(ctx) {
			ctx = graph.WithLoaders(ctx, graph.NewLoaders(d.Hiring, o.LoaderWait))
		}
		return next(ctx)
	})
	gql.SetErrorPresenter(presentError(log, func(code string) { m.errors.WithLabelValues(code).Inc() }))
	gql.SetRecoverFunc(recoverPanic(log))

	mux := http.NewServeMux()
	mux.Handle("/query", origins.cors(d.Tokens.Middleware(d.Hiring, gql)))
	gq := &graphiqlHandler{owner: o.GraphiQLTokenOwner}
	gq.setHeaders(o.GraphiQLHeaders)
	mux.Handle("GET /{$}", gq)
	mux.Handle("GET /graphiql/", http.StripPrefix("/graphiql/", graphiqlAssets()))
	mux.HandleFunc("GET /favicon.svg", serveFavicon)
	mux.HandleFunc("GET /favicon.ico", serveFavicon)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.DB.PingContext(ctx); err != nil {
			writeStatus(w, http.StatusServiceUnavailable, "unavailable", "the database does not answer")
			return
		}
		writeStatus(w, http.StatusOK, "ok", "")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.DB.PingContext(ctx); err != nil {
			log.WarnContext(ctx, "not ready: the database does not answer", "err", err)
			writeStatus(w, http.StatusServiceUnavailable, "unavailable", "the database does not answer")
			return
		}
		if o.Ready != nil {
			if err := o.Ready(); err != nil {
				writeStatus(w, http.StatusServiceUnavailable, "unavailable", err.Error())
				return
			}
		}
		writeStatus(w, http.StatusOK, "ready", "")
	})
	mux.Handle("GET /metrics", m.handler())
	s.Handler = observe(mux, m, log)
	s.graphiql = gq
	return s
}

// servedSchema is the generated schema without the @defer directive, which
// gqlgen's schema prelude declares: this server answers over plain JSON
// (no incremental delivery), where a deferred fragment would come back as
// null with no error. Without the directive, introspection does not
// advertise it, and an operation that uses it fails validation with a clear
// "unknown directive" error.
func servedSchema(cfg graph.Config) graphql.ExecutableSchema {
	generated := graph.NewExecutableSchema(cfg).Schema()
	served := *generated
	served.Directives = maps.Clone(generated.Directives)
	delete(served.Directives, "defer")
	cfg.Schema = &served
	return graph.NewExecutableSchema(cfg)
}

// writeStatus answers a health or readiness probe.
func writeStatus(w http.ResponseWriter, code int, status, reason string) {
	body := map[string]string{"status": status}
	if reason != "" {
		body["reason"] = reason
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}
