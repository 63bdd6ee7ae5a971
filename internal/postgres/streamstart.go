package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lib/pq"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Where a live stream starts, and where a list's items sit in a stream.
// Sequences are taken under their owner's row lock, so the committed
// counter is exactly "everything before now": what commits later has a
// higher number.

// Snapshot runs fn's reads in one read-only REPEATABLE READ transaction:
// they all see the database as of the same moment.
func (s *Store) Snapshot(ctx context.Context, fn func(*Conn) error) error {
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to keep
	return fn(&Conn{q: tx})
}

// LastNotificationSeq is the user's last committed notification seq.
func (c *Conn) LastNotificationSeq(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := c.get(ctx, &n, `SELECT notification_seq FROM users WHERE id = $1`, userID)
	return n, notFound(err, "user")
}

// LastMessageSeq is the room's last committed message seq.
func (c *Conn) LastMessageSeq(ctx context.Context, roomID int64) (int64, error) {
	var n int64
	err := c.get(ctx, &n, `SELECT last_seq FROM rooms WHERE id = $1`, roomID)
	return n, notFound(err, "room")
}

// InvitationFeedPositions maps each invitation id to the highest seq of the
// user's INVITATION_RECEIVED notifications about invitations with an id up
// to it (0 when none). See hiring.InvitationsWithPositions for why.
func (c *Conn) InvitationFeedPositions(ctx context.Context, userID int64, ids []int64) (map[int64]int64, error) {
	var rows []struct {
		ID  int64 `db:"id"`
		Pos int64 `db:"pos"`
	}
	// One index-only scan of the user's invitation notifications
	// (notifications_invitation_idx), however many ids.
	err := c.sel(ctx, &rows, `WITH f AS MATERIALIZED (
			SELECT subject_id, seq FROM notifications
			WHERE user_id = $1 AND kind = $2 AND subject_id <= (SELECT max(x) FROM unnest($3::bigint[]) AS x)
		)
		SELECT i.id, COALESCE((SELECT max(f.seq) FROM f WHERE f.subject_id <= i.id), 0) AS pos
		FROM unnest($3::bigint[]) AS i(id)`, userID, market.NotifyInvitationReceived, pq.Array(ids))
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Pos
	}
	return out, err
}
