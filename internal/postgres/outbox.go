package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// eventsWritten counts the events this process's changes wrote (NOTIFY or
// outbox), for the "published" metric.
var eventsWritten atomic.Uint64

// EventsWritten is how many events this process's committed or rolled-back
// changes have queued (a metric: events published).
func EventsWritten() uint64 { return eventsWritten.Load() }

// UseOutbox makes the store write events to the outbox table, for a relay to
// publish, instead of sending them with pg_notify.
func (s *Store) UseOutbox() { s.outbox = true }

// relayLockKey is the advisory lock that elects the one relay among all
// instances sharing the database ("hiregraph outbox relay").
const relayLockKey = 0x68697265_6f627278

// OutboxEvent is an event waiting in the outbox.
type OutboxEvent struct {
	// OutboxID orders the outbox and de-duplicates publishing.
	OutboxID int64
	market.Event
	CreatedAt time.Time
}

// RelayLease is the relay's lock and its own connection. The lock is a
// session-level advisory lock: it is held exactly as long as this connection
// lives, so a relay that dies (its process killed, its connection cut)
// releases it at once and another instance takes over.
type RelayLease struct {
	conn *sql.Conn
}

// AcquireRelay tries to become the relay. It returns nil, nil when another
// instance holds the lease.
func (s *Store) AcquireRelay(ctx context.Context) (*RelayLease, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquire relay: %w", err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, int64(relayLockKey)).Scan(&got); err != nil {
		conn.Close()
		return nil, fmt.Errorf("acquire relay: %w", err)
	}
	if !got {
		conn.Close()
		return nil, nil
	}
	return &RelayLease{conn: conn}, nil
}

// Next returns up to limit waiting events, oldest first.
func (l *RelayLease) Next(ctx context.Context, limit int) ([]OutboxEvent, error) {
	rows, err := l.conn.QueryContext(ctx,
		`SELECT id, topic, kind, entity_id, seq, created_at FROM event_outbox ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox next: %w", err)
	}
	defer rows.Close()
	var out []OutboxEvent
	for rows.Next() {
		var e OutboxEvent
		if err := rows.Scan(&e.OutboxID, &e.Topic, &e.Kind, &e.ID, &e.Seq, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("outbox next: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Done deletes events the relay has published.
func (l *RelayLease) Done(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := l.conn.ExecContext(ctx, `DELETE FROM event_outbox WHERE id = ANY($1)`, pq.Array(ids)); err != nil {
		return fmt.Errorf("outbox done: %w", err)
	}
	return nil
}

// Release gives the lease up: it unlocks, and ends the connection's session,
// which releases the lock whatever state the connection is in. (Returning it to
// the pool after an unlock is not enough: when the relay stops because its
// context was cancelled, lib/pq's cancel request for the last statement can
// land on the unlock instead, and the pool would keep a session that holds
// the lock, so no instance could relay again.)
func (l *RelayLease) Release() {
	// Unlock first, so that another instance can take over at once (a
	// discarded session's backend releases its locks only when it has
	// noticed the closed socket); then discard the connection in case the
	// unlock did not run.
	_, _ = l.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(relayLockKey))
	_ = l.conn.Raw(func(any) error { return driver.ErrBadConn }) // discard, do not pool
	_ = l.conn.Close()
}
