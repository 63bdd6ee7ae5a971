package hiring

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// PostJobResult is what posting a job created.
type PostJobResult struct {
	Job *market.Job
	// Invitations are the AUTOMATIC invitations sent because the job was
	// posted featured, best match first (empty otherwise).
	Invitations []*market.Invitation
}

// PostJob posts a job for the viewer as its client (R1). Texts are checked
// for contact information (R17). A job posted featured sends its AUTOMATIC
// invitations in the same transaction (R22).
// Errors: VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) PostJob(ctx context.Context, viewerID int64, in market.NewJob) (*PostJobResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := noContactInfo("input.title", in.Title); err != nil {
		return nil, err
	}
	if err := noContactInfo("input.description", in.Description); err != nil {
		return nil, err
	}
	for i, q := range in.Questions {
		if err := noContactInfo(fmt.Sprintf("input.questions.%d", i), q); err != nil {
			return nil, err
		}
	}
	for i, sk := range in.Skills {
		if err := noContactInfo(fmt.Sprintf("input.skills.%d", i), sk); err != nil {
			return nil, err
		}
	}
	var out *PostJobResult
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		job, err := c.CreateJob(ctx, viewerID, &in, now)
		if err != nil {
			return err
		}
		out = &PostJobResult{Job: job, Invitations: []*market.Invitation{}}
		if job.Featured {
			out.Invitations, err = s.sendAutomaticInvitations(ctx, c, job, now)
		}
		return err
	})
	return out, err
}

// Job returns a job. Job posts are public to every signed-in user.
// Errors: NOT_FOUND.
func (s *Service) Job(ctx context.Context, id int64) (*market.Job, error) {
	return s.store.Read().Job(ctx, id, false)
}

// Reasons lists the active reasons of a kind (R7: data, not an enum).
func (s *Service) Reasons(ctx context.Context, kind market.ReasonKind) ([]*market.Reason, error) {
	return s.store.Read().Reasons(ctx, kind)
}

// Jobs lists the viewer's own job posts as a client, newest first.
func (s *Service) Jobs(ctx context.Context, viewerID int64, status *market.JobStatus, p market.PageRequest) (market.Page[*market.Job], error) {
	items, total, err := s.store.Read().ListJobs(ctx, postgres.JobFilter{ClientID: viewerID, Status: status}, p)
	if err != nil {
		return market.Page[*market.Job]{}, err
	}
	return market.Trim(items, p, total), nil
}

// AuthorizeJobClient checks that the viewer is the job's client, the only
// one who sees its invitations and proposals. Errors: FORBIDDEN.
func (s *Service) AuthorizeJobClient(viewerID int64, job *market.Job, action string) error {
	return job.AuthorizeClient(viewerID, action)
}

// CloseJobResult is what closing a job changed.
type CloseJobResult struct {
	Job              *market.Job
	ConnectsRefunded int
}

// CloseJob closes one of the viewer's open jobs as HIRED, NO_HIRE or
// CANCELLED (R1) with its consequences, in one transaction: pending
// invitations expire (R4), open proposals are archived (R10), pending offers
// expire, and on CANCELLED the Connects of the job's proposals are refunded
// once (R21). Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION_FAILED.
func (s *Service) CloseJob(ctx context.Context, viewerID, jobID int64, result market.JobCloseResult) (*CloseJobResult, error) {
	var out *CloseJobResult
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		job, err := c.Job(ctx, jobID, true)
		if err != nil {
			return err
		}
		if err := job.AuthorizeClient(viewerID, "close it"); err != nil {
			return err
		}
		hired, err := c.JobHasContract(ctx, job.ID)
		if err != nil {
			return err
		}
		if err := job.CheckClientClose(result, hired); err != nil {
			return err
		}
		refunded, err := closeJobLocked(ctx, c, job, result, now)
		if err != nil {
			return err
		}
		out = &CloseJobResult{Job: job, ConnectsRefunded: refunded}
		return nil
	})
	return out, err
}

