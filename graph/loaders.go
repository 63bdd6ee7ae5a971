package graph

import (
	"context"
	"errors"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Loaders batch the lookups of one request, so that a list costs a fixed
// number of SQL statements whatever its length.
type Loaders struct {
	User        *dataloadgen.Loader[int64, *market.User]
	Profile     *dataloadgen.Loader[int64, *market.FreelancerProfile]
	Job         *dataloadgen.Loader[int64, *market.Job]
	JobQuestion *dataloadgen.Loader[int64, []*market.Question]
	Question    *dataloadgen.Loader[int64, *market.Question]
	Agency      *dataloadgen.Loader[int64, *market.Agency]
	Invitation  *dataloadgen.Loader[int64, *market.Invitation]
	Proposal    *dataloadgen.Loader[int64, *market.Proposal]
	Answers     *dataloadgen.Loader[int64, []*market.Answer]
	Attachments *dataloadgen.Loader[int64, []*market.Attachment]
	Reason      *dataloadgen.Loader[int64, *market.Reason]
	Room        *dataloadgen.Loader[int64, *market.Room]
	Offer       *dataloadgen.Loader[int64, *market.Offer]
	Contract    *dataloadgen.Loader[int64, *market.Contract]
	// AgencyInvitation loads invitations to join agencies.
	AgencyInvitation *dataloadgen.Loader[int64, *market.AgencyInvitation]

	// Per-area loaders, declared beside their resolvers.
	rooms     roomLoaders
	contracts contractLoaders
	notes     notificationLoaders
	jobs      jobLoaders
	matching  *matchingLoaders
}

// DefaultLoaderWait is how long a loader collects keys before it runs its
// batch. A list's items resolve their fields in parallel goroutines; on a
// busy machine they take a few milliseconds to all ask, and a batch that
// fires early splits into several statements. Each level of nesting adds up
// to this much latency.
const DefaultLoaderWait = 10 * time.Millisecond

// NewLoaders returns a fresh set of loaders (one per request) that wait
// waitFor for keys (0: DefaultLoaderWait).
func NewLoaders(h *hiring.Service, waitFor time.Duration) *Loaders {
	if waitFor <= 0 {
		waitFor = DefaultLoaderWait
	}
	wait := dataloadgen.WithWait(waitFor)
	return &Loaders{
		User:             dataloadgen.NewMappedLoader(h.UsersByID, wait),
		Profile:          dataloadgen.NewMappedLoader(h.ProfilesByUserID, wait),
		Job:              dataloadgen.NewMappedLoader(h.JobsByID, wait),
		JobQuestion:      dataloadgen.NewMappedLoader(h.QuestionsByJobID, wait),
		Question:         dataloadgen.NewMappedLoader(h.QuestionsByID, wait),
		Agency:           dataloadgen.NewMappedLoader(h.AgenciesByID, wait),
		Invitation:       dataloadgen.NewMappedLoader(h.InvitationsByID, wait),
		Proposal:         dataloadgen.NewMappedLoader(h.ProposalsByID, wait),
		Answers:          dataloadgen.NewMappedLoader(h.AnswersByProposalID, wait),
		Attachments:      dataloadgen.NewMappedLoader(h.AttachmentsByProposalID, wait),
		Reason:           dataloadgen.NewMappedLoader(h.ReasonsByID, wait),
		Room:             dataloadgen.NewMappedLoader(h.RoomsByID, wait),
		Offer:            dataloadgen.NewMappedLoader(h.OffersByID, wait),
		Contract:         dataloadgen.NewMappedLoader(h.ContractsByID, wait),
		AgencyInvitation: dataloadgen.NewMappedLoader(h.AgencyInvitationsByID, wait),
		rooms:            newRoomLoaders(h, wait),
		contracts:        newContractLoaders(h, wait),
		notes:            newNotificationLoaders(h, wait),
		jobs:             newJobLoaders(h, wait),
		matching:         newMatchingLoaders(h, wait),
	}
}

type loadersKey struct{}

// WithLoaders returns a context carrying loaders.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

// loaders returns the request's loaders, or fresh ones outside a request
// (websocket operations, tests).
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r.Hiring, r.LoaderWait)
}

// load runs a loader for a required relation.
func load[T any](ctx context.Context, l *dataloadgen.Loader[int64, T], id int64, what string) (T, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		var zero T
		return zero, market.NotFound(what)
	}
	return v, err
}

// loadOptional runs a loader for an optional relation: nil id or a missing
// row give the zero value.
func loadOptional[T any](ctx context.Context, l *dataloadgen.Loader[int64, T], id *int64) (T, error) {
	var zero T
	if id == nil {
		return zero, nil
	}
	v, err := l.Load(ctx, *id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return zero, nil
	}
	return v, err
}
