package natsbus_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/natsbus"
	"github.com/hiregraph/hiregraph/internal/natsbus/natstest"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/postgres/postgrestest"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// wait bounds every wait for something that must happen: generous, for a
// loaded machine; a healthy run takes far less.
const wait = 30 * time.Second

const prefix = "test"

// instance is one hiregraph process's event plumbing: its broker, fed by
// NATS through a Source, and its relay candidate.
type instance struct {
	broker *realtime.Broker
	source *natsbus.Source
	relay  *natsbus.Relay
	nc     *nats.Conn
	stop   context.CancelFunc
	done   chan struct{}
}

func newInstance(t *testing.T, store *postgres.Store, url string) *instance {
	t.Helper()
	broker := realtime.NewBroker()
	nc, err := natsbus.Connect(url, t.Name(), nil, broker.ResyncAll)
	if err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := natsbus.EnsureStream(ctx, js, prefix); err != nil {
		t.Fatal(err)
	}
	in := &instance{broker: broker, source: natsbus.NewSource(nc, prefix, broker, nil), nc: nc, stop: cancel, done: make(chan struct{}),
		relay: &natsbus.Relay{Store: store, JS: js, Prefix: prefix, Poll: 5 * time.Millisecond}}
	go func() { defer close(in.done); in.relay.Run(ctx) }()
	t.Cleanup(in.kill)
	return in
}

// kill stops the instance's relay and closes its connection, like a
// process that died.
func (in *instance) kill() {
	in.stop()
	<-in.done
	in.nc.Close()
}

func outboxStore(t *testing.T) *postgres.Store {
	t.Helper()
	db, _ := postgrestest.New(t)
	store := postgres.New(db)
	store.UseOutbox()
	return store
}

