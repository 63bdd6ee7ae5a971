// Package realtime fans the database's events out to this process's
// subscribers, and turns them into ordered, gap-free, resumable streams.
package realtime

import (
	"sync"
	"sync/atomic"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Buffer is how many events a subscriber may have pending before it is
// marked as lagging (it then re-reads from the tables instead).
const Buffer = 64

// Broker delivers events to the subscribers of their topic.
type Broker struct {
	mu   sync.Mutex
	subs map[string]map[*Sub]struct{}

	// interest, when set, is told of every subscription before Subscribe
	// returns, so an event transport that routes by topic can start
	// receiving the topic first; the function it returns is called when the
	// subscription closes.
	interest func(topic string) (release func())

	received, delivered atomic.Uint64
}

// NewBroker returns an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[string]map[*Sub]struct{}{}} }

// Sub is one subscription to a topic. Events arrive on C; a value on Resync
// means events may have been lost (the listener reconnected, or C was full)
// and the subscriber should re-read from its last position.
type Sub struct {
	C       chan market.Event
	Resync  chan struct{}
	topic   string
	b       *Broker
	release func()
}

// SetInterest installs the hook that an event transport routing by topic
// uses to receive exactly the topics this process's subscribers want: it is
// called for every new subscription, before Subscribe returns (so events
// committed after Subscribe returns reach the subscriber), and the function
// it returns is called when that subscription closes. Set it before the
// first subscription.
func (b *Broker) SetInterest(fn func(topic string) (release func())) { b.interest = fn }

// Subscribe starts a subscription to topic. Close it when done.
func (b *Broker) Subscribe(topic string) *Sub {
	s := &Sub{C: make(chan market.Event, Buffer), Resync: make(chan struct{}, 1), topic: topic, b: b}
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[*Sub]struct{}{}
	}
	b.subs[topic][s] = struct{}{}
	b.mu.Unlock()
	if b.interest != nil {
		s.release = b.interest(topic)
	}
	return s
}

// Close ends the subscription.
func (s *Sub) Close() {
	s.b.mu.Lock()
	delete(s.b.subs[s.topic], s)
	if len(s.b.subs[s.topic]) == 0 {
		delete(s.b.subs, s.topic)
	}
	s.b.mu.Unlock()
	if s.release != nil {
		s.release()
		s.release = nil
	}
}

// Publish hands an event to every subscriber of its topic without ever
// blocking: a subscriber whose buffer is full is told to resync instead.
func (b *Broker) Publish(e market.Event) {
	b.received.Add(1)
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[e.Topic] {
		select {
		case s.C <- e:
			b.delivered.Add(1)
		default:
			s.signal()
		}
	}
}

// ResyncAll tells every subscriber to re-read (after a listener reconnect).
func (b *Broker) ResyncAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, subs := range b.subs {
		for s := range subs {
			s.signal()
		}
	}
}

// Subscribers counts the current subscriptions (for metrics and tests).
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, subs := range b.subs {
		n += len(subs)
	}
	return n
}

// Received counts the events published to the broker (for metrics).
func (b *Broker) Received() uint64 { return b.received.Load() }

// Delivered counts the events handed to subscribers: an event with three
// subscribers counts three; one that found a full buffer (the subscriber
// re-reads instead) does not count.
func (b *Broker) Delivered() uint64 { return b.delivered.Load() }

func (s *Sub) signal() {
	select {
	case s.Resync <- struct{}{}:
	default: // a resync is already pending
	}
}
