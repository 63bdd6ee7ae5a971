package postgres

import (
	"context"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Reads behind the realtime streams: what follows a position in a
// per-topic sequence, in order.

// MessagesAfter returns up to limit messages of a room with seq > after, in order.
func (c *Conn) MessagesAfter(ctx context.Context, roomID, after int64, limit int) ([]*market.Message, error) {
	var ms []*market.Message
	err := c.sel(ctx, &ms, `SELECT `+messageCols+` FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, roomID, after, limit)
	return ms, err
}

// NotificationsAfter returns up to limit of the user's notifications with
// seq > after, in order; with kinds, only those kinds.
func (c *Conn) NotificationsAfter(ctx context.Context, userID, after int64, kinds []market.NotificationKind, limit int) ([]*market.Notification, error) {
	ks := make([]string, len(kinds))
	for i, k := range kinds {
		ks[i] = string(k)
	}
	var ns []*market.Notification
	err := c.sel(ctx, &ns, `SELECT `+notificationCols+` FROM notifications
		WHERE user_id = $1 AND seq > $2 AND (cardinality($3::text[]) = 0 OR kind = ANY($3)) ORDER BY seq LIMIT $4`,
		userID, after, pq.Array(ks), limit)
	return ns, err
}

// UnreadNotificationsUpTo counts the user's unread notifications with seq <= upTo.
func (c *Conn) UnreadNotificationsUpTo(ctx context.Context, userID, upTo int64) (int, error) {
	var n int
	err := c.get(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL AND seq <= $2`, userID, upTo)
	return n, err
}
