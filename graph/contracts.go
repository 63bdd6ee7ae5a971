package graph

// Resolvers of offers, contracts, bonuses and time.

import (
	"context"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

func (r *Resolver) contractOffer(ctx context.Context, obj *market.Contract) (*market.Offer, error) {
	return load(ctx, r.loaders(ctx).Offer, obj.OfferID, "offer")
}

func (r *Resolver) contractProposal(ctx context.Context, obj *market.Contract) (*market.Proposal, error) {
	return load(ctx, r.loaders(ctx).Proposal, obj.ProposalID, "proposal")
}

func (r *Resolver) contractJob(ctx context.Context, obj *market.Contract) (*market.Job, error) {
	return load(ctx, r.loaders(ctx).Job, obj.JobID, "job")
}

func (r *Resolver) contractClient(ctx context.Context, obj *market.Contract) (*market.User, error) {
	return load(ctx, r.loaders(ctx).User, obj.ClientID, "user")
}

func (r *Resolver) contractFreelancer(ctx context.Context, obj *market.Contract) (*market.User, error) {
	return load(ctx, r.loaders(ctx).User, obj.FreelancerID, "user")
}

func (r *Resolver) contractAgency(ctx context.Context, obj *market.Contract) (*market.Agency, error) {
	return loadOptional(ctx, r.loaders(ctx).Agency, obj.AgencyID)
}

func (r *Resolver) contractBonuses(ctx context.Context, obj *market.Contract) ([]*market.Bonus, error) {
	return loadRows(ctx, r.loaders(ctx).Bonuses, obj.ID)
}

func (r *Resolver) contractTimeEntries(ctx context.Context, obj *market.Contract) ([]*market.TimeEntry, error) {
	return loadRows(ctx, r.loaders(ctx).TimeEntries, obj.ID)
}

func (r *Resolver) contractTotalBonus(ctx context.Context, obj *market.Contract) (*market.Money, error) {
	bs, err := loadRows(ctx, r.loaders(ctx).Bonuses, obj.ID)
	if err != nil {
		return nil, err
	}
	total := market.USD(0)
	for _, b := range bs {
		total.Minor += b.Amount.Minor
	}
	return &total, nil
}

func (r *Resolver) sendOffer(ctx context.Context, input model.SendOfferInput) (*model.SendOfferPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.proposalId", kindProposal, input.ProposalID)
	if err != nil {
		return nil, err
	}
	terms, err := termsIn("input.terms", input.Terms)
	if err != nil {
		return nil, err
	}
	o, p, err := r.Hiring.SendOffer(ctx, v, hiring.SendOfferInput{
		ProposalID: id, Terms: terms, WeeklyLimitHours: input.WeeklyLimitHours, Message: str(input.Message),
	})
	if err != nil {
		return nil, err
	}
	return &model.SendOfferPayload{Offer: o, Proposal: p}, nil
}

func (r *Resolver) withdrawOffer(ctx context.Context, input model.WithdrawOfferInput) (*model.WithdrawOfferPayload, error) {
	o, err := withID(ctx, "input.offerId", kindOffer, input.OfferID, r.Hiring.WithdrawOffer)
	if err != nil {
		return nil, err
	}
	return &model.WithdrawOfferPayload{Offer: o}, nil
}

func (r *Resolver) acceptOffer(ctx context.Context, input model.AcceptOfferInput) (*model.AcceptOfferPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.offerId", kindOffer, input.OfferID)
	if err != nil {
		return nil, err
	}
	o, k, err := r.Hiring.AcceptOffer(ctx, v, id)
	if err != nil {
		return nil, err
	}
	return &model.AcceptOfferPayload{Offer: o, Contract: k}, nil
}

func (r *Resolver) declineOffer(ctx context.Context, input model.DeclineOfferInput) (*model.DeclineOfferPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.offerId", kindOffer, input.OfferID)
	if err != nil {
		return nil, err
	}
	o, err := r.Hiring.DeclineOffer(ctx, v, hiring.DeclineOfferInput{OfferID: id, Message: str(input.Message)})
	if err != nil {
		return nil, err
	}
	return &model.DeclineOfferPayload{Offer: o}, nil
}

func (r *Resolver) payBonus(ctx context.Context, input model.PayBonusInput) (*model.PayBonusPayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.contractId", kindContract, input.ContractID)
	if err != nil {
		return nil, err
	}
	amount, err := moneyIn("input.amount", input.Amount)
	if err != nil {
		return nil, err
	}
	if amount == nil {
		return nil, market.Invalid("input.amount", "an amount is required")
	}
	b, k, err := r.Hiring.PayBonus(ctx, v, hiring.PayBonusInput{ContractID: id, Amount: *amount, Note: str(input.Note)})
	if err != nil {
		return nil, err
	}
	return &model.PayBonusPayload{Bonus: b, Contract: k}, nil
}

func (r *Resolver) logTime(ctx context.Context, input model.LogTimeInput) (*model.LogTimePayload, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("input.contractId", kindContract, input.ContractID)
	if err != nil {
		return nil, err
	}
	e, k, err := r.Hiring.LogTime(ctx, v, hiring.LogTimeInput{
		ContractID: id, Minutes: input.Minutes, Memo: str(input.Memo), Manual: input.Manual != nil && *input.Manual,
	})
	if err != nil {
		return nil, err
	}
	return &model.LogTimePayload{TimeEntry: e, Contract: k}, nil
}

func (r *Resolver) offerProposal(ctx context.Context, obj *market.Offer) (*market.Proposal, error) {
	return load(ctx, r.loaders(ctx).Proposal, obj.ProposalID, "proposal")
}

func (r *Resolver) offerJob(ctx context.Context, obj *market.Offer) (*market.Job, error) {
	p, err := load(ctx, r.loaders(ctx).Proposal, obj.ProposalID, "proposal")
	if err != nil {
		return nil, err
	}
	return load(ctx, r.loaders(ctx).Job, p.JobID, "job")
}

func (r *Resolver) offerClient(ctx context.Context, obj *market.Offer) (*market.User, error) {
	return load(ctx, r.loaders(ctx).User, obj.ClientID, "user")
}

func (r *Resolver) offerFreelancer(ctx context.Context, obj *market.Offer) (*market.User, error) {
	p, err := load(ctx, r.loaders(ctx).Proposal, obj.ProposalID, "proposal")
	if err != nil {
		return nil, err
	}
	return load(ctx, r.loaders(ctx).User, p.FreelancerID, "user")
}

// offerContract is the contract its proposal got, if this offer started it.
func (r *Resolver) offerContract(ctx context.Context, obj *market.Offer) (*market.Contract, error) {
	if obj.Status != market.OfferAccepted {
		return nil, nil
	}
	k, err := loadOptional(ctx, r.loaders(ctx).ContractByProposal, &obj.ProposalID)
	if err != nil || k == nil || k.OfferID != obj.ID {
		return nil, err
	}
	return k, nil
}

func (r *Resolver) proposalOffers(ctx context.Context, obj *market.Proposal) ([]*market.Offer, error) {
	return loadRows(ctx, r.loaders(ctx).OffersByProposal, obj.ID)
}

func (r *Resolver) proposalContract(ctx context.Context, obj *market.Proposal) (*market.Contract, error) {
	return loadOptional(ctx, r.loaders(ctx).ContractByProposal, &obj.ID)
}

func (r *Resolver) queryContracts(ctx context.Context, first *int, after *string) (*model.ContractConnection, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	p, err := pageRequest(first, after)
	if err != nil {
		return nil, err
	}
	page, err := r.Hiring.Contracts(ctx, v, pageWithCount(ctx, p))
	if err != nil {
		return nil, err
	}
	edges, info := connection(page, func(k *market.Contract) int64 { return k.ID },
		func(c string, n *market.Contract) *model.ContractEdge { return &model.ContractEdge{Cursor: c, Node: n} })
	return &model.ContractConnection{Edges: edges, PageInfo: info, TotalCount: page.Total}, nil
}

func (r *Resolver) queryOffer(ctx context.Context, id string) (*market.Offer, error) {
	return withID(ctx, "id", kindOffer, id, r.Hiring.Offer)
}

func (r *Resolver) queryContract(ctx context.Context, id string) (*market.Contract, error) {
	return withID(ctx, "id", kindContract, id, r.Hiring.Contract)
}

func (r *Resolver) timeEntryUser(ctx context.Context, obj *market.TimeEntry) (*market.User, error) {
	return load(ctx, r.loaders(ctx).User, obj.UserID, "user")
}

// loadRows runs a one-to-many loader: a key with no rows is an empty list.
func loadRows[T any](ctx context.Context, l *dataloadgen.Loader[int64, []T], id int64) ([]T, error) {
	v, err := loadOptional(ctx, l, &id)
	if err != nil {
		return nil, err
	}
	if v == nil {
		v = []T{}
	}
	return v, nil
}
