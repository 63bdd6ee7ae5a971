package postgres_test

import (
	"fmt"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestInsertLoadInvitations(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	err := e.Store.Transact(e.Ctx, func(c *postgres.Conn) error {
		for i := range 3 {
			if _, err := c.CreateUser(e.Ctx, fmt.Sprintf("p%d@pool.load.test", i), "Pool", "x", e.Clock.Now()); err != nil {
				return err
			}
		}
		n, err := c.InsertLoadInvitations(e.Ctx, client.ID, fr.ID, "pool.load.test", 2, 3, e.Clock.Now())
		if err != nil {
			return err
		}
		if n != 6 {
			t.Errorf("inserted %d invitations, want 2 jobs × 3", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var mine, pool int
	if err := e.DB.Get(&mine, `SELECT count(*) FROM invitations WHERE freelancer_id = $1 AND client_id = $2`, fr.ID, client.ID); err != nil || mine != 2 {
		t.Errorf("the freelancer has %d invitations (%v), want one per job", mine, err)
	}
	if err := e.DB.Get(&pool, `SELECT count(DISTINCT (job_id, freelancer_id)) FROM invitations i JOIN users u ON u.id = i.freelancer_id
		WHERE u.email LIKE '%@pool.load.test'`); err != nil || pool != 4 {
		t.Errorf("%d distinct pool invitations (%v), want 2 per job", pool, err)
	}
}
