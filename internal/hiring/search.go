package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// SearchJobs ranks the open jobs for a search by a freelancer (R29): full
// text over title, skills and description, best match first.
func (s *Service) SearchJobs(ctx context.Context, r market.SearchRequest) (market.Page[market.SearchHit], error) {
	hits, total, err := s.store.Read().SearchJobs(ctx, r)
	return market.Trim(hits, market.PageRequest{Limit: r.Limit}, total), err
}

// SearchFreelancers ranks freelancer profiles for a search by a client
// (R29): full text over title, skills and overview, best match first; the
// hits' ids are user ids.
func (s *Service) SearchFreelancers(ctx context.Context, r market.SearchRequest) (market.Page[market.SearchHit], error) {
	hits, total, err := s.store.Read().SearchProfiles(ctx, r)
	return market.Trim(hits, market.PageRequest{Limit: r.Limit}, total), err
}

// SubmitInput is a proposal to an open job without an invitation (R29).
type SubmitInput struct {
	JobID           int64
	FreelancerID    *int64 // nil: the viewer
	AgencyID        *int64
	CoverLetter     string
	Terms           *market.Terms
	Answers         []market.Answer
	Attachments     []market.Attachment
	MessageToClient string
}

// SubmitResult is the proposal submitted and the balance that paid.
type SubmitResult struct {
	Proposal        *market.Proposal
	ConnectsBalance int
}

// SubmitProposal applies to an open job without an invitation, under the
// rules of accepting one (R6, R17, R20) and through the same code path
// (submit): once per freelancer and job; a business manager may submit for
// a member of their agency. A freelancer with a pending invitation to the
// job accepts it instead.
// Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION_FAILED,
// CONTACT_INFO_NOT_ALLOWED, INSUFFICIENT_CONNECTS, CONFLICT.
func (s *Service) SubmitProposal(ctx context.Context, viewerID int64, in SubmitInput) (*SubmitResult, error) {
	var out *SubmitResult
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		job, err := c.JobForShare(ctx, in.JobID)
		if err != nil {
			return err
		}
		if err := job.RequireOpen(); err != nil {
			return err
		}
		freelancerID := viewerID
		if in.FreelancerID != nil {
			freelancerID = *in.FreelancerID
		}
		if freelancerID == job.ClientID {
			return market.Errorf(market.CodeForbidden, "a client cannot apply to their own job")
		}
		isFreelancer, err := c.HasProfile(ctx, freelancerID)
		if err != nil {
			return err
		}
		if !isFreelancer {
			if freelancerID == viewerID {
				return market.Errorf(market.CodeForbidden, "only freelancers apply to jobs: set up a freelancer profile (updateProfile) first")
			}
			return market.NotFound("freelancer")
		}
		actorRole, err := roleIn(ctx, c, in.AgencyID, viewerID)
		if err != nil {
			return err
		}
		freelancerRole, err := roleIn(ctx, c, in.AgencyID, freelancerID)
		if err != nil {
			return err
		}
		if in.AgencyID != nil && actorRole == "" {
			return market.NotFound("agency")
		}
		agencyID, err := market.SubmissionAgencyFor(freelancerID, nil, viewerID, in.AgencyID, actorRole, freelancerRole)
		if err != nil {
			return err
		}
		if dup, err := c.HasProposal(ctx, job.ID, freelancerID); err != nil {
			return err
		} else if dup {
			return market.Errorf(market.CodeConflict, "the freelancer has a proposal on this job already: one proposal per job")
		}
		if invID, err := c.PendingInvitationID(ctx, job.ID, freelancerID); err != nil {
			return err
		} else if invID != 0 {
			return market.Errorf(market.CodeConflict, "there is a pending invitation to this job: accept it (acceptInvitation) instead")
		}
		sub, err := s.submit(ctx, c, viewerID, submission{
			job: job, freelancerID: freelancerID, agencyID: agencyID,
			coverLetter: in.CoverLetter, terms: in.Terms, answers: in.Answers, attachments: in.Attachments,
			messageToClient: in.MessageToClient,
		}, now)
		if err != nil {
			return err
		}
		out = &SubmitResult{Proposal: sub.proposal, ConnectsBalance: sub.balance}
		return nil
	})
	return out, err
}
