package postgres_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestInvitations(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	now := e.Clock.Now()

	inv, err := c.CreateInvitation(e.Ctx, &market.Invitation{JobID: job.ID, FreelancerID: fr.ID, ClientID: client.ID,
		Origin: market.OriginDirect, Message: "Apply?", Status: market.InvitationPending, CreatedAt: now, UpdatedAt: now})
	if err != nil || inv.ID == 0 || inv.Status != market.InvitationPending {
		t.Fatalf("CreateInvitation: %+v %v", inv, err)
	}
	t.Run("CreateInvitation ErrConflict", func(t *testing.T) {
		_, err := c.CreateInvitation(e.Ctx, &market.Invitation{JobID: job.ID, FreelancerID: fr.ID, ClientID: client.ID,
			Origin: market.OriginDirect, Status: market.InvitationPending, CreatedAt: now, UpdatedAt: now})
		hiringtest.WantCode(t, err, market.CodeConflict)
	})
	t.Run("Invitation, InvitationsByID, InvitationExists", func(t *testing.T) {
		got := must[*market.Invitation](t)(c.Invitation(e.Ctx, inv.ID, false))
		if got.Message != "Apply?" || got.JobID != job.ID {
			t.Fatalf("%+v", got)
		}
		_, err := c.Invitation(e.Ctx, 1<<40, false)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		byID := must[[]*market.Invitation](t)(c.InvitationsByID(e.Ctx, []int64{inv.ID}))
		if len(byID) != 1 || byID[0].ID != inv.ID {
			t.Fatalf("%+v", byID)
		}
		if !must[bool](t)(c.InvitationExists(e.Ctx, job.ID, fr.ID)) || must[bool](t)(c.InvitationExists(e.Ctx, job.ID, client.ID)) {
			t.Fatal("InvitationExists")
		}
	})
	t.Run("UpdateInvitation under a lock", func(t *testing.T) {
		e.Tx(func(c *postgres.Conn) error {
			locked, err := c.Invitation(e.Ctx, inv.ID, true)
			if err != nil {
				return err
			}
			seen := now.Add(time.Minute)
			locked.SeenAt, locked.ArchivedAt, locked.UpdatedAt = &seen, &seen, seen
			return c.UpdateInvitation(e.Ctx, locked)
		})
		got := must[*market.Invitation](t)(c.Invitation(e.Ctx, inv.ID, false))
		if got.SeenAt == nil || !got.Archived() || got.Status != market.InvitationPending {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("ListInvitations and InvitationsOfJobs", func(t *testing.T) {
		other := e.MustCreateInvitation(job, e.MustCreateUser())
		list, total, err := c.ListInvitations(e.Ctx, postgres.InvitationFilter{JobID: job.ID}, market.PageRequest{Limit: 10, Count: true})
		if err != nil || total != 2 || list[0].ID != other.ID {
			t.Fatalf("ListInvitations by job: %d, %v", total, err)
		}
		if list, total, err := c.ListInvitations(e.Ctx, postgres.InvitationFilter{JobID: job.ID}, market.PageRequest{Limit: 10}); err != nil || total != 0 || len(list) != 2 {
			t.Fatalf("ListInvitations without Count: %d items, total %d, %v; want 2 items and no count", len(list), total, err)
		}
		archived := true
		list, total, _ = c.ListInvitations(e.Ctx, postgres.InvitationFilter{FreelancerID: fr.ID, Archived: &archived}, market.PageRequest{Limit: 10, Count: true})
		if total != 1 || list[0].ID != inv.ID {
			t.Fatalf("ListInvitations archived: %d", total)
		}
		pending := market.InvitationPending
		pages, totals, err := c.InvitationsOfJobs(e.Ctx, []int64{job.ID}, &pending, market.PageRequest{Limit: 1})
		if err != nil || totals[job.ID] != 2 || len(pages[job.ID]) != 2 {
			t.Fatalf("InvitationsOfJobs: %v %v %v", pages, totals, err)
		}
	})
}

func TestMatching(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client := e.MustCreateClient()
	best := e.MustCreateUser(hiringtest.UserOpts{Skills: []string{"go", "sql", "graphql"}, Rate: 4000})
	some := e.MustCreateUser(hiringtest.UserOpts{Skills: []string{"go"}, Rate: 4000})
	e.MustCreateUser(hiringtest.UserOpts{Skills: []string{"cobol"}})
	nj := hiringtest.HourlyJob()
	nj.Skills = []string{"go", "sql", "graphql"}
	job := e.MustCreateJob(client, nj)
	crit := market.MatchCriteriaFor(job)

	t.Run("RankFreelancers", func(t *testing.T) {
		cands := must[[]*market.Candidate](t)(c.RankFreelancers(e.Ctx, crit, postgres.RankOptions{Limit: 10}))
		if len(cands) != 2 || cands[0].FreelancerID != best.ID || cands[1].FreelancerID != some.ID || len(cands[0].MatchedSkills) != 3 {
			t.Fatalf("%+v", cands)
		}
	})
	t.Run("ExplainRankFreelancers", func(t *testing.T) {
		plan := must[string](t)(c.ExplainRankFreelancers(e.Ctx, crit, postgres.RankOptions{Limit: 10}))
		if !strings.Contains(plan, "Limit") {
			t.Fatalf("plan:\n%s", plan)
		}
	})
	t.Run("CreateAutomaticInvitations skips who is invited", func(t *testing.T) {
		e.MustCreateInvitation(job, some)
		cands := must[[]*market.Candidate](t)(c.RankFreelancers(e.Ctx, crit, postgres.RankOptions{Limit: 10}))
		var invs []*market.Invitation
		e.Tx(func(c *postgres.Conn) error {
			var err error
			invs, err = c.CreateAutomaticInvitations(e.Ctx, job, cands, e.Clock.Now())
			return err
		})
		if len(invs) != 1 || invs[0].FreelancerID != best.ID || invs[0].Origin != market.OriginAutomatic || invs[0].MatchScore == nil {
			t.Fatalf("%+v", invs)
		}
		cands = must[[]*market.Candidate](t)(c.RankFreelancers(e.Ctx, crit, postgres.RankOptions{Limit: 10, ExcludeInvited: true}))
		if len(cands) != 0 {
			t.Fatalf("both are invited now: %+v", cands)
		}
	})
	t.Run("InvitationStatsOf", func(t *testing.T) {
		e.Clock.Advance(2 * time.Hour)
		pending := market.InvitationPending
		list, _, _ := c.ListInvitations(e.Ctx, postgres.InvitationFilter{FreelancerID: best.ID, Status: &pending}, market.PageRequest{Limit: 10, Count: true})
		e.MustAccept(best, list[0])
		stats := must[[]*market.InvitationStats](t)(c.InvitationStatsOf(e.Ctx, []int64{best.ID, client.ID}, 24*time.Hour))
		byUser := map[int64]*market.InvitationStats{}
		for _, s := range stats {
			byUser[s.UserID] = s
		}
		if s := byUser[best.ID]; s == nil || s.Received != 1 || s.Responded != 1 || s.MedianResponseSeconds == nil || *s.MedianResponseSeconds != 7200 {
			t.Fatalf("stats of the invitee: %+v", s)
		}
		if s := byUser[client.ID]; s == nil || s.Received != 0 {
			t.Fatalf("a user without invitations has zero stats: %+v", s)
		}
	})
}
