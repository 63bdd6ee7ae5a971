package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

var _ auth.Checker = (*Service)(nil)

// CheckToken says whether a verified token still stands: its user exists
// and it carries the user's current token generation (a password change
// moves the generation on). One primary-key lookup per request or
// websocket connection. Errors: UNAUTHENTICATED.
func (s *Service) CheckToken(ctx context.Context, c auth.Claims) error {
	gen, ok, err := s.store.Read().TokenGeneration(ctx, c.UserID)
	switch {
	case err != nil:
		return err
	case !ok:
		return market.Errorf(market.CodeUnauthenticated, "the token's user no longer exists")
	case gen != c.Generation:
		return market.Errorf(market.CodeUnauthenticated, "the token was revoked (the password changed): sign in again")
	}
	return nil
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
