package hiring

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Proposals lists the viewer's proposals, newest first: their own, and those
// of agencies where they are staff.
func (s *Service) Proposals(ctx context.Context, viewerID int64, statuses []market.ProposalStatus, p market.PageRequest) (market.Page[*market.Proposal], error) {
	c := s.store.Read()
	staff, err := c.StaffAgencyIDs(ctx, viewerID)
	if err != nil {
		return market.Page[*market.Proposal]{}, err
	}
	items, total, err := c.ListProposals(ctx, postgres.ProposalFilter{FreelancerID: viewerID, AgencyIDs: staff, Statuses: statuses}, p)
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
	ok, err := canViewProposal(ctx, c, viewerID, p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, market.NotFound("proposal")
	}
	return p, nil
}

func canViewProposal(ctx context.Context, c *postgres.Conn, viewerID int64, p *market.Proposal) (bool, error) {
	if viewerID == p.FreelancerID || viewerID == p.SubmittedBy {
		return true, nil
	}
	role, err := roleIn(ctx, c, p.AgencyID, viewerID)
	if err != nil {
		return false, err
	}
	if role.IsStaff() {
		return true, nil
	}
	job, err := c.Job(ctx, p.JobID, false)
	if err != nil {
		return false, err
	}
	return job.ClientID == viewerID, nil
}
