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

// Notify queues an event; PostgreSQL delivers it to every listener when the
// transaction commits, and never if it rolls back.
func (c *Conn) Notify(ctx context.Context, e Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `SELECT pg_notify($1, $2)`, EventChannel, string(b))
	return err
}
