package server_test

import (
	"context"
	"encoding/base64"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/server"
	"github.com/hiregraph/hiregraph/internal/wstest"
)

// The websocket protocol, graphql-transport-ws to the letter (issue 11,
// acceptance 7): each deviation closes with its code. The tests assert codes
// and messages, never times.

// seqAfter is the resume cursor of a stream position.
func seqAfter(seq int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("seq:" + strconv.Itoa(seq)))
}

func (a *app) wsURL() string { return "ws" + strings.TrimPrefix(a.URL, "http") + "/query" }

// TestWebsocketDuplicateID: a second subscribe with an id in use closes the
// connection with 4409 (graphql-transport-ws); in graphql-ws the second
// start replaces the first, so events never arrive twice.
func TestWebsocketDuplicateID(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	vars := map[string]any{"after": seqAfter(3)} // after the demo data's three

	ws := a.dial(wstest.TransportWS, fr).Ack()
	ws.Subscribe("bell", subNotifications, vars)
	ws.Subscribe("bell", subNotifications, vars)
	if code, reason := ws.ExpectClose(10 * time.Second); code != 4409 || reason != "Subscriber for bell already exists" {
		t.Errorf("graphql-transport-ws, a second subscribe with id bell: closed with %d %q", code, reason)
	}

	legacy := a.dial(wstest.LegacyWS, fr).Ack()
	legacy.Subscribe("bell", subNotifications, vars)
	legacy.Subscribe("bell", subNotifications, vars)
	uid := frIDNum(t, a)
	if err := postgres.New(a.DB).Transact(context.Background(), func(c *postgres.Conn) error {
		_, err := c.AddNotification(context.Background(), market.NewNotification{UserID: uid, Kind: market.NotifyInvitationWithdrawn,
			SubjectType: market.SubjectInvitation, SubjectID: 1, Title: "once"}, a.Hiring.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e := legacy.Result(10 * time.Second)
	if e.ID != "bell" || path(e.Data, "notificationReceived", "notification", "seq") != float64(4) {
		t.Errorf("graphql-ws: %+v", e)
	}
	legacy.Quiet(300 * time.Millisecond) // not twice
}

// TestWebsocketInitTimeout: no connection_init in time closes with 4408,
// in both subprotocols.
func TestWebsocketInitTimeout(t *testing.T) {
	a := newApp(t, func(o *server.Options) { o.InitTimeout = 100 * time.Millisecond })
	for _, proto := range wstest.Protocols {
		c := wstest.DialNoInit(t, proto, a.wsURL(), proto)
		if code, reason := c.ExpectClose(10 * time.Second); code != 4408 || reason != "Connection initialisation timeout" {
			t.Errorf("%s: closed with %d %q, want 4408", proto, code, reason)
		}
	}
}

// TestWebsocketBadMessage: a message that is not JSON, of an unknown type,
// or without what its type needs closes with 4400.
func TestWebsocketBadMessage(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	for name, msg := range map[string]string{
		"not JSON":            `{"type": "subscribe"`,
		"not an object":       `[1, 2]`,
		"no type":             `{"id": "1"}`,
		"unknown type":        `{"type": "launch"}`,
		"id not a string":     `{"id": 1, "type": "subscribe", "payload": {"query": "{ viewer { id } }"}}`,
		"subscribe, no id":    `{"type": "subscribe", "payload": {"query": "{ viewer { id } }"}}`,
		"subscribe, no query": `{"id": "1", "type": "subscribe"}`,
		"bad payload":         `{"id": "1", "type": "subscribe", "payload": {"query": 5}}`,
		"complete, no id":     `{"type": "complete"}`,
		"legacy type":         `{"id": "1", "type": "start", "payload": {"query": "{ viewer { id } }"}}`,
	} {
		c := a.dial(wstest.TransportWS, fr).Ack()
		c.SendRaw(msg)
		if code, _ := c.ExpectClose(10 * time.Second); code != 4400 {
			t.Errorf("%s: closed with %d, want 4400", name, code)
		}
	}
	c := wstest.DialNoInit(t, "before init", a.wsURL(), wstest.TransportWS)
	c.SendRaw(`garbage`)
	if code, _ := c.ExpectClose(10 * time.Second); code != 4400 {
		t.Errorf("garbage before init: closed with %d, want 4400", code)
	}
	legacy := a.dial(wstest.LegacyWS, fr).Ack()
	legacy.SendRaw(`{"type": "subscribe", "id": "1", "payload": {"query": "{ viewer { id } }"}}`)
	if code, _ := legacy.ExpectClose(10 * time.Second); code != 4400 {
		t.Errorf("graphql-ws, an unknown type: closed with %d, want 4400", code)
	}
}

// TestWebsocketSecondInit: a second connection_init closes with 4429; a
// subscribe before the ack with 4401.
func TestWebsocketSecondInit(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	for _, proto := range wstest.Protocols {
		c := a.dial(proto, fr).Ack()
		c.Send(wstest.Msg{Type: "connection_init", Payload: []byte(`{"Authorization": "Bearer ` + fr + `"}`)})
		if code, reason := c.ExpectClose(10 * time.Second); code != 4429 || reason != "Too many initialisation requests" {
			t.Errorf("%s: closed with %d %q, want 4429", proto, code, reason)
		}
	}
	c := wstest.DialNoInit(t, "subscribe first", a.wsURL(), wstest.TransportWS)
	c.Subscribe("1", `{ viewer { id } }`, nil)
	if code, _ := c.ExpectClose(10 * time.Second); code != 4401 {
		t.Errorf("subscribe before connection_init: closed with %d, want 4401", code)
	}
}

// TestWebsocketQueryAndMutation: graphql-transport-ws runs queries and
// mutations too: next, then complete.
func TestWebsocketQueryAndMutation(t *testing.T) {
	a := newApp(t)
	fr := a.login(hiring.DemoFreelancer)
	c := a.dial(wstest.TransportWS, fr).Ack()
	c.Subscribe("q", `{ viewer { name } }`, nil)
	if m := c.Next(10 * time.Second); m.Type != "next" || m.ID != "q" || !strings.Contains(string(m.Payload), `"viewer"`) {
		t.Fatalf("query: %+v", m)
	}
	if m := c.Next(10 * time.Second); m.Type != "complete" || m.ID != "q" {
		t.Fatalf("query: want complete, got %+v", m)
	}
	c.Subscribe("bad", `{ nope }`, nil)
	if m := c.Next(10 * time.Second); m.Type != "error" || m.ID != "bad" || !strings.Contains(string(m.Payload), "VALIDATION_FAILED") {
		t.Fatalf("an invalid query: want error, got %+v", m)
	}
	c.Send(wstest.Msg{Type: "ping", Payload: []byte(`{"n":1}`)})
	c.Subscribe("q2", `{ viewer { name } }`, nil)
	if m := c.Next(10 * time.Second); m.Type != "next" || m.ID != "q2" {
		t.Fatalf("after a ping (answered with pong, which the client swallows): %+v", m)
	}
}

// TestWebsocketTokenExpiry: a subscription whose token expires ends with an
// UNAUTHENTICATED error, then complete, and later operations are refused.
func TestWebsocketTokenExpiry(t *testing.T) {
	a := newApp(t)
	uid := frIDNum(t, a)
	// The app's secret, a short lifetime (whole seconds: JWT expiry).
	short, err := auth.NewTokens("test-secret-0123456789", 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for _, proto := range wstest.Protocols {
		tok, _, err := short.Issue(uid, 0) // a user who never changed their password
		if err != nil {
			t.Fatal(err)
		}
		c := a.dial(proto, tok).Ack()
		c.Subscribe("bell", subNotifications, map[string]any{"after": seqAfter(3)})
		m := c.Next(30 * time.Second)
		if m.ID != "bell" || (m.Type != "next" && m.Type != "data") || !strings.Contains(string(m.Payload), `"code":"UNAUTHENTICATED"`) ||
			!strings.Contains(string(m.Payload), "expired") {
			t.Fatalf("%s: at expiry, want an UNAUTHENTICATED result, got %s %s", proto, m.Type, m.Payload)
		}
		if m := c.Next(10 * time.Second); m.ID != "bell" || m.Type != "complete" {
			t.Fatalf("%s: then complete, got %+v", proto, m)
		}
		c.Subscribe("again", subNotifications, nil)
		if e := c.Event(10 * time.Second); e.ID != "again" || len(e.Errors) == 0 || e.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
			t.Fatalf("%s: a subscription after expiry: %+v", proto, e)
		}
	}
}

// TestWebsocketStalledReaderDropped: a client that keeps talking (it sends
// pongs) but never reads is dropped once a write cannot finish within
// WriteTimeout: its subscription's backlog fills the TCP window.
func TestWebsocketStalledReaderDropped(t *testing.T) {
	a := newApp(t, func(o *server.Options) {
		o.WriteTimeout = 300 * time.Millisecond
		o.KeepAlive = time.Hour // no keep-alive deadline: only the write timeout can drop it
	})
	client := a.login(hiring.DemoClient)
	fr := a.login(hiring.DemoFreelancer)
	room := a.openRoom(client, fr)
	roomID := a.count(`SELECT room_id FROM messages ORDER BY id DESC LIMIT 1`)
	// 4,000 messages of 2,000 characters: more than any socket buffers.
	if _, err := a.DB.Exec(`INSERT INTO messages (room_id, seq, sender_id, body, created_at)
		SELECT $1, 1 + g, (SELECT sender_id FROM messages WHERE room_id = $1 LIMIT 1), repeat('x', 2000), now()
		FROM generate_series(1, 4000) g`, roomID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.Exec(`UPDATE rooms SET last_seq = 4001 WHERE id = $1`, roomID); err != nil {
		t.Fatal(err)
	}
	before := a.metrics()["hiregraph_websocket_write_failures_total"]
	// Subscribe from the room's first message, so that the backlog is sent
	// (without `after` a subscription starts live).
	var first struct {
		Room struct {
			Messages struct{ Edges []struct{ Cursor string } }
		}
	}
	a.ok(fr, `query($r: ID!) { room(id: $r) { messages(first: 1) { edges { cursor } } } }`, map[string]any{"r": room}, &first)
	if len(first.Room.Messages.Edges) != 1 {
		t.Fatalf("the room's first message: %+v", first)
	}
	after := first.Room.Messages.Edges[0].Cursor

	d := websocket.Dialer{Subprotocols: []string{wstest.TransportWS}, NetDial: func(network, addr string) (net.Conn, error) {
		conn, err := net.Dial(network, addr)
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetReadBuffer(4096) // a small window, that nobody empties
		}
		return conn, err
	}}
	conn, _, err := d.Dial(a.wsURL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	write := func(s string) error {
		_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		return conn.WriteMessage(websocket.TextMessage, []byte(s))
	}
	if err := write(`{"type":"connection_init","payload":{"Authorization":"Bearer ` + fr + `"}}`); err != nil {
		t.Fatal(err)
	}
	if err := write(`{"id":"m","type":"subscribe","payload":{"query":"subscription($r: ID!, $a: String) { messageAdded(roomId: $r, after: $a) { node { seq body } } }","variables":{"r":"` + room + `","a":"` + after + `"}}}`); err != nil {
		t.Fatal(err)
	}
	// Never read; say pong now and then, until the server has dropped us
	// (once it has the subscription going).
	deadline := time.Now().Add(60 * time.Second)
	for a.Broker.Subscribers() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the subscription never started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for a.Server.OpenWebsockets() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the server still holds the stalled connection")
		}
		_ = write(`{"type":"pong"}`)
		time.Sleep(50 * time.Millisecond)
	}
	if after := a.metrics()["hiregraph_websocket_write_failures_total"]; after <= before {
		t.Errorf("the connection was not dropped for a failed write: write failures %v → %v", before, after)
	}
}
