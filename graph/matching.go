package graph

// Resolvers of freelancer profiles, matching, featured jobs and invitation
// statistics (R9, R17, R22).

import (
	"context"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/market"
)

func (r *Resolver) userInvitationStats(ctx context.Context, obj *market.User) (*market.InvitationStats, error) {
	return load(ctx, r.loaders(ctx).InvitationStats, obj.ID, "invitation statistics")
}

func (r *Resolver) recommendedFreelancers(ctx context.Context, jobID string, first *int) ([]*market.Candidate, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("jobId", kindJob, jobID)
	if err != nil {
		return nil, err
	}
	n := 10
	if first != nil {
		n = *first
	}
	cands, err := r.Hiring.RecommendedFreelancers(ctx, v, id, n)
	if cands == nil && err == nil {
		cands = []*market.Candidate{}
	}
	return cands, err
}

func (r *Resolver) recommendationFreelancer(ctx context.Context, obj *market.Candidate) (*market.User, error) {
	return load(ctx, r.loaders(ctx).User, obj.FreelancerID, "user")
}

func (r *Resolver) updateProfile(ctx context.Context, input model.UpdateProfileInput) (*model.UpdateProfilePayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	rate, err := moneyIn("input.hourlyRate", input.HourlyRate)
	if err != nil {
		return nil, err
	}
	p, err := r.Hiring.UpdateProfile(ctx, v, market.ProfileUpdate{
		Title: input.Title, Overview: input.Overview, Skills: input.Skills, HourlyRate: rate, Availability: input.Availability,
	})
	if err != nil {
		return nil, err
	}
	u, err := r.Hiring.User(ctx, v)
	if err != nil {
		return nil, err
	}
	return &model.UpdateProfilePayload{Profile: p, User: u}, nil
}

func (r *Resolver) featureJob(ctx context.Context, input model.FeatureJobInput) (*model.FeatureJobPayload, error) {
	res, err := withID(ctx, "input.jobId", kindJob, input.JobID, r.Hiring.FeatureJob)
	if err != nil {
		return nil, err
	}
	return &model.FeatureJobPayload{Job: res.Job, AutomaticInvitations: res.Invitations}, nil
}

func (r *Resolver) postJob(ctx context.Context, input model.PostJobInput) (*model.PostJobPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	n, err := newJobIn(input)
	if err != nil {
		return nil, err
	}
	res, err := r.Hiring.PostJob(ctx, v, n)
	if err != nil {
		return nil, err
	}
	return &model.PostJobPayload{Job: res.Job, AutomaticInvitations: res.Invitations}, nil
}
