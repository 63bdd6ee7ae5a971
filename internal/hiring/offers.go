package hiring

import (
	"context"
	"fmt"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Offers, contracts, bonuses and time (R18, R19, R19a).

// SendOfferInput is a client's offer on a proposal. There is deliberately
// no field for anything but the terms, the weekly limit and a message: an
// offer carries no side payment (R18).
type SendOfferInput struct {
	ProposalID       int64
	Terms            *market.Terms // nil: the proposal's terms
	WeeklyLimitHours *int
	Message          string
}

// SendOffer sends an offer on a proposal (R19), in one transaction: the
// offer is created pending, the proposal becomes OFFERED, and the freelancer
// (and for agency proposals the agency's business managers) are notified.
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) SendOffer(ctx context.Context, viewerID int64, in SendOfferInput) (*market.Offer, *market.Proposal, error) {
	var (
		offer *market.Offer
		prop  *market.Proposal
	)
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		peek, err := c.Proposal(ctx, in.ProposalID, false)
		if err != nil {
			return err
		}
		// The job is locked for update, not for share: this transaction
		// writes it (TouchJob), and upgrading a share lock deadlocks with
		// concurrent share holders.
		job, err := lockOfferJob(ctx, c, peek.JobID, true)
		if err != nil {
			return err
		}
		p, err := c.Proposal(ctx, in.ProposalID, true)
		if err != nil {
			return err
		}
		role, err := roleIn(ctx, c, p.AgencyID, viewerID)
		if err != nil {
			return err
		}
		if err := p.AuthorizeClientAction(viewerID, role, job, "send an offer"); err != nil {
			return err
		}
		if err := job.RequireOpen(); err != nil {
			return err
		}
		if err := market.RequireOfferable(p); err != nil {
			return err
		}
		terms := p.Terms
		if in.Terms != nil {
			terms = *in.Terms
		}
		if err := terms.ValidateFor("input.terms", job); err != nil {
			return err
		}
		if err := market.CheckWeeklyLimit("input.weeklyLimitHours", in.WeeklyLimitHours, job); err != nil {
			return err
		}
		msg, err := market.CheckText("input.message", in.Message, market.MaxMessageLen, false)
		if err != nil {
			return err
		}
		if err := noContactInfoBeforeContract(ctx, c, job.ClientID, p.FreelancerID, "input.message", msg); err != nil {
			return err
		}
		offer, err = c.CreateOffer(ctx, &market.Offer{
			ProposalID: p.ID, ClientID: job.ClientID, Terms: terms, WeeklyLimitHours: in.WeeklyLimitHours,
			Message: msg, CreatedAt: now,
		})
		if err != nil {
			return err
		}
		if err := c.SetOfferProposalStatus(ctx, p.ID, market.ProposalOffered, now); err != nil {
			return err
		}
		p.Status, p.UpdatedAt = market.ProposalOffered, now
		recipients, err := offerFreelancerSide(ctx, c, p)
		if err != nil {
			return err
		}
		for _, u := range recipients {
			if _, err := c.AddNotification(ctx, market.NewNotification{
				UserID: u, Kind: market.NotifyOfferReceived, SubjectType: market.SubjectOffer, SubjectID: offer.ID,
				ActorID: &viewerID, Title: fmt.Sprintf("You received an offer for %q", job.Title),
			}, now); err != nil {
				return err
			}
			if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(u), Kind: market.EventProposal, ID: p.ID}); err != nil {
				return err
			}
		}
		if err := c.TouchJob(ctx, job.ID, now); err != nil {
			return err
		}
		prop = p
		return nil
	})
	return offer, prop, err
}

// offerFreelancerSide lists who hears about an offer or a bonus on the
// freelancer's side: the proposal's freelancer and, for agency proposals,
// the agency's business managers (each once).
func offerFreelancerSide(ctx context.Context, c *postgres.Conn, p *market.Proposal) ([]int64, error) {
	return withOfferBusinessManagers(ctx, c, p.FreelancerID, p.AgencyID)
}

