package postgres_test

import (
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/hiring/hiringtest"
	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

func TestProposals(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	nj := hiringtest.HourlyJob()
	nj.InterviewMode, nj.Questions = market.InterviewInstant, []string{"Why?"}
	job := e.MustCreateJob(client, nj)
	q := must[[]*market.Question](t)(c.QuestionsOfJobs(e.Ctx, []int64{job.ID}))[0]
	now := e.Clock.Now()
	rate := market.USD(5000)

	p, err := c.CreateProposal(e.Ctx, &market.Proposal{JobID: job.ID, FreelancerID: fr.ID, SubmittedBy: fr.ID,
		Terms: market.Terms{HourlyRate: &rate}, ConnectsSpent: 4, CreatedAt: now},
		[]market.Answer{{QuestionID: q.ID, Text: "Because."}},
		[]market.Attachment{{Name: "cv.pdf", ContentType: "application/pdf", Size: 1000, URL: "https://files.test/cv.pdf"}})
	if err != nil || p.Status != market.ProposalSubmitted || p.Terms.HourlyRate.Minor != 5000 {
		t.Fatalf("CreateProposal: %+v %v", p, err)
	}
	t.Run("CreateProposal ErrConflict", func(t *testing.T) {
		_, err := c.CreateProposal(e.Ctx, &market.Proposal{JobID: job.ID, FreelancerID: fr.ID, SubmittedBy: fr.ID,
			Terms: market.Terms{HourlyRate: &rate}, CreatedAt: now}, nil, nil)
		hiringtest.WantCode(t, err, market.CodeConflict)
	})
	t.Run("Proposal and ProposalsByID", func(t *testing.T) {
		got := must[*market.Proposal](t)(c.Proposal(e.Ctx, p.ID, false))
		if got.ConnectsSpent != 4 || got.FreelancerID != fr.ID {
			t.Fatalf("%+v", got)
		}
		_, err := c.Proposal(e.Ctx, 1<<40, false)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		if ps := must[[]*market.Proposal](t)(c.ProposalsByID(e.Ctx, []int64{p.ID})); len(ps) != 1 {
			t.Fatalf("%d", len(ps))
		}
	})
	t.Run("answers and attachments", func(t *testing.T) {
		as := must[[]*market.Answer](t)(c.AnswersOfProposals(e.Ctx, []int64{p.ID}))
		if len(as) != 1 || as[0].Text != "Because." {
			t.Fatalf("%+v", as)
		}
		if err := c.ReplaceProposalAnswers(e.Ctx, p.ID, []market.Answer{{QuestionID: q.ID, Text: "Experience."}}); err != nil {
			t.Fatal(err)
		}
		if as := must[[]*market.Answer](t)(c.AnswersOfProposals(e.Ctx, []int64{p.ID})); len(as) != 1 || as[0].Text != "Experience." {
			t.Fatalf("after replace: %+v", as)
		}
		at := must[[]*market.Attachment](t)(c.AttachmentsOfProposals(e.Ctx, []int64{p.ID}))
		if len(at) != 1 || at[0].Name != "cv.pdf" {
			t.Fatalf("%+v", at)
		}
		if err := c.ReplaceProposalAttachments(e.Ctx, p.ID, nil); err != nil {
			t.Fatal(err)
		}
		if at := must[[]*market.Attachment](t)(c.AttachmentsOfProposals(e.Ctx, []int64{p.ID})); len(at) != 0 {
			t.Fatalf("after replace with none: %+v", at)
		}
	})
	t.Run("UpdateProposal", func(t *testing.T) {
		e.Tx(func(c *postgres.Conn) error {
			locked, err := c.Proposal(e.Ctx, p.ID, true)
			if err != nil {
				return err
			}
			viewed := now.Add(time.Minute)
			locked.CoverLetter, locked.ClientViewedAt, locked.UpdatedAt = "Edited", &viewed, viewed
			return c.UpdateProposal(e.Ctx, locked)
		})
		got := must[*market.Proposal](t)(c.Proposal(e.Ctx, p.ID, false))
		if got.CoverLetter != "Edited" || got.ClientViewedAt == nil {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("ListProposals, ProposalsOfJob, ProposalsOfJobs", func(t *testing.T) {
		fr2 := e.MustCreateUser()
		second := must[*market.Proposal](t)(c.CreateProposal(e.Ctx, &market.Proposal{JobID: job.ID, FreelancerID: fr2.ID, SubmittedBy: fr2.ID,
			Terms: market.Terms{HourlyRate: &rate}, CreatedAt: now}, nil, nil))
		list, total, err := c.ListProposals(e.Ctx, postgres.ProposalFilter{JobID: job.ID}, market.PageRequest{Limit: 10, Count: true})
		if err != nil || total != 2 || list[0].ID != second.ID {
			t.Fatalf("ListProposals: %d %v", total, err)
		}
		list, total, _ = c.ListProposals(e.Ctx, postgres.ProposalFilter{FreelancerID: fr.ID, Statuses: []market.ProposalStatus{market.ProposalHired}}, market.PageRequest{Limit: 10, Count: true})
		if total != 0 || len(list) != 0 {
			t.Fatalf("no hired proposal: %d", total)
		}
		all := must[[]*market.Proposal](t)(c.ProposalsOfJob(e.Ctx, job.ID, false))
		if len(all) != 2 || all[0].ID != p.ID {
			t.Fatalf("ProposalsOfJob in id order: %+v", all)
		}
		pages, totals, err := c.ProposalsOfJobs(e.Ctx, []int64{job.ID}, []market.ProposalStatus{market.ProposalSubmitted}, market.PageRequest{Limit: 5})
		if err != nil || totals[job.ID] != 2 || len(pages[job.ID]) != 2 {
			t.Fatalf("ProposalsOfJobs: %v %v %v", pages, totals, err)
		}
	})
	t.Run("ArchiveProposals, ExpirePendingOffers, RefundProposalConnects", func(t *testing.T) {
		other := e.MustCreateJob(client)
		fr2 := e.MustCreateUser()
		op := e.MustCreateProposal(other, fr2)
		e.MustCreateRoom(other, op)
		e.MustCreateOffer(other, op)
		owner := market.ConnectsOwner{UserID: fr2.ID}
		before := must[int](t)(c.ConnectsBalance(e.Ctx, owner))
		e.Tx(func(c *postgres.Conn) error {
			if err := c.ArchiveProposals(e.Ctx, []int64{op.ID}, now); err != nil {
				return err
			}
			n, err := c.ExpirePendingOffers(e.Ctx, []int64{op.ID}, market.OfferExpired, now)
			if err != nil {
				return err
			}
			if n != 1 {
				t.Errorf("ExpirePendingOffers changed %d offers, want 1", n)
			}
			for i, want := range []bool{true, false} { // once only
				wrote, err := c.RefundProposalConnects(e.Ctx, owner, op.ID, 4, "refund", now)
				if err != nil {
					return err
				}
				if wrote != want {
					t.Errorf("refund %d wrote %v", i+1, wrote)
				}
			}
			return nil
		})
		if got := must[*market.Proposal](t)(c.Proposal(e.Ctx, op.ID, false)); got.Status != market.ProposalArchived {
			t.Fatalf("status %s", got.Status)
		}
		if after := must[int](t)(c.ConnectsBalance(e.Ctx, owner)); after != before+4 {
			t.Fatalf("balance %d → %d, want one refund of 4", before, after)
		}
		if n := e.Count(`SELECT count(*) FROM offers WHERE proposal_id = $1 AND status = 'EXPIRED'`, op.ID); n != 1 {
			t.Fatalf("%d expired offers", n)
		}
	})
}

func TestOffersAndContracts(t *testing.T) {
	t.Parallel()
	e := hiringtest.New(t)
	c := rd(e)
	client, fr := e.MustCreateClient(), e.MustCreateUser()
	job := e.MustCreateJob(client)
	p := e.MustCreateProposal(job, e.MustCreateUser())
	p2 := e.MustCreateProposal(job, fr)
	e.MustCreateRoom(job, p2)
	now := e.Clock.Now()
	rate := market.USD(5000)
	hours := 20

	var o *market.Offer
	e.Tx(func(c *postgres.Conn) error {
		var err error
		o, err = c.CreateOffer(e.Ctx, &market.Offer{ProposalID: p2.ID, ClientID: client.ID, Terms: market.Terms{HourlyRate: &rate},
			WeeklyLimitHours: &hours, Message: "Offer", Status: market.OfferPending, CreatedAt: now})
		if err != nil {
			return err
		}
		return c.SetOfferProposalStatus(e.Ctx, p2.ID, market.ProposalOffered, now)
	})
	t.Run("CreateOffer ErrInvalidState", func(t *testing.T) {
		_, err := c.CreateOffer(e.Ctx, &market.Offer{ProposalID: p2.ID, ClientID: client.ID, Terms: market.Terms{HourlyRate: &rate},
			Status: market.OfferPending, CreatedAt: now})
		hiringtest.WantCode(t, err, market.CodeInvalidState)
	})
	t.Run("Offer, OffersByID, OfferRefs, OffersOfProposals", func(t *testing.T) {
		got := must[*market.Offer](t)(c.Offer(e.Ctx, o.ID, false))
		if got.Status != market.OfferPending || *got.WeeklyLimitHours != 20 || got.Terms.HourlyRate.Minor != 5000 {
			t.Fatalf("%+v", got)
		}
		_, err := c.Offer(e.Ctx, 1<<40, false)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		if os := must[[]*market.Offer](t)(c.OffersByID(e.Ctx, []int64{o.ID})); len(os) != 1 {
			t.Fatal(len(os))
		}
		pid, jid, err := c.OfferRefs(e.Ctx, o.ID)
		if err != nil || pid != p2.ID || jid != job.ID {
			t.Fatalf("OfferRefs = %d %d %v", pid, jid, err)
		}
		if os := must[[]*market.Offer](t)(c.OffersOfProposals(e.Ctx, []int64{p.ID, p2.ID})); len(os) != 1 || os[0].ID != o.ID {
			t.Fatalf("%+v", os)
		}
		if got := must[*market.Proposal](t)(c.Proposal(e.Ctx, p2.ID, false)); got.Status != market.ProposalOffered {
			t.Fatalf("SetOfferProposalStatus: %s", got.Status)
		}
		if !must[bool](t)(c.ProposalHasRoom(e.Ctx, p2.ID)) || must[bool](t)(c.ProposalHasRoom(e.Ctx, p.ID)) {
			t.Fatal("ProposalHasRoom")
		}
	})
	var k *market.Contract
	t.Run("UpdateOffer and CreateContract", func(t *testing.T) {
		if must[bool](t)(c.PartiesHaveContract(e.Ctx, client.ID, fr.ID)) {
			t.Fatal("no contract yet")
		}
		e.Tx(func(c *postgres.Conn) error {
			locked, err := c.Offer(e.Ctx, o.ID, true)
			if err != nil {
				return err
			}
			locked.Status, locked.RespondedBy, locked.RespondedAt = market.OfferAccepted, &fr.ID, &now
			if err := c.UpdateOffer(e.Ctx, locked); err != nil {
				return err
			}
			k, err = c.CreateContract(e.Ctx, &market.Contract{OfferID: o.ID, ProposalID: p2.ID, JobID: job.ID, ClientID: client.ID,
				FreelancerID: fr.ID, ContractType: market.ContractHourly, Terms: locked.Terms, WeeklyLimitHours: &hours,
				Status: market.ContractActive, StartedAt: now})
			return err
		})
		if got := must[*market.Offer](t)(c.Offer(e.Ctx, o.ID, false)); got.Status != market.OfferAccepted || *got.RespondedBy != fr.ID {
			t.Fatalf("%+v", got)
		}
		if !must[bool](t)(c.PartiesHaveContract(e.Ctx, client.ID, fr.ID)) {
			t.Fatal("PartiesHaveContract")
		}
		_, err := c.CreateContract(e.Ctx, &market.Contract{OfferID: o.ID, ProposalID: p2.ID, JobID: job.ID, ClientID: client.ID,
			FreelancerID: fr.ID, ContractType: market.ContractHourly, Terms: o.Terms, Status: market.ContractActive, StartedAt: now})
		hiringtest.WantCode(t, err, market.CodeConflict)
	})
	t.Run("Contract, ContractsByID, ContractsOfProposals, ListContracts", func(t *testing.T) {
		got := must[*market.Contract](t)(c.Contract(e.Ctx, k.ID, false))
		if got.FreelancerID != fr.ID || got.Status != market.ContractActive {
			t.Fatalf("%+v", got)
		}
		_, err := c.Contract(e.Ctx, 1<<40, false)
		hiringtest.WantCode(t, err, market.CodeNotFound)
		if ks := must[[]*market.Contract](t)(c.ContractsByID(e.Ctx, []int64{k.ID})); len(ks) != 1 {
			t.Fatal(len(ks))
		}
		if ks := must[[]*market.Contract](t)(c.ContractsOfProposals(e.Ctx, []int64{p.ID, p2.ID})); len(ks) != 1 || ks[0].ID != k.ID {
			t.Fatalf("%+v", ks)
		}
		for _, who := range []int64{client.ID, fr.ID} {
			list, total, err := c.ListContracts(e.Ctx, postgres.ContractFilter{UserID: who}, market.PageRequest{Limit: 10, Count: true})
			if err != nil || total != 1 || list[0].ID != k.ID {
				t.Fatalf("ListContracts(%d): %d %v", who, total, err)
			}
		}
	})
	t.Run("bonuses and time", func(t *testing.T) {
		b, err := c.CreateBonus(e.Ctx, &market.Bonus{ContractID: k.ID, Amount: market.USD(2500), Note: "Thanks", PaidBy: client.ID, PaidAt: now})
		if err != nil || b.ID == 0 {
			t.Fatalf("%+v %v", b, err)
		}
		bs := must[[]*market.Bonus](t)(c.BonusesOfContracts(e.Ctx, []int64{k.ID}))
		if len(bs) != 1 || bs[0].Amount.Minor != 2500 || bs[0].Note != "Thanks" {
			t.Fatalf("%+v", bs)
		}
		te, err := c.CreateTimeEntry(e.Ctx, &market.TimeEntry{ContractID: k.ID, UserID: fr.ID, Minutes: 90, Memo: "API", Kind: market.TimeTracked, CreatedAt: now})
		if err != nil || te.ID == 0 {
			t.Fatalf("%+v %v", te, err)
		}
		ts := must[[]*market.TimeEntry](t)(c.TimeEntriesOfContracts(e.Ctx, []int64{k.ID}))
		if len(ts) != 1 || ts[0].Minutes != 90 || ts[0].Kind != market.TimeTracked {
			t.Fatalf("%+v", ts)
		}
	})
}
