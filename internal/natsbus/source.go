package natsbus

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/hiregraph/hiregraph/internal/realtime"
)

// Source feeds a broker from NATS, subscribing to a topic's subject only
// while some subscriber of this process wants it: an instance receives the
// events of its own clients, not everyone's.
type Source struct {
	nc     *nats.Conn
	prefix string
	broker *realtime.Broker
	log    *slog.Logger

	mu     sync.Mutex
	topics map[string]*topicSub

	received atomic.Uint64
}

type topicSub struct {
	refs  int
	ready chan struct{} // closed once the NATS subscription is in place
	sub   *nats.Subscription
}

// NewSource routes the events of prefix from nc into broker; it installs
// itself as the broker's interest hook.
func NewSource(nc *nats.Conn, prefix string, broker *realtime.Broker, log *slog.Logger) *Source {
	if log == nil {
		log = slog.Default()
	}
	s := &Source{nc: nc, prefix: prefix, broker: broker, log: log, topics: map[string]*topicSub{}}
	broker.SetInterest(s.interest)
	return s
}

// Connected reports whether the NATS connection is up.
func (s *Source) Connected() bool { return s.nc.IsConnected() }

// Received counts the events this instance received from NATS.
func (s *Source) Received() uint64 { return s.received.Load() }

// Topics is how many subjects this instance is subscribed to.
func (s *Source) Topics() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.topics)
}

// interest subscribes to topic's subject for the first subscriber of this
// process and returns once the NATS server has the subscription (a flush
// round trip), so an event published after that reaches this process. The
// returned release drops the subject with the last subscriber.
func (s *Source) interest(topic string) func() {
	s.mu.Lock()
	t := s.topics[topic]
	first := t == nil
	if first {
		t = &topicSub{ready: make(chan struct{})}
		s.topics[topic] = t
	}
	t.refs++
	s.mu.Unlock()

	if first {
		sub, err := s.nc.Subscribe(Subject(s.prefix, topic), s.handle)
		if err != nil {
			s.log.Warn("NATS subscribe failed", "topic", topic, "err", err)
		}
		// When NATS is down the flush fails; the client subscribes again on
		// reconnect and every subscriber then re-reads its table.
		_ = s.nc.FlushTimeout(2 * time.Second)
		s.mu.Lock()
		t.sub = sub
		s.mu.Unlock()
		close(t.ready)
	} else {
		<-t.ready
	}
	var once sync.Once
	return func() { once.Do(func() { s.release(topic, t) }) }
}

func (s *Source) release(topic string, t *topicSub) {
	s.mu.Lock()
	t.refs--
	last := t.refs == 0
	if last && s.topics[topic] == t {
		delete(s.topics, topic)
	}
	sub := t.sub
	s.mu.Unlock()
	if last && sub != nil {
		_ = sub.Unsubscribe()
	}
}

func (s *Source) handle(m *nats.Msg) {
	e, err := decode(m.Data)
	if err != nil {
		s.log.Warn("NATS event not understood", "subject", m.Subject, "err", err)
		return
	}
	s.received.Add(1)
	s.broker.Publish(e)
}
