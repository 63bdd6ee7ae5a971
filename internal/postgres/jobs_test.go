package postgres_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestJobs(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client := e.MustCreateClient()
	now := e.Clock.Now()

	nj := hiringtest.HourlyJob()
	nj.InterviewMode, nj.Questions = market.InterviewInstant, []string{"Why you?", "When can you start?"}
	job, err := c.CreateJob(e.Ctx, client.ID, &nj, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("CreateJob and Job", func(t *testing.T) {
		got, err := c.Job(e.Ctx, job.ID, false)
		if err != nil || got.ClientID != client.ID || got.Status != market.JobOpen || got.HourlyMin.Minor != 3000 ||
			len(got.Skills) != 2 || !got.LastActivityAt.Equal(now) || got.InterviewMode != market.InterviewInstant {
			t.Fatalf("%+v %v", got, err)
		}
		_, err = c.Job(e.Ctx, 1<<40, false)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("QuestionsOfJobs and QuestionsByID", func(t *testing.T) {
		qs := must[[]*market.Question](t)(c.QuestionsOfJobs(e.Ctx, []int64{job.ID}))
		if len(qs) != 2 || qs[0].Text != "Why you?" || qs[1].Position <= qs[0].Position {
			t.Fatalf("%+v", qs)
		}
		byID := must[[]*market.Question](t)(c.QuestionsByID(e.Ctx, []int64{qs[1].ID}))
		if len(byID) != 1 || byID[0].Text != "When can you start?" {
			t.Fatalf("%+v", byID)
		}
	})
	t.Run("JobsByID and ListJobs", func(t *testing.T) {
		second := e.MustCreateJob(client, hiringtest.FixedJob())
		js := must[[]*market.Job](t)(c.JobsByID(e.Ctx, []int64{job.ID, second.ID}))
		sameIDs(t, "JobsByID", ids(js, func(j *market.Job) int64 { return j.ID }), []int64{job.ID, second.ID})
		list, total, err := c.ListJobs(e.Ctx, postgres.JobFilter{ClientID: client.ID}, market.PageRequest{Limit: 1, Count: true})
		if err != nil || total != 2 || len(list) != 2 || list[0].ID != second.ID {
			t.Fatalf("ListJobs newest first, Limit+1 rows: %d of %d, %v", len(list), total, err)
		}
		open := market.JobOpen
		_, total, _ = c.ListJobs(e.Ctx, postgres.JobFilter{ClientID: e.MustCreateClient().ID, Status: &open}, market.PageRequest{Limit: 10, Count: true})
		if total != 0 {
			t.Fatalf("another client's jobs: %d", total)
		}
	})
	t.Run("TouchJob", func(t *testing.T) {
		later := now.Add(time.Hour)
		if err := c.TouchJob(e.Ctx, job.ID, later); err != nil {
			t.Fatal(err)
		}
		if got := must[*market.Job](t)(c.Job(e.Ctx, job.ID, false)); !got.LastActivityAt.Equal(later) {
			t.Fatalf("last activity %v, want %v", got.LastActivityAt, later)
		}
	})
	t.Run("IdleJobIDs", func(t *testing.T) {
		got := must[[]int64](t)(c.IdleJobIDs(e.Ctx, now.Add(30*time.Minute)))
		for _, id := range got {
			if id == job.ID {
				t.Fatal("the touched job is not idle")
			}
		}
		got = must[[]int64](t)(c.IdleJobIDs(e.Ctx, now.Add(2*time.Hour)))
		if len(got) != 2 || got[len(got)-1] != job.ID {
			t.Fatalf("both jobs idle, the touched one last: %v", got)
		}
	})
	t.Run("JobForShare and SetJobFeatured", func(t *testing.T) {
		e.Tx(func(c *postgres.Conn) error {
			j, err := c.JobForShare(e.Ctx, job.ID)
			if err != nil {
				return err
			}
			if j.Featured {
				t.Error("featured before")
			}
			return c.SetJobFeatured(e.Ctx, job.ID, true)
		})
		if !must[*market.Job](t)(c.Job(e.Ctx, job.ID, false)).Featured {
			t.Fatal("not featured")
		}
	})
	t.Run("JobHasContract", func(t *testing.T) {
		if has := must[bool](t)(c.JobHasContract(e.Ctx, job.ID)); has {
			t.Fatal("no contract yet")
		}
		hired := e.MustCreateJob(client)
		e.MustCreateContract(hired, e.MustCreateUser())
		if has := must[bool](t)(c.JobHasContract(e.Ctx, hired.ID)); !has {
			t.Fatal("the contract is not seen")
		}
	})
	t.Run("CloseJob and ExpirePendingInvitations", func(t *testing.T) {
		j := e.MustCreateJob(client)
		e.MustCreateInvitation(j, e.MustCreateUser())
		e.MustCreateInvitation(j, e.MustCreateUser())
		locked := &market.Job{}
		e.Tx(func(c *postgres.Conn) error {
			var err error
			if locked, err = c.Job(e.Ctx, j.ID, true); err != nil {
				return err
			}
			locked.Close(now, market.JobNoHire)
			if err := c.CloseJob(e.Ctx, locked); err != nil {
				return err
			}
			n, err := c.ExpirePendingInvitations(e.Ctx, j.ID, now)
			if n != 2 {
				t.Errorf("expired %d invitations, want 2", n)
			}
			return err
		})
		got := must[*market.Job](t)(c.Job(e.Ctx, j.ID, false))
		if got.Status != market.JobClosed || *got.CloseResult != market.JobNoHire || got.ClosedAt == nil {
			t.Fatalf("%+v", got)
		}
		if n := e.Count(`SELECT count(*) FROM invitations WHERE job_id = $1 AND status = 'EXPIRED'`, j.ID); n != 2 {
			t.Fatalf("%d expired", n)
		}
	})
}

func TestReasons(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	rs := must[[]*market.Reason](t)(c.Reasons(e.Ctx, market.ReasonInvitationDecline))
	if len(rs) == 0 || rs[len(rs)-1].Code != "OTHER" && !rs[len(rs)-1].RequiresMessage {
		t.Fatalf("the migration's decline reasons: %+v", rs)
	}
	t.Run("Reason and ReasonsByID", func(t *testing.T) {
		r := must[*market.Reason](t)(c.Reason(e.Ctx, rs[0].ID))
		if r.Code != rs[0].Code || r.Kind != market.ReasonInvitationDecline {
			t.Fatalf("%+v", r)
		}
		_, err := c.Reason(e.Ctx, 1<<40)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		byID := must[[]*market.Reason](t)(c.ReasonsByID(e.Ctx, []int64{rs[0].ID}))
		if len(byID) != 1 || byID[0].ID != rs[0].ID {
			t.Fatalf("%+v", byID)
		}
	})
	t.Run("UpsertReason inserts, then updates by kind and code", func(t *testing.T) {
		r := market.Reason{Kind: market.ReasonProposalWithdrawal, Code: "FIXTURE", Label: "A fixture", Position: 99, Active: true}
		if err := c.UpsertReason(e.Ctx, r); err != nil {
			t.Fatal(err)
		}
		r.Label = "Renamed"
		if err := c.UpsertReason(e.Ctx, r); err != nil {
			t.Fatal(err)
		}
		if n := e.Count(`SELECT count(*) FROM reasons WHERE code = 'FIXTURE' AND label = 'Renamed' AND active`); n != 1 {
			t.Fatalf("%d rows", n)
		}
		listed := func() bool {
			for _, got := range must[[]*market.Reason](t)(c.Reasons(e.Ctx, market.ReasonProposalWithdrawal)) {
				if got.Code == "FIXTURE" {
					return true
				}
			}
			return false
		}
		if _, err := e.DB.Exec(`UPDATE reasons SET active = false WHERE code = 'FIXTURE'`); err != nil {
			t.Fatal(err)
		}
		if listed() {
			t.Fatal("Reasons lists an inactive reason")
		}
		if err := c.UpsertReason(e.Ctx, r); err != nil || !listed() {
			t.Fatalf("UpsertReason brings a reason back: %v", err)
		}
	})
}
