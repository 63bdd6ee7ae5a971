package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gorilla/websocket"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/hiregraph/hiregraph/graph"
	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// GraphQL over websockets, both subprotocols, on gorilla/websocket, with
// operations run by gqlgen's executor.
//
// graphql-transport-ws (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md)
// is followed to the letter: no connection_init within InitTimeout closes
// with 4408, a second connection_init with 4429, a subscribe before the ack
// with 4401, a subscribe whose id is in use with 4409 "Subscriber for <id>
// already exists", and any message that is not JSON, not a known type, or
// lacks what its type needs with 4400. The legacy graphql-ws
// (subscriptions-transport-ws) gets the same checks, except that a start
// with an id in use replaces that operation, as its reference server does.
//
// What a connection costs: one goroutine, blocked reading; a small read
// buffer; write buffers borrowed from a pool while a message is written;
// one timer for the init timeout and then the keep-alive, one for the
// token's expiry. A subscription holds no goroutine: its stream hands
// items to a realtime.Outlet, which wakes a short-lived goroutine to write
// them. Writes are serialized by a mutex and bounded by WriteTimeout: a
// client that stops reading (its TCP window full) is dropped.

// Subprotocol names.
const (
	protoTransportWS = "graphql-transport-ws"
	protoGraphQLWS   = "graphql-ws"
)

// Close codes of graphql-transport-ws.
const (
	closeBadRequest      = 4400
	closeUnauthorized    = 4401
	closeInitTimeout     = 4408
	closeDuplicateID     = 4409
	closeTooManyInitReqs = 4429
)

// wsTransport serves websocket upgrades of /query.
type wsTransport struct {
	upgrader     websocket.Upgrader
	authenticate func(ctx context.Context, payload map[string]any) (context.Context, error)
	keepAlive    time.Duration
	initTimeout  time.Duration
	writeTimeout time.Duration
	readLimit    int64
	log          *slog.Logger
	// withBatch gives a response the loaders its event's batch shares.
	withBatch func(ctx context.Context, b *realtime.Batch) context.Context

	mu      sync.Mutex
	conns   map[*wsConn]struct{}
	closing bool

	writeFailures atomic.Int64

	queries queryStrings
}

// queryStrings hands out one copy of each query text that subscriptions
// send: every bell of an app sends the same text, and each operation keeps
// it (gqlgen's operation context holds the raw query) for as long as it
// runs. Bounded: a query it has forgotten is kept by its operations as sent.
type queryStrings struct{ cache *lru.Cache[string, string] }

func (q queryStrings) intern(s string) string {
	if q.cache == nil {
		return s
	}
	if v, ok := q.cache.Get(s); ok {
		return v
	}
	q.cache.Add(s, s)
	return s
}

var _ graphql.Transport = (*wsTransport)(nil)

// wsWriteBuffers lends write buffers to connections while they write a
// message, instead of each connection holding its own.
var wsWriteBuffers = &sync.Pool{}

func newWSTransport(checkOrigin func(*http.Request) bool) *wsTransport {
	return &wsTransport{
		upgrader: websocket.Upgrader{
			Subprotocols:    []string{protoTransportWS, protoGraphQLWS},
			ReadBufferSize:  256,
			WriteBufferSize: 4096,
			WriteBufferPool: wsWriteBuffers,
			CheckOrigin:     checkOrigin,
		},
		conns:   map[*wsConn]struct{}{},
		queries: newQueryStrings(1000),
	}
}

func newQueryStrings(size int) queryStrings {
	c, _ := lru.New[string, string](size) // fails only for a size under 1
	return queryStrings{cache: c}
}

func (t *wsTransport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

// open counts the open websocket connections.
func (t *wsTransport) open() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.conns)
}

// closeAll sends every open connection a close frame (1001 going away, with
// reason) and closes it; later upgrades are refused.
func (t *wsTransport) closeAll(reason string) {
	t.mu.Lock()
	t.closing = true
	conns := make([]*wsConn, 0, len(t.conns))
	for c := range t.conns {
		conns = append(conns, c)
	}
	t.mu.Unlock()
	for _, c := range conns {
		c.closeWith(websocket.CloseGoingAway, reason)
	}
}

