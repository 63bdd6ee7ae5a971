package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Where a subscription starts (R24). Without a cursor a subscription is
// live: it starts after the stream's last committed item, read here before
// the stream opens. Sequences are taken under their owner's row lock, so an
// item committed after this read has a higher number and is delivered; one
// committed before it is history and is not.

// LiveNotificationPosition is the viewer's notification stream position now
// (it also positions the invitation stream, which is ordered by the same
// sequence).
func (s *Service) LiveNotificationPosition(ctx context.Context, viewerID int64) (int64, error) {
	return s.store.Read().LastNotificationSeq(ctx, viewerID)
}

// LiveMessagePosition is a room's message stream position now, for a
// member. Errors: NOT_FOUND.
func (s *Service) LiveMessagePosition(ctx context.Context, viewerID, roomID int64) (int64, error) {
	if _, err := s.Room(ctx, viewerID, roomID); err != nil {
		return 0, err
	}
	return s.store.Read().LastMessageSeq(ctx, roomID)
}

// InvitationsWithPositions is Invitations, with each listed invitation's
// point in the viewer's invitation stream, so that a list edge cursor is a
// valid `after` for invitationReceived. Both are read from one snapshot.
//
// The stream is ordered by the seq of each invitation's INVITATION_RECEIVED
// notification, the list by invitation id, and two invitations created at
// once may take ids and seqs in opposite orders. So an edge stands for the
// highest seq among the viewer's invitations with an id up to its own. From
// the newest edge of a list that is the highest seq of all the invitations
// the list showed (they were committed when it was read), and every
// invitation committed later has a higher seq (seqs are commit-ordered):
// resuming there sends exactly what the list did not show.
func (s *Service) InvitationsWithPositions(ctx context.Context, viewerID int64, f InvitationFilter, p market.PageRequest) (page market.Page[*market.Invitation], positions map[int64]int64, err error) {
	err = s.store.Snapshot(ctx, func(c *postgres.Conn) error {
		if page, err = invitations(ctx, c, viewerID, f, p); err != nil || len(page.Items) == 0 {
			return err
		}
		ids := make([]int64, len(page.Items))
		for i, inv := range page.Items {
			ids[i] = inv.ID
		}
		positions, err = c.InvitationFeedPositions(ctx, viewerID, ids)
		return err
	})
	return page, positions, err
}
