package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// gorillaWebsocket plugs gorilla/websocket into gqlgen's websocket transport.
// It keeps the open connections so that a shutdown can close them properly.
type gorillaWebsocket struct {
	upgrader websocket.Upgrader
	mu       sync.Mutex
	conns    map[*gorillaConn]struct{}
	closing  bool
}

var _ transport.WebsocketImplementation = (*gorillaWebsocket)(nil)

// newGorillaWebsocket accepts websocket upgrades whose Origin passes checkOrigin.
func newGorillaWebsocket(checkOrigin func(*http.Request) bool) *gorillaWebsocket {
	return &gorillaWebsocket{upgrader: websocket.Upgrader{
		ReadBufferSize:    4096,
		WriteBufferSize:   4096,
		CheckOrigin:       checkOrigin,
		EnableCompression: false,
	}, conns: map[*gorillaConn]struct{}{}}
}

// open counts the open websocket connections.
func (g *gorillaWebsocket) open() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.conns)
}

// closeAll sends every open connection a close frame (1001 going away, with
// reason) and closes it; later upgrades are refused.
func (g *gorillaWebsocket) closeAll(reason string) {
	g.mu.Lock()
	g.closing = true
	conns := make([]*gorillaConn, 0, len(g.conns))
	for c := range g.conns {
		conns = append(conns, c)
	}
	g.mu.Unlock()
	for _, c := range conns {
		_ = c.WriteClose(websocket.CloseGoingAway, reason)
		_ = c.Close()
	}
}

func (g *gorillaWebsocket) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	g.mu.Lock()
	closing := g.closing
	g.mu.Unlock()
	if closing {
		http.Error(w, "the server is shutting down", http.StatusServiceUnavailable)
		return nil, errors.New("shutting down")
	}
	u := g.upgrader
	u.Subprotocols = o.Subprotocols
	conn, err := u.Upgrade(w, r, o.ResponseHeader)
	if err != nil {
		return nil, err
	}
	c := &gorillaConn{conn: conn, owner: g}
	g.mu.Lock()
	g.conns[c] = struct{}{}
	g.mu.Unlock()
	return c, nil
}

// gorillaConn adapts a gorilla connection. gorilla allows one concurrent
// writer: gqlgen writes from several goroutines, so writes are serialized.
type gorillaConn struct {
	conn  *websocket.Conn
	wmu   sync.Mutex
	owner *gorillaWebsocket
}

var (
	_ transport.WebsocketConn          = (*gorillaConn)(nil)
	_ transport.WebsocketReadLimiter   = (*gorillaConn)(nil)
	_ transport.WebsocketReadDeadliner = (*gorillaConn)(nil)
)

const writeTimeout = 10 * time.Second

func (c *gorillaConn) NextReader() (int, io.Reader, error) {
	t, r, err := c.conn.NextReader()
	if err != nil {
		var ce *websocket.CloseError
		if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway || ce.Code == websocket.CloseNoStatusReceived) {
			return t, nil, transport.ErrWebsocketClosed
		}
		return t, nil, err
	}
	return t, r, nil
}

func (c *gorillaConn) WriteJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.conn.WriteMessage(websocket.TextMessage, b)
}

func (c *gorillaConn) WriteClose(code int, message string) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, message), time.Now().Add(time.Second))
}

// Close closes the connection and forgets it: gqlgen calls Close when a
// connection ends for any reason.
func (c *gorillaConn) Close() error {
	c.owner.mu.Lock()
	delete(c.owner.conns, c)
	c.owner.mu.Unlock()
	return c.conn.Close()
}

func (c *gorillaConn) Subprotocol() string               { return c.conn.Subprotocol() }
func (c *gorillaConn) SetReadLimit(limit int64)          { c.conn.SetReadLimit(limit) }
func (c *gorillaConn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }
