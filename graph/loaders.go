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
// number of SQL statements whatever its length. They are the one way the
// resolvers load related rows: every loader is a field here, built by
// NewLoaders, keyed by the id its resolver holds. A list resolver that knows
// what its items will ask for may prime them (see primeInvitations), which
// saves the batch window; a mutation that changes a row clears it (see
// roomChanged).
type Loaders struct {
	// Rows by their own id.
	User       *dataloadgen.Loader[int64, *market.User]
	Profile    *dataloadgen.Loader[int64, *market.FreelancerProfile] // by user id
	Job        *dataloadgen.Loader[int64, *market.Job]
	Question   *dataloadgen.Loader[int64, *market.Question]
	Agency     *dataloadgen.Loader[int64, *market.Agency]
	Invitation *dataloadgen.Loader[int64, *market.Invitation]
	Proposal   *dataloadgen.Loader[int64, *market.Proposal]
	Reason     *dataloadgen.Loader[int64, *market.Reason]
	Room       *dataloadgen.Loader[int64, *market.Room]
	Offer      *dataloadgen.Loader[int64, *market.Offer]
	Contract   *dataloadgen.Loader[int64, *market.Contract]

	// Rows by their parent's id.
	JobQuestion        *dataloadgen.Loader[int64, []*market.Question]      // by job id
	Answers            *dataloadgen.Loader[int64, []*market.Answer]        // by proposal id
	Attachments        *dataloadgen.Loader[int64, []*market.Attachment]    // by proposal id
	RoomByProposal     *dataloadgen.Loader[int64, *market.Room]            // by proposal id
	RoomMembers        *dataloadgen.Loader[int64, []*market.RoomMember]    // by room id; the viewer's membership is among them
	LastMessage        *dataloadgen.Loader[int64, *market.Message]         // by room id
	ContactSharing     *dataloadgen.Loader[int64, bool]                    // by room id: may contact details be shared (R17)
	OffersByProposal   *dataloadgen.Loader[int64, []*market.Offer]         // by proposal id
	ContractByProposal *dataloadgen.Loader[int64, *market.Contract]        // by proposal id
	Bonuses            *dataloadgen.Loader[int64, []*market.Bonus]         // by contract id
	TimeEntries        *dataloadgen.Loader[int64, []*market.TimeEntry]     // by contract id
	InvitationStats    *dataloadgen.Loader[int64, *market.InvitationStats] // by user id

	// A page of each job's invitations and proposals, batched across the
	// jobs of a list.
	JobInvitations *dataloadgen.Loader[hiring.JobPageKey, market.Page[*market.Invitation]]
	JobProposals   *dataloadgen.Loader[hiring.JobPageKey, market.Page[*market.Proposal]]
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
		Question:    dataloadgen.NewMappedLoader(h.QuestionsByID, wait),
		Agency:      dataloadgen.NewMappedLoader(h.AgenciesByID, wait),
		Invitation:  dataloadgen.NewMappedLoader(h.InvitationsByID, wait),
		Proposal:    dataloadgen.NewMappedLoader(h.ProposalsByID, wait),
		Reason:      dataloadgen.NewMappedLoader(h.ReasonsByID, wait),
		Room:        dataloadgen.NewMappedLoader(h.RoomsByID, wait),
		Offer:       dataloadgen.NewMappedLoader(h.OffersByID, wait),
		Contract:    dataloadgen.NewMappedLoader(h.ContractsByID, wait),
		JobQuestion: dataloadgen.NewMappedLoader(h.QuestionsByJobID, wait),
		Answers:     dataloadgen.NewMappedLoader(h.AnswersByProposalID, wait),
		Attachments: dataloadgen.NewMappedLoader(h.AttachmentsByProposalID, wait),

		RoomByProposal:     dataloadgen.NewMappedLoader(h.RoomByProposalID, wait),
		RoomMembers:        dataloadgen.NewMappedLoader(h.MembersByRoomID, wait),
		LastMessage:        dataloadgen.NewMappedLoader(h.LastMessageByRoomID, wait),
		ContactSharing:     dataloadgen.NewMappedLoader(h.ContactSharingByRoomID, wait),
		OffersByProposal:   dataloadgen.NewMappedLoader(h.OffersByProposalID, wait),
		ContractByProposal: dataloadgen.NewMappedLoader(h.ContractsByProposalID, wait),
		Bonuses:            dataloadgen.NewMappedLoader(h.BonusesByContractID, wait),
		TimeEntries:        dataloadgen.NewMappedLoader(h.TimeEntriesByContractID, wait),
		InvitationStats:    dataloadgen.NewMappedLoader(h.InvitationStatsByUserID, wait),
		JobInvitations:     dataloadgen.NewMappedLoader(h.JobInvitationPages, wait),
		JobProposals:       dataloadgen.NewMappedLoader(h.JobProposalPages, wait),
	}
}

type loadersKey struct{}

// WithLoaders returns a context carrying loaders.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

// ErrNoLoaders is the panic of a resolver run without loaders in its
// context: the server sets fresh ones around every response (an HTTP
// request, each event of a subscription), so their absence is a bug in
// how the schema is served, never something to paper over with loaders
// that would not batch anything.
var ErrNoLoaders = errors.New("graph: no dataloaders in the context: serve the schema with WithLoaders around every response (server.New does)")

// loaders returns the response's loaders, and panics (an INTERNAL error,
// logged with its stack) when there are none.
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	l, ok := ctx.Value(loadersKey{}).(*Loaders)
	if !ok {
		panic(ErrNoLoaders)
	}
	return l
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
	members, err := loadOptional(ctx, r.loaders(ctx).RoomMembers, &roomID)
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
	l.RoomMembers.Clear(room.ID)
	l.LastMessage.Clear(room.ID)
	l.RoomByProposal.Clear(room.ProposalID)
	l.ContactSharing.Clear(room.ID)
	l.Proposal.Clear(room.ProposalID)
	l.Room.Clear(room.ID)
	l.Room.Prime(room.ID, room)
}
