// Package wstest is a small GraphQL-over-websocket client for tests. It
// speaks both subprotocols (graphql-transport-ws and the legacy graphql-ws),
// answers the server's pings, and queues what the server sends, so tests
// can wait for results, errors and close frames.
package wstest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The two websocket subprotocols a GraphQL client may speak.
const (
	TransportWS = "graphql-transport-ws"
	LegacyWS    = "graphql-ws"
)

// Protocols lists both subprotocols.
var Protocols = []string{TransportWS, LegacyWS}

// Msg is a message of either protocol.
type Msg struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Event is one result of an operation: data, or errors.
type Event struct {
	ID     string
	Data   map[string]any
	Errors []Error
}

// Client is one websocket connection.
type Client struct {
	t      testing.TB
	name   string
	proto  string
	conn   *websocket.Conn
	wmu    sync.Mutex
	msgs   chan Msg
	closed chan struct{}
	// CloseCode and CloseText are the server's close frame (0 and "" if the
	// connection ended without one), and ReadErr what ended the reading;
	// set before the connection counts as closed.
	CloseCode int
	CloseText string
	ReadErr   error
}

// Dial opens a websocket to url with the subprotocol and sends
// connection_init with the token (none when empty). It does not wait for
// the ack: use Ack or ExpectClose. name labels the client in failures.
func Dial(t testing.TB, name, url, proto, token string) *Client {
	t.Helper()
	c := DialNoInit(t, name, url, proto)
	payload := map[string]any{}
	if token != "" {
		payload["Authorization"] = "Bearer " + token
	}
	c.Send(Msg{Type: "connection_init", Payload: mustJSON(payload)})
	return c
}

// DialNoInit opens a websocket to url with the subprotocol and sends
// nothing.
func DialNoInit(t testing.TB, name, url, proto string) *Client {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{proto}, HandshakeTimeout: 30 * time.Second}
	conn, res, err := d.Dial(url, nil)
	if err != nil {
		t.Fatalf("%s: dial %s (%s): %v %v", name, url, proto, err, res)
	}
	if conn.Subprotocol() != proto {
		t.Fatalf("%s: negotiated %q, want %q", name, conn.Subprotocol(), proto)
	}
	c := &Client{t: t, name: name, proto: proto, conn: conn, msgs: make(chan Msg, 10000), closed: make(chan struct{})}
	go c.read()
	t.Cleanup(func() { _ = c.conn.Close() })
	return c
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Name is the label given at Dial.
func (c *Client) Name() string { return c.name }

// Proto is the negotiated subprotocol.
func (c *Client) Proto() string { return c.proto }

// Send writes a message.
func (c *Client) Send(m Msg) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.WriteJSON(m)
}

// SendRaw writes a text message as it is (malformed ones included).
func (c *Client) SendRaw(text string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.WriteMessage(websocket.TextMessage, []byte(text))
}

func (c *Client) read() {
	defer close(c.closed)
	for {
		var m Msg
		if err := c.conn.ReadJSON(&m); err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				c.CloseCode, c.CloseText = ce.Code, ce.Text
			}
			c.ReadErr = err
			close(c.msgs)
			return
		}
		switch m.Type {
		case "ping":
			c.Send(Msg{Type: "pong"})
		case "ka", "pong":
		default:
			c.msgs <- m
		}
	}
}

// Next returns the next message, failing after timeout.
func (c *Client) Next(timeout time.Duration) Msg {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			<-c.closed
			c.t.Fatalf("%s: connection closed (%d %q, %v) while waiting for a message", c.name, c.CloseCode, c.CloseText, c.ReadErr)
		}
		return m
	case <-time.After(timeout):
		c.t.Fatalf("%s: no message within %s", c.name, timeout)
		return Msg{}
	}
}

// Ack waits for connection_ack.
func (c *Client) Ack() *Client {
	c.t.Helper()
	if m := c.Next(30 * time.Second); m.Type != "connection_ack" {
		c.t.Fatalf("%s: want connection_ack, got %+v", c.name, m)
	}
	return c
}

