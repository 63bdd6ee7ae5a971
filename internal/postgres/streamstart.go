package postgres

import (
	"context"
	"fmt"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Where a live stream starts, and where a list's items sit in a stream.
// Sequences are taken under their owner's row lock, so the committed
// counter is exactly "everything before now": what commits later has a
// higher number.

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

// ListInvitationsInFeed is ListInvitations with each listed invitation's
// position in userID's invitation stream, read by the same statement (so
// from the same snapshot): the highest seq among the user's
// INVITATION_RECEIVED notifications about invitations with an id up to its
// own (0 when none). See hiring.InvitationsWithPositions for why.
func (c *Conn) ListInvitationsInFeed(ctx context.Context, f InvitationFilter, userID int64, p market.PageRequest) ([]*market.Invitation, map[int64]int64, int, error) {
	q := f.query()
	// Inlined, not bound: the count statement runs with the arguments bound
	// so far, and an argument it does not use would have no type. An id and
	// a constant kind are safe to write into the text.
	q.cols += fmt.Sprintf(`, (SELECT coalesce(max(n.seq), 0) FROM notifications n
		WHERE n.user_id = %d AND n.kind = '%s' AND n.subject_id <= invitations.id) AS feed_pos`, userID, market.NotifyInvitationReceived)
	var rows []*invitationRow
	total, err := q.page(ctx, c, p, &rows)
	if err != nil {
		return nil, nil, 0, err
	}
	pos := make(map[int64]int64, len(rows))
	for _, r := range rows {
		pos[r.ID] = r.FeedPos
	}
	return invitations(rows), pos, total, nil
}
