package postgres_test

import (
	"fmt"
	"testing"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// TestPreparedStatements: the invitations page and the token check run as
// prepared statements whose text is the same for every viewer (one text
// each however many viewers), they read what the unprepared path reads,
// and the set of prepared texts is bounded: past the bound a text runs
// unprepared, with the same result.
func TestPreparedStatements(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	store := postgres.New(e.DB)
	c := store.Read()
	client := e.MustCreateClient()
	job := e.MustCreateJob(client)
	var viewers []*market.User
	for range 3 {
		fr := e.MustCreateUser()
		e.MustCreateInvitation(job, fr)
		viewers = append(viewers, fr)
	}
	for _, fr := range viewers {
		for _, p := range []market.PageRequest{{Limit: 20}, {Limit: 1}} {
			items, _, _, err := c.ListInvitationsInFeed(e.Ctx, postgres.InvitationFilter{FreelancerID: fr.ID}, fr.ID, p)
			if err != nil || len(items) != 1 || items[0].FreelancerID != fr.ID {
				t.Fatalf("viewer %d: %v %v", fr.ID, items, err)
			}
			page, err := c.ListInvitationsWithJobs(e.Ctx, postgres.InvitationFilter{FreelancerID: fr.ID}, fr.ID, p)
			if err != nil || len(page.Items) != 1 || page.Jobs[0].ID != job.ID {
				t.Fatalf("viewer %d with jobs: %+v %v", fr.ID, page, err)
			}
			st, err := c.TokenState(e.Ctx, fr.ID, "some-token")
			if err != nil || !st.UserExists || st.Revoked {
				t.Fatalf("token state %+v %v", st, err)
			}
		}
	}
	if n := store.PreparedTexts(); n != 3 {
		t.Errorf("%d prepared texts for the page, the page with jobs and the token check, want 3 (a value written into a text?)", n)
	}
	if st, err := c.TokenState(e.Ctx, 1<<40, "x"); err != nil || st.UserExists {
		t.Errorf("an unknown user's token: %+v %v", st, err)
	}

	// The bound.
	for i := store.PreparedTexts(); i < postgres.MaxPrepared; i++ {
		if ok, err := store.Prepared(e.Ctx, fmt.Sprintf("SELECT %d", i)); !ok || err != nil {
			t.Fatalf("text %d: prepared %v, %v", i, ok, err)
		}
	}
	if ok, err := store.Prepared(e.Ctx, "SELECT 'one too many'"); ok || err != nil {
		t.Fatalf("past the bound: prepared %v, %v", ok, err)
	}
	fr := viewers[0]
	page, err := c.ListInvitationsWithJobs(e.Ctx, postgres.InvitationFilter{FreelancerID: fr.ID, Staff: true}, fr.ID, market.PageRequest{Limit: 5})
	if err != nil || len(page.Items) != 1 || store.PreparedTexts() != postgres.MaxPrepared {
		t.Fatalf("a new text past the bound: %+v %v, %d prepared", page, err, store.PreparedTexts())
	}
}