func write(t *testing.T, store *postgres.Store, topic string, seq int64) {
	t.Helper()
	err := store.Transact(context.Background(), func(c *postgres.Conn) error {
		return c.Notify(context.Background(), market.Event{Topic: topic, Kind: "message", ID: seq, Seq: seq})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A broker buffers realtime.Buffer events per subscriber and turns an
// overflow into a resync (the subscription re-reads its table); these tests
// look at the events themselves, so they write in rounds the buffer holds.
const round = 40

// writeRounds writes seqs from..to to topic, waiting after each round until
// sub has them, and returns every seq in the order it arrived.
func writeRounds(t *testing.T, store *postgres.Store, sub *realtime.Sub, topic string, from, to int64) []int64 {
	t.Helper()
	var all []int64
	for lo := from; lo <= to; lo += round {
		hi := min(lo+round-1, to)
		for i := lo; i <= hi; i++ {
			write(t, store, topic, i)
		}
		all = append(all, collectRange(t, sub, lo, hi)...)
	}
	return all
}

// collectRange reads sub until every seq of lo..hi has arrived.
func collectRange(t *testing.T, sub *realtime.Sub, lo, hi int64) []int64 {
	t.Helper()
	var got []int64
	seen := map[int64]bool{}
	timeout := time.After(wait)
	for int64(len(seen)) < hi-lo+1 {
		select {
		case e := <-sub.C:
			got = append(got, e.Seq)
			if e.Seq >= lo && e.Seq <= hi {
				seen[e.Seq] = true
			}
		case <-sub.Resync: // a (re)connection: a subscription would re-read
		case <-timeout:
			t.Fatalf("after %s: %d of %d..%d: %v", wait, len(seen), lo, hi, got)
		}
	}
	return got
}

// collect reads sub until it has seen every seq up to n, and returns how
// often each arrived, in the order of arrival.
func collect(t *testing.T, sub *realtime.Sub, n int64) []int64 {
	t.Helper()
	var got []int64
	seen := map[int64]bool{}
	timeout := time.After(wait)
	for int64(len(seen)) < n {
		select {
		case e := <-sub.C:
			got = append(got, e.Seq)
			seen[e.Seq] = true
		case <-sub.Resync:
		case <-timeout:
			t.Fatalf("after %s: %d of %d events: %v", wait, len(seen), n, got)
		}
	}
	return got
}

// inOrderOnce checks that got holds 1..n, each once, in order.
func inOrderOnce(t *testing.T, got []int64, n int64) {
	t.Helper()
	if int64(len(got)) != n {
		t.Fatalf("want 1..%d once each, got %d events: %v", n, len(got), got)
	}
	for i, s := range got {
		if s != int64(i+1) {
			t.Fatalf("want 1..%d in order, got %v", n, got)
		}
	}
}

// The outbox is relayed in order, and emptied as JetStream acknowledges.
func TestRelayPublishesTheOutboxInOrder(t *testing.T) {
	store := outboxStore(t)
	ns := natstest.Start(t)
	in := newInstance(t, store, ns.URL())
	sub := in.broker.Subscribe("room:1")
	defer sub.Close()
	inOrderOnce(t, writeRounds(t, store, sub, "room:1", 1, 200), 200)
	// The relay deletes a batch once JetStream acknowledged it, which may
	// come a moment after the subscriber heard it.
	deadline := time.Now().Add(wait)
	for {
		var left int
		if err := store.DB().Get(&left, `SELECT count(*) FROM event_outbox`); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events still in the outbox", left)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := in.relay.Relayed(); got != 200 {
		t.Errorf("relayed %d, want 200", got)
	}
}

// A rolled-back change leaves nothing in the outbox and notifies no one.
func TestRolledBackEventIsNeverRelayed(t *testing.T) {
	store := outboxStore(t)
	ns := natstest.Start(t)
	in := newInstance(t, store, ns.URL())
	sub := in.broker.Subscribe("user:9")
	defer sub.Close()
	err := store.Transact(context.Background(), func(c *postgres.Conn) error {
		if err := c.Notify(context.Background(), market.Event{Topic: "user:9", Kind: "message", ID: 1, Seq: 1}); err != nil {
			return err
		}
		return context.Canceled // any error rolls back
	})
	if err == nil {
		t.Fatal("the transaction should have failed")
	}
	write(t, store, "user:9", 2)
	if got := collect(t, sub, 1); len(got) != 1 || got[0] != 2 {
		t.Fatalf("want only the committed event 2, got %v", got)
	}
}

// Only one instance relays at a time; when it dies another takes over, and
// every event arrives.
func TestOneRelayAtATimeAndTakeover(t *testing.T) {
	store := outboxStore(t)
	ns := natstest.Start(t)
	a := newInstance(t, store, ns.URL())
	b := newInstance(t, store, ns.URL())
	subA := a.broker.Subscribe("room:7")
	defer subA.Close()
	subB := b.broker.Subscribe("room:7")
	defer subB.Close()
	writeRounds(t, store, subA, "room:7", 1, 40)
	collectRange(t, subB, 1, 40)
	if a.relay.Leader() == b.relay.Leader() {
		t.Fatalf("leaders: a=%v b=%v; want exactly one", a.relay.Leader(), b.relay.Leader())
	}
	leader, other, sub := a, b, subB
	if b.relay.Leader() {
		leader, other, sub = b, a, subA
	}
	// The leader dies while events are being written.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int64(41); i <= 70; i++ {
			write(t, store, "room:7", i)
		}
	}()
	leader.kill()
	wg.Wait()
	collectRange(t, sub, 41, 70) // duplicates allowed: JetStream de-duplicates its copy, subscribers their seqs
	if !other.relay.Leader() {
		t.Error("the surviving instance did not take the relay over")
	}
}

// NATS stopped and started again: nothing acknowledged is lost; the outbox
// waits, and subscribers are told to re-read when they reconnect.
func TestNoLossWhileNATSIsDown(t *testing.T) {
	store := outboxStore(t)
	ns := natstest.Start(t)
	in := newInstance(t, store, ns.URL())
	sub := in.broker.Subscribe("room:3")
	defer sub.Close()
	writeRounds(t, store, sub, "room:3", 1, 20)
	ns.Stop()
	for i := int64(21); i <= 40; i++ {
		write(t, store, "room:3", i) // committed while NATS is down
	}
	ns.Restart()
	seen := map[int64]bool{}
	timeout := time.After(wait)
	resynced := false
	for len(seen) < 20 {
		select {
		case e := <-sub.C:
			if e.Seq > 20 {
				seen[e.Seq] = true
			}
		case <-sub.Resync:
			resynced = true
		case <-timeout:
			t.Fatalf("after NATS came back: %d of 20 events", len(seen))
		}
	}
	_ = resynced // a reconnect may or may not beat the relay's retry
}

// Interest-based routing: an instance receives only the topics its own
// subscribers follow, and drops a subject with its last subscriber.
func TestInstancesReceiveOnlyTheirClientsEvents(t *testing.T) {
	store := outboxStore(t)
	ns := natstest.Start(t)
	a := newInstance(t, store, ns.URL())
	b := newInstance(t, store, ns.URL())
	subA := a.broker.Subscribe("user:1")
	subB := b.broker.Subscribe("user:2")
	for i := int64(1); i <= 30; i++ {
		write(t, store, "user:1", i)
		write(t, store, "user:2", i)
		write(t, store, "user:3", i) // nobody's
	}
	collectRange(t, subA, 1, 30)
	collectRange(t, subB, 1, 30)
	if got := a.source.Received(); got != 30 {
		t.Errorf("instance A received %d events, want its own 30 of 90", got)
	}
	if got := b.source.Received(); got != 30 {
		t.Errorf("instance B received %d events, want its own 30 of 90", got)
	}
	subA.Close()
	if n := a.source.Topics(); n != 0 {
		t.Errorf("instance A still subscribes to %d subjects after its last subscriber left", n)
	}
	subB.Close()
}
