package server

import (
	"errors"
	"log/slog"
	"time"

	"github.com/hiregraph/hiregraph/graph"
)

// Options configure the HTTP server. Every field is used as given: New
// fills in nothing. A limit of 0 means no limit (the check is off), in
// Options as in the settings (cmd/server); the fields that cannot be off are
// refused by Validate. DefaultOptions holds the defaults, and is the only
// place that does.
type Options struct {
	Introspection bool
	// MaxBodyBytes caps a request body (0: no limit).
	MaxBodyBytes int64
	// LoaderWait is how long dataloaders collect keys before one batched
	// query; it must be positive.
	LoaderWait time.Duration
	// AllowedOrigins may call the API from a browser (CORS) and open
	// websockets, besides the server's own origin: scheme://host[:port],
	// scheme://host:* (any port), or "*" for any origin (then without
	// credentials). Empty: none (production's default; development's is
	// DevelopmentOrigins, set by cmd/server).
	AllowedOrigins []string
	// MaxSubscriptions caps the subscriptions of one websocket connection
	// (0: no limit).
	MaxSubscriptions int
	// KeepAlive is the websocket ping interval (0: no pings).
	KeepAlive time.Duration
	// InitTimeout is how long a websocket may wait before connection_init
	// (0: no limit).
	InitTimeout time.Duration
	// WriteTimeout bounds one websocket write: a client that stops reading
	// is dropped once its TCP window has been full this long (0: no limit).
	WriteTimeout time.Duration
	// GraphiQLHeaders fills GraphiQL's headers editor on each page load
	// (development: a demo user's Authorization); nil leaves it empty.
	GraphiQLHeaders func() map[string]string
	// GraphiQLTokenOwner says, on the page, whose token GraphiQLHeaders
	// fills in ("Frankie Freelancer (freelancer@...), the demo freelancer").
	GraphiQLTokenOwner string
	// Logger gets errors and one access-log line per request (with its
	// request id); nil: slog.Default().
	Logger *slog.Logger

	// Limits on one operation (0: no limit).
	MaxQueryTokens int     // tokens in the query document
	MaxQueryDepth  int     // nesting of fields
	MaxComplexity  int     // fields, list fields weighted by their page size
	MutationRate   float64 // mutations a second per user, on average
	// MutationBurst is how many mutations a user may send at once before
	// MutationRate applies; at least 1 when MutationRate is set.
	MutationBurst int
	// APQCacheSize is how many automatic persisted queries are kept; at
	// least 1.
	APQCacheSize int
	// OperationTimeout bounds the time of every query and mutation (0: no
	// limit); then it is cancelled and answers UNAVAILABLE.
	OperationTimeout time.Duration
	// ReadHeaderTimeout bounds the time to receive a request's headers,
	// BodyTimeout the time to receive its body once the headers are in, and
	// IdleTimeout how long a keep-alive connection may wait for its next
	// request (0: no limit). ReadHeaderTimeout and IdleTimeout apply to the
	// http.Server of Server.HTTPServer.
	ReadHeaderTimeout time.Duration
	BodyTimeout       time.Duration
	IdleTimeout       time.Duration
	// Ready reports whether the process's own parts beside the database
	// (the event listener) are up; /readyz also pings the database. Nil:
	// only the database.
	Ready func() error
}

// DefaultOptions returns the defaults of the HTTP server's settings: the
// values the server runs with when nothing is set (the settings table in
// cmd/server and the README's take theirs from here).
func DefaultOptions() Options {
	return Options{
		MaxBodyBytes:     1 << 20,
		LoaderWait:       graph.DefaultLoaderWait,
		MaxSubscriptions: 20,
		KeepAlive:        15 * time.Second,
		InitTimeout:      10 * time.Second,
		WriteTimeout:     10 * time.Second,
		MaxQueryTokens:   10000,
		MaxQueryDepth:    12,
		MaxComplexity:    10000,
		MutationRate:     10,
		MutationBurst:    30,
		APQCacheSize:     1000,
		OperationTimeout: 15 * time.Second,
		// The HTTP server's timeouts.
		ReadHeaderTimeout: 10 * time.Second,
		BodyTimeout:       30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
}

// Validate reports the Options no server can run with: a negative limit,
// and 0 where a setting cannot be off.
func (o Options) Validate() error {
	var errs []error
	neg := func(name string, negative bool) {
		if negative {
			errs = append(errs, errors.New(name+" must not be negative (0: no limit)"))
		}
	}
	neg("MaxBodyBytes", o.MaxBodyBytes < 0)
	neg("MaxSubscriptions", o.MaxSubscriptions < 0)
	neg("KeepAlive", o.KeepAlive < 0)
	neg("InitTimeout", o.InitTimeout < 0)
	neg("WriteTimeout", o.WriteTimeout < 0)
	neg("MaxQueryTokens", o.MaxQueryTokens < 0)
	neg("MaxQueryDepth", o.MaxQueryDepth < 0)
	neg("MaxComplexity", o.MaxComplexity < 0)
	neg("MutationRate", o.MutationRate < 0)
	neg("OperationTimeout", o.OperationTimeout < 0)
	neg("ReadHeaderTimeout", o.ReadHeaderTimeout < 0)
	neg("BodyTimeout", o.BodyTimeout < 0)
	neg("IdleTimeout", o.IdleTimeout < 0)
	if o.LoaderWait <= 0 {
		errs = append(errs, errors.New("LoaderWait must be positive"))
	}
	if o.MutationRate > 0 && o.MutationBurst < 1 {
		errs = append(errs, errors.New("MutationBurst must be at least 1 when MutationRate is set"))
	}
	if o.APQCacheSize < 1 {
		errs = append(errs, errors.New("APQCacheSize must be at least 1"))
	}
	if err := ParseOrigins(o.AllowedOrigins); err != nil {
		errs = append(errs, errors.New("AllowedOrigins: "+err.Error()))
	}
	return errors.Join(errs...)
}
