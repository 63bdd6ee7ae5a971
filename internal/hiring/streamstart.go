package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
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
func (s *Service) InvitationsWithPositions(ctx context.Context, viewerID int64, f InvitationFilter, p market.PageRequest) (market.Page[*market.Invitation], map[int64]int64, error) {
	items, positions, total, err := s.store.Read().ListInvitationsInFeed(ctx, invitationFilter(viewerID, f), viewerID, p)
	if err != nil {
		return market.Page[*market.Invitation]{}, nil, err
	}
	return market.Trim(items, p, total), positions, nil
}

// InvitationFeed is a page of InvitationsWithJobs.
type InvitationFeed struct {
	Page      market.Page[*market.Invitation]
	Positions map[int64]int64 // by invitation id, as InvitationsWithPositions
	Jobs      map[int64]*market.Job
	Clients   map[int64]*market.User // the jobs' clients
}

// InvitationsWithJobs is InvitationsWithPositions with the listed
// invitations' jobs and the jobs' clients, read by the same statement.
func (s *Service) InvitationsWithJobs(ctx context.Context, viewerID int64, f InvitationFilter, p market.PageRequest) (InvitationFeed, error) {
	page, err := s.store.Read().ListInvitationsWithJobs(ctx, invitationFilter(viewerID, f), viewerID, p)
	if err != nil {
		return InvitationFeed{}, err
	}
	return InvitationFeed{
		Page:      market.Trim(page.Items, p, page.Total),
		Positions: page.Positions,
		Jobs:      byID(page.Jobs, func(j *market.Job) int64 { return j.ID }),
		Clients:   byID(page.Clients, func(u *market.User) int64 { return u.ID }),
	}, nil
}