// Subscribe starts an operation with the protocol's message.
func (c *Client) Subscribe(id, query string, vars map[string]any) {
	typ := "subscribe"
	if c.proto == LegacyWS {
		typ = "start"
	}
	c.Send(Msg{ID: id, Type: typ, Payload: mustJSON(map[string]any{"query": query, "variables": vars})})
}

// Stop ends an operation.
func (c *Client) Stop(id string) {
	typ := "complete"
	if c.proto == LegacyWS {
		typ = "stop"
	}
	c.Send(Msg{ID: id, Type: typ})
}

// decode turns a result message into an event; ok is false for other messages.
func (c *Client) decode(m Msg) (e Event, ok bool) {
	c.t.Helper()
	switch m.Type {
	case "next", "data":
		var p struct {
			Data   map[string]any `json:"data"`
			Errors []Error        `json:"errors"`
		}
		if err := json.Unmarshal(m.Payload, &p); err != nil {
			c.t.Fatalf("%s: bad payload %s", c.name, m.Payload)
		}
		return Event{ID: m.ID, Data: p.Data, Errors: p.Errors}, true
	case "error":
		var errs []Error
		if err := json.Unmarshal(m.Payload, &errs); err != nil {
			var one Error
			_ = json.Unmarshal(m.Payload, &one)
			errs = []Error{one}
		}
		return Event{ID: m.ID, Errors: errs}, true
	}
	return Event{}, false
}

// Event waits for the next result (data or errors) of any operation.
func (c *Client) Event(timeout time.Duration) Event {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		m := c.Next(time.Until(deadline))
		if m.Type == "complete" {
			continue
		}
		e, ok := c.decode(m)
		if !ok {
			c.t.Fatalf("%s: unexpected message %+v", c.name, m)
		}
		return e
	}
}

// Result is Event for an operation that must succeed: an error result fails the test.
func (c *Client) Result(timeout time.Duration) Event {
	c.t.Helper()
	e := c.Event(timeout)
	if len(e.Errors) > 0 {
		c.t.Fatalf("%s: operation %s failed: %+v", c.name, e.ID, e.Errors)
	}
	return e
}

// Quiet checks that no result arrives for d (an operation's "complete" is
// not a result).
func (c *Client) Quiet(d time.Duration) {
	c.t.Helper()
	deadline := time.After(d)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return
			}
			if m.Type != "complete" {
				c.t.Errorf("%s: want nothing, got %s %s", c.name, m.Type, m.Payload)
			}
		case <-deadline:
			return
		}
	}
}

// UntilClosed collects the results that arrive until the server closes the
// connection, and returns them with the close frame's code and reason.
func (c *Client) UntilClosed(timeout time.Duration) (events []Event, code int, reason string) {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				<-c.closed
				return events, c.CloseCode, c.CloseText
			}
			if e, ok := c.decode(m); ok {
				events = append(events, e)
			}
		case <-deadline:
			c.t.Fatalf("%s: the server did not close the connection within %s", c.name, timeout)
		}
	}
}

// ExpectClose waits for the server to close the connection and returns its close frame.
func (c *Client) ExpectClose(timeout time.Duration) (int, string) {
	c.t.Helper()
	_, code, reason := c.UntilClosed(timeout)
	return code, reason
}

// CloseNormally sends a close frame (1000) and waits for the server's.
func (c *Client) CloseNormally(timeout time.Duration) {
	c.t.Helper()
	c.wmu.Lock()
	err := c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(timeout))
	c.wmu.Unlock()
	if err != nil {
		c.t.Fatalf("%s: send close: %v", c.name, err)
	}
	c.UntilClosed(timeout)
}

// Path digs a value out of decoded JSON: Path(data, "a", "b").
func Path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// Str formats a decoded JSON value.
func Str(v any) string { return fmt.Sprint(v) }
