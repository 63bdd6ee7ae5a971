package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// SignUpInput is a new account (R26).
type SignUpInput struct {
	Email, Password, Name string
	Roles                 []market.AccountRole
}

// SignUp creates an account: the email normalized (trimmed, lower-cased)
// and unique regardless of case, the password checked against the policy
// and hashed as login checks it, the name free of contact details (others
// see it). Signing up as a freelancer creates an empty freelancer profile
// (filled in with updateProfile) and grants the free Connects
// (Config.SignupConnects) in the same transaction.
// Errors: VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED, CONFLICT.
func (s *Service) SignUp(ctx context.Context, in SignUpInput) (*market.User, error) {
	acc, err := market.CheckSignUp(in.Email, in.Password, in.Name, in.Roles)
	if err != nil {
		return nil, err
	}
	if err := noContactInfo("input.name", acc.Name); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(acc.Password)
	if err != nil {
		return nil, err
	}
	var out *market.User
	err = s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		u, err := c.SignUp(ctx, acc.Email, acc.Name, hash, acc.Client, now)
		if err != nil {
			return err
		}
		if acc.Freelancer {
			p := market.NewProfile(u.ID)
			p.UpdatedAt = now
			if err := c.UpsertProfile(ctx, p); err != nil {
				return err
			}
			if n := s.cfg.SignupConnects; n > 0 {
				if _, err := c.AddLedgerEntry(ctx, market.ConnectsOwner{UserID: u.ID}, market.LedgerGrant, n, nil,
					"Free monthly Connects for new freelancers", now); err != nil {
					return err
				}
			}
		}
		out = u
		return nil
	})
	return out, err
}

// IsFreelancer reports whether the user acts as a freelancer: has a
// freelancer profile.
func (s *Service) IsFreelancer(ctx context.Context, userID int64) (bool, error) {
	return s.store.Read().HasProfile(ctx, userID)
}
