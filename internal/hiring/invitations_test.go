package hiring_test

import (
	"sync"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Use-case tests: each exported use case of the Service, OK and its
// errors, over the real store (hiringtest). TestEveryUseCaseIsTested keeps
// the list complete.

func TestInviteFreelancer(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	t.Run("OK", func(t *testing.T) {
		inv, err := e.Hiring.InviteFreelancer(e.Ctx, client.ID, hiring.InviteInput{JobID: job.ID, FreelancerID: fr.ID, Message: "Hi"})
		if err != nil || inv.Origin != market.OriginDirect || inv.Status != market.InvitationPending {
			t.Fatalf("%+v %v", inv, err)
		}
		if n := e.Count(`SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'INVITATION_RECEIVED'`, fr.ID); n != 1 {
			t.Fatalf("%d notifications to the freelancer", n)
		}
	})
	t.Run("ErrConflict: twice", func(t *testing.T) {
		_, err := e.Hiring.InviteFreelancer(e.Ctx, client.ID, hiring.InviteInput{JobID: job.ID, FreelancerID: fr.ID})
		hiringtest.WantCode(t, err, market.CodeConflict)
	})
	t.Run("ErrForbidden: not the job's client", func(t *testing.T) {
		_, err := e.Hiring.InviteFreelancer(e.Ctx, fr.ID, hiring.InviteInput{JobID: job.ID, FreelancerID: e.MustCreateUser().ID})
		hiringtest.WantCode(t, err, market.CodeForbidden)
	})
	t.Run("ErrContactInfo", func(t *testing.T) {
		_, err := e.Hiring.InviteFreelancer(e.Ctx, client.ID, hiring.InviteInput{JobID: job.ID, FreelancerID: e.MustCreateUser().ID, Message: "write to me at casey@example.com"})
		hiringtest.WantCode(t, err, market.CodeContactInfo)
	})
}

func TestAcceptInvitation(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client := e.MustCreateClient()
	job := e.MustCreateJob(client) // 4 Connects
	t.Run("OK", func(t *testing.T) {
		fr := e.MustCreateUser(hiringtest.UserOpts{Connects: 10})
		inv := e.MustCreateInvitation(job, fr)
		res, err := e.Hiring.AcceptInvitation(e.Ctx, fr.ID, hiring.AcceptInput{InvitationID: inv.ID, CoverLetter: "Me."})
		if err != nil {
			t.Fatal(err)
		}
		if res.Invitation.Status != market.InvitationAccepted || res.Proposal.Status != market.ProposalSubmitted || res.ConnectsBalance != 6 {
			t.Fatalf("%+v", res)
		}
		got, err := e.Hiring.Invitation(e.Ctx, fr.ID, inv.ID)
		if err != nil || *got.ProposalID != res.Proposal.ID {
			t.Fatalf("Invitation: %+v %v", got, err)
		}
	})
	t.Run("ErrInsufficientConnects changes nothing", func(t *testing.T) {
		fr := e.MustCreateUser(hiringtest.UserOpts{Connects: 3})
		inv := e.MustCreateInvitation(job, fr)
		_, err := e.Hiring.AcceptInvitation(e.Ctx, fr.ID, hiring.AcceptInput{InvitationID: inv.ID, CoverLetter: "Me."})
		hiringtest.WantCode(t, err, market.CodeInsufficientConnects)
		if bal, _ := e.Hiring.ConnectsBalance(e.Ctx, fr.ID); bal != 3 {
			t.Fatalf("balance %d", bal)
		}
		if got, _ := e.Hiring.Invitation(e.Ctx, fr.ID, inv.ID); got.Status != market.InvitationPending {
			t.Fatalf("status %s", got.Status)
		}
	})
	t.Run("ErrNotFound: someone else's", func(t *testing.T) {
		inv := e.MustCreateInvitation(job, e.MustCreateUser())
		_, err := e.Hiring.AcceptInvitation(e.Ctx, e.MustCreateUser().ID, hiring.AcceptInput{InvitationID: inv.ID, CoverLetter: "Me."})
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
	t.Run("ErrInvalidState: two at once, one wins", func(t *testing.T) {
		fr := e.MustCreateUser()
		inv := e.MustCreateInvitation(job, fr)
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = e.Hiring.AcceptInvitation(e.Ctx, fr.ID, hiring.AcceptInput{InvitationID: inv.ID, CoverLetter: "Me."})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				hiringtest.WantCode(t, err, market.CodeInvalidState)
			}
		}
		if ok != 1 {
			t.Fatalf("%d accepted", ok)
		}
		if bal, _ := e.Hiring.ConnectsBalance(e.Ctx, fr.ID); bal != 96 {
			t.Fatalf("charged more than once: balance %d", bal)
		}
	})
}

func TestDeclineInvitation(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client := e.MustCreateClient()
	job := e.MustCreateJob(client)
	t.Run("OK with a block", func(t *testing.T) {
		fr := e.MustCreateUser()
		inv := e.MustCreateInvitation(job, fr)
		got, err := e.Hiring.DeclineInvitation(e.Ctx, fr.ID, hiring.DeclineInput{InvitationID: inv.ID,
			ReasonID: reason(t, e, market.ReasonInvitationDecline, "TOO_BUSY").ID, Message: "Booked", BlockClient: true})
		if err != nil || got.Status != market.InvitationDeclined || got.DeclineMessage != "Booked" {
			t.Fatalf("%+v %v", got, err)
		}
		_, err = e.Hiring.InviteFreelancer(e.Ctx, client.ID, hiring.InviteInput{JobID: e.MustCreateJob(client).ID, FreelancerID: fr.ID})
		hiringtest.WantCode(t, err, market.CodeForbidden)
	})
	t.Run("ErrValidationFailed: Other needs a message", func(t *testing.T) {
		fr := e.MustCreateUser()
		inv := e.MustCreateInvitation(job, fr)
		_, err := e.Hiring.DeclineInvitation(e.Ctx, fr.ID, hiring.DeclineInput{InvitationID: inv.ID, ReasonID: reason(t, e, market.ReasonInvitationDecline, "OTHER").ID})
		hiringtest.WantCode(t, err, market.CodeValidationFailed)
	})
}

func TestIgnoreInvitation(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	inv := e.MustCreateInvitation(e.MustCreateJob(client), fr)
	t.Run("OK: archived, still pending", func(t *testing.T) {
		got, err := e.Hiring.IgnoreInvitation(e.Ctx, fr.ID, inv.ID)
		if err != nil || !got.Archived() || got.Status != market.InvitationPending {
			t.Fatalf("%+v %v", got, err)
		}
		archived := true
		page, err := e.Hiring.Invitations(e.Ctx, fr.ID, hiring.InvitationFilter{Archived: &archived}, market.PageRequest{Limit: 10, Count: true})
		if err != nil || page.Total != 1 {
			t.Fatalf("Invitations(archived): %+v %v", page, err)
		}
	})
	t.Run("ErrForbidden: the client sees it but cannot ignore it", func(t *testing.T) {
		_, err := e.Hiring.IgnoreInvitation(e.Ctx, client.ID, inv.ID)
		hiringtest.WantCode(t, err, market.CodeForbidden)
	})
	t.Run("ErrNotFound: a stranger", func(t *testing.T) {
		_, err := e.Hiring.IgnoreInvitation(e.Ctx, e.MustCreateUser().ID, inv.ID)
		hiringtest.WantCode(t, err, market.CodeNotFound)
	})
}

func TestMarkInvitationSeen(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	inv := e.MustCreateInvitation(e.MustCreateJob(client), fr)
	first, err := e.Hiring.MarkInvitationSeen(e.Ctx, fr.ID, inv.ID)
	if err != nil || first.SeenAt == nil {
		t.Fatalf("%+v %v", first, err)
	}
	e.Clock.Advance(time.Hour)
	again, err := e.Hiring.MarkInvitationSeen(e.Ctx, fr.ID, inv.ID)
	if err != nil || !again.SeenAt.Equal(*first.SeenAt) {
		t.Fatalf("repeating it changes nothing: %v then %v (%v)", first.SeenAt, again.SeenAt, err)
	}
}

func TestWithdrawInvitation(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	inv := e.MustCreateInvitation(e.MustCreateJob(client), fr)
	t.Run("ErrForbidden: the freelancer cannot", func(t *testing.T) {
		_, err := e.Hiring.WithdrawInvitation(e.Ctx, fr.ID, inv.ID)
		hiringtest.WantCode(t, err, market.CodeForbidden)
	})
	t.Run("OK", func(t *testing.T) {
		got, err := e.Hiring.WithdrawInvitation(e.Ctx, client.ID, inv.ID)
		if err != nil || got.Status != market.InvitationWithdrawn {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("ErrInvalidState: twice", func(t *testing.T) {
		_, err := e.Hiring.WithdrawInvitation(e.Ctx, client.ID, inv.ID)
		hiringtest.WantCode(t, err, market.CodeInvalidState)
	})
}
