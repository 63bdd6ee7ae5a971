// Package realtime fans the database's events out to this process's
// subscribers, and turns them into ordered, gap-free, resumable streams.
//
// Nothing here waits on an idle subscription: the listener's goroutine
// publishes an event to the feeds of its topic; a feed reads what is new
// once, in a goroutine that lives while there is something to read, and
// hands each item to every subscriber of that feed (a room's members, a
// user's open bells); each subscriber's consumer (the websocket transport)
// is woken through its Outlet to write what it was handed.
package realtime

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Buffer is how many items a subscriber may have handed to its consumer and
// not yet written before it is marked as lagging: it then leaves the shared
// reads and reads on its own, a page at a time, once its consumer has caught
// up.
const Buffer = 16

// FetchLimit is the most items one read returns (its LIMIT); a full page
// means there may be more.
const FetchLimit = 100

// Broker delivers events to the feeds of their topic.
type Broker struct {
	mu     sync.Mutex
	topics map[string][]feedHandle // topic → its feeds (one per stream key)
	ctx    context.Context
	// interest, when set, is told of every subscription before it reads
	// anything, so that an event transport routing by topic receives the
	// topic first; the function it returns is called when the subscription
	// ends.
	interest func(topic string) (release func())

	received, delivered atomic.Uint64
	subscribers         atomic.Int64
}

// feedHandle is a feed of any item type, as the broker sees it.
type feedHandle interface {
	key() string
	notify(e market.Event)
	liveFollowers() int
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	return &Broker{topics: map[string][]feedHandle{}, ctx: context.Background()}
}

// SetInterest installs the hook that an event transport routing by topic
// uses to receive exactly the topics this process's subscribers want: it is
// called for every new subscription before its first read (so no event
// committed after that read is missed), and the function it returns when
// the subscription ends. Set it before the first subscription.
func (b *Broker) SetInterest(fn func(topic string) (release func())) { b.interest = fn }

// SetContext sets the context of the reads the feeds share (by default
// context.Background()); its values reach the store (a statement counter in
// tests, say).
func (b *Broker) SetContext(ctx context.Context) { b.ctx = ctx }

// Publish hands an event to every feed of its topic without ever blocking.
func (b *Broker) Publish(e market.Event) {
	b.received.Add(1)
	for _, h := range b.handles(e.Topic) {
		h.notify(e)
	}
}

// ResyncAll makes every feed re-read from its position (after a listener
// reconnect, events may have been lost).
func (b *Broker) ResyncAll() {
	for _, h := range b.handles("") {
		h.notify(market.Event{})
	}
}

// handles returns the feeds of a topic ("": of every topic).
func (b *Broker) handles(topic string) []feedHandle {
	b.mu.Lock()
	defer b.mu.Unlock()
	var hs []feedHandle
	if topic != "" {
		return append(hs, b.topics[topic]...)
	}
	for _, feeds := range b.topics {
		hs = append(hs, feeds...)
	}
	return hs
}

// Subscribers counts the current subscriptions (for metrics and tests).
func (b *Broker) Subscribers() int { return int(b.subscribers.Load()) }

// Feeds counts the feeds (topic and stream pairs with subscribers).
func (b *Broker) Feeds() int { return len(b.handles("")) }

// Live counts the subscribers served by the shared reads (the others are
// reading a backlog on their own).
func (b *Broker) Live() int {
	n := 0
	for _, h := range b.handles("") {
		n += h.liveFollowers()
	}
	return n
}

// Received counts the events published to the broker (for metrics).
func (b *Broker) Received() uint64 { return b.received.Load() }

// Delivered counts the items handed to subscribers: a message read once for
// a room with three subscribers counts three.
func (b *Broker) Delivered() uint64 { return b.delivered.Load() }