// Do upgrades the request and returns: the connection lives on in its own
// reading goroutine, not in the HTTP handler's (whose stack grew deep on
// the way here).
func (t *wsTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	t.mu.Lock()
	closing := t.closing
	t.mu.Unlock()
	if closing {
		http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
		return
	}
	ws, err := t.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // gorilla has answered with the HTTP error
	}
	c := &wsConn{t: t, ws: ws, exec: exec, legacy: ws.Subprotocol() != protoTransportWS}
	// The connection's context keeps only the request's id (for logs), not
	// the request's own context and what hangs on it.
	ctx := context.Background()
	if info := infoFrom(r.Context()); info != nil {
		ctx = context.WithValue(ctx, requestInfoKey{}, info)
	}
	// Not a cancellable context: each operation has its own, which the
	// teardown cancels. A cancellable one here would cost every connection
	// a second context, the map of its children and its done channel.
	c.ctx = ctx
	t.mu.Lock()
	t.conns[c] = struct{}{}
	t.mu.Unlock()
	ws.SetReadLimit(t.readLimit)
	ws.SetPongHandler(func(string) error { c.alive(); return nil })
	if t.initTimeout > 0 {
		c.timer = time.AfterFunc(t.initTimeout, c.initTimedOut)
	}
	go c.read()
}

// wsConn is one websocket connection.
type wsConn struct {
	t      *wsTransport
	ws     *websocket.Conn
	exec   graphql.GraphExecutor
	legacy bool

	wmu sync.Mutex // one writer at a time, as gorilla requires

	mu       sync.Mutex
	ctx      context.Context // the viewer's, once initialised
	initSeen bool
	acked    bool
	expired  bool
	closing  bool
	ops      wsOps
	timer    *time.Timer // the init timeout, then the keep-alive
	expiry   *time.Timer
}

// wsOps are a connection's running operations: a slice, not a map (a
// bell's connection has one, and a map costs a few hundred bytes more for
// each of tens of thousands of connections); the operations per connection
// are bounded by MaxSubscriptions. Guarded by wsConn.mu.
type wsOps []*wsOp

func (ops wsOps) get(id string) *wsOp {
	for _, op := range ops {
		if op.id == id {
			return op
		}
	}
	return nil
}

// remove forgets op if it is still there (a replaced or stopped operation
// may be gone already).
func (ops *wsOps) remove(op *wsOp) {
	if i := slices.Index(*ops, op); i >= 0 {
		*ops = slices.Delete(*ops, i, i+1)
	}
}

