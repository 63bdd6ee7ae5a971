package realtime

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
)

// table is a fake per-topic sequence: items 1..n, read like the store does.
type table struct {
	mu    sync.Mutex
	n     int64
	reads atomic.Int64
	// biggest is the largest page a read returned.
	biggest atomic.Int64
}

func (tb *table) add(k int64) {
	tb.mu.Lock()
	tb.n += k
	tb.mu.Unlock()
}

func (tb *table) read(_ context.Context, after int64, limit int) ([]int64, any, error) {
	tb.reads.Add(1)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []int64
	for s := after + 1; s <= tb.n && len(out) < limit; s++ {
		out = append(out, s)
	}
	if int64(len(out)) > tb.biggest.Load() {
		tb.biggest.Store(int64(len(out)))
	}
	return out, nil, nil
}

// consumer stands for the websocket transport: it takes what the outlet
// says is pending, unless held.
type consumer struct {
	t       *testing.T
	ch      chan int64
	o       *Outlet
	hold    sync.Mutex // held: the consumer does not take anything
	mu      sync.Mutex
	got     []int64
	ended   bool
	changed chan struct{}
	maxPend atomic.Int64
}

func newConsumer(t *testing.T) *consumer {
	c := &consumer{t: t, ch: make(chan int64, Buffer+1), changed: make(chan struct{}, 1)}
	c.o = NewOutlet(func() { go c.pump() })
	return c
}

func (c *consumer) pump() {
	c.hold.Lock()
	defer c.hold.Unlock()
	for {
		if p := int64(c.o.Pending()); p > c.maxPend.Load() {
			c.maxPend.Store(p)
		}
		if _, _, ok := c.o.Next(); !ok {
			return
		}
		v, open := <-c.ch
		c.o.Taken()
		c.mu.Lock()
		if open {
			c.got = append(c.got, v)
		} else {
			c.ended = true
		}
		c.mu.Unlock()
		select {
		case c.changed <- struct{}{}:
		default:
		}
	}
}

func (c *consumer) sink() Sink[int64] {
	return Sink[int64]{Emit: func(v int64) { c.ch <- v }, End: func() { close(c.ch) }}
}

// waitFor waits until the consumer has n items, and checks they are 1..n
// after `after`, in order, once each.
func (c *consumer) waitFor(after, n int64) {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		got := append([]int64(nil), c.got...)
		c.mu.Unlock()
		for i, v := range got {
			if v != after+int64(i)+1 {
				c.t.Fatalf("item %d is %d, want %d (got %v)", i, v, after+int64(i)+1, got)
			}
		}
		if int64(len(got)) >= n {
			if int64(len(got)) > n {
				c.t.Fatalf("got %d items, want %d", len(got), n)
			}
			return
		}
		select {
		case <-c.changed:
		case <-deadline:
			c.t.Fatalf("got %d items, want %d", len(got), n)
		}
	}
}

func follow(t *testing.T, b *Broker, tb *table, after int64, c *consumer) context.CancelFunc {
	t.Helper()
	ctx, cancel := context.WithCancel(WithOutlet(context.Background(), c.o))
	err := Follow(ctx, b, Source[int64]{Topic: "room:1", Key: "messages", Read: tb.read, Seq: func(v int64) int64 { return v }},
		Subscriber[int64]{After: after, Sink: c.sink()})
	if err != nil {
		t.Fatal(err)
	}
	return cancel
}

