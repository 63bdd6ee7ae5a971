package graph

import (
	"context"
	"errors"
	"sync"
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
		User:        dataloadgen.NewMappedLoader(h.UsersByID, wait),
		Profile:     dataloadgen.NewMappedLoader(h.ProfilesByUserID, wait),
		Job:         dataloadgen.NewMappedLoader(h.JobsByID, wait),
		JobQuestion: dataloadgen.NewMappedLoader(h.QuestionsByJobID, wait),
		Question:    dataloadgen.NewMappedLoader(h.QuestionsByID, wait),
		Agency:      dataloadgen.NewMappedLoader(h.AgenciesByID, wait),
		Invitation:  dataloadgen.NewMappedLoader(h.InvitationsByID, wait),
		Proposal:    dataloadgen.NewMappedLoader(h.ProposalsByID, wait),
		Answers:     dataloadgen.NewMappedLoader(h.AnswersByProposalID, wait),
		Attachments: dataloadgen.NewMappedLoader(h.AttachmentsByProposalID, wait),
		Reason:      dataloadgen.NewMappedLoader(h.ReasonsByID, wait),
		Room:        dataloadgen.NewMappedLoader(h.RoomsByID, wait),
		Offer:       dataloadgen.NewMappedLoader(h.OffersByID, wait),
		Contract:    dataloadgen.NewMappedLoader(h.ContractsByID, wait),
		rooms:       newRoomLoaders(h, wait),
		contracts:   newContractLoaders(h, wait),
		notes:       newNotificationLoaders(h, wait),
		jobs:        newJobLoaders(h, wait),
		matching:    newMatchingLoaders(h, wait),
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

// viewerMembership is the viewer's membership of a room (nil: not a member).
func (r *Resolver) viewerMembership(ctx context.Context, viewerID, roomID int64) (*market.RoomMember, error) {
	members, err := loadOptional(ctx, r.loaders(ctx).rooms.members, &roomID)
	if err != nil {
		return nil, err
	}
	return market.FindMember(members, viewerID), nil
}

// roomChanged drops what this request's loaders know about a room that a
// mutation just changed, so that its payload (and later mutations of the
// same request) read it afresh.
func (r *Resolver) roomChanged(ctx context.Context, room *market.Room) {
	l := r.loaders(ctx)
	l.rooms.members.Clear(room.ID)
	l.rooms.lastMessage.Clear(room.ID)
	l.rooms.byProposal.Clear(room.ProposalID)
	l.rooms.contact.Clear(room.ID)
	l.Proposal.Clear(room.ProposalID)
	l.Room.Clear(room.ID)
	l.Room.Prime(room.ID, room)
}

// roomLoaders are this area's per-request loaders (fields of Loaders).
type roomLoaders struct {
	// members of a room, by room id; the viewer's membership is found among them.
	members *dataloadgen.Loader[int64, []*market.RoomMember]
	// lastMessage of a room, by room id.
	lastMessage *dataloadgen.Loader[int64, *market.Message]
	// byProposal is the room of a proposal, by proposal id.
	byProposal *dataloadgen.Loader[int64, *market.Room]
	// contact reports whether contact details may be shared in a room (R17).
	contact *dataloadgen.Loader[int64, bool]
}

func newRoomLoaders(h *hiring.Service, opts ...dataloadgen.Option) roomLoaders {
	return roomLoaders{
		members:     dataloadgen.NewMappedLoader(h.MembersByRoomID, opts...),
		lastMessage: dataloadgen.NewMappedLoader(h.LastMessageByRoomID, opts...),
		byProposal:  dataloadgen.NewMappedLoader(h.RoomByProposalID, opts...),
		contact:     dataloadgen.NewMappedLoader(h.ContactSharingByRoomID, opts...),
	}
}

// contractLoaders are this area's per-request loaders (fields of Loaders).
type contractLoaders struct {
	offersByProposal   *dataloadgen.Loader[int64, []*market.Offer]
	contractByProposal *dataloadgen.Loader[int64, *market.Contract]
	bonuses            *dataloadgen.Loader[int64, []*market.Bonus]
	timeEntries        *dataloadgen.Loader[int64, []*market.TimeEntry]
}

func newContractLoaders(h *hiring.Service, opts ...dataloadgen.Option) contractLoaders {
	return contractLoaders{
		offersByProposal:   dataloadgen.NewMappedLoader(h.OffersByProposalID, opts...),
		contractByProposal: dataloadgen.NewMappedLoader(h.ContractsByProposalID, opts...),
		bonuses:            dataloadgen.NewMappedLoader(h.BonusesByContractID, opts...),
		timeEntries:        dataloadgen.NewMappedLoader(h.TimeEntriesByContractID, opts...),
	}
}

// jobLoaders are this area's per-request loaders (fields of Loaders): one
// page of each job's invitations and proposals, batched across the jobs of
// a list so that it costs two statements whatever the number of jobs.
type jobLoaders struct {
	invitations *dataloadgen.Loader[hiring.JobPageKey, market.Page[*market.Invitation]]
	proposals   *dataloadgen.Loader[hiring.JobPageKey, market.Page[*market.Proposal]]
}

func newJobLoaders(h *hiring.Service, opts ...dataloadgen.Option) jobLoaders {
	return jobLoaders{
		invitations: dataloadgen.NewMappedLoader(h.JobInvitationPages, opts...),
		proposals:   dataloadgen.NewMappedLoader(h.JobProposalPages, opts...),
	}
}

// notificationLoaders are this area's per-request loaders (fields of
// Loaders). The feed has no one-to-many relation of its own: a
// notification's subject and actor go through the shared by-id loaders
// (Invitation, Proposal, Room, Offer, Contract, User), so it needs none.
type notificationLoaders struct{}

func newNotificationLoaders(_ *hiring.Service, _ ...dataloadgen.Option) notificationLoaders {
	return notificationLoaders{}
}

// matchingLoaders are this area's per-request loaders (a field of Loaders).
// The stats loader is built on first use: most requests never ask for stats.
type matchingLoaders struct {
	h    *hiring.Service
	opts []dataloadgen.Option

	statsOnce sync.Once
	stats     *dataloadgen.Loader[int64, *market.InvitationStats]
}

func newMatchingLoaders(h *hiring.Service, opts ...dataloadgen.Option) *matchingLoaders {
	return &matchingLoaders{h: h, opts: opts}
}

// invitationStats returns the loader of users' invitation statistics: one
// statement for every user of a list.
func (l *matchingLoaders) invitationStats() *dataloadgen.Loader[int64, *market.InvitationStats] {
	l.statsOnce.Do(func() { l.stats = dataloadgen.NewMappedLoader(l.h.InvitationStatsByUserID, l.opts...) })
	return l.stats
}
