package graph

// Resolvers of the client's side of jobs and proposals, proposal edits (issue 3).

import (
	"context"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

func (r *Resolver) jobInvitations(ctx context.Context, obj *market.Job, status *market.InvitationStatus, first *int, after *string) (*model.InvitationConnection, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.Hiring.AuthorizeJobClient(v, obj, "see its invitations"); err != nil {
		return nil, err
	}
	p, err := pageRequest(first, after)
	if err != nil {
		return nil, err
	}
	page, err := r.loaders(ctx).JobInvitations.Load(ctx, hiring.InvitationPageKey(obj.ID, status, p))
	if err != nil {
		return nil, err
	}
	edges, info := connection(page, func(i *market.Invitation) int64 { return i.ID },
		func(c string, n *market.Invitation) *model.InvitationEdge {
			return &model.InvitationEdge{Cursor: c, Node: n}
		})
	return &model.InvitationConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) jobProposals(ctx context.Context, obj *market.Job, status []market.ProposalStatus, first *int, after *string) (*model.ProposalConnection, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.Hiring.AuthorizeJobClient(v, obj, "see its proposals"); err != nil {
		return nil, err
	}
	p, err := pageRequest(first, after)
	if err != nil {
		return nil, err
	}
	page, err := r.loaders(ctx).JobProposals.Load(ctx, hiring.ProposalPageKey(obj.ID, status, p))
	if err != nil {
		return nil, err
	}
	edges, info := connection(page, func(p *market.Proposal) int64 { return p.ID },
		func(c string, n *market.Proposal) *model.ProposalEdge { return &model.ProposalEdge{Cursor: c, Node: n} })
	return &model.ProposalConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) markProposalViewed(ctx context.Context, input model.MarkProposalViewedInput) (*model.MarkProposalViewedPayload, error) {
	p, err := withID(ctx, "input.proposalId", kindProposal, input.ProposalID, r.Hiring.MarkProposalViewed)
	if err != nil {
		return nil, err
	}
	return &model.MarkProposalViewedPayload{Proposal: p}, nil
}

// reasonInput decodes a proposal id, a reason id and a message.
func reasonInput(proposalID, reasonID string, message *string) (hiring.ReasonInput, error) {
	pid, err := decodeID("input.proposalId", kindProposal, proposalID)
	if err != nil {
		return hiring.ReasonInput{}, err
	}
	rid, err := decodeID("input.reasonId", kindReason, reasonID)
	if err != nil {
		return hiring.ReasonInput{}, err
	}
	return hiring.ReasonInput{ProposalID: pid, ReasonID: rid, Message: str(message)}, nil
}

func (r *Resolver) declineProposal(ctx context.Context, input model.DeclineProposalInput) (*model.DeclineProposalPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	in, err := reasonInput(input.ProposalID, input.ReasonID, input.Message)
	if err != nil {
		return nil, err
	}
	p, err := r.Hiring.DeclineProposal(ctx, v, in)
	if err != nil {
		return nil, err
	}
	return &model.DeclineProposalPayload{Proposal: p}, nil
}

func (r *Resolver) closeJob(ctx context.Context, input model.CloseJobInput) (*model.CloseJobPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.jobId", kindJob, input.JobID)
	if err != nil {
		return nil, err
	}
	res, err := r.Hiring.CloseJob(ctx, v, id, input.Result)
	if err != nil {
		return nil, err
	}
	return &model.CloseJobPayload{Job: res.Job, ConnectsRefunded: res.ConnectsRefunded}, nil
}

func (r *Resolver) updateProposal(ctx context.Context, input model.UpdateProposalInput) (*model.UpdateProposalPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.proposalId", kindProposal, input.ProposalID)
	if err != nil {
		return nil, err
	}
	in := hiring.UpdateProposalInput{ProposalID: id, CoverLetter: input.CoverLetter}
	if in.Terms, err = termsIn("input.terms", input.Terms); err != nil {
		return nil, err
	}
	if input.Answers != nil {
		answers, err := answersIn(input.Answers)
		if err != nil {
			return nil, err
		}
		in.Answers = &answers
	}
	if input.Attachments != nil {
		atts := attachmentsIn(input.Attachments)
		in.Attachments = &atts
	}
	p, err := r.Hiring.UpdateProposal(ctx, v, in)
	if err != nil {
		return nil, err
	}
	return &model.UpdateProposalPayload{Proposal: p}, nil
}

func (r *Resolver) withdrawProposal(ctx context.Context, input model.WithdrawProposalInput) (*model.WithdrawProposalPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	in, err := reasonInput(input.ProposalID, input.ReasonID, input.Message)
	if err != nil {
		return nil, err
	}
	p, err := r.Hiring.WithdrawProposal(ctx, v, in)
	if err != nil {
		return nil, err
	}
	return &model.WithdrawProposalPayload{Proposal: p}, nil
}

// proposalContentEditable and proposalTermsEditable read the service clock:
// the same one the edit rules run on (R11, R12).
func (r *Resolver) proposalContentEditable(ctx context.Context, obj *market.Proposal) (bool, error) {
	return obj.ContentEditable(r.Hiring.Now()), nil
}

func (r *Resolver) proposalTermsEditable(ctx context.Context, obj *market.Proposal) (bool, error) {
	return obj.TermsEditable(), nil
}

func (r *Resolver) proposalStatusReason(ctx context.Context, obj *market.Proposal) (*market.Reason, error) {
	return loadOptional(ctx, r.loaders(ctx).Reason, obj.StatusReasonID)
}

func (r *Resolver) queryJobs(ctx context.Context, filter *model.JobFilter, first *int, after *string) (*model.JobConnection, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := pageRequest(first, after)
	if err != nil {
		return nil, err
	}
	var status *market.JobStatus
	if filter != nil {
		status = filter.Status
	}
	page, err := r.Hiring.Jobs(ctx, v, status, pageWithCount(ctx, p))
	if err != nil {
		return nil, err
	}
	edges, info := connection(page, func(j *market.Job) int64 { return j.ID },
		func(c string, n *market.Job) *model.JobEdge { return &model.JobEdge{Cursor: c, Node: n} })
	return &model.JobConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) queryProposal(ctx context.Context, id string) (*market.Proposal, error) {
	return withID(ctx, "id", kindProposal, id, r.Hiring.Proposal)
}

func (r *Resolver) queryWithdrawalReasons(ctx context.Context) ([]*market.Reason, error) {
	if _, err := viewer(ctx); err != nil {
		return nil, err
	}
	return r.Hiring.Reasons(ctx, market.ReasonProposalWithdrawal)
}

func (r *Resolver) queryProposalDeclineReasons(ctx context.Context) ([]*market.Reason, error) {
	if _, err := viewer(ctx); err != nil {
		return nil, err
	}
	return r.Hiring.Reasons(ctx, market.ReasonProposalDecline)
}
