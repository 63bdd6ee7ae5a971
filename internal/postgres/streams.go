package postgres

import (
	"context"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Reads behind the realtime streams: what follows a position in a
// per-topic sequence, in order.

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

// MessagesAndMembersAfter returns up to limit messages of a room with seq >
// after, in order, and the room's members as of the same snapshot (nil
// when there is no message): one statement that serves every subscriber of
// the room, each checking its own membership.
func (c *Conn) MessagesAndMembersAfter(ctx context.Context, roomID, after int64, limit int) ([]*market.Message, []int64, error) {
	var rows []*struct {
		market.Message
		Members pq.Int64Array `db:"members"`
	}
	err := c.sel(ctx, &rows, `SELECT `+messageCols+`, ARRAY(SELECT user_id FROM room_members WHERE room_id = $1) AS members
		FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, roomID, after, limit)
	if err != nil || len(rows) == 0 {
		return nil, nil, err
	}
	ms := make([]*market.Message, len(rows))
	for i := range rows {
		ms[i] = &rows[i].Message
	}
	return ms, rows[0].Members, nil
}

// NotificationsAfterWithUnread returns up to limit of the user's
// notifications with seq > after, in order, and the user's unread count up
// to the last of them, in one statement.
func (c *Conn) NotificationsAfterWithUnread(ctx context.Context, userID, after int64, limit int) ([]*market.Notification, int, error) {
	var rows []*struct {
		market.Notification
		Unread int `db:"unread_up_to"`
	}
	err := c.sel(ctx, &rows, `WITH page AS (
			SELECT `+notificationCols+` FROM notifications WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3)
		SELECT page.*, (SELECT count(*) FROM notifications n WHERE n.user_id = $1 AND n.read_at IS NULL
			AND n.seq <= (SELECT max(seq) FROM page)) AS unread_up_to
		FROM page ORDER BY seq`, userID, after, limit)
	if err != nil || len(rows) == 0 {
		return nil, 0, err
	}
	ns := make([]*market.Notification, len(rows))
	for i := range rows {
		ns[i] = &rows[i].Notification
	}
	return ns, rows[0].Unread, nil
}