// waitLive waits until n subscribers are served by the shared reads.
func waitLive(t *testing.T, b *Broker, n int) {
	t.Helper()
	for i := 0; b.Live() != n; i++ {
		if i > 2000 {
			t.Fatalf("%d live subscribers, want %d", b.Live(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestFollowNeverRepeatsOrSkips feeds a stream lost, duplicate and stale
// events: what it hands over is exactly the table after the cursor, in order.
func TestFollowNeverRepeatsOrSkips(t *testing.T) {
	b := NewBroker()
	tb := &table{n: 3}
	c := newConsumer(t)
	defer follow(t, b, tb, 1, c)()
	c.waitFor(1, 2)
	waitLive(t, b, 1)
	tb.add(3)
	b.Publish(market.Event{Topic: "room:1", Seq: 6}) // 4 and 5's events were lost
	b.Publish(market.Event{Topic: "room:1", Seq: 3}) // a stale duplicate
	b.Publish(market.Event{Topic: "room:1", Seq: 6}) // a repeat
	c.waitFor(1, 5)
	b.ResyncAll()
	tb.add(1)
	b.ResyncAll() // a reconnect: read from where the feed is
	c.waitFor(1, 6)
}

// TestFollowSharesOneRead: a new item for a topic with many subscribers
// costs one read, whatever their number.
func TestFollowSharesOneRead(t *testing.T) {
	b := NewBroker()
	tb := &table{n: 10}
	const subs = 200
	cs := make([]*consumer, subs)
	for i := range cs {
		cs[i] = newConsumer(t)
		defer follow(t, b, tb, 10, cs[i])()
	}
	waitLive(t, b, subs)
	before := tb.reads.Load()
	tb.add(1)
	b.Publish(market.Event{Topic: "room:1", Seq: 11})
	for _, c := range cs {
		c.waitFor(10, 1)
	}
	if n := tb.reads.Load() - before; n != 1 {
		t.Errorf("%d reads for one new item and %d subscribers, want 1", n, subs)
	}
	if b.Feeds() != 1 || b.Subscribers() != subs || b.Delivered() < subs {
		t.Errorf("feeds %d, subscribers %d, delivered %d", b.Feeds(), b.Subscribers(), b.Delivered())
	}
}

// TestFollowBacklogInPages: a resume from an old cursor reads the backlog a
// page at a time, the next page once the consumer has taken the last, so
// that no more than Buffer items are ever pending.
func TestFollowBacklogInPages(t *testing.T) {
	b := NewBroker()
	tb := &table{n: 1000}
	c := newConsumer(t)
	defer follow(t, b, tb, 0, c)()
	c.waitFor(0, 1000)
	if got := tb.biggest.Load(); got > Buffer {
		t.Errorf("a read returned %d items, more than a page (%d)", got, Buffer)
	}
	if got := c.maxPend.Load(); got > Buffer {
		t.Errorf("%d items were pending at once, more than Buffer (%d)", got, Buffer)
	}
	if n := tb.reads.Load(); n < 1000/Buffer {
		t.Errorf("%d reads for 1000 items in pages of %d", n, Buffer)
	}
}

// TestFollowLaggingSubscriber: a consumer that stops taking items falls
// off the shared reads; once it takes again, it reads what it missed on its
// own and rejoins, losing and repeating nothing. The other subscribers are
// not held up.
func TestFollowLaggingSubscriber(t *testing.T) {
	b := NewBroker()
	tb := &table{}
	slow, fast := newConsumer(t), newConsumer(t)
	defer follow(t, b, tb, 0, slow)()
	defer follow(t, b, tb, 0, fast)()
	waitLive(t, b, 2)
	slow.hold.Lock()
	const n = 3 * Buffer
	for i := range int64(n) {
		tb.add(1)
		b.Publish(market.Event{Topic: "room:1", Seq: i + 1})
	}
	fast.waitFor(0, n)
	slow.hold.Unlock()
	slow.waitFor(0, n)
	waitLive(t, b, 2)
	tb.add(1)
	b.Publish(market.Event{Topic: "room:1", Seq: n + 1})
	slow.waitFor(0, n+1)
	fast.waitFor(0, n+1)
}

// TestFollowEnds: cancelling a subscription ends its stream (the channel is
// closed, the consumer told) and the feed goes when its last subscriber does.
func TestFollowEnds(t *testing.T) {
	b := NewBroker()
	tb := &table{n: 2}
	c := newConsumer(t)
	cancel := follow(t, b, tb, 0, c)
	c.waitFor(0, 2)
	cancel()
	for i := 0; ; i++ {
		c.mu.Lock()
		ended := c.ended
		c.mu.Unlock()
		if ended && b.Feeds() == 0 && b.Subscribers() == 0 {
			break
		}
		if i > 2000 {
			t.Fatalf("ended %v, feeds %d, subscribers %d", ended, b.Feeds(), b.Subscribers())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := Follow(context.Background(), b, Source[int64]{}, Subscriber[int64]{}); err != ErrNoOutlet {
		t.Errorf("without an outlet: %v", err)
	}
}
