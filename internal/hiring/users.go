package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Authenticate checks an email and password, within the sign-in limits
// (logins.go). An unknown email and a wrong password answer alike and cost
// the same: one bcrypt comparison each (against auth.NoAccountHash for an
// unknown email). Errors: UNAUTHENTICATED (the same for both), RATE_LIMITED.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*market.User, error) {
	addr := auth.ClientAddr(ctx)
	if err := s.logins.check(email, addr, s.now()); err != nil {
		return nil, err
	}
	u, err := s.store.Read().UserByEmail(ctx, email)
	if err != nil && !market.IsCode(err, market.CodeNotFound) {
		return nil, err
	}
	hash := auth.NoAccountHash
	if err == nil {
		hash = u.PasswordHash
	}
	if !auth.CheckPassword(hash, password) || err != nil {
		s.logins.failed(email, addr, s.now())
		return nil, market.Errorf(market.CodeUnauthenticated, "wrong email or password")
	}
	s.logins.succeeded(email)
	return u, nil
}

// User returns a user. Errors: NOT_FOUND.
func (s *Service) User(ctx context.Context, id int64) (*market.User, error) {
	us, err := s.store.Read().UsersByID(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, market.NotFound("user")
	}
	return us[0], nil
}

// UserByEmail finds a user by email. Errors: NOT_FOUND.
func (s *Service) UserByEmail(ctx context.Context, email string) (*market.User, error) {
	return s.store.Read().UserByEmail(ctx, email)
}

// ConnectsBalance returns the freelancer's own balance.
func (s *Service) ConnectsBalance(ctx context.Context, userID int64) (int, error) {
	return s.store.Read().ConnectsBalance(ctx, market.ConnectsOwner{UserID: userID})
}

// AgencyConnectsBalance returns an agency's balance, to its staff. Errors: NOT_FOUND.
func (s *Service) AgencyConnectsBalance(ctx context.Context, viewerID, agencyID int64) (int, error) {
	if err := s.requireStaff(ctx, viewerID, agencyID); err != nil {
		return 0, err
	}
	return s.store.Read().ConnectsBalance(ctx, market.ConnectsOwner{AgencyID: agencyID})
}

// Ledger returns a page of the viewer's Connects ledger, or with agencyID of
// that agency's (to its staff only), newest first, with the balance.
// Errors: NOT_FOUND.
func (s *Service) Ledger(ctx context.Context, viewerID int64, agencyID *int64, p market.PageRequest) (market.Page[*market.LedgerEntry], int, error) {
	var page market.Page[*market.LedgerEntry]
	owner := market.ConnectsOwner{UserID: viewerID}
	if agencyID != nil {
		if err := s.requireStaff(ctx, viewerID, *agencyID); err != nil {
			return page, 0, err
		}
		owner = market.ConnectsOwner{AgencyID: *agencyID}
	}
	c := s.store.Read()
	items, total, err := c.Ledger(ctx, owner, p)
	if err != nil {
		return page, 0, err
	}
	balance, err := c.ConnectsBalance(ctx, owner)
	return market.Trim(items, p, total), balance, err
}

func (s *Service) requireStaff(ctx context.Context, viewerID, agencyID int64) error {
	role, err := s.store.Read().AgencyRole(ctx, agencyID, viewerID)
	if err != nil {
		return err
	}
	return role.RequireStaff()
}

// Memberships returns the user's agency memberships.
func (s *Service) Memberships(ctx context.Context, userID int64) ([]market.AgencyMember, error) {
	return s.store.Read().MembershipsOfUsers(ctx, []int64{userID})
}

// UnreadNotificationCount counts the user's unread notifications.
func (s *Service) UnreadNotificationCount(ctx context.Context, userID int64) (int, error) {
	return s.store.Read().UnreadNotificationCount(ctx, userID)
}