// (An agency without a business manager is answered for by its owner, who
// then hears instead.)
func withOfferBusinessManagers(ctx context.Context, c *postgres.Conn, freelancerID int64, agencyID *int64) ([]int64, error) {
	out := []int64{freelancerID}
	if agencyID == nil {
		return out, nil
	}
	members, err := c.AgencyMembers(ctx, *agencyID)
	if err != nil {
		return nil, err
	}
	var owner int64
	managers := 0
	for _, m := range members {
		switch m.Role {
		case market.RoleBusinessManager:
			managers++
			if m.UserID != freelancerID {
				out = append(out, m.UserID)
			}
		case market.RoleOwner:
			owner = m.UserID
		}
	}
	if managers == 0 && owner != 0 && owner != freelancerID {
		out = append(out, owner)
	}
	return out, nil
}

// agencyHasManager reports whether the agency (nil: none) has a business
// manager.
func agencyHasManager(ctx context.Context, c *postgres.Conn, agencyID *int64) (bool, error) {
	if agencyID == nil {
		return false, nil
	}
	members, err := c.AgencyMembers(ctx, *agencyID)
	if err != nil {
		return false, err
	}
	for _, m := range members {
		if m.Role == market.RoleBusinessManager {
			return true, nil
		}
	}
	return false, nil
}

// noContactInfoBeforeContract enforces R17 on text between a client and a
// freelancer, unless a contract already exists between the two.
// Errors: CONTACT_INFO_NOT_ALLOWED.
func noContactInfoBeforeContract(ctx context.Context, c *postgres.Conn, clientID, freelancerID int64, field, text string) error {
	found := noContactInfo(field, text)
	if found == nil {
		return nil
	}
	lifted, err := c.PartiesHaveContract(ctx, clientID, freelancerID)
	if err != nil || lifted {
		return err
	}
	return found
}

// lockOffer loads an offer the viewer is party to with its proposal and job,
// locking in the order used everywhere: the job (for share, or for update
// when the use case writes the job row: upgrading a share lock would
// deadlock with concurrent share holders), then the proposal and the offer
// for update, so that concurrent responses and withdrawals of one offer
// serialize (R19). role is the viewer's role in the proposal's agency.
// Errors: NOT_FOUND.
func lockOffer(ctx context.Context, c *postgres.Conn, viewerID, offerID int64, jobForUpdate bool) (*market.Offer, *market.Proposal, *market.Job, market.AgencyRole, error) {
	proposalID, jobID, err := c.OfferRefs(ctx, offerID)
	if err != nil {
		return nil, nil, nil, "", err
	}
	job, err := lockOfferJob(ctx, c, jobID, jobForUpdate)
	if err != nil {
		return nil, nil, nil, "", err
	}
	p, err := c.Proposal(ctx, proposalID, true)
	if err != nil {
		return nil, nil, nil, "", err
	}
	o, err := c.Offer(ctx, offerID, true)
	if err != nil {
		return nil, nil, nil, "", err
	}
	role, err := roleIn(ctx, c, p.AgencyID, viewerID)
	if err != nil {
		return nil, nil, nil, "", err
	}
	if !market.OfferParty(viewerID, o.ClientID, p.FreelancerID, p.AgencyID, role) {
		return nil, nil, nil, "", market.NotFound("offer")
	}
	return o, p, job, role, nil
}

// lockOfferJob locks a job for share (it cannot close meanwhile) or, when the
// transaction will write the job row (TouchJob), for update from the start.
func lockOfferJob(ctx context.Context, c *postgres.Conn, id int64, forUpdate bool) (*market.Job, error) {
	if forUpdate {
		return c.Job(ctx, id, true)
	}
	return c.JobForShare(ctx, id)
}

// reopenAfterOffer moves an OFFERED proposal back after its offer was
// withdrawn or declined: ACTIVE when it has a room, else SUBMITTED.
func reopenAfterOffer(ctx context.Context, c *postgres.Conn, p *market.Proposal, now time.Time) error {
	if p.Status != market.ProposalOffered {
		return nil
	}
	hasRoom, err := c.ProposalHasRoom(ctx, p.ID)
	if err != nil {
		return err
	}
	status, ok := market.ProposalStatusAfterOffer(p, hasRoom)
	if !ok {
		return nil
	}
	p.Status, p.UpdatedAt = status, now
	return c.SetOfferProposalStatus(ctx, p.ID, status, now)
}

