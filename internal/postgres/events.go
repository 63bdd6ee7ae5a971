package postgres

import (
	"context"
	"encoding/json"

	"github.com/hiregraph/hiregraph/internal/market"
)

// EventChannel is the PostgreSQL NOTIFY channel that carries every event.
const EventChannel = "hiregraph_events"

// Notify queues an event; PostgreSQL delivers it to every listener when the
// transaction commits, and never if it rolls back.
func (c *Conn) Notify(ctx context.Context, e market.Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `SELECT pg_notify($1, $2)`, EventChannel, string(b))
	return err
}
