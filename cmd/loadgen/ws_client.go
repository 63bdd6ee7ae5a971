package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring"
)

// The websocket side of the load generator: a small graphql-transport-ws
// client, and the bulk setup of many users (the pool freelancers that
// `server seed -freelancers N` creates) with tokens signed here with the
// server's TOKEN_SECRET, so that ten thousand clients need no logins.

// wsClient is one graphql-transport-ws connection.
type wsClient struct {
	conn   *websocket.Conn
	wmu    sync.Mutex
	closed chan struct{}
	err    error
}

// wsURL is the server's websocket endpoint.
func (e *Env) wsURL() string {
	u := strings.TrimRight(e.Addr, "/") + "/query"
	return "ws" + strings.TrimPrefix(u, "http")
}

var wsDialer = websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, ReadBufferSize: 2048, WriteBufferSize: 1024, HandshakeTimeout: 30 * time.Second}

// dialWS connects, initialises with the token and waits for the ack. onNext
// gets every result (id, payload) from the client's reading goroutine.
func dialWS(ctx context.Context, url, token string, onNext func(id string, payload json.RawMessage)) (*wsClient, error) {
	conn, _, err := wsDialer.DialContext(ctx, url, nil)
	if err != nil {
		return nil, err
	}
	c := &wsClient{conn: conn, closed: make(chan struct{})}
	if err := c.send(map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + token}}); err != nil {
		conn.Close()
		return nil, err
	}
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	var ack struct{ Type string }
	if err := conn.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		conn.Close()
		return nil, fmt.Errorf("no connection_ack (%q): %v", ack.Type, err)
	}
	_ = conn.SetReadDeadline(time.Time{})
	go c.read(onNext)
	return c, nil
}

func (c *wsClient) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.conn.WriteJSON(v)
}

func (c *wsClient) subscribe(id, query string, vars map[string]any) error {
	return c.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
}

func (c *wsClient) read(onNext func(id string, payload json.RawMessage)) {
	defer close(c.closed)
	for {
		var m struct {
			ID      string          `json:"id"`
			Type    string          `json:"type"`
			Payload json.RawMessage `json:"payload"`
		}
		if err := c.conn.ReadJSON(&m); err != nil {
			c.err = err
			return
		}
		switch m.Type {
		case "ping":
			_ = c.send(map[string]string{"type": "pong"})
		case "next":
			onNext(m.ID, m.Payload)
		case "error":
			onNext(m.ID, json.RawMessage(`{"errors":`+string(m.Payload)+`}`))
		}
	}
}

func (c *wsClient) close() {
	c.wmu.Lock()
	_ = c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "done"), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.conn.Close()
}

// shard parses -shard "i/n" and returns this process's share [from, to) of
// total items.
func (e *Env) shard(total int) (from, to int, err error) {
	i, n, ok := strings.Cut(e.Shard, "/")
	si, err1 := strconv.Atoi(i)
	sn, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || sn < 1 || si < 0 || si >= sn {
		return 0, 0, fmt.Errorf("-shard %q: want i/n with 0 <= i < n", e.Shard)
	}
	return total * si / sn, total * (si + 1) / sn, nil
}

// realtimeDeps opens the server's database for the realtime scenarios.
func (e *Env) realtimeDeps(ctx context.Context) (*hiring.Service, *auth.Tokens, func(), error) {
	if e.DatabaseURL == "" || e.TokenSecret == "" {
		return nil, nil, nil, errors.New("this scenario needs the server's database and token secret: -db (DATABASE_URL) and -token-secret (TOKEN_SECRET)")
	}
	tokens, err := auth.NewTokens(e.TokenSecret, 24*time.Hour)
	if err != nil {
		return nil, nil, nil, err
	}
	svc, closeDB, err := hiring.Connect(ctx, e.DatabaseURL, e.Writers)
	if err != nil {
		return nil, nil, nil, err
	}
	switch e.Events {
	case "postgres", "":
	case "nats":
		svc.Store().UseOutbox() // the relay of the servers publishes what this writes
	default:
		closeDB()
		return nil, nil, nil, fmt.Errorf("-events %q: postgres or nats", e.Events)
	}
	return svc, tokens, closeDB, nil
}

// poolUsers returns the ids and tokens of pool freelancers number from+1 to
// to (as `server seed -freelancers N` made them).
func poolUsers(ctx context.Context, svc *hiring.Service, tokens *auth.Tokens, from, to int) ([]int64, []string, error) {
	ids := make([]int64, to-from)
	toks := make([]string, to-from)
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) {
					return
				}
				u, err := svc.UserByEmail(ctx, hiring.PoolEmail(from+i+1))
				if err != nil {
					firstErr.CompareAndSwap(nil, fmt.Errorf("pool freelancer %d (%s): %w (create them with: server seed -freelancers N)", from+i+1, hiring.PoolEmail(from+i+1), err))
					return
				}
				tok, _, err := tokens.Issue(u.ID, u.TokenGeneration)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				ids[i], toks[i] = u.ID, tok
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return nil, nil, err
	}
	return ids, toks, nil
}

// connectAll opens n connections (env.Concurrency at a time), each with
// open(i) (which dials and subscribes); it returns them and the time taken.
func connectAll(ctx context.Context, env *Env, n int, open func(ctx context.Context, i int) (*wsClient, error)) ([]*wsClient, time.Duration, error) {
	start := time.Now()
	clients := make([]*wsClient, n)
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range max(env.Concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && firstErr.Load() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				c, err := open(ctx, i)
				if err != nil {
					firstErr.CompareAndSwap(nil, fmt.Errorf("client %d: %w", i, err))
					return
				}
				clients[i] = c
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		for _, c := range clients {
			if c != nil {
				c.close()
			}
		}
		return nil, 0, err
	}
	return clients, time.Since(start), ctx.Err()
}

// waitSubscriptions waits until the server counts at least want active
// subscriptions (hiregraph_subscriptions_active).
func (e *Env) waitSubscriptions(ctx context.Context, want float64) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		s, err := e.Scrape(ctx)
		if err == nil && s["hiregraph_subscriptions_active"] >= want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server counts %v active subscriptions, want %v", s["hiregraph_subscriptions_active"], want)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// closedCount counts the clients whose connection has ended.
func closedCount(clients []*wsClient) (n int, first error) {
	for _, c := range clients {
		select {
		case <-c.closed:
			n++
			if first == nil {
				first = c.err
			}
		default:
		}
	}
	return n, first
}

// percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)*p/100, len(sorted)-1)]
}
