package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

// The bells: N websocket clients, each a distinct user with a
// notificationReceived subscription. The scenario measures what holding
// them costs the server (RSS and goroutines per connection, from /metrics),
// holds them for -hold, then writes -rate notifications a second to random
// subscribers for -duration, straight into the database as the server's
// own mutations do (a transaction with its NOTIFY), and measures delivery:
// latency from just before the commit to the client's receipt, lost and
// duplicated events.
const bellSubscription = `subscription Bell { notificationReceived { cursor unreadCount notification { id seq title } } }`

func init() {
	register(scenario{
		name: "bells",
		help: "N websocket bells, one user each (-clients, -shard i/n, -hold), then -rate notifications/s to random ones for -duration (needs -db, -token-secret)",
		run:  runBells,
	})
}

func runBells(ctx context.Context, env *Env) (*Report, error) {
	total := env.Clients
	if total <= 0 {
		return nil, fmt.Errorf("-clients N is required")
	}
	from, to, err := env.shard(total)
	if err != nil {
		return nil, err
	}
	svc, tokens, closeDB, err := env.realtimeDeps(ctx)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	ids, toks, err := poolUsers(ctx, svc, tokens, from, to)
	if err != nil {
		return nil, err
	}
	n := len(ids)
	fmt.Fprintf(env.Out, "bells: users %d to %d (%d), connecting\n", from+1, to, n)

	// Deliveries: event index → send time; seen counts receipts. Titles
	// carry this run's id: notifications of earlier runs (a subscription
	// without a cursor first replays the user's feed) are not counted.
	run := fmt.Sprintf("loadgen %d ", time.Now().UnixNano())
	maxEvents := int(env.Rate*env.Duration.Seconds()) + 1
	sent := make([]atomic.Int64, maxEvents)
	seen := make([]atomic.Int32, maxEvents)
	var rec Recorder
	var received, foreign atomic.Int64
	onNext := func(_ string, payload json.RawMessage) {
		now := time.Now().UnixNano()
		var p struct {
			Data struct {
				NotificationReceived struct {
					Notification struct{ Title string }
				}
			}
		}
		if err := json.Unmarshal(payload, &p); err != nil {
			rec.Observe(0, fmt.Errorf("bad result: %s", payload))
			return
		}
		rest, ok := strings.CutPrefix(p.Data.NotificationReceived.Notification.Title, run)
		idx, err := strconv.Atoi(rest)
		if !ok || err != nil || idx < 0 || idx >= maxEvents {
			foreign.Add(1)
			return
		}
		received.Add(1)
		if seen[idx].Add(1) == 1 {
			rec.Observe(time.Duration(now-sent[idx].Load()), nil)
		}
	}

	before, err := env.Scrape(ctx)
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", env.Metrics, err)
	}
	url := env.wsURL()
	clients, took, err := connectAll(ctx, env, n, func(ctx context.Context, i int) (*wsClient, error) {
		c, err := dialWS(ctx, url, toks[i], onNext)
		if err != nil {
			return nil, err
		}
		return c, c.subscribe("bell", bellSubscription, nil)
	})
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, c := range clients {
			c.close()
		}
	}()
	if err := env.waitSubscriptions(ctx, before["hiregraph_subscriptions_active"]+float64(n)); err != nil {
		return nil, err
	}
	time.Sleep(3 * time.Second) // let the server settle (GC) before reading its memory
	held, err := env.Scrape(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(env.Out, "bells: %d connected and subscribed in %s\n", n, took.Round(time.Millisecond))
	if env.Hold > 0 {
		fmt.Fprintf(env.Out, "bells: holding for %s\n", env.Hold)
		select {
		case <-ctx.Done():
		case <-time.After(env.Hold):
		}
	}
	closedAfterHold, firstClose := closedCount(clients)

	// Events: -rate a second for -duration, each to a random user of this shard.
	var events int
	start := time.Now()
	if env.Rate > 0 {
		events = sendEvents(ctx, env, svc, ids, run, sent, &rec)
		// Drain: wait until every event arrived (or 10s more).
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) && delivered(seen[:events]) < events {
			time.Sleep(50 * time.Millisecond)
		}
	}
	elapsed := time.Since(start)
	rep := rec.Report(elapsed)
	distinct := delivered(seen[:events])
	closed, firstErr := closedCount(clients)
	rep.Extra["connections"] = fmt.Sprintf("%d (connected in %s), %d closed during the hold, %d closed in all (first: %v %v)",
		n, took.Round(time.Millisecond), closedAfterHold, closed, firstClose, firstErr)
	// Per connection: the server's growth over the connections it opened
	// meanwhile (hiregraph_websockets_open), which counts the other
	// shards' clients too when several generators run at once.
	opened := held["hiregraph_websockets_open"] - before["hiregraph_websockets_open"]
	if opened <= 0 {
		opened = float64(n)
	}
	rssBefore, rssHeld := before["process_resident_memory_bytes"], held["process_resident_memory_bytes"]
	rep.Extra["server RSS"] = fmt.Sprintf("%.1f MiB before, %.1f MiB with the bells: %.1f KiB per connection (%.0f opened)",
		rssBefore/(1<<20), rssHeld/(1<<20), (rssHeld-rssBefore)/opened/1024, opened)
	perConn := func(name string) float64 { return (held[name] - before[name]) / opened / 1024 }
	rep.Extra["server memory"] = fmt.Sprintf("per connection: heap in use %.1f KiB (objects %.1f KiB), stacks %.1f KiB",
		perConn("go_memstats_heap_inuse_bytes"), perConn("go_memstats_heap_alloc_bytes"), perConn("go_memstats_stack_inuse_bytes"))
	rep.Extra["goroutines"] = fmt.Sprintf("%.0f before, %.0f with the bells: %.2f per connection",
		before["go_goroutines"], held["go_goroutines"], (held["go_goroutines"]-before["go_goroutines"])/opened)
	if events > 0 {
		rep.Extra["events"] = fmt.Sprintf("%d sent (%.0f/s), %d delivered, %d lost, %d duplicated",
			events, float64(events)/env.Duration.Seconds(), distinct, events-distinct, received.Load()-int64(distinct))
	}
	if f := foreign.Load(); f > 0 {
		rep.Extra["other results"] = strconv.FormatInt(f, 10)
	}
	return rep, nil
}

