package hiring

import (
	"context"
	"fmt"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Proposals lists the viewer's proposals, newest first: their own, and those
// of agencies where they are staff.
func (s *Service) Proposals(ctx context.Context, viewerID int64, statuses []market.ProposalStatus, p market.PageRequest) (market.Page[*market.Proposal], error) {
	items, total, err := s.store.Read().ListProposals(ctx, postgres.ProposalFilter{FreelancerID: viewerID, Staff: true, Statuses: statuses}, p)
	if err != nil {
		return market.Page[*market.Proposal]{}, err
	}
	return market.Trim(items, p, total), nil
}

// Proposal returns a proposal the viewer may see: its freelancer, its
// submitter, the job's client, or staff of its agency. Errors: NOT_FOUND.
func (s *Service) Proposal(ctx context.Context, viewerID, id int64) (*market.Proposal, error) {
	c := s.store.Read()
	p, err := c.Proposal(ctx, id, false)
	if err != nil {
		return nil, err
	}
	role, err := roleIn(ctx, c, p.AgencyID, viewerID)
	if err != nil {
		return nil, err
	}
	job, err := c.Job(ctx, p.JobID, false)
	if err != nil {
		return nil, err
	}
	if !p.CanView(viewerID, role, job.ClientID) {
		return nil, market.NotFound("proposal")
	}
	return p, nil
}

// lockProposal loads a proposal the viewer may see with its job, in the lock
// order used everywhere: the job row first (share-locked, or locked for
// update when the client acts, since client actions also write the job's
// activity), then the proposal row for update, so that concurrent changes to
// one proposal serialize and its job cannot close meanwhile. It returns the
// viewer's role in the proposal's agency. Errors: NOT_FOUND.
func lockProposal(ctx context.Context, c *postgres.Conn, viewerID, id int64, jobForUpdate bool) (*market.Proposal, *market.Job, market.AgencyRole, error) {
	peek, err := c.Proposal(ctx, id, false)
	if err != nil {
		return nil, nil, "", err
	}
	var job *market.Job
	if jobForUpdate {
		job, err = c.Job(ctx, peek.JobID, true)
	} else {
		job, err = c.JobForShare(ctx, peek.JobID)
	}
	if err != nil {
		return nil, nil, "", err
	}
	p, err := c.Proposal(ctx, id, true)
	if err != nil {
		return nil, nil, "", err
	}
	role, err := roleIn(ctx, c, p.AgencyID, viewerID)
	if err != nil {
		return nil, nil, "", err
	}
	if !p.CanView(viewerID, role, job.ClientID) {
		return nil, nil, "", market.NotFound("proposal")
	}
	return p, job, role, nil
}

// checkReason loads a reason picked from the list of kind (named list in
// the API) and checks it and its message (market.CheckReason), and that the
// message carries no contact information (R17).
// Errors: VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func checkReason(ctx context.Context, c *postgres.Conn, kind market.ReasonKind, reasonID int64, message, list string) (*market.Reason, string, error) {
	reason, err := c.Reason(ctx, reasonID)
	if market.IsCode(err, market.CodeNotFound) {
		reason, err = nil, nil
	}
	if err != nil {
		return nil, "", err
	}
	msg, err := market.CheckReason(reason, kind, list, message)
	if err != nil {
		return nil, "", err
	}
	if err := noContactInfo("input.message", msg); err != nil {
		return nil, "", err
	}
	return reason, msg, nil
}

// endProposal saves a proposal that just left play (declined, withdrawn)
// and withdraws the offer pending on it, if any (R10).
func endProposal(ctx context.Context, c *postgres.Conn, p *market.Proposal, now time.Time) error {
	if err := c.UpdateProposal(ctx, p); err != nil {
		return err
	}
	_, err := c.ExpirePendingOffers(ctx, []int64{p.ID}, market.OfferWithdrawn, now)
	return err
}

