package hiring_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

func reason(t *testing.T, e *hiringtest.Env, kind market.ReasonKind, code string) *market.Reason {
	t.Helper()
	rs, err := e.Hiring.Reasons(e.Ctx, kind)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no %s reason %s", kind, code)
	return nil
}

func TestPostJob(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client := e.MustCreateClient()
	t.Run("OK", func(t *testing.T) {
		res, err := e.Hiring.PostJob(e.Ctx, client.ID, hiringtest.FixedJob())
		if err != nil || res.Job.Status != market.JobOpen || res.Job.ClientID != client.ID || len(res.Invitations) != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		got, err := e.Hiring.Job(e.Ctx, res.Job.ID)
		if err != nil || got.Title != res.Job.Title {
			t.Fatalf("Job: %+v %v", got, err)
		}
	})
	t.Run("ErrValidationFailed", func(t *testing.T) {
		j := hiringtest.FixedJob()
		j.Title = "  "
		_, err := e.Hiring.PostJob(e.Ctx, client.ID, j)
		hiringtest.WantCode(t, err, market.CodeValidationFailed)
	})
	t.Run("ErrContactInfo", func(t *testing.T) {
		j := hiringtest.FixedJob()
		j.Description = "Call me on +1 415 555 0100"
		_, err := e.Hiring.PostJob(e.Ctx, client.ID, j)
		hiringtest.WantCode(t, err, market.CodeContactInfo)
	})
	t.Run("featured: automatic invitations", func(t *testing.T) {
		e.MustCreateUser()
		j := hiringtest.HourlyJob()
		j.Featured = true
		res, err := e.Hiring.PostJob(e.Ctx, client.ID, j)
		if err != nil || len(res.Invitations) == 0 || res.Invitations[0].Origin != market.OriginAutomatic {
			t.Fatalf("%+v %v", res, err)
		}
	})
}

func TestJobsAndPages(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	p := e.MustCreateProposal(job, fr)
	e.MustCreateInvitation(job, e.MustCreateUser())

	t.Run("Jobs", func(t *testing.T) {
		open := market.JobOpen
		page, err := e.Hiring.Jobs(e.Ctx, client.ID, &open, market.PageRequest{Limit: 10, Count: true})
		if err != nil || page.Total != 1 || page.Items[0].ID != job.ID {
			t.Fatalf("%+v %v", page, err)
		}
	})
	t.Run("AuthorizeJobClient", func(t *testing.T) {
		if err := e.Hiring.AuthorizeJobClient(client.ID, job, "see its proposals"); err != nil {
			t.Fatal(err)
		}
		hiringtest.WantCode(t, e.Hiring.AuthorizeJobClient(fr.ID, job, "see its proposals"), market.CodeForbidden)
	})
	t.Run("JobInvitationPages and JobProposalPages", func(t *testing.T) {
		ik := hiring.InvitationPageKey(job.ID, nil, market.PageRequest{Limit: 1})
		invs, err := e.Hiring.JobInvitationPages(e.Ctx, []hiring.JobPageKey{ik})
		if err != nil || invs[ik].Total != 2 || len(invs[ik].Items) != 1 || !invs[ik].HasNext {
			t.Fatalf("JobInvitationPages: %+v %v", invs[ik], err)
		}
		pk := hiring.ProposalPageKey(job.ID, []market.ProposalStatus{market.ProposalSubmitted}, market.PageRequest{Limit: 5})
		props, err := e.Hiring.JobProposalPages(e.Ctx, []hiring.JobPageKey{pk})
		if err != nil || props[pk].Total != 1 || props[pk].Items[0].ID != p.ID {
			t.Fatalf("JobProposalPages: %+v %v", props[pk], err)
		}
	})
	t.Run("Reasons", func(t *testing.T) {
		for _, kind := range []market.ReasonKind{market.ReasonInvitationDecline, market.ReasonProposalWithdrawal, market.ReasonProposalDecline} {
			rs, err := e.Hiring.Reasons(e.Ctx, kind)
			if err != nil || len(rs) == 0 || rs[len(rs)-1].Code != "OTHER" || !rs[len(rs)-1].RequiresMessage {
				t.Fatalf("%s: %+v %v", kind, rs, err)
			}
		}
	})
}

