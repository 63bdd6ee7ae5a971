package postgres

import (
	"context"
	"encoding/json"
	"fmt"
)

// EventChannel is the PostgreSQL NOTIFY channel that carries every event.
const EventChannel = "hiregraph_events"

// Event kinds.
const (
	EventNotification = "notification"
	EventInvitation   = "invitation"
	EventMessage      = "message"
	EventProposal     = "proposal"
)

// Event is what a committed change tells the listeners: which topic
// ("user:7", "room:3"), what kind of thing changed, its id, and its
// per-topic sequence where it has one.
type Event struct {
	Topic string `json:"t"`
	Kind  string `json:"k"`
	ID    int64  `json:"id"`
	Seq   int64  `json:"s,omitempty"`
}

// UserTopic is the topic of everything addressed to one user.
func UserTopic(userID int64) string { return fmt.Sprintf("user:%d", userID) }

// RoomTopic is the topic of a message room.
func RoomTopic(roomID int64) string { return fmt.Sprintf("room:%d", roomID) }

// Notify queues an event; it is delivered when the transaction commits, and
// never if it rolls back: by PostgreSQL to every listener (pg_notify), or,
// when the store writes to the outbox, by the relay through NATS.
func (c *Conn) Notify(ctx context.Context, e Event) error {
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
