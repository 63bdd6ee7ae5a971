package market

import "strconv"

// Event kinds: what kind of thing an event says changed.
const (
	EventNotification = "notification"
	EventInvitation   = "invitation"
	EventMessage      = "message"
	EventProposal     = "proposal"
)

// Event is what a committed change tells the listeners: which topic
// ("user:7", "room:3"), what kind of thing changed, its id, and its
// per-topic sequence where it has one. The store writes it in the change's
// transaction; the realtime broker fans it out to subscribers.
type Event struct {
	Topic string `json:"t"`
	Kind  string `json:"k"`
	ID    int64  `json:"id"`
	Seq   int64  `json:"s,omitempty"`
}

// UserTopic is the topic of everything addressed to one user.
func UserTopic(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// RoomTopic is the topic of a message room.
func RoomTopic(roomID int64) string { return "room:" + strconv.FormatInt(roomID, 10) }
