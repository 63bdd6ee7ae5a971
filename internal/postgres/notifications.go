package postgres

import (
	"context"
	"time"

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
	return &out, c.Notify(ctx, Event{Topic: UserTopic(n.UserID), Kind: EventNotification, ID: out.ID, Seq: out.Seq})
}

// UnreadNotificationCount counts the user's unread notifications.
func (c *Conn) UnreadNotificationCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := c.get(ctx, &n, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID)
	return n, err
}