// wsMessage is a message of either protocol.
type wsMessage struct {
	ID      *string         `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// read is the connection's one goroutine: it reads messages until the
// connection ends, then cleans up. Each message is handled in a goroutine
// of its own, which the reader waits for (so messages are handled in
// order): the reader's stack stays as small as reading needs, instead of
// growing to what decoding, authenticating and starting operations need
// and keeping that size while the connection idles.
func (c *wsConn) read() {
	defer c.teardown()
	done := make(chan bool)
	for {
		_, r, err := c.ws.NextReader()
		if err != nil {
			return
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return
		}
		go func() { done <- c.handleRaw(b) }()
		if !<-done {
			return
		}
	}
}

// handleRaw decodes and handles one message; false ends the connection.
func (c *wsConn) handleRaw(b []byte) bool {
	var m wsMessage
	if err := json.Unmarshal(b, &m); err != nil || m.Type == "" {
		c.closeWith(closeBadRequest, "Invalid message received: not a JSON object with a type")
		return false
	}
	c.alive()
	return c.handle(m)
}

// alive pushes the read deadline back: the client answered (or said
// something) in time.
func (c *wsConn) alive() {
	c.mu.Lock()
	acked := c.acked
	c.mu.Unlock()
	if acked && c.t.keepAlive > 0 {
		_ = c.ws.SetReadDeadline(time.Now().Add(3 * c.t.keepAlive))
	}
}

// handle acts on one message; false ends the connection.
func (c *wsConn) handle(m wsMessage) bool {
	start, stop := "subscribe", "complete"
	if c.legacy {
		start, stop = "start", "stop"
	}
	switch m.Type {
	case "connection_init":
		return c.init(m.Payload)
	case start:
		if m.ID == nil || *m.ID == "" {
			c.closeWith(closeBadRequest, fmt.Sprintf("Invalid message received: %s needs an id", m.Type))
			return false
		}
		var p struct {
			Query         string         `json:"query"`
			OperationName string         `json:"operationName"`
			Variables     map[string]any `json:"variables"`
			Extensions    map[string]any `json:"extensions"`
		}
		if err := decodeJSON(string(m.Payload), &p); err != nil || len(m.Payload) == 0 {
			c.closeWith(closeBadRequest, fmt.Sprintf("Invalid message received: the payload of %s must be {query, variables, operationName, extensions}", m.Type))
			return false
		}
		return c.start(*m.ID, &graphql.RawParams{Query: c.t.queries.intern(p.Query), OperationName: p.OperationName, Variables: p.Variables, Extensions: p.Extensions,
			ReadTime: graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}})
	case stop:
		if m.ID == nil || *m.ID == "" {
			c.closeWith(closeBadRequest, fmt.Sprintf("Invalid message received: %s needs an id", m.Type))
			return false
		}
		c.stop(*m.ID)
		return true
	}
	if !c.legacy {
		switch m.Type {
		case "ping":
			c.write("", "pong", m.Payload)
			return true
		case "pong":
			return true
		}
	} else if m.Type == "connection_terminate" {
		c.closeWith(websocket.CloseNormalClosure, "terminated")
		return false
	}
	c.closeWith(closeBadRequest, fmt.Sprintf("Invalid message received: unknown type %q", m.Type))
	return false
}

// init authenticates the connection from connection_init's payload.
func (c *wsConn) init(raw json.RawMessage) bool {
	c.mu.Lock()
	again := c.initSeen
	c.initSeen = true
	c.mu.Unlock()
	if again {
		c.closeWith(closeTooManyInitReqs, "Too many initialisation requests")
		return false
	}
	payload := map[string]any{}
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &payload); err != nil {
			c.closeWith(closeBadRequest, "Invalid message received: the payload of connection_init must be an object")
			return false
		}
	}
	ctx, err := c.t.authenticate(c.ctx, payload)
	if err != nil {
		reason := err.Error()
		if c.legacy {
			b, _ := json.Marshal(map[string]string{"message": reason})
			c.write("", "connection_error", b)
		}
		code := closeUnauthorized
		if errors.Is(err, market.ErrUnavailable) {
			// The token could not be checked: not the client's fault.
			code, reason = websocket.CloseTryAgainLater, string(market.CodeUnavailable)+": the database does not answer; retry later"
		}
		c.closeWith(code, reason)
		return false
	}
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return false
	}
	c.ctx = ctx
	c.acked = true
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	if c.t.keepAlive > 0 {
		c.timer = time.AfterFunc(c.t.keepAlive, c.keepAlive)
	}
	if exp := auth.Expiry(ctx); !exp.IsZero() {
		c.expiry = time.AfterFunc(time.Until(exp), c.expire)
	}
	c.mu.Unlock()
	c.alive()
	c.write("", "connection_ack", nil)
	if c.legacy {
		c.write("", "ka", nil)
	}
	return true
}

func (c *wsConn) initTimedOut() {
	c.mu.Lock()
	acked := c.acked
	c.mu.Unlock()
	if !acked {
		c.closeWith(closeInitTimeout, "Connection initialisation timeout")
	}
}

// keepAlive pings the client (ping, or ka in graphql-ws, and a websocket
// ping frame, which browsers answer by themselves); the read deadline drops
// a client that no longer answers.
func (c *wsConn) keepAlive() {
	if c.legacy {
		c.write("", "ka", nil)
	} else {
		c.write("", "ping", nil)
	}
	c.wmu.Lock()
	err := c.ws.WriteControl(websocket.PingMessage, nil, c.writeDeadline())
	c.wmu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil && !c.closing {
		c.timer.Reset(c.t.keepAlive)
	}
}

// expire ends every subscription with UNAUTHENTICATED when the token
// expires; later operations are refused the same way.
func (c *wsConn) expire() {
	c.mu.Lock()
	c.expired = true
	ops := slices.Clone(c.ops)
	c.mu.Unlock()
	for _, op := range ops {
		op.finish(auth.ErrTokenExpired)
	}
}

// start runs an operation.
func (c *wsConn) start(id string, params *graphql.RawParams) bool {
	c.mu.Lock()
	if !c.acked {
		c.mu.Unlock()
		c.closeWith(closeUnauthorized, "Unauthorized")
		return false
	}
	if old := c.ops.get(id); old != nil {
		if !c.legacy {
			c.mu.Unlock()
			c.closeWith(closeDuplicateID, "Subscriber for "+id+" already exists")
			return false
		}
		// graphql-ws: the new operation replaces the old one.
		old.stopped = true
		c.ops.remove(old)
		old.cancel()
	}
	op := &wsOp{c: c, id: id}
	op.ctx, op.cancel = context.WithCancel(c.ctx)
	c.ops = append(c.ops, op)
	expired := c.expired
	c.mu.Unlock()
	if expired {
		op.finish(auth.ErrTokenExpired)
		return true
	}
	go op.run(params)
	return true
}

// stop ends an operation at the client's request.
func (c *wsConn) stop(id string) {
	c.mu.Lock()
	op := c.ops.get(id)
	if op != nil {
		op.stopped = true
		c.ops.remove(op)
	}
	c.mu.Unlock()
	if op != nil {
		op.cancel()
		if c.legacy {
			c.write(id, "complete", nil)
		}
	}
}

// write sends one message; false when the connection is (now) broken. A
// write that cannot finish within WriteTimeout (the client stopped reading)
// breaks the connection.
func (c *wsConn) write(id, typ string, payload json.RawMessage) bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.writeLocked(id, typ, payload)
}

// writeDeadline is when a write starting now must have finished (none
// without a WriteTimeout).
func (c *wsConn) writeDeadline() time.Time {
	if c.t.writeTimeout <= 0 {
		return time.Time{}
	}
	return time.Now().Add(c.t.writeTimeout)
}

func (c *wsConn) writeLocked(id, typ string, payload json.RawMessage) bool {
	_ = c.ws.SetWriteDeadline(c.writeDeadline())
	w, err := c.ws.NextWriter(websocket.TextMessage)
	if err == nil {
		_, _ = io.WriteString(w, `{"type":"`+typ+`"`)
		if id != "" {
			b, _ := json.Marshal(id)
			_, _ = io.WriteString(w, `,"id":`)
			_, _ = w.Write(b)
		}
		if len(payload) > 0 {
			_, _ = io.WriteString(w, `,"payload":`)
			_, _ = w.Write(payload)
		}
		_, _ = io.WriteString(w, `}`)
		err = w.Close()
	}
	if err != nil {
		if !errors.Is(err, websocket.ErrCloseSent) {
			c.t.writeFailures.Add(1)
		}
		_ = c.ws.Close() // the reader ends and cleans up
		return false
	}
	return true
}

// maxCloseReason is the longest reason a close frame carries (125 bytes of
// payload less the code's 2).
const maxCloseReason = 123

// closeWith sends a close frame with code and reason, and closes.
func (c *wsConn) closeWith(code int, reason string) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	c.closing = true
	c.mu.Unlock()
	if len(reason) > maxCloseReason {
		reason = reason[:maxCloseReason-3] + "..."
	}
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

// teardown runs when the reader ends: every operation stops, the timers
// too, and the connection is forgotten.
func (c *wsConn) teardown() {
	c.mu.Lock()
	c.closing = true
	ops := c.ops
	for _, op := range ops {
		op.stopped = true
	}
	c.ops = nil
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.expiry != nil {
		c.expiry.Stop()
	}
	c.mu.Unlock()
	for _, op := range ops {
		op.cancel()
	}
	_ = c.ws.Close()
	c.t.mu.Lock()
	delete(c.t.conns, c)
	c.t.mu.Unlock()
}

// wsOp is one operation of a connection.
type wsOp struct {
	c      *wsConn
	id     string
	ctx    context.Context
	cancel context.CancelFunc

	// Guarded by c.mu.
	stopped bool // by the client (or replaced, or the connection ended): nothing more is sent

	finished atomic.Bool

	mu        sync.Mutex
	params    *graphql.RawParams
	responses graphql.ResponseHandler
	rctx      context.Context
	outlet    *realtime.Outlet
	kicked    bool
	key       string
}

// run prepares the operation and, for a query or mutation, answers it; a
// subscription then waits, goroutine-free, for its outlet to wake it.
func (op *wsOp) run(params *graphql.RawParams) {
	c := op.c
	ctx := graphql.StartOperationTrace(op.ctx)
	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		op.send("error", errorsPayload(resp.Errors))
		op.done()
		return
	}
	ctx = graphql.WithOperationContext(ctx, rc)
	outlet := realtime.NewOutlet(op.kick)
	ctx = realtime.WithOutlet(ctx, outlet)
	responses, ctx := c.exec.DispatchOperation(ctx, rc)
	if rc.Operation.Operation != ast.Subscription || !outlet.Attached() {
		// A query or mutation, or a subscription that failed to start: its
		// response(s), then complete.
		for {
			resp := responses(ctx)
			if resp == nil {
				break
			}
			op.next(resp)
		}
		op.finish(nil)
		return
	}
	op.mu.Lock()
	op.responses, op.rctx, op.outlet, op.params = responses, ctx, outlet, params
	kicked := op.kicked
	op.mu.Unlock()
	if kicked {
		go op.pump()
	}
}

// kick is the outlet's wake: items are pending and no pump runs.
func (op *wsOp) kick() {
	op.mu.Lock()
	ready := op.responses != nil
	op.kicked = !ready
	op.mu.Unlock()
	if ready {
		go op.pump()
	}
}

// pump writes what the stream has pending, then ends.
func (op *wsOp) pump() {
	for {
		b, seq, ok := op.outlet.Next()
		if !ok {
			return
		}
		payload, ended := op.take(b, seq)
		op.outlet.Taken()
		if op.rctx.Err() != nil {
			// The operation is ending (stopped, its connection closing, the
			// server shutting down) while the item was executed: whoever
			// ended it finishes it; what was executed may carry the
			// cancellation as an error, and is not sent.
			return
		}
		if ended {
			op.finish(op.outlet.Err())
			return
		}
		typ := "next"
		if op.c.legacy {
			typ = "data"
		}
		if !op.send(typ, payload) {
			return
		}
	}
}

// take executes the next pending item and returns its response; ended
// when the stream has ended instead. An item of a shared read is executed
// once for all the subscriptions of this process with the same viewer,
// operation and variables (a room's members with many tabs open): the
// others take the item out of their channel and write the same bytes.
func (op *wsOp) take(b *realtime.Batch, seq int64) (payload []byte, ended bool) {
	ctx := op.rctx
	if b != nil {
		ctx = op.c.t.withBatch(ctx, b)
	}
	if b != nil && seq != 0 && op.outlet.CanDiscard() && op.rctx.Err() == nil {
		key := op.shareKey() + strconv.FormatInt(seq, 10)
		shared, made := b.Response(key, func() []byte {
			resp := op.responses(ctx)
			if resp == nil || ctx.Err() != nil {
				// Ended, or cut short by this subscription's own end: the
				// others execute the item themselves rather than send an
				// execution that may carry this one's cancellation.
				return nil
			}
			return marshalResponse(resp)
		})
		switch {
		case made && shared == nil:
			return nil, true
		case made:
			return shared, false
		case shared != nil && op.outlet.Discard():
			return shared, false
		}
	}
	resp := op.responses(ctx)
	if resp == nil {
		return nil, true
	}
	return marshalResponse(resp), false
}

// shareKey is what shapes this subscription's responses besides the item:
// the viewer, the operation and its variables.
func (op *wsOp) shareKey() string {
	op.mu.Lock()
	defer op.mu.Unlock()
	if op.key == "" {
		v, _ := auth.ViewerID(op.ctx)
		vars, _ := json.Marshal(op.params.Variables)
		op.key = strconv.FormatInt(v, 10) + "\x00" + op.params.OperationName + "\x00" + op.params.Query + "\x00" + string(vars) + "\x00"
	}
	return op.key
}

func marshalResponse(resp *graphql.Response) []byte {
	if b, ok := dataResponse(resp); ok {
		return b
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	return b
}

// next sends one result.
func (op *wsOp) next(resp *graphql.Response) bool {
	b := marshalResponse(resp)
	typ := "next"
	if op.c.legacy {
		typ = "data"
	}
	return op.send(typ, b)
}

// send writes a message of this operation unless it has finished or the
// client stopped it.
func (op *wsOp) send(typ string, payload json.RawMessage) bool {
	c := op.c
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	stopped := op.stopped
	c.mu.Unlock()
	if stopped || op.finished.Load() {
		return false
	}
	return c.writeLocked(op.id, typ, payload)
}

// finish ends the operation once: with err, a result carrying that error
// (presented like any other), then complete.
func (op *wsOp) finish(err error) {
	c := op.c
	var payload json.RawMessage
	if err != nil {
		op.mu.Lock()
		ctx := op.rctx
		op.mu.Unlock()
		if ctx == nil {
			ctx = op.ctx
		}
		resp := c.exec.DispatchError(ctx, gqlerror.List{{Err: err, Message: err.Error()}})
		payload, _ = json.Marshal(resp)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if !op.finished.CompareAndSwap(false, true) {
		return
	}
	c.mu.Lock()
	stopped := op.stopped
	c.ops.remove(op)
	c.mu.Unlock()
	op.cancel()
	if stopped {
		return
	}
	if payload != nil {
		typ := "next"
		if c.legacy {
			typ = "data"
		}
		if !c.writeLocked(op.id, typ, payload) {
			return
		}
	}
	c.writeLocked(op.id, "complete", nil)
}

// done forgets an operation that ended with an error message (no complete:
// graphql-transport-ws's error ends the operation).
func (op *wsOp) done() {
	op.finished.Store(true)
	c := op.c
	c.mu.Lock()
	c.ops.remove(op)
	c.mu.Unlock()
	op.cancel()
}

func errorsPayload(errs gqlerror.List) json.RawMessage {
	b, err := json.Marshal(errs)
	if err != nil {
		return json.RawMessage(`[{"message":"internal error","extensions":{"code":"INTERNAL"}}]`)
	}
	return b
}

// websocketAuth authenticates a websocket from its connection_init payload
// ({"Authorization": "Bearer <token>"}, or {"authToken": "<token>"}).
// Errors: UNAUTHENTICATED, with the reason.
func websocketAuth(tokens *auth.Tokens, check auth.Checker, ping func(context.Context) error, maxSubs int) func(ctx context.Context, payload map[string]any) (context.Context, error) {
	return func(ctx context.Context, payload map[string]any) (context.Context, error) {
		header := ""
		for k, v := range payload {
			if s, ok := v.(string); ok && strings.EqualFold(k, "Authorization") {
				header = s
			}
		}
		if header == "" {
			if s, ok := payload["authToken"].(string); ok && s != "" {
				header = s
				if !strings.Contains(header, " ") {
					header = "Bearer " + header
				}
			}
		}
		ctx = tokens.Authenticate(ctx, header, check)
		if _, err := auth.ViewerID(ctx); err != nil {
			if header == "" {
				return nil, market.Errorf(market.CodeUnauthenticated, `send {"Authorization": "Bearer <token>"} in connection_init`)
			}
			return nil, err
		}
		ctx = graph.WithSubscriptionCheck(ctx, ping)
		if maxSubs == 0 {
			return ctx, nil
		}
		return graph.WithSubscriptionLimit(ctx, maxSubs), nil
	}
}