// closeJobLocked closes a job whose row the caller locked for update, with
// every consequence: pending invitations expire, open proposals (locked
// here, after the job) are archived, their pending offers expire, and when
// the result refunds (R21) each proposal's Connects go back once to whoever
// paid. It returns the Connects refunded.
func closeJobLocked(ctx context.Context, c *postgres.Conn, job *market.Job, result market.JobCloseResult, now time.Time) (int, error) {
	if _, err := c.ExpirePendingInvitations(ctx, job.ID, now); err != nil {
		return 0, err
	}
	props, err := c.ProposalsOfJob(ctx, job.ID, true)
	if err != nil {
		return 0, err
	}
	refunded := 0
	all := make([]int64, 0, len(props))
	var archived []int64
	for _, p := range props {
		all = append(all, p.ID)
		if market.RefundsOnClose(result) {
			if n := p.RefundOnCancel(); n > 0 {
				ok, err := c.RefundProposalConnects(ctx, p.ConnectsOwner(), p.ID, n,
					fmt.Sprintf("Refund: the client cancelled %q", job.Title), now)
				if err != nil {
					return 0, err
				}
				if ok {
					refunded += n
				}
			}
		}
		if p.Archive(now) {
			archived = append(archived, p.ID)
		}
	}
	if err := c.ArchiveProposals(ctx, archived, now); err != nil {
		return 0, err
	}
	if _, err := c.ExpirePendingOffers(ctx, all, market.OfferExpired, now); err != nil {
		return 0, err
	}
	job.Close(now, result)
	if err := c.CloseJob(ctx, job); err != nil {
		return 0, err
	}
	return refunded, nil
}

// JobPageKey asks for one page of one job's invitations or proposals. It is
// a dataloader key (comparable), so the status filter is a canonical string:
// one invitation status, or proposal statuses sorted and joined by commas;
// "" means all.
type JobPageKey struct {
	JobID   int64
	Status  string
	Limit   int
	AfterID int64
}

// InvitationPageKey is the key of a page of a job's invitations.
func InvitationPageKey(jobID int64, status *market.InvitationStatus, p market.PageRequest) JobPageKey {
	k := JobPageKey{JobID: jobID, Limit: p.Limit, AfterID: p.AfterID}
	if status != nil {
		k.Status = string(*status)
	}
	return k
}

// ProposalPageKey is the key of a page of a job's proposals.
func ProposalPageKey(jobID int64, statuses []market.ProposalStatus, p market.PageRequest) JobPageKey {
	ss := make([]string, 0, len(statuses))
	for _, s := range statuses {
		if !slices.Contains(ss, string(s)) {
			ss = append(ss, string(s))
		}
	}
	slices.Sort(ss)
	return JobPageKey{JobID: jobID, Status: strings.Join(ss, ","), Limit: p.Limit, AfterID: p.AfterID}
}

// pageGroups groups keys that differ only by job, so that each group is one
// query for all its jobs.
func pageGroups(keys []JobPageKey) map[JobPageKey][]int64 {
	groups := make(map[JobPageKey][]int64)
	for _, k := range keys {
		g := JobPageKey{Status: k.Status, Limit: k.Limit, AfterID: k.AfterID}
		groups[g] = append(groups[g], k.JobID)
	}
	return groups
}

// JobInvitationPages loads pages of jobs' invitations for a dataloader (no
// authorization: the resolver checked that the viewer is the client).
func (s *Service) JobInvitationPages(ctx context.Context, keys []JobPageKey) (map[JobPageKey]market.Page[*market.Invitation], error) {
	out := make(map[JobPageKey]market.Page[*market.Invitation], len(keys))
	for g, jobIDs := range pageGroups(keys) {
		var status *market.InvitationStatus
		if g.Status != "" {
			st := market.InvitationStatus(g.Status)
			status = &st
		}
		p := market.PageRequest{Limit: g.Limit, AfterID: g.AfterID}
		items, totals, err := s.store.Read().InvitationsOfJobs(ctx, jobIDs, status, p)
		if err != nil {
			return nil, err
		}
		for _, id := range jobIDs {
			k := g
			k.JobID = id
			out[k] = market.Trim(items[id], p, totals[id])
		}
	}
	return out, nil
}

// JobProposalPages loads pages of jobs' proposals for a dataloader (no
// authorization: the resolver checked that the viewer is the client).
func (s *Service) JobProposalPages(ctx context.Context, keys []JobPageKey) (map[JobPageKey]market.Page[*market.Proposal], error) {
	out := make(map[JobPageKey]market.Page[*market.Proposal], len(keys))
	for g, jobIDs := range pageGroups(keys) {
		var statuses []market.ProposalStatus
		if g.Status != "" {
			for _, s := range strings.Split(g.Status, ",") {
				statuses = append(statuses, market.ProposalStatus(s))
			}
		}
		p := market.PageRequest{Limit: g.Limit, AfterID: g.AfterID}
		items, totals, err := s.store.Read().ProposalsOfJobs(ctx, jobIDs, statuses, p)
		if err != nil {
			return nil, err
		}
		for _, id := range jobIDs {
			k := g
			k.JobID = id
			out[k] = market.Trim(items[id], p, totals[id])
		}
	}
	return out, nil
}
