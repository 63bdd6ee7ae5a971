package hiring

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Freelancer profiles, matching, featured jobs' automatic invitations and
// invitation statistics (R9, R17, R22).

// UpdateProfile edits the viewer's freelancer profile, creating it on the
// first edit; fields left out are unchanged. Texts and skills may not carry
// contact information (R17). Errors: VALIDATION_FAILED, CONTACT_INFO_NOT_ALLOWED.
func (s *Service) UpdateProfile(ctx context.Context, viewerID int64, u market.ProfileUpdate) (*market.FreelancerProfile, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if u.Title != nil {
		if err := noContactInfo("input.title", *u.Title); err != nil {
			return nil, err
		}
	}
	if u.Overview != nil {
		if err := noContactInfo("input.overview", *u.Overview); err != nil {
			return nil, err
		}
	}
	for i, sk := range u.Skills {
		if err := noContactInfo(fmt.Sprintf("input.skills.%d", i), sk); err != nil {
			return nil, err
		}
	}
	var out *market.FreelancerProfile
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		p, err := c.LockProfile(ctx, viewerID, now)
		if err != nil {
			return err
		}
		u.Apply(p, now)
		if err := c.UpsertProfile(ctx, p); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// RecommendedFreelancers ranks freelancers for one of the viewer's jobs,
// best first (R22): the first `first` candidates (market.RecommendationCount),
// those already invited included and flagged. Errors: NOT_FOUND, FORBIDDEN,
// VALIDATION_FAILED.
func (s *Service) RecommendedFreelancers(ctx context.Context, viewerID, jobID int64, first *int) ([]*market.Candidate, error) {
	n, err := market.RecommendationCount(first)
	if err != nil {
		return nil, err
	}
	c := s.store.Read()
	job, err := c.Job(ctx, jobID, false)
	if err != nil {
		return nil, err
	}
	if err := job.AuthorizeClient(viewerID, "see recommended freelancers for it"); err != nil {
		return nil, err
	}
	return c.RankFreelancers(ctx, market.MatchCriteriaFor(job), postgres.RankOptions{Limit: n})
}

// FeatureResult is what featuring a job changed.
type FeatureResult struct {
	Job *market.Job
	// Invitations are the AUTOMATIC invitations sent, best match first
	// (none when the job was featured already).
	Invitations []*market.Invitation
}

// FeatureJob marks one of the viewer's open jobs featured and, in the same
// transaction, sends AUTOMATIC invitations to the best matching freelancers
// (R22). The job's row is locked first, so that featuring twice, even at the
// same time, sends them once. Errors: NOT_FOUND, FORBIDDEN, INVALID_STATE.
func (s *Service) FeatureJob(ctx context.Context, viewerID, jobID int64) (*FeatureResult, error) {
	var out *FeatureResult
	err := s.store.Transact(ctx, func(c *postgres.Conn) error {
		now := s.Now()
		job, err := c.Job(ctx, jobID, true)
		if err != nil {
			return err
		}
		if err := job.AuthorizeClient(viewerID, "feature it"); err != nil {
			return err
		}
		changed, err := job.Feature()
		if err != nil {
			return err
		}
		out = &FeatureResult{Job: job, Invitations: []*market.Invitation{}}
		if !changed {
			return nil
		}
		if err := c.SetJobFeatured(ctx, job.ID, true); err != nil {
			return err
		}
		if err := c.TouchJob(ctx, job.ID, now); err != nil {
			return err
		}
		job.LastActivityAt = now
		out.Invitations, err = s.sendAutomaticInvitations(ctx, c, job, now)
		return err
	})
	return out, err
}

// sendAutomaticInvitations invites the best N candidates for a featured job
// (N: Config.AutoInvites) who are not invited yet, each with its score and
// matched skills, and notifies each of them (bell and live stream). The
// caller holds the job's row lock (or created the job in this transaction).
func (s *Service) sendAutomaticInvitations(ctx context.Context, c *postgres.Conn, job *market.Job, now time.Time) ([]*market.Invitation, error) {
	cands, err := c.RankFreelancers(ctx, market.MatchCriteriaFor(job), postgres.RankOptions{
		Limit: market.AutoInvites(s.cfg.AutoInvites), ExcludeInvited: true,
	})
	if err != nil {
		return nil, err
	}
	invs, err := c.CreateAutomaticInvitations(ctx, job, cands, now)
	if err != nil {
		return nil, err
	}
	// Notify in user id order: notifications lock the users' rows, and one
	// order everywhere keeps concurrent featurings from deadlocking.
	byUser := slices.Clone(invs)
	slices.SortFunc(byUser, func(a, b *market.Invitation) int { return cmp.Compare(a.FreelancerID, b.FreelancerID) })
	for _, inv := range byUser {
		if err := notifyInvited(ctx, c, inv, job, nil, now); err != nil {
			return nil, err
		}
	}
	if invs == nil {
		invs = []*market.Invitation{}
	}
	return invs, nil
}

// InvitationStatsByUserID computes users' invitation statistics (R9) in one
// statement, for a dataloader. They are public.
func (s *Service) InvitationStatsByUserID(ctx context.Context, ids []int64) (map[int64]*market.InvitationStats, error) {
	st, err := s.store.Read().InvitationStatsOf(ctx, ids, market.UncountedWithdrawalWindow)
	return byID(st, func(x *market.InvitationStats) int64 { return x.UserID }), err
}
