package hiring_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/auth"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

func TestTokenRevocation(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	u, other := e.MustCreateUser(), e.MustCreateUser()
	claims := func(userID, gen int64, id string) auth.Claims {
		now := e.Clock.Now()
		return auth.Claims{UserID: userID, ID: id, Generation: gen, IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
	}
	t.Run("CheckToken OK", func(t *testing.T) {
		if err := e.Hiring.CheckToken(e.Ctx, claims(u.ID, 0, "a")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("CheckToken ErrUnauthenticated: unknown user", func(t *testing.T) {
		hiringtest.WantCode(t, e.Hiring.CheckToken(e.Ctx, claims(1<<40, 0, "a")), market.CodeUnauthenticated)
	})
	t.Run("Logout revokes one token", func(t *testing.T) {
		if err := e.Hiring.Logout(e.Ctx, claims(u.ID, 0, "a"), false); err != nil {
			t.Fatal(err)
		}
		hiringtest.WantCode(t, e.Hiring.CheckToken(e.Ctx, claims(u.ID, 0, "a")), market.CodeUnauthenticated)
		if err := e.Hiring.CheckToken(e.Ctx, claims(u.ID, 0, "b")); err != nil {
			t.Fatalf("another token of the user: %v", err)
		}
	})
	t.Run("Logout everywhere and RevokeAllTokens", func(t *testing.T) {
		if err := e.Hiring.Logout(e.Ctx, claims(u.ID, 0, "b"), true); err != nil {
			t.Fatal(err)
		}
		hiringtest.WantCode(t, e.Hiring.CheckToken(e.Ctx, claims(u.ID, 0, "c")), market.CodeUnauthenticated)
		if err := e.Hiring.RevokeAllTokens(e.Ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		hiringtest.WantCode(t, e.Hiring.CheckToken(e.Ctx, claims(u.ID, 1, "c")), market.CodeUnauthenticated)
		if err := e.Hiring.CheckToken(e.Ctx, claims(other.ID, 0, "c")); err != nil {
			t.Fatalf("another user's token: %v", err)
		}
	})
	t.Run("RevokeOtherTokens OK and ErrNotFound", func(t *testing.T) {
		gen, err := e.Hiring.RevokeOtherTokens(e.Ctx, u.ID)
		if err != nil || gen != 3 {
			t.Fatalf("%d %v", gen, err)
		}
		if err := e.Hiring.CheckToken(e.Ctx, claims(u.ID, gen, "kept")); err != nil {
			t.Fatalf("the caller's fresh token: %v", err)
		}
		_, err = e.Hiring.RevokeOtherTokens(e.Ctx, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("Ping", func(t *testing.T) {
		if err := e.Hiring.Ping(e.Ctx); err != nil {
			t.Fatal(err)
		}
	})
}
