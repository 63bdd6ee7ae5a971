package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A minimal GraphQL websocket client for the process tests, the parts of
// internal/server's test client that these tests need.

// The two websocket subprotocols a GraphQL client may speak.
const (
	protoTransportWS = "graphql-transport-ws"
	protoLegacyWS    = "graphql-ws"
)

// wsMsg is a message of either protocol.
type wsMsg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient speaks either protocol, answers pings, and queues what the
// server sends.
type wsClient struct {
	t      testing.TB
	name   string
	proto  string
	conn   *websocket.Conn
	wmu    sync.Mutex
	msgs   chan wsMsg
	closed chan struct{}
	// closeCode and closeText are the server's close frame (0 and "" if the
	// connection ended without one); set before closed is closed.
	closeCode int
	closeText string
	readErr   error
}

// dial opens a websocket to the server on port and sends connection_init
// with the token. name labels the client in failures.
func dial(t testing.TB, name string, port int, proto, token string) *wsClient {
	t.Helper()
	url := fmt.Sprintf("ws://127.0.0.1:%d/query", port)
	d := websocket.Dialer{Subprotocols: []string{proto}, HandshakeTimeout: 30 * time.Second}
	conn, res, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("%s: dial %s (%s): %v %v", name, url, proto, err, res)
	}
	if conn.Subprotocol() != proto {
		t.Fatalf("%s: negotiated %q, want %q", name, conn.Subprotocol(), proto)
	}
	c := &wsClient{t: t, name: name, proto: proto, conn: conn, msgs: make(chan wsMsg, 10000), closed: make(chan struct{})}
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
				c.closeCode, c.closeText = ce.Code, ce.Text
			}
			c.readErr = err
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
			<-c.closed
			c.t.Fatalf("%s: connection closed (%d %q, %v) while waiting for a message", c.name, c.closeCode, c.closeText, c.readErr)
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("%s: no message within %s", c.name, timeout)
		return wsMsg{}
	}
}

// ack waits for connection_ack.
func (c *wsClient) ack() *wsClient {
	c.t.Helper()
	if m := c.next(30 * time.Second); m.Type != "connection_ack" {
		c.t.Fatalf("%s: want connection_ack, got %+v", c.name, m)
	}
	return c
}

// subscribe starts an operation with the protocol's message.
func (c *wsClient) subscribe(id, query string, vars map[string]any) {
	typ := "subscribe"
	if c.proto == protoLegacyWS {
		typ = "start"
	}
	c.send(wsMsg{ID: id, Type: typ, Payload: mustJSON(map[string]any{"query": query, "variables": vars})})
}

// closeNormally sends a close frame (1000) and waits for the server's.
func (c *wsClient) closeNormally(timeout time.Duration) {
	c.t.Helper()
	c.wmu.Lock()
	err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(timeout))
	c.wmu.Unlock()
	if err != nil {
		c.t.Fatalf("%s: send close: %v", c.name, err)
	}
	for {
		select {
		case _, ok := <-c.msgs:
			if !ok {
				<-c.closed
				return
			}
		case <-time.After(timeout):
			c.t.Fatalf("%s: the server did not answer the close within %s", c.name, timeout)
		}
	}
}

// event is one result of a subscription.
type event struct {
	ID     string
	Data   map[string]any
	Errors []gqlError
}

// decode turns a result message into an event; ok is false for other
// messages.
func (c *wsClient) decode(m wsMsg) (e event, ok bool) {
	c.t.Helper()
	switch m.Type {
	case "next", "data":
		var p struct {
			Data   map[string]any `json:"data"`
			Errors []gqlError     `json:"errors"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			c.t.Fatalf("%s: bad payload %s", c.name, m.Payload)
		}
		return event{ID: m.ID, Data: p.Data, Errors: p.Errors}, true
	case "error":
		var errs []gqlError
		if err := json.Unmarshal(m.Payload, &errs); err != nil {
			var one gqlError
			_ = json.Unmarshal(m.Payload, &one)
			errs = []gqlError{one}
		}
		return event{ID: m.ID, Errors: errs}, true
	}
	return event{}, false
}

// event waits for the next result (data or error) of any operation; it
// fails on an error result.
func (c *wsClient) event(timeout time.Duration) event {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		m := c.next(time.Until(deadline))
		if m.Type == "complete" {
			continue
		}
		e, ok := c.decode(m)
		if !ok {
			c.t.Fatalf("%s: unexpected message %+v", c.name, m)
		}
		if len(e.Errors) > 0 {
			c.t.Fatalf("%s: operation %s failed: %+v", c.name, e.ID, e.Errors)
		}
		return e
	}
}

// untilClosed collects the results that arrive until the server closes the
// connection, and returns them with the close frame's code and reason.
func (c *wsClient) untilClosed(timeout time.Duration) (events []event, code int, reason string) {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				<-c.closed
				return events, c.closeCode, c.closeText
			}
			if e, ok := c.decode(m); ok {
				events = append(events, e)
			}
		case <-deadline:
			c.t.Fatalf("%s: the server did not close the connection within %s", c.name, timeout)
		}
	}
}