// MarkProposalViewed records the client's view of a proposal. The first view
// closes the content edit window (R11), notifies the freelancer and counts
// as client activity on the job (R2); repeating it changes nothing.
// Errors: NOT_FOUND, FORBIDDEN.
func (s *Service) MarkProposalViewed(ctx context.Context, viewerID, proposalID int64) (*market.Proposal, error) {
	var out *market.Proposal
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		p, job, _, err := lockProposal(ctx, c, viewerID, proposalID, true)
		if err != nil {
			return err
		}
		if err := job.AuthorizeClient(viewerID, "mark its proposals viewed"); err != nil {
			return err
		}
		out = p
		if !p.MarkViewed(now) {
			return nil
		}
		if err := c.UpdateProposal(ctx, p); err != nil {
			return err
		}
		if err := c.TouchJob(ctx, job.ID, now); err != nil {
			return err
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: p.FreelancerID, Kind: market.NotifyProposalViewed, SubjectType: market.SubjectProposal,
			SubjectID: p.ID, ActorID: &viewerID, Title: fmt.Sprintf("The client viewed your proposal to %q", job.Title),
		}, now); err != nil {
			return err
		}
		return c.Notify(ctx, market.Event{Topic: market.UserTopic(p.FreelancerID), Kind: market.EventProposal, ID: p.ID})
	})
	return out, err
}

// ReasonInput is a reason picked from a list, with an optional message.
type ReasonInput struct {
	ProposalID int64
	ReasonID   int64
	Message    string
}

// DeclineProposal declines a proposal (the job's client) with a reason from
// proposalDeclineReasons, while it is submitted, active or offered (R10); a
// pending offer on it is withdrawn. The freelancer is notified. Connects are
// not refunded (R21). Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE,
// VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) DeclineProposal(ctx context.Context, viewerID int64, in ReasonInput) (*market.Proposal, error) {
	var out *market.Proposal
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		p, job, _, err := lockProposal(ctx, c, viewerID, in.ProposalID, true)
		if err != nil {
			return err
		}
		if err := job.AuthorizeClient(viewerID, "decline its proposals"); err != nil {
			return err
		}
		if err := p.RequireDeclinable(); err != nil {
			return err
		}
		reason, msg, err := checkReason(ctx, c, market.ReasonProposalDecline, in.ReasonID, in.Message, "proposalDeclineReasons")
		if err != nil {
			return err
		}
		if err := p.Decline(now, reason.ID, msg); err != nil {
			return err
		}
		if err := endProposal(ctx, c, p, now); err != nil {
			return err
		}
		if err := c.TouchJob(ctx, job.ID, now); err != nil {
			return err
		}
		if _, err := c.AddNotification(ctx, market.NewNotification{
			UserID: p.FreelancerID, Kind: market.NotifyProposalDeclined, SubjectType: market.SubjectProposal,
			SubjectID: p.ID, ActorID: &viewerID, Title: fmt.Sprintf("Your proposal to %q was declined: %s", job.Title, reason.Label),
		}, now); err != nil {
			return err
		}
		if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(p.FreelancerID), Kind: market.EventProposal, ID: p.ID}); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// WithdrawProposal withdraws a proposal (its freelancer, its submitter, or
// its agency's business manager) with a reason from withdrawalReasons, until
// an offer is accepted (R10); a pending offer on it is withdrawn. Connects
// are not returned (R10, R21). Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE,
// VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) WithdrawProposal(ctx context.Context, viewerID int64, in ReasonInput) (*market.Proposal, error) {
	var out *market.Proposal
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		p, job, role, err := lockProposal(ctx, c, viewerID, in.ProposalID, false)
		if err != nil {
			return err
		}
		if err := p.AuthorizeFreelancerAction(viewerID, role); err != nil {
			return err
		}
		if err := p.RequireWithdrawable(); err != nil {
			return err
		}
		reason, msg, err := checkReason(ctx, c, market.ReasonProposalWithdrawal, in.ReasonID, in.Message, "withdrawalReasons")
		if err != nil {
			return err
		}
		if err := p.Withdraw(now, reason.ID, msg); err != nil {
			return err
		}
		if err := endProposal(ctx, c, p, now); err != nil {
			return err
		}
		if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(job.ClientID), Kind: market.EventProposal, ID: p.ID}); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// UpdateProposalInput is an edit of a proposal. Nil fields are left as they
