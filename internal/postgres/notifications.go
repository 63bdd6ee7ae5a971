package postgres

import (
	"context"
	"time"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

const notificationCols = `id, user_id, seq, kind, subject_type, subject_id, actor_id, title, read_at, created_at`

// AddNotification writes a notification with the user's next sequence number
// (taken under the user's row lock, so sequences are gap-free and commit
// ordered) and sends its event at commit.
func (c *Conn) AddNotification(ctx context.Context, n market.NewNotification, now time.Time) (*market.Notification, error) {
	var out market.Notification
	err := c.get(ctx, &out, `WITH s AS (
			UPDATE users SET notification_seq = notification_seq + 1 WHERE id = $1 RETURNING notification_seq
		)
		INSERT INTO notifications (user_id, seq, kind, subject_type, subject_id, actor_id, title, created_at)
		SELECT $1, s.notification_seq, $2, $3, $4, $5, $6, $7 FROM s
		RETURNING `+notificationCols,
		n.UserID, n.Kind, n.SubjectType, n.SubjectID, n.ActorID, n.Title, now)
	if err != nil {
		return nil, notFound(err, "user")
	}
	return &out, c.Notify(ctx, market.Event{Topic: market.UserTopic(n.UserID), Kind: market.EventNotification, ID: out.ID, Seq: out.Seq})
}

// UnreadNotificationCount counts the user's unread notifications.
func (c *Conn) UnreadNotificationCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := c.get(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID)
	return n, err
}

// NotificationCounts counts the user's notifications: all of them, and the
// unread ones, in one statement.
func (c *Conn) NotificationCounts(ctx context.Context, userID int64) (total, unread int, err error) {
	var r struct {
		Total  int `db:"total"`
		Unread int `db:"unread"`
	}
	err = c.get(ctx, &r, `SELECT count(*) AS total, count(*) FILTER (WHERE read_at IS NULL) AS unread
		FROM notifications WHERE user_id = $1`, userID)
	return r.Total, r.Unread, err
}

// ListNotifications returns a newest-first page of the user's feed (Limit+1
// rows, so the caller can tell whether there is a next page), only the
// unread ones when unreadOnly. It pages by id on notifications_user_idx.
func (c *Conn) ListNotifications(ctx context.Context, userID int64, unreadOnly bool, p market.PageRequest) ([]*market.Notification, error) {
	unread := ""
	if unreadOnly {
		unread = " AND read_at IS NULL"
	}
	var out []*market.Notification
	err := c.sel(ctx, &out, `SELECT `+notificationCols+` FROM notifications
		WHERE user_id = $1 AND id < $2`+unread+` ORDER BY id DESC LIMIT $3`, userID, afterID(p), p.Limit+1)
	return out, err
}

// UserNotifications loads those of ids that are the user's notifications,
// in id order, locking them (in that order, so that concurrent callers
// cannot deadlock) when forUpdate in a transaction.
func (c *Conn) UserNotifications(ctx context.Context, userID int64, ids []int64, forUpdate bool) ([]*market.Notification, error) {
	var out []*market.Notification
	err := c.sel(ctx, &out, `SELECT `+notificationCols+` FROM notifications
		WHERE user_id = $1 AND id = ANY($2) ORDER BY id`+c.lock(forUpdate), userID, pq.Array(ids))
	return out, err
}

// SetNotificationsRead writes read_at on the user's notifications ids that
// are still unread.
func (c *Conn) SetNotificationsRead(ctx context.Context, userID int64, ids []int64, at time.Time) error {
	_, err := c.exec(ctx, `UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND id = ANY($2) AND read_at IS NULL`,
		userID, pq.Array(ids), at)
	return err
}

// SetAllNotificationsRead marks every unread notification of the user read
// at at. The rows are locked in id order first, like UserNotifications does.
func (c *Conn) SetAllNotificationsRead(ctx context.Context, userID int64, at time.Time) error {
	_, err := c.exec(ctx, `UPDATE notifications SET read_at = $2 WHERE id IN (
			SELECT id FROM notifications WHERE user_id = $1 AND read_at IS NULL ORDER BY id FOR UPDATE
		)`, userID, at)
	return err
}
