package graph

// Resolvers of offers, contracts, bonuses and time.

import (
	"context"
	"errors"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

var errNotImplementedC = errors.New("not implemented")

func (r *Resolver) contractOffer(ctx context.Context, obj *market.Contract) (*market.Offer, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractProposal(ctx context.Context, obj *market.Contract) (*market.Proposal, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractJob(ctx context.Context, obj *market.Contract) (*market.Job, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractClient(ctx context.Context, obj *market.Contract) (*market.User, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractFreelancer(ctx context.Context, obj *market.Contract) (*market.User, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractAgency(ctx context.Context, obj *market.Contract) (*market.Agency, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractBonuses(ctx context.Context, obj *market.Contract) ([]*market.Bonus, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractTimeEntries(ctx context.Context, obj *market.Contract) ([]*market.TimeEntry, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) contractTotalBonus(ctx context.Context, obj *market.Contract) (*market.Money, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) sendOffer(ctx context.Context, input model.SendOfferInput) (*model.SendOfferPayload, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) withdrawOffer(ctx context.Context, input model.WithdrawOfferInput) (*model.WithdrawOfferPayload, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) acceptOffer(ctx context.Context, input model.AcceptOfferInput) (*model.AcceptOfferPayload, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) declineOffer(ctx context.Context, input model.DeclineOfferInput) (*model.DeclineOfferPayload, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) payBonus(ctx context.Context, input model.PayBonusInput) (*model.PayBonusPayload, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) logTime(ctx context.Context, input model.LogTimeInput) (*model.LogTimePayload, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) offerProposal(ctx context.Context, obj *market.Offer) (*market.Proposal, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) offerJob(ctx context.Context, obj *market.Offer) (*market.Job, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) offerClient(ctx context.Context, obj *market.Offer) (*market.User, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) offerFreelancer(ctx context.Context, obj *market.Offer) (*market.User, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) offerContract(ctx context.Context, obj *market.Offer) (*market.Contract, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) proposalOffers(ctx context.Context, obj *market.Proposal) ([]*market.Offer, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) proposalContract(ctx context.Context, obj *market.Proposal) (*market.Contract, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) queryContracts(ctx context.Context, first *int, after *string) (*model.ContractConnection, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) queryOffer(ctx context.Context, id string) (*market.Offer, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) queryContract(ctx context.Context, id string) (*market.Contract, error) {
	return nil, errNotImplementedC
}

func (r *Resolver) timeEntryUser(ctx context.Context, obj *market.TimeEntry) (*market.User, error) {
	return nil, errNotImplementedC
}

var (
	_ = model.PageInfo{}
	_ market.Node
)

// contractLoaders are this area's per-request loaders (fields of Loaders).
type contractLoaders struct{}

func newContractLoaders(h *hiring.Service, opts ...dataloadgen.Option) contractLoaders {
	return contractLoaders{}
}
