package graph

// Resolvers of the client's side of jobs and proposals, proposal edits (issue 3).

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

var errNotImplementedA = errors.New("not implemented")

func (r *Resolver) jobInvitations(ctx context.Context, obj *market.Job, status *market.InvitationStatus, first *int, after *string) (*model.InvitationConnection, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) jobProposals(ctx context.Context, obj *market.Job, status []market.ProposalStatus, first *int, after *string) (*model.ProposalConnection, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) markProposalViewed(ctx context.Context, input model.MarkProposalViewedInput) (*model.MarkProposalViewedPayload, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) declineProposal(ctx context.Context, input model.DeclineProposalInput) (*model.DeclineProposalPayload, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) closeJob(ctx context.Context, input model.CloseJobInput) (*model.CloseJobPayload, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) updateProposal(ctx context.Context, input model.UpdateProposalInput) (*model.UpdateProposalPayload, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) withdrawProposal(ctx context.Context, input model.WithdrawProposalInput) (*model.WithdrawProposalPayload, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) proposalContentEditable(ctx context.Context, obj *market.Proposal) (bool, error) {
	return false, errNotImplementedA
}

func (r *Resolver) proposalTermsEditable(ctx context.Context, obj *market.Proposal) (bool, error) {
	return false, errNotImplementedA
}

func (r *Resolver) proposalStatusReason(ctx context.Context, obj *market.Proposal) (*market.Reason, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) queryJobs(ctx context.Context, filter *model.JobFilter, first *int, after *string) (*model.JobConnection, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) queryProposal(ctx context.Context, id string) (*market.Proposal, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) queryWithdrawalReasons(ctx context.Context) ([]*market.Reason, error) {
	return nil, errNotImplementedA
}

func (r *Resolver) queryProposalDeclineReasons(ctx context.Context) ([]*market.Reason, error) {
	return nil, errNotImplementedA
}

var (
	_ = model.PageInfo{}
	_ market.Node
)

// jobLoaders are this area's per-request loaders (fields of Loaders).
type jobLoaders struct{}

func newJobLoaders(h *hiring.Service, opts ...dataloadgen.Option) jobLoaders {
	return jobLoaders{}
}
