package graph

import (
	"context"

	"github.com/hiregraph/hiregraph/internal/market"
)

// node resolves a global id through the same authorized read path as the
// typed queries: what the viewer may not see is null, like what does not exist.
func (r *Resolver) node(ctx context.Context, viewerID int64, id string) (market.Node, error) {
	kind, n, ok := parseGlobalID(id)
	if !ok {
		return nil, market.Invalid("id", "not a valid global id")
	}
	var (
		v   market.Node
		err error
	)
	switch kind {
	case kindInvitation:
		v, err = nilIfMissing(r.Hiring.Invitation(ctx, viewerID, n))
	case kindProposal:
		v, err = nilIfMissing(r.Hiring.Proposal(ctx, viewerID, n))
	case kindJob:
		v, err = nilIfMissing(r.Hiring.Job(ctx, n))
	case kindRoom:
		v, err = nilIfMissing(r.Hiring.Room(ctx, viewerID, n))
	case kindOffer:
		v, err = nilIfMissing(r.Hiring.Offer(ctx, viewerID, n))
	case kindContract:
		v, err = nilIfMissing(r.Hiring.Contract(ctx, viewerID, n))
	case kindUser:
		v, err = nilIfMissing(r.Hiring.User(ctx, n))
	case kindAgency:
		v, err = nilIfMissing(loadOptional(ctx, r.loaders(ctx).Agency, &n))
	case kindAgencyInvitation:
		v, err = nilIfMissing(r.Hiring.AgencyInvitation(ctx, viewerID, n))
	case kindReason:
		v, err = nilIfMissing(loadOptional(ctx, r.loaders(ctx).Reason, &n))
	default:
		return nil, nil
	}
	return v, err
}

// nilIfMissing turns NOT_FOUND into a null node, and a typed nil pointer
// into an untyped nil interface.
func nilIfMissing[T interface {
	*E
	market.Node
}, E any](v T, err error) (market.Node, error) {
	if market.IsCode(err, market.CodeNotFound) || (err == nil && v == nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}
