package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Single objects by id for node(id), each to the viewers the lists that show
// it are for, and NOT_FOUND to anyone else.

// Notification returns one of the viewer's own notifications.
// Errors: NOT_FOUND.
func (s *Service) Notification(ctx context.Context, viewerID, id int64) (*market.Notification, error) {
	n, err := s.store.Read().Notification(ctx, id)
	if err != nil {
		return nil, err
	}
	if n.UserID != viewerID {
		return nil, market.NotFound("notification")
	}
	return n, nil
}

// Message returns a message of a room the viewer is a member of.
// Errors: NOT_FOUND.
func (s *Service) Message(ctx context.Context, viewerID, id int64) (*market.Message, error) {
	m, err := s.store.Read().Message(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Room(ctx, viewerID, m.RoomID); err != nil {
		return nil, market.NotFound("message")
	}
	return m, nil
}

// LedgerEntry returns an entry of the viewer's own Connects ledger, or of
// the ledger of an agency where the viewer is staff. Errors: NOT_FOUND.
func (s *Service) LedgerEntry(ctx context.Context, viewerID, id int64) (*market.LedgerEntry, error) {
	e, err := s.store.Read().LedgerEntry(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case e.UserID != nil && *e.UserID == viewerID:
		return e, nil
	case e.AgencyID != nil:
		if err := s.requireStaff(ctx, viewerID, *e.AgencyID); err == nil {
			return e, nil
		}
	}
	return nil, market.NotFound("Connects ledger entry")
}

// Bonus returns a bonus paid on a contract the viewer may see.
// Errors: NOT_FOUND.
func (s *Service) Bonus(ctx context.Context, viewerID, id int64) (*market.Bonus, error) {
	b, err := s.store.Read().Bonus(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Contract(ctx, viewerID, b.ContractID); err != nil {
		return nil, market.NotFound("bonus")
	}
	return b, nil
}

// TimeEntry returns time logged on a contract the viewer may see.
// Errors: NOT_FOUND.
func (s *Service) TimeEntry(ctx context.Context, viewerID, id int64) (*market.TimeEntry, error) {
	e, err := s.store.Read().TimeEntry(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Contract(ctx, viewerID, e.ContractID); err != nil {
		return nil, market.NotFound("time entry")
	}
	return e, nil
}