func TestCloseJob(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client := e.MustCreateClient()
	t.Run("OK: CANCELLED refunds (R21)", func(t *testing.T) {
		job := e.MustCreateJob(client)
		fr := e.MustCreateUser()
		e.MustCreateProposal(job, fr)
		res, err := e.Hiring.CloseJob(e.Ctx, client.ID, job.ID, market.JobCancelled)
		if err != nil || res.ConnectsRefunded != 4 || res.Job.Status != market.JobClosed {
			t.Fatalf("%+v %v", res, err)
		}
		if bal, _ := e.Hiring.ConnectsBalance(e.Ctx, fr.ID); bal != 100 {
			t.Fatalf("balance %d after the refund", bal)
		}
	})
	t.Run("OK: NO_HIRE refunds nothing", func(t *testing.T) {
		job := e.MustCreateJob(client)
		e.MustCreateProposal(job, e.MustCreateUser())
		res, err := e.Hiring.CloseJob(e.Ctx, client.ID, job.ID, market.JobNoHire)
		if err != nil || res.ConnectsRefunded != 0 {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("ErrInvalidState: closed twice; ErrForbidden: not the client", func(t *testing.T) {
		job := e.MustCreateJob(client)
		_, err := e.Hiring.CloseJob(e.Ctx, e.MustCreateUser().ID, job.ID, market.JobNoHire)
		hiringtest.WantCode(t, err, market.CodeForbidden)
		if _, err := e.Hiring.CloseJob(e.Ctx, client.ID, job.ID, market.JobNoHire); err != nil {
			t.Fatal(err)
		}
		_, err = e.Hiring.CloseJob(e.Ctx, client.ID, job.ID, market.JobNoHire)
		hiringtest.WantCode(t, err, market.CodeInvalidState)
	})
}

func TestProposals(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	p := e.MustCreateProposal(job, fr)

	t.Run("Proposals and Proposal", func(t *testing.T) {
		page, err := e.Hiring.Proposals(e.Ctx, fr.ID, nil, market.PageRequest{Limit: 10, Count: true})
		if err != nil || page.Total != 1 || page.Items[0].ID != p.ID {
			t.Fatalf("%+v %v", page, err)
		}
		for _, who := range []int64{fr.ID, client.ID} {
			if _, err := e.Hiring.Proposal(e.Ctx, who, p.ID); err != nil {
				t.Fatalf("Proposal as %d: %v", who, err)
			}
		}
		_, err = e.Hiring.Proposal(e.Ctx, e.MustCreateUser().ID, p.ID)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("UpdateProposal OK within 6 hours", func(t *testing.T) {
		letter := "Better letter."
		got, err := e.Hiring.UpdateProposal(e.Ctx, fr.ID, hiring.UpdateProposalInput{ProposalID: p.ID, CoverLetter: &letter})
		if err != nil || got.CoverLetter != letter {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("MarkProposalViewed closes the content window (R11)", func(t *testing.T) {
		_, err := e.Hiring.MarkProposalViewed(e.Ctx, fr.ID, p.ID)
		hiringtest.WantCode(t, err, market.CodeForbidden)
		got, err := e.Hiring.MarkProposalViewed(e.Ctx, client.ID, p.ID)
		if err != nil || got.ClientViewedAt == nil {
			t.Fatalf("%+v %v", got, err)
		}
		letter := "Too late."
		_, err = e.Hiring.UpdateProposal(e.Ctx, fr.ID, hiring.UpdateProposalInput{ProposalID: p.ID, CoverLetter: &letter})
		hiringtest.WantCode(t, err, market.CodeEditWindowClosed)
		rate := market.USD(6000)
		got, err = e.Hiring.UpdateProposal(e.Ctx, fr.ID, hiring.UpdateProposalInput{ProposalID: p.ID, Terms: &market.Terms{HourlyRate: &rate}})
		if err != nil || got.Terms.HourlyRate.Minor != 6000 {
			t.Fatalf("terms stay editable (R12): %+v %v", got, err)
		}
	})
	t.Run("UpdateProposal ErrEditWindowClosed after 6 hours", func(t *testing.T) {
		p2 := e.MustCreateProposal(e.MustCreateJob(client), fr)
		e.Clock.Advance(6*time.Hour + time.Second)
		letter := "Late."
		_, err := e.Hiring.UpdateProposal(e.Ctx, fr.ID, hiring.UpdateProposalInput{ProposalID: p2.ID, CoverLetter: &letter})
		hiringtest.WantCode(t, err, market.CodeEditWindowClosed)
	})
	t.Run("WithdrawProposal", func(t *testing.T) {
		p3 := e.MustCreateProposal(e.MustCreateJob(client), fr)
		_, err := e.Hiring.WithdrawProposal(e.Ctx, fr.ID, hiring.ReasonInput{ProposalID: p3.ID, ReasonID: reason(t, e, market.ReasonProposalWithdrawal, "OTHER").ID})
		hiringtest.WantCode(t, err, market.CodeValidationFailed)
		got, err := e.Hiring.WithdrawProposal(e.Ctx, fr.ID, hiring.ReasonInput{ProposalID: p3.ID, ReasonID: reason(t, e, market.ReasonProposalWithdrawal, "MISTAKE").ID})
		if err != nil || got.Status != market.ProposalWithdrawn {
			t.Fatalf("%+v %v", got, err)
		}
		_, err = e.Hiring.WithdrawProposal(e.Ctx, fr.ID, hiring.ReasonInput{ProposalID: p3.ID, ReasonID: reason(t, e, market.ReasonProposalWithdrawal, "MISTAKE").ID})
		hiringtest.WantCode(t, err, market.CodeInvalidState)
	})
	t.Run("DeclineProposal", func(t *testing.T) {
		j4 := e.MustCreateJob(client)
		p4 := e.MustCreateProposal(j4, fr)
		r := reason(t, e, market.ReasonProposalDecline, "TOO_EXPENSIVE")
		_, err := e.Hiring.DeclineProposal(e.Ctx, fr.ID, hiring.ReasonInput{ProposalID: p4.ID, ReasonID: r.ID})
		hiringtest.WantCode(t, err, market.CodeForbidden)
		got, err := e.Hiring.DeclineProposal(e.Ctx, client.ID, hiring.ReasonInput{ProposalID: p4.ID, ReasonID: r.ID})
		if err != nil || got.Status != market.ProposalDeclined {
			t.Fatalf("%+v %v", got, err)
		}
	})
}
