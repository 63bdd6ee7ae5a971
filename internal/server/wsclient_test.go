package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The two websocket subprotocols a GraphQL client may speak.
const (
	protoTransportWS = "graphql-transport-ws"
	protoLegacyWS    = "graphql-ws"
)

var protocols = []string{protoTransportWS, protoLegacyWS}

// wsMsg is a message of either protocol.
type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient is a minimal GraphQL websocket client for tests: it speaks
// either protocol, answers pings, and queues what the server sends.
type wsClient struct {
	t      testing.TB
	proto  string
	conn   *websocket.Conn
	wmu    sync.Mutex
	msgs   chan wsMsg
	closed chan struct{}
	// CloseCode and CloseText are the server's close frame, once closed.
	CloseCode int
	CloseText string
}

// dial opens a websocket to the app and sends connection_init with the token.
// It does not wait for the ack: use ack or expectClose.
func (a *app) dial(proto, token string) *wsClient {
	a.t.Helper()
	return dialURL(a.t, "ws"+strings.TrimPrefix(a.URL, "http")+"/query", proto, token, nil)
}

func dialURL(t testing.TB, url, proto, token string, header http.Header) *wsClient {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{proto}, HandshakeTimeout: 5 * time.Second}
	conn, res, err := d.Dial(url, header)
	if err != nil {
		t.Fatalf("dial %s (%s): %v %v", url, proto, err, res)
	}
	if conn.Subprotocol() != proto {
		t.Fatalf("negotiated %q, want %q", conn.Subprotocol(), proto)
	}
	c := &wsClient{t: t, proto: proto, conn: conn, msgs: make(chan wsMsg, 1000), closed: make(chan struct{})}
	go c.read()
	t.Cleanup(func() { _ = c.conn.Close() })
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	c.send(wsMsg{Type: "connection_init", Payload: mustJSON(payload)})
	return c
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (c *wsClient) send(m wsMsg) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.WriteJSON(m)
}

func (c *wsClient) read() {
	defer close(c.closed)
	for {
		var m wsMsg
		if err := c.conn.ReadJSON(&m); err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				c.CloseCode, c.CloseText = ce.Code, ce.Text
			}
			close(c.msgs)
			return
		}
		switch m.Type {
		case "ping":
			c.send(wsMsg{Type: "pong"})
		case "ka", "pong":
		default:
			c.msgs <- m
		}
	}
}

// next returns the next message, failing after timeout.
func (c *wsClient) next(timeout time.Duration) wsMsg {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatalf("connection closed (%d %q) while waiting for a message", c.CloseCode, c.CloseText)
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("no message within %s", timeout)
		return wsMsg{}
	}
}

// ack waits for connection_ack.
func (c *wsClient) ack() *wsClient {
	c.t.Helper()
	if m := c.next(5 * time.Second); m.Type != "connection_ack" {
		c.t.Fatalf("want connection_ack, got %+v", m)
	}
	return c
}

// expectClose waits for the server to close the connection and returns its close frame.
func (c *wsClient) expectClose(timeout time.Duration) (int, string) {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case _, ok := <-c.msgs:
			if !ok {
				<-c.closed
				return c.CloseCode, c.CloseText
			}
		case <-deadline:
			c.t.Fatalf("the server did not close the connection within %s", timeout)
		}
	}
}

// subscribe starts an operation with the protocol's message.
func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	typ := "subscribe"
	if c.proto == protoLegacyWS {
		typ = "start"
	}
	c.send(wsMsg{ID: id, Type: typ, Payload: mustJSON(map[string]any{"query": query, "variables": vars})})
}

// stop ends an operation.
func (c *wsClient) stop(id string) {
	typ := "complete"
	if c.proto == protoLegacyWS {
		typ = "stop"
	}
	c.send(wsMsg{ID: id, Type: typ})
}

// event is one result of a subscription.
type event struct {
	ID     string
	Data   map[string]any
	Errors []gqlError
}

// event waits for the next result (data or error) of any operation.
func (c *wsClient) event(timeout time.Duration) event {
	c.t.Helper()
	for {
		m := c.next(timeout)
		switch m.Type {
		case "next", "data":
			var p struct {
				Data   map[string]any `json:"data"`
				Errors []gqlError     `json:"errors"`
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil {
				c.t.Fatalf("bad payload %s", m.Payload)
			}
			return event{ID: m.ID, Data: p.Data, Errors: p.Errors}
		case "error":
			var errs []gqlError
			if err := json.Unmarshal(m.Payload, &errs); err != nil {
				var one gqlError
				_ = json.Unmarshal(m.Payload, &one)
				errs = []gqlError{one}
			}
			return event{ID: m.ID, Errors: errs}
		case "complete":
			continue
		default:
			c.t.Fatalf("unexpected message %+v", m)
		}
	}
}

// quiet checks that no result arrives for d (an operation's "complete" is
// not a result).
func (c *wsClient) quiet(d time.Duration) {
	c.t.Helper()
	deadline := time.After(d)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return
			}
			if m.Type != "complete" {
				c.t.Errorf("want nothing, got %s %s", m.Type, m.Payload)
			}
		case <-deadline:
			return
		}
	}
}

// path digs a value out of decoded JSON: path(data, "a", "b").
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func str(v any) string { return fmt.Sprint(v) }