// are; a non-nil empty Answers or Attachments removes them all.
type UpdateProposalInput struct {
	ProposalID  int64
	CoverLetter *string
	Answers     *[]market.Answer
	Attachments *[]market.Attachment
	Terms       *market.Terms
}

func (in UpdateProposalInput) changesContent() bool {
	return in.CoverLetter != nil || in.Answers != nil || in.Attachments != nil
}

// UpdateProposal edits a proposal (its freelancer, its submitter, or its
// agency's business manager), all or nothing: the cover letter, answers and
// attachments within the R11 window, the terms until an offer is accepted
// (R12). A content change outside its window rejects the whole request.
// Errors: NOT_FOUND, FORBIDDEN, EDIT_WINDOW_CLOSED, INVALID_STATE,
// VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) UpdateProposal(ctx context.Context, viewerID int64, in UpdateProposalInput) (*market.Proposal, error) {
	var out *market.Proposal
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		p, job, role, err := lockProposal(ctx, c, viewerID, in.ProposalID, false)
		if err != nil {
			return err
		}
		if err := p.AuthorizeFreelancerAction(viewerID, role); err != nil {
			return err
		}
		if !in.changesContent() && in.Terms == nil {
			return market.Invalid("input", "nothing to change: give coverLetter, answers, attachments or terms")
		}
		if in.changesContent() {
			if err := p.CanEditContent(now); err != nil {
				return err
			}
		}
		if in.Terms != nil {
			if err := p.CanEditTerms(); err != nil {
				return err
			}
		}
		if in.changesContent() {
			if err := s.editContent(ctx, c, p, job, in); err != nil {
				return err
			}
		}
		if in.Terms != nil {
			if err := in.Terms.ValidateFor("input.terms", job); err != nil {
				return err
			}
			p.Terms = *in.Terms
		}
		p.UpdatedAt = now
		if err := c.UpdateProposal(ctx, p); err != nil {
			return err
		}
		if err := c.Notify(ctx, market.Event{Topic: market.UserTopic(job.ClientID), Kind: market.EventProposal, ID: p.ID}); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// editContent checks the proposal's content as it will be after the edit
// (what is given replacing what is there) against the job (R6) and R17, and
// writes the answers and attachments given; the cover letter is set on p.
func (s *Service) editContent(ctx context.Context, c *postgres.Conn, p *market.Proposal, job *market.Job, in UpdateProposalInput) error {
	content := market.ProposalContent{CoverLetter: p.CoverLetter}
	if in.CoverLetter != nil {
		content.CoverLetter = *in.CoverLetter
	}
	if in.Answers != nil {
		content.Answers = *in.Answers
	} else {
		as, err := c.AnswersOfProposals(ctx, []int64{p.ID})
		if err != nil {
			return err
		}
		for _, a := range as {
			content.Answers = append(content.Answers, *a)
		}
	}
	if in.Attachments != nil {
		content.Attachments = *in.Attachments
	} else {
		as, err := c.AttachmentsOfProposals(ctx, []int64{p.ID})
		if err != nil {
			return err
		}
		for _, a := range as {
			content.Attachments = append(content.Attachments, *a)
		}
	}
	questions, err := c.QuestionsOfJobs(ctx, []int64{job.ID})
	if err != nil {
		return err
	}
	checked, err := market.CheckProposalContent(job, questions, content)
	if err != nil {
		return err
	}
	if err := checkContentContacts(checked); err != nil {
		return err
	}
	p.CoverLetter = checked.CoverLetter
	if in.Answers != nil {
		if err := c.ReplaceProposalAnswers(ctx, p.ID, checked.Answers); err != nil {
			return err
		}
	}
	if in.Attachments != nil {
		if err := c.ReplaceProposalAttachments(ctx, p.ID, checked.Attachments); err != nil {
			return err
		}
	}
	return nil
}