// WithdrawOffer takes back a pending offer (the client's); the proposal goes
// back to ACTIVE or SUBMITTED. Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (s *Service) WithdrawOffer(ctx context.Context, viewerID, offerID int64) (*market.Offer, error) {
	var out *market.Offer
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		o, p, job, _, err := lockOffer(ctx, c, viewerID, offerID, true)
		if err != nil {
			return err
		}
		if err := o.AuthorizeWithdraw(viewerID); err != nil {
			return err
		}
		if err := o.Withdraw(now); err != nil {
			return err
		}
		if err := c.UpdateOffer(ctx, o); err != nil {
			return err
		}
		if err := reopenAfterOffer(ctx, c, p, now); err != nil {
			return err
		}
		if err := c.TouchJob(ctx, job.ID, now); err != nil {
			return err
		}
		out = o
		return c.Notify(ctx, market.Event{Topic: market.UserTopic(p.FreelancerID), Kind: market.EventProposal, ID: p.ID})
	})
	return out, err
}

// AcceptOffer accepts a pending offer (R19): in one transaction the offer is
// accepted, a contract starts, the proposal becomes HIRED and the client is
// notified. Only the freelancer, or for agency proposals the agency's
// business manager. Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (s *Service) AcceptOffer(ctx context.Context, viewerID, offerID int64) (*market.Offer, *market.Contract, error) {
	var (
		offer    *market.Offer
		contract *market.Contract
	)
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		o, p, job, role, err := lockOffer(ctx, c, viewerID, offerID, false)
		if err != nil {
			return err
		}
		hasManager, err := agencyHasManager(ctx, c, p.AgencyID)
		if err != nil {
			return err
		}
		if err := market.AuthorizeOfferResponse(viewerID, o, p, role, hasManager); err != nil {
			return err
		}
		if err := o.RequireRespondable(p, job); err != nil {
			return err
		}
		o.Accept(now, viewerID)
		if err := c.UpdateOffer(ctx, o); err != nil {
			return err
		}
		k, err := c.CreateContract(ctx, market.NewContract(o, p, job, now))
		if err != nil {
			return err
		}
		if err := c.SetOfferProposalStatus(ctx, p.ID, market.ProposalHired, now); err != nil {
			return err
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: o.ClientID, Kind: market.NotifyOfferAccepted, SubjectType: market.SubjectContract, SubjectID: k.ID,
			ActorID: &viewerID, Title: fmt.Sprintf("Your offer for %q was accepted: the contract has started", job.Title),
		}, now); err != nil {
			return err
		}
		if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(o.ClientID), Kind: market.EventProposal, ID: p.ID}); err != nil {
			return err
		}
		offer, contract = o, k
		return nil
	})
	return offer, contract, err
}

// DeclineOfferInput is a freelancer's (or business manager's) decline.
type DeclineOfferInput struct {
	OfferID int64
	Message string
}

// DeclineOffer declines a pending offer with an optional message (no contact
// information, R17); the proposal goes back to ACTIVE or SUBMITTED and the
// client is notified. Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE,
// VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) DeclineOffer(ctx context.Context, viewerID int64, in DeclineOfferInput) (*market.Offer, error) {
	var out *market.Offer
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		o, p, job, role, err := lockOffer(ctx, c, viewerID, in.OfferID, false)
		if err != nil {
			return err
		}
		hasManager, err := agencyHasManager(ctx, c, p.AgencyID)
		if err != nil {
			return err
		}
		if err := market.AuthorizeOfferResponse(viewerID, o, p, role, hasManager); err != nil {
			return err
		}
		if err := o.RequireRespondable(p, job); err != nil {
			return err
		}
		msg, err := market.CheckText("input.message", in.Message, market.MaxMessageLen, false)
		if err != nil {
			return err
		}
		if err := noContactInfoBeforeContract(ctx, c, o.ClientID, p.FreelancerID, "input.message", msg); err != nil {
			return err
		}
		o.Decline(now, viewerID, msg)
		if err := c.UpdateOffer(ctx, o); err != nil {
			return err
		}
		if err := reopenAfterOffer(ctx, c, p, now); err != nil {
			return err
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: o.ClientID, Kind: market.NotifyOfferDeclined, SubjectType: market.SubjectOffer, SubjectID: o.ID,
			ActorID: &viewerID, Title: fmt.Sprintf("Your offer for %q was declined", job.Title),
		}, now); err != nil {
			return err
		}
		if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(o.ClientID), Kind: market.EventProposal, ID: p.ID}); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, err
}

