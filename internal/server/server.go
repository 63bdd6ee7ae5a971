// Package server assembles the HTTP side: the GraphQL handler and its
// transports (HTTP and both websocket subprotocols), GraphiQL, health checks
// and limits.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/jmoiron/sqlx"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/graph"
	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// Options configure the HTTP server.
type Options struct {
	Introspection bool
	// MaxBodyBytes caps a request body.
	MaxBodyBytes int64
	// LoaderWait is how long dataloaders collect keys (0: graph.DefaultLoaderWait).
	LoaderWait time.Duration
	// AllowedOrigins may open websockets besides the server's own origin
	// (scheme://host[:port], or "*" for any).
	AllowedOrigins []string
	// MaxSubscriptions caps the subscriptions of one websocket connection.
	MaxSubscriptions int
	// KeepAlive is the websocket ping interval.
	KeepAlive time.Duration
	// InitTimeout is how long a websocket may wait before connection_init.
	InitTimeout time.Duration
	// GraphiQLHeaders fills GraphiQL's headers editor on each page load
	// (development: a demo user's Authorization); nil leaves it empty.
	GraphiQLHeaders func() map[string]string
	// Logger gets errors and one access-log line per request (with its
	// request id); nil: slog.Default().
	Logger *slog.Logger

	// Limits on one operation. Zero means the default (in parentheses), a
	// negative value no limit.
	MaxQueryTokens int     // tokens in the query document (10000)
	MaxQueryDepth  int     // nesting of fields (12)
	MaxComplexity  int     // fields, list fields weighted by their page size (10000)
	MutationRate   float64 // mutations a second per user, on average (10)
	MutationBurst  int     // mutations a user may send at once (30)
	// OperationTimeout bounds the time of every query and mutation (and of
	// each event of a subscription) (15s).
	OperationTimeout time.Duration
	// ReadHeaderTimeout bounds the time to receive a request's headers (10s),
	// BodyTimeout the time to receive its body once the headers are in
	// (30s), and IdleTimeout how long a keep-alive connection may wait for
	// its next request (60s). They apply to the http.Server of HTTPServer;
	// BodyTimeout to every POST body.
	ReadHeaderTimeout time.Duration
	BodyTimeout       time.Duration
	IdleTimeout       time.Duration
	// APQCacheSize is how many automatic persisted queries are kept (1000).
	APQCacheSize int
	// Ready reports whether the process's own parts beside the database
	// (the event listener) are up; /readyz also pings the database. Nil:
	// only the database.
	Ready func() error
}

// Defaults of the limits in Options.
const (
	DefaultMaxQueryTokens = 10000
	DefaultMaxQueryDepth  = 12
	DefaultMaxComplexity  = 10000
	DefaultMutationRate   = 10
	DefaultMutationBurst  = 30
	DefaultAPQCacheSize   = 1000
	// DefaultOperationTimeout bounds an operation's time.
	DefaultOperationTimeout = 15 * time.Second
	// Defaults of the HTTP server's timeouts.
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultBodyTimeout       = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
)

// Deps are the application's parts the handler serves.
type Deps struct {
	DB     *sqlx.DB
	Hiring *hiring.Service
	Tokens *auth.Tokens
	// Broker, when set, feeds the subscription and event metrics.
	Broker *realtime.Broker
}

