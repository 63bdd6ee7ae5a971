package postgres

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Listener holds the process's one LISTEN connection on EventChannel.
type Listener struct {
	dsn       string
	log       *slog.Logger
	connected atomic.Bool
}

// NewListener returns a listener for the database at dsn.
func NewListener(dsn string, log *slog.Logger) *Listener {
	if log == nil {
		log = slog.Default()
	}
	return &Listener{dsn: dsn, log: log}
}

// Connected reports whether the listener's connection is up.
func (l *Listener) Connected() bool { return l.connected.Load() }

// Run listens until ctx is done, calling handle for every committed event in
// commit order. When the connection drops, events committed meanwhile are
// lost to LISTEN; so after every reconnection Run calls resync, whose job is
// to make subscribers re-read what they may have missed from the tables.
func (l *Listener) Run(ctx context.Context, handle func(market.Event), resync func()) error {
	pl := pq.NewListener(l.dsn, 100*time.Millisecond, 5*time.Second, func(ev pq.ListenerEventType, err error) {
		switch ev {
		case pq.ListenerEventConnected:
			l.connected.Store(true)
		case pq.ListenerEventDisconnected:
			l.connected.Store(false)
			l.log.Warn("event listener disconnected", "err", err)
		case pq.ListenerEventReconnected:
			l.connected.Store(true)
			l.log.Info("event listener reconnected")
		case pq.ListenerEventConnectionAttemptFailed:
			l.log.Warn("event listener could not connect", "err", err)
		}
	})
	defer pl.Close()
	if err := pl.Listen(EventChannel); err != nil {
		return err
	}
	l.connected.Store(true)
	// A ping now and then finds a dead connection that no read noticed.
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			l.connected.Store(false)
			return nil
		case n := <-pl.Notify:
			if n == nil { // the connection was re-established
				resync()
				continue
			}
			var e market.Event
			if err := json.Unmarshal([]byte(n.Extra), &e); err != nil {
				l.log.Error("bad event payload", "payload", n.Extra, "err", err)
				continue
			}
			handle(e)
		case <-ping.C:
			go func() { _ = pl.Ping() }()
		}
	}
}