// PayBonusInput is a bonus payment on a contract (R18, R19a).
type PayBonusInput struct {
	ContractID int64
	Amount     market.Money
	Note       string
}

// PayBonus pays a bonus on an active contract (the client's) and notifies
// the freelancer (and for agency contracts the agency's business managers).
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION_FAILED.
func (s *Service) PayBonus(ctx context.Context, viewerID int64, in PayBonusInput) (*market.Bonus, *market.Contract, error) {
	var (
		bonus    *market.Bonus
		contract *market.Contract
	)
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		k, err := c.Contract(ctx, in.ContractID, true)
		if err != nil {
			return err
		}
		role, err := roleIn(ctx, c, k.AgencyID, viewerID)
		if err != nil {
			return err
		}
		if err := k.AuthorizeBonus(viewerID, role); err != nil {
			return err
		}
		if err := k.RequireActive(); err != nil {
			return err
		}
		if err := market.CheckBonusAmount("input.amount.amount", in.Amount); err != nil {
			return err
		}
		// A contract exists between the two: R17 no longer applies to the note.
		note, err := market.CheckText("input.note", in.Note, market.MaxBonusNoteLen, false)
		if err != nil {
			return err
		}
		b, err := c.CreateBonus(ctx, &market.Bonus{ContractID: k.ID, Amount: in.Amount, Note: note, PaidBy: viewerID, PaidAt: now})
		if err != nil {
			return err
		}
		job, err := c.Job(ctx, k.JobID, false)
		if err != nil {
			return err
		}
		recipients, err := withOfferBusinessManagers(ctx, c, k.FreelancerID, k.AgencyID)
		if err != nil {
			return err
		}
		for _, u := range recipients {
			if _, err := c.AddNotification(ctx, market.NewNotification{
				UserID: u, Kind: market.NotifyBonusPaid, SubjectType: market.SubjectContract, SubjectID: k.ID,
				ActorID: &viewerID, Title: fmt.Sprintf("You received a bonus of %s on %q", b.Amount, job.Title),
			}, now); err != nil {
				return err
			}
		}
		bonus, contract = b, k
		return nil
	})
	return bonus, contract, err
}

// LogTimeInput is time logged on an hourly contract (R19a).
type LogTimeInput struct {
	ContractID int64
	Minutes    int
	Memo       string
	Manual     bool
}

// LogTime logs time on an active hourly contract (R19a): tracked time only
// by the freelancer named on the contract; manual time by that freelancer or
// any member of the contract's agency. Errors: NOT_FOUND, FORBIDDEN,
// INVALID_STATE, VALIDATION_FAILED.
func (s *Service) LogTime(ctx context.Context, viewerID int64, in LogTimeInput) (*market.TimeEntry, *market.Contract, error) {
	var (
		entry    *market.TimeEntry
		contract *market.Contract
	)
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		k, err := c.Contract(ctx, in.ContractID, true)
		if err != nil {
			return err
		}
		role, err := roleIn(ctx, c, k.AgencyID, viewerID)
		if err != nil {
			return err
		}
		kind, err := k.AuthorizeTimeLog(viewerID, role, in.Manual)
		if err != nil {
			return err
		}
		if err := k.RequireActive(); err != nil {
			return err
		}
		if err := market.CheckMinutes("input.minutes", in.Minutes); err != nil {
			return err
		}
		memo, err := market.CheckText("input.memo", in.Memo, market.MaxMemoLen, false)
		if err != nil {
			return err
		}
		entry, err = c.CreateTimeEntry(ctx, &market.TimeEntry{
			ContractID: k.ID, UserID: viewerID, Minutes: in.Minutes, Memo: memo, Kind: kind, CreatedAt: s.Now(),
		})
		contract = k
		return err
	})
	return entry, contract, err
}

