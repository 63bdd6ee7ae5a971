package server

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/hiregraph/hiregraph/internal/realtime"
)

// requestInfo is what the access log learns about a request on its way
// through: its id, the client's address, and the operations it ran.
type requestInfo struct {
	id   string
	addr string

	mu         sync.Mutex
	operations []string
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
	return i
}

// clientAddr is the client's IP address (the TCP peer: put a proxy's
// forwarding in front of this if the server runs behind one).
func clientAddr(ctx context.Context) string {
	if i := infoFrom(ctx); i != nil {
		return i.addr
	}
	return "unknown"
}

func (i *requestInfo) addOperation(op string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(i.operations) < 10 { // a websocket may run many: the first ten tell enough
		i.operations = append(i.operations, op)
	}
}

// noteOperation tells the access log about an operation ("query Name").
func noteOperation(ctx context.Context, op *ast.OperationDefinition) {
	i := infoFrom(ctx)
	if i == nil || op == nil {
		return
	}
	label := string(op.Operation)
	if op.Name != "" {
		label += " " + op.Name
	}
	i.addOperation(label)
}

func (i *requestInfo) operationList() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return strings.Join(i.operations, ", ")
}

// validRequestID accepts a client's X-Request-ID if it is short and plain.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.:/+=", c)) {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// contextHandler adds the request id to every log record made with a
// request's context (slog's *Context methods).
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if i := infoFrom(ctx); i != nil {
		r.AddAttrs(slog.String("request_id", i.id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// statusWriter records a response's status and size. It passes Hijack (for
// websockets) and Flush through.
type statusWriter struct {
	http.ResponseWriter
	status   int
	bytes    int64
	hijacked bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the response writer cannot be hijacked")
	}
	c, rw, err := h.Hijack()
	if err == nil {
		w.hijacked = true
		w.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// route is the metrics label of a path: a fixed set, so that probing
// random URLs cannot grow the metrics.
func route(path string) string {
	switch {
	case path == "/query", path == "/", path == "/healthz", path == "/readyz", path == "/metrics":
		return path
	case strings.HasPrefix(path, "/graphiql/"):
		return "/graphiql/"
	}
	return "other"
}

// probe paths are logged at debug level: orchestrators call them every few seconds.
func probe(path string) bool { return path == "/healthz" || path == "/readyz" || path == "/metrics" }

// metrics are one server's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg          *prometheus.Registry
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	operations   *prometheus.CounterVec
	opDuration   *prometheus.HistogramVec
	errors       *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool
}

// maxOperationNames bounds the distinct operation names in labels (clients
// choose them); later names are counted as "other".
const maxOperationNames = 500

func newMetrics(db *sqlx.DB, broker *realtime.Broker, openWebsockets func() int, statements func() int64) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hiregraph_http_requests_total", Help: "HTTP requests by route, method and status (a websocket counts once, as 101, when it closes).",
		}, []string{"route", "method", "status"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hiregraph_http_request_duration_seconds", Help: "HTTP request latency by route (websockets excluded).",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hiregraph_graphql_operations_total", Help: "GraphQL operations started, by operation name and type (query, mutation, subscription).",
		}, []string{"operation", "type"}),
		opDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hiregraph_graphql_operation_duration_seconds", Help: "GraphQL query and mutation latency, by operation name and type.",
			Buckets: prometheus.DefBuckets,
		}, []string{"operation", "type"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hiregraph_graphql_errors_total", Help: "GraphQL errors sent to clients, by extensions.code.",
		}, []string{"code"}),
		names: map[string]bool{},
	}
	m.reg.MustRegister(m.httpRequests, m.httpDuration, m.operations, m.opDuration, m.errors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hiregraph_websockets_open", Help: "Open websocket connections.",
		}, func() float64 { return float64(openWebsockets()) }),
	)
	if statements != nil {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "hiregraph_db_statements_total", Help: "SQL statements run by the store in this process (reads and writes; BEGIN and COMMIT not counted).",
		}, func() float64 { return float64(statements()) }))
	}
	if db != nil {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db.DB, "hiregraph"))
	}
	if broker != nil {
		m.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "hiregraph_subscriptions_active", Help: "Active subscriptions to the event broker.",
			}, func() float64 { return float64(broker.Subscribers()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "hiregraph_events_received_total", Help: "Committed events received from PostgreSQL by this process.",
			}, func() float64 { return float64(broker.Received()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "hiregraph_events_delivered_total", Help: "Events handed to subscribers (one event with three subscribers counts three).",
			}, func() float64 { return float64(broker.Delivered()) }),
		)
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// operationName is the label for an operation's name.
func (m *metrics) operationName(op *ast.OperationDefinition) string {
	name := op.Name
	if name == "" {
		return "anonymous"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.names[name] {
		if len(m.names) >= maxOperationNames {
			return "other"
		}
		m.names[name] = true
	}
	return name
}

// aroundOperations counts every operation and times queries and mutations
// (until their response is ready), and tells the access log its name.
func (m *metrics) aroundOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx).Operation
	name, typ := m.operationName(op), string(op.Operation)
	if httpMethod(ctx) == "" { // over HTTP, the transport has noted it already
		noteOperation(ctx, op)
	}
	m.operations.WithLabelValues(name, typ).Inc()
	start := time.Now()
	h := next(ctx)
	if op.Operation == ast.Subscription {
		return h
	}
	var once sync.Once
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		once.Do(func() { m.opDuration.WithLabelValues(name, typ).Observe(time.Since(start).Seconds()) })
		return resp
	}
}

// observe is the outermost handler: it gives every request an id (the
// client's X-Request-ID when it sends a sane one), echoes it in the
// response, counts and times the request, and writes one access-log line.
func observe(next http.Handler, m *metrics, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-ID", id)
		addr := r.RemoteAddr
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
		info := &requestInfo{id: id, addr: addr}
		ctx := context.WithValue(r.Context(), requestInfoKey{}, info)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(ctx))

		elapsed := time.Since(start)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		rt := route(r.URL.Path)
		m.httpRequests.WithLabelValues(rt, r.Method, strconv.Itoa(status)).Inc()
		if !sw.hijacked {
			m.httpDuration.WithLabelValues(rt).Observe(elapsed.Seconds())
		}
		level := slog.LevelInfo
		if probe(r.URL.Path) {
			level = slog.LevelDebug
		}
		log.LogAttrs(ctx, level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Int64("bytes", sw.bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
			slog.String("operation", info.operationList()),
			slog.String("remote", addr),
		)
	})
}
