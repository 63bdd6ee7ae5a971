package postgres_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	now := e.Clock.Now()
	u := e.MustCreateUser()
	t.Run("TokenState OK", func(t *testing.T) {
		st, err := c.TokenState(e.Ctx, u.ID, "t1")
		if err != nil || !st.UserExists || st.Generation != 0 || st.Revoked {
			t.Fatalf("%+v %v", st, err)
		}
	})
	t.Run("TokenState of no user", func(t *testing.T) {
		st, err := c.TokenState(e.Ctx, 1<<40, "t1")
		if err != nil || st.UserExists {
			t.Fatalf("%+v %v", st, err)
		}
	})
	t.Run("RevokeToken", func(t *testing.T) {
		// An expired revocation is forgotten by the next one.
		if err := c.RevokeToken(e.Ctx, u.ID, "old", now.Add(-time.Hour), now.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := c.RevokeToken(e.Ctx, u.ID, "t1", now.Add(time.Hour), now); err != nil {
			t.Fatal(err)
		}
		if err := c.RevokeToken(e.Ctx, u.ID, "t1", now.Add(time.Hour), now); err != nil {
			t.Fatalf("revoking twice: %v", err)
		}
		if st, err := c.TokenState(e.Ctx, u.ID, "t1"); err != nil || !st.Revoked {
			t.Fatalf("%+v %v", st, err)
		}
		if st, err := c.TokenState(e.Ctx, u.ID, "old"); err != nil || st.Revoked {
			t.Fatalf("the expired revocation should be gone: %+v %v", st, err)
		}
	})
	t.Run("NextTokenGeneration OK and ErrNotFound", func(t *testing.T) {
		for want := int64(1); want <= 2; want++ {
			if gen, err := c.NextTokenGeneration(e.Ctx, u.ID); err != nil || gen != want {
				t.Fatalf("%d %v", gen, err)
			}
		}
		if st, _ := c.TokenState(e.Ctx, u.ID, "t2"); st.Generation != 2 {
			t.Fatalf("%+v", st)
		}
		_, err := c.NextTokenGeneration(e.Ctx, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("Ping", func(t *testing.T) {
		if err := postgres.New(e.DB).Ping(e.Ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("IsUnavailable", func(t *testing.T) {
		if postgres.IsUnavailable(nil) || postgres.IsUnavailable(errors.New("other")) {
			t.Error("not an outage")
		}
	})
}