// Contracts lists the contracts the viewer is party to, newest first: as
// client, as the freelancer named on it, or as staff of its agency.
func (s *Service) Contracts(ctx context.Context, viewerID int64, p market.PageRequest) (market.Page[*market.Contract], error) {
	c := s.store.Read()
	staff, err := c.StaffAgencyIDs(ctx, viewerID)
	if err != nil {
		return market.Page[*market.Contract]{}, err
	}
	items, total, err := c.ListContracts(ctx, postgres.ContractFilter{UserID: viewerID, AgencyIDs: staff}, p)
	if err != nil {
		return market.Page[*market.Contract]{}, err
	}
	return market.Trim(items, p, total), nil
}

// Offer returns an offer the viewer is party to. Errors: NOT_FOUND.
func (s *Service) Offer(ctx context.Context, viewerID, id int64) (*market.Offer, error) {
	c := s.store.Read()
	o, err := c.Offer(ctx, id, false)
	if err != nil {
		return nil, err
	}
	p, err := c.Proposal(ctx, o.ProposalID, false)
	if err != nil {
		return nil, err
	}
	role, err := roleIn(ctx, c, p.AgencyID, viewerID)
	if err != nil {
		return nil, err
	}
	if !market.OfferParty(viewerID, o.ClientID, p.FreelancerID, p.AgencyID, role) {
		return nil, market.NotFound("offer")
	}
	return o, nil
}

// Contract returns a contract the viewer is party to. Errors: NOT_FOUND.
func (s *Service) Contract(ctx context.Context, viewerID, id int64) (*market.Contract, error) {
	c := s.store.Read()
	k, err := c.Contract(ctx, id, false)
	if err != nil {
		return nil, err
	}
	role, err := roleIn(ctx, c, k.AgencyID, viewerID)
	if err != nil {
		return nil, err
	}
	if !k.CanView(viewerID, role) {
		return nil, market.NotFound("contract")
	}
	return k, nil
}

// Batch loads of this area (see batch.go: they serve relations of objects
// the viewer was already allowed to see).

// OffersByProposalID loads the offers of proposals, newest first.
func (s *Service) OffersByProposalID(ctx context.Context, ids []int64) (map[int64][]*market.Offer, error) {
	os, err := s.store.Read().OffersOfProposals(ctx, ids)
	return groupBy(os, func(o *market.Offer) int64 { return o.ProposalID }), err
}

// ContractsByProposalID loads the contracts of proposals.
func (s *Service) ContractsByProposalID(ctx context.Context, ids []int64) (map[int64]*market.Contract, error) {
	cs, err := s.store.Read().ContractsOfProposals(ctx, ids)
	return byID(cs, func(c *market.Contract) int64 { return c.ProposalID }), err
}

// BonusesByContractID loads the bonuses of contracts, in the order paid.
func (s *Service) BonusesByContractID(ctx context.Context, ids []int64) (map[int64][]*market.Bonus, error) {
	bs, err := s.store.Read().BonusesOfContracts(ctx, ids)
	return groupBy(bs, func(b *market.Bonus) int64 { return b.ContractID }), err
}

// TimeEntriesByContractID loads the time entries of contracts, newest first.
func (s *Service) TimeEntriesByContractID(ctx context.Context, ids []int64) (map[int64][]*market.TimeEntry, error) {
	es, err := s.store.Read().TimeEntriesOfContracts(ctx, ids)
	return groupBy(es, func(e *market.TimeEntry) int64 { return e.ContractID }), err
}
