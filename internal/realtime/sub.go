package realtime

import (
	"fmt"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Sub is a raw subscription to a topic's events, for what watches the event
// transport itself (its tests, probes) rather than a stream: no reads, no
// outlet. Events arrive on C; a value on Resync means events may have been
// lost (the listener reconnected, or C was full).
type Sub struct {
	C       chan market.Event
	Resync  chan struct{}
	topic   string
	k       string
	b       *Broker
	release func()
}

// SubBuffer is how many events a raw subscription holds before it is told
// to resync.
const SubBuffer = 64

// Subscribe starts a raw subscription to topic (the broker's interest hook
// is told before it returns). Close it when done.
func (b *Broker) Subscribe(topic string) *Sub {
	s := &Sub{C: make(chan market.Event, SubBuffer), Resync: make(chan struct{}, 1), topic: topic, b: b}
	s.k = fmt.Sprintf("sub:%p", s)
	b.join(topic, s.k, func() feedHandle { return s }, func(feedHandle) {})
	b.subscribers.Add(1)
	if b.interest != nil {
		s.release = b.interest(topic)
	}
	return s
}

// Close ends the subscription.
func (s *Sub) Close() {
	s.b.drop(s.topic, s, func() bool { return true })
	s.b.subscribers.Add(-1)
	if s.release != nil {
		s.release()
		s.release = nil
	}
}

func (s *Sub) key() string        { return s.k }
func (s *Sub) liveFollowers() int { return 0 }
func (s *Sub) lock() func()       { return func() {} }
func (s *Sub) notify(e market.Event) {
	if e.Topic == "" { // a resync
		s.signal()
		return
	}
	select {
	case s.C <- e:
		s.b.delivered.Add(1)
	default:
		s.signal()
	}
}

func (s *Sub) signal() {
	select {
	case s.Resync <- struct{}{}:
	default: // a resync is already pending
	}
}