// Server is the HTTP handler, with what a graceful shutdown needs.
type Server struct {
	http.Handler
	ws       *gorillaWebsocket
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
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.MaxSubscriptions == 0 {
		o.MaxSubscriptions = 20
	}
	if o.KeepAlive == 0 {
		o.KeepAlive = 15 * time.Second
	}
	if o.InitTimeout == 0 {
		o.InitTimeout = 10 * time.Second
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.MaxQueryTokens, DefaultMaxQueryTokens)
	def(&o.MaxQueryDepth, DefaultMaxQueryDepth)
	def(&o.MaxComplexity, DefaultMaxComplexity)
	def(&o.MutationBurst, DefaultMutationBurst)
	def(&o.APQCacheSize, DefaultAPQCacheSize)
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&o.ReadHeaderTimeout, DefaultReadHeaderTimeout}, {&o.BodyTimeout, DefaultBodyTimeout}, {&o.IdleTimeout, DefaultIdleTimeout}} {
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if o.OperationTimeout == 0 {
		o.OperationTimeout = DefaultOperationTimeout
	}
	if o.MutationRate == 0 {
		o.MutationRate = DefaultMutationRate
	}

	resolver := &graph.Resolver{Hiring: d.Hiring, Tokens: d.Tokens, LoaderWait: o.LoaderWait}
	gql := handler.New(pagedComplexity{graph.NewExecutableSchema(graph.Config{Resolvers: resolver})})
	ws := newGorillaWebsocket(originChecker(o.AllowedOrigins))
	m := newMetrics(d.DB, d.Broker, ws.open)
	gql.AddTransport(transport.Websocket{
		Implementation:        ws,
		InitFunc:              websocketInit(d.Tokens, d.Hiring, d.Hiring.Ping, o.MaxSubscriptions),
		InitTimeout:           o.InitTimeout,
		KeepAlivePingInterval: o.KeepAlive,
		PingPongInterval:      o.KeepAlive,
	})
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
	// Fresh loaders for every response: one per HTTP request, one per event
	// of a subscription (a long-lived connection must not serve stale rows).
	s := &Server{ws: ws, opts: o}
	gql.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		s.busy.Add(1)
		defer s.busy.Add(-1)
		return next(graph.WithLoaders(ctx, graph.NewLoaders(d.Hiring, o.LoaderWait)))
	})
	gql.SetErrorPresenter(presentError(log, func(code string) { m.errors.WithLabelValues(code).Inc() }))
	gql.SetRecoverFunc(recoverPanic(log))

	mux := http.NewServeMux()
	mux.Handle("/query", d.Tokens.Middleware(d.Hiring, gql))
	gq := &graphiqlHandler{}
	gq.setHeaders(o.GraphiQLHeaders)
	mux.Handle("GET /{$}", gq)
	mux.Handle("GET /graphiql/", http.StripPrefix("/graphiql/", graphiqlAssets()))
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

// websocketInit authenticates a websocket from its connection_init payload
// ({"Authorization": "Bearer <token>"}). Without a valid token the
// connection is closed with code 4401 and the reason.
func websocketInit(tokens *auth.Tokens, check auth.Checker, ping func(context.Context) error, maxSubs int) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		header := p.Authorization()
		if header == "" {
			header = p.GetString("authToken")
			if header != "" && !strings.Contains(header, " ") {
				header = "Bearer " + header
			}
		}
		ctx = tokens.Authenticate(ctx, header, check)
		if _, err := auth.ViewerID(ctx); err != nil {
			if errors.Is(err, market.ErrUnavailable) {
				// The token could not be checked: not the client's fault.
				reason := string(market.CodeUnavailable) + ": the database does not answer; retry later"
				ctx = transport.WithWebsocketCloseCode(ctx, websocket.CloseTryAgainLater)
				return transport.AppendCloseReason(ctx, reason), nil, errors.New(reason)
			}
			reason := err.Error() // "UNAUTHENTICATED: the token is not valid"
			if header == "" {
				reason = string(market.CodeUnauthenticated) + `: send {"Authorization": "Bearer <token>"} in connection_init`
			}
			ctx = transport.WithWebsocketCloseCode(ctx, 4401)
			return transport.AppendCloseReason(ctx, reason), nil, errors.New(reason)
		}
		return graph.WithSubscriptionCheck(graph.WithSubscriptionLimit(ctx, maxSubs), ping), nil, nil
	}
}

// originChecker allows websockets from the server's own origin, from
// non-browser clients (no Origin header), and from the allowed origins.
func originChecker(allowed []string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" || slices.Contains(allowed, "*") || slices.Contains(allowed, origin) {
			return true
		}
		u, err := url.Parse(origin)
		return err == nil && strings.EqualFold(u.Host, r.Host)
	}
}
