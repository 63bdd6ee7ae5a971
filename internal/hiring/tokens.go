package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

var _ auth.Checker = (*Service)(nil)

// CheckToken says whether a verified token still stands: its user exists,
// it carries the user's current token generation, and it was not revoked
// on its own. One statement (two primary-key lookups); the HTTP middleware
// and connection_init ask it once per request or connection. Errors:
// UNAUTHENTICATED; UNAVAILABLE when the database does not answer.
func (s *Service) CheckToken(ctx context.Context, c auth.Claims) error {
	st, err := s.store.Read().TokenState(ctx, c.UserID, c.ID)
	if err != nil {
		return err // market.ErrUnavailable when the database is down
	}
	switch {
	case !st.UserExists:
		return market.Errorf(market.CodeUnauthenticated, "the token's user no longer exists")
	case st.Revoked || c.Generation != st.Generation:
		return market.Errorf(market.CodeUnauthenticated, "the token was revoked: sign in again")
	}
	return nil
}

// Logout revokes the token the request came with, or with everywhere every
// token of its user. Errors: NOT_FOUND.
func (s *Service) Logout(ctx context.Context, c auth.Claims, everywhere bool) error {
	if everywhere {
		return s.RevokeAllTokens(ctx, c.UserID)
	}
	return s.store.Read().RevokeToken(ctx, c.UserID, c.ID, c.ExpiresAt, s.Now())
}

// RevokeAllTokens revokes every token of the user (sign out everywhere).
// Errors: NOT_FOUND.
func (s *Service) RevokeAllTokens(ctx context.Context, userID int64) error {
	_, err := s.RevokeOtherTokens(ctx, userID)
	return err
}

// RevokeOtherTokens revokes every token of the user and returns the new
// token generation: the caller keeps its own session by issuing it a fresh
// token of that generation (auth.Tokens.Issue(userID, generation)), e.g.
// after a password change. Inside a use case's own transaction, call
// postgres.Conn.NextTokenGeneration instead. Errors: NOT_FOUND.
func (s *Service) RevokeOtherTokens(ctx context.Context, userID int64) (int64, error) {
	return s.store.Read().NextTokenGeneration(ctx, userID)
}

// ChangePassword replaces the viewer's password after checking the current
// one, under the sign-up policy, and revokes every token of the viewer by
// moving their token generation on, in one transaction. It returns the new
// generation: the caller keeps its session with a fresh token of it (R26:
// the other tokens stop working). Errors: NOT_FOUND, VALIDATION_FAILED.
func (s *Service) ChangePassword(ctx context.Context, viewerID int64, current, next string) (int64, error) {
	var gen int64
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		u, err := c.LockUser(ctx, viewerID)
		if err != nil {
			return err
		}
		if !auth.CheckPassword(u.PasswordHash, current) {
			return market.Invalid("input.currentPassword", "the current password is wrong")
		}
		if err := market.CheckNewPassword("input.newPassword", current, next, u.Email, u.Name); err != nil {
			return err
		}
		hash, err := auth.HashPassword(next)
		if err != nil {
			return err
		}
		if err := c.SetPasswordHash(ctx, viewerID, hash); err != nil {
			return err
		}
		gen, err = c.NextTokenGeneration(ctx, viewerID)
		return err
	})
	return gen, err
}