// delivered counts the events seen at least once.
func delivered(seen []atomic.Int32) int {
	n := 0
	for i := range seen {
		if seen[i].Load() > 0 {
			n++
		}
	}
	return n
}

// sendEvents writes env.Rate notifications a second for env.Duration, each
// to a random user of ids, titled "loadgen <index>", and returns how many.
func sendEvents(ctx context.Context, env *Env, svc *hiring.Service, ids []int64, run string, sent []atomic.Int64, rec *Recorder) int {
	if err := warmPool(ctx, svc, env.Writers); err != nil {
		rec.Observe(0, fmt.Errorf("open the writers' connections: %w", err))
	}
	ctx, cancel := context.WithTimeout(ctx, env.Duration)
	defer cancel()
	jobs := make(chan int, 1024)
	var wg sync.WaitGroup
	for range env.Writers { // the database pool's size
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				uid := ids[rand.IntN(len(ids))]
				sent[i].Store(time.Now().UnixNano())
				_, err := svc.Notify(context.Background(), market.NewNotification{UserID: uid, Kind: market.NotifyBonusPaid,
					SubjectType: market.SubjectInvitation, SubjectID: 1, Title: run + strconv.Itoa(i)})
				if err != nil {
					rec.Observe(0, fmt.Errorf("write event: %w", err))
				}
			}
		}()
	}
	start := time.Now()
	n := 0
	for ; n < len(sent); n++ {
		at := start.Add(time.Duration(float64(n) / env.Rate * float64(time.Second)))
		if d := time.Until(at); d > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(d):
			}
		}
		if ctx.Err() != nil {
			break
		}
		jobs <- n
	}
	close(jobs)
	wg.Wait()
	return n
}

// warmPool opens n connections of the writers' pool before the measured
// events and leaves them idle in it, so that no early event waits for a
// PostgreSQL backend to start (which would count in its latency).
func warmPool(ctx context.Context, svc *hiring.Service, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close() // back to the pool, which keeps them (idle = open)
		}
	}()
	for range n {
		c, err := svc.Store().DB().Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
	}
	return nil
}
