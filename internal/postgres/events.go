package postgres

import (
	"context"
	"encoding/json"

	"github.com/hiregraph/hiregraph/internal/market"
)

// EventChannel is the PostgreSQL NOTIFY channel that carries every event.
const EventChannel = "hiregraph_events"

// Notify queues an event; it is delivered when the transaction commits, and
// never if it rolls back: by PostgreSQL to every listener (pg_notify), or,
// when the store writes to the outbox, by the relay through NATS.
func (c *Conn) Notify(ctx context.Context, e market.Event) error {
	eventsWritten.Add(1)
	if c.outbox {
		_, err := c.exec(ctx, `INSERT INTO event_outbox (topic, kind, entity_id, seq) VALUES ($1, $2, $3, $4)`,
			e.Topic, e.Kind, e.ID, e.Seq)
		return err
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `SELECT pg_notify($1, $2)`, EventChannel, string(b))
	return err
}
