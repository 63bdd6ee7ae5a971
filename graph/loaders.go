package graph

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Loaders batch the lookups of one request, so that a list costs a fixed
// number of SQL statements whatever its length. They are the one way the
// resolvers load related rows: every loader is a field here, built by
// NewLoaders, keyed by the id its resolver holds. A list resolver that knows
// what its items will ask for may prime them (see invitationsPage), which
// saves the batch window; a mutation that changes a row clears it (see
// roomChanged).
type Loaders struct {
	// Rows by their own id.
	User       *lazyLoader[int64, *market.User]
	Profile    *lazyLoader[int64, *market.FreelancerProfile] // by user id
	Job        *lazyLoader[int64, *market.Job]
	Question   *lazyLoader[int64, *market.Question]
	Agency     *lazyLoader[int64, *market.Agency]
	Invitation *lazyLoader[int64, *market.Invitation]
	Proposal   *lazyLoader[int64, *market.Proposal]
	Reason     *lazyLoader[int64, *market.Reason]
	Room       *lazyLoader[int64, *market.Room]
	Offer      *lazyLoader[int64, *market.Offer]
	Contract   *lazyLoader[int64, *market.Contract]
	// AgencyInvitation loads invitations to join agencies.
	AgencyInvitation *lazyLoader[int64, *market.AgencyInvitation]

	// Rows by their parent's id.
	JobQuestion        *lazyLoader[int64, []*market.Question]      // by job id
	Answers            *lazyLoader[int64, []*market.Answer]        // by proposal id
	Attachments        *lazyLoader[int64, []*market.Attachment]    // by proposal id
	RoomByProposal     *lazyLoader[int64, *market.Room]            // by proposal id
	RoomMembers        *lazyLoader[int64, []*market.RoomMember]    // by room id; the viewer's membership is among them
	LastMessage        *lazyLoader[int64, *market.Message]         // by room id
	ContactSharing     *lazyLoader[int64, bool]                    // by room id: may contact details be shared (R17)
	OffersByProposal   *lazyLoader[int64, []*market.Offer]         // by proposal id
	ContractByProposal *lazyLoader[int64, *market.Contract]        // by proposal id
	Bonuses            *lazyLoader[int64, []*market.Bonus]         // by contract id
	TimeEntries        *lazyLoader[int64, []*market.TimeEntry]     // by contract id
	InvitationStats    *lazyLoader[int64, *market.InvitationStats] // by user id

	// A page of each job's invitations and proposals, batched across the
	// jobs of a list.
	JobInvitations *lazyLoader[hiring.JobPageKey, market.Page[*market.Invitation]]
	JobProposals   *lazyLoader[hiring.JobPageKey, market.Page[*market.Proposal]]

	set *loaderSet
}

// DefaultLoaderWait is how long a loader collects keys before it runs its
// batch. A list's items resolve their fields in parallel goroutines; a
// batch that fires before they have all asked splits into several
// statements, and each level of nesting adds up to this much latency.
// Measured on a room's page of 50 messages with their senders (load
// generator, docs/performance.md): one request at a time, 10 ms gave p50
// 14 ms and 1-2 ms gave 4-5 ms, all at 5.0 statements; with the machine
// saturated (8 at a time on 2 cores) 2 ms split a few batches (5.13 against
// 5.01 statements) and latency was the same. Lists that know what their
// items ask for prime the loaders and wait for no window at all.
const DefaultLoaderWait = 2 * time.Millisecond

// NewLoaders returns a fresh set of loaders (one per request) that wait
// waitFor for keys (0: DefaultLoaderWait).
func NewLoaders(h *hiring.Service, waitFor time.Duration) *Loaders {
	return newLoaders(loaderSource{h: h}, waitFor)
}

// NewSharedLoaders returns loaders shared by the subscribers that one read
// of an event serves. A batch runs in the context of the first of them to
// ask, and its result is cached for all: so a batch is not cancelled with
// that subscriber (its client leaving at that moment would hand the others
// its cancellation), and runs for at most timeout (0: no limit) instead.
func NewSharedLoaders(h *hiring.Service, waitFor, timeout time.Duration) *Loaders {
	return newLoaders(loaderSource{h: h, detach: true, timeout: timeout}, waitFor)
}

func newLoaders(src loaderSource, waitFor time.Duration) *Loaders {
	if waitFor <= 0 {
		waitFor = DefaultLoaderWait
	}
	b := new(struct {
		Loaders
		set loaderSet
	})
	l, s := &b.Loaders, &b.set
	src.wait = dataloadgen.WithWait(waitFor)
	src.batches = &s.batches
	s.src = src
	l.set = s
	l.User = s.user.init(&s.src, (*hiring.Service).UsersByID)
	l.Profile = s.profile.init(&s.src, (*hiring.Service).ProfilesByUserID)
	l.Job = s.job.init(&s.src, (*hiring.Service).JobsByID)
	l.Question = s.question.init(&s.src, (*hiring.Service).QuestionsByID)
	l.Agency = s.agency.init(&s.src, (*hiring.Service).AgenciesByID)
	l.Invitation = s.invitation.init(&s.src, (*hiring.Service).InvitationsByID)
	l.Proposal = s.proposal.init(&s.src, (*hiring.Service).ProposalsByID)
	l.Reason = s.reason.init(&s.src, (*hiring.Service).ReasonsByID)
	l.Room = s.room.init(&s.src, (*hiring.Service).RoomsByID)
	l.Offer = s.offer.init(&s.src, (*hiring.Service).OffersByID)
	l.Contract = s.contract.init(&s.src, (*hiring.Service).ContractsByID)
	l.AgencyInvitation = s.agencyInvitation.init(&s.src, (*hiring.Service).AgencyInvitationsByID)
	l.JobQuestion = s.jobQuestion.init(&s.src, (*hiring.Service).QuestionsByJobID)
	l.Answers = s.answers.init(&s.src, (*hiring.Service).AnswersByProposalID)
	l.Attachments = s.attachments.init(&s.src, (*hiring.Service).AttachmentsByProposalID)
	l.RoomByProposal = s.roomByProposal.init(&s.src, (*hiring.Service).RoomByProposalID)
	l.RoomMembers = s.roomMembers.init(&s.src, (*hiring.Service).MembersByRoomID)
	l.LastMessage = s.lastMessage.init(&s.src, (*hiring.Service).LastMessageByRoomID)
	l.ContactSharing = s.contactSharing.init(&s.src, (*hiring.Service).ContactSharingByRoomID)
	l.OffersByProposal = s.offersByProposal.init(&s.src, (*hiring.Service).OffersByProposalID)
	l.ContractByProposal = s.contractByProposal.init(&s.src, (*hiring.Service).ContractsByProposalID)
	l.Bonuses = s.bonuses.init(&s.src, (*hiring.Service).BonusesByContractID)
	l.TimeEntries = s.timeEntries.init(&s.src, (*hiring.Service).TimeEntriesByContractID)
	l.InvitationStats = s.invitationStats.init(&s.src, (*hiring.Service).InvitationStatsByUserID)
	l.JobInvitations = s.jobInvitations.init(&s.src, (*hiring.Service).JobInvitationPages)
	l.JobProposals = s.jobProposals.init(&s.src, (*hiring.Service).JobProposalPages)
	return l
}

// loaderSet holds the loaders of one response, each made on first use: a
// response has the whole set at hand and most use few of them (an event of
// a bell, none), so the set costs one allocation until a loader is asked.
type loaderSet struct {
	src                loaderSource
	user               lazyLoader[int64, *market.User]
	profile            lazyLoader[int64, *market.FreelancerProfile]
	job                lazyLoader[int64, *market.Job]
	question           lazyLoader[int64, *market.Question]
	agency             lazyLoader[int64, *market.Agency]
	invitation         lazyLoader[int64, *market.Invitation]
	proposal           lazyLoader[int64, *market.Proposal]
	reason             lazyLoader[int64, *market.Reason]
	room               lazyLoader[int64, *market.Room]
	offer              lazyLoader[int64, *market.Offer]
	contract           lazyLoader[int64, *market.Contract]
	agencyInvitation   lazyLoader[int64, *market.AgencyInvitation]
	jobQuestion        lazyLoader[int64, []*market.Question]
	answers            lazyLoader[int64, []*market.Answer]
	attachments        lazyLoader[int64, []*market.Attachment]
	roomByProposal     lazyLoader[int64, *market.Room]
	roomMembers        lazyLoader[int64, []*market.RoomMember]
	lastMessage        lazyLoader[int64, *market.Message]
	contactSharing     lazyLoader[int64, bool]
	offersByProposal   lazyLoader[int64, []*market.Offer]
	contractByProposal lazyLoader[int64, *market.Contract]
	bonuses            lazyLoader[int64, []*market.Bonus]
	timeEntries        lazyLoader[int64, []*market.TimeEntry]
	invitationStats    lazyLoader[int64, *market.InvitationStats]
	jobInvitations     lazyLoader[hiring.JobPageKey, market.Page[*market.Invitation]]
	jobProposals       lazyLoader[hiring.JobPageKey, market.Page[*market.Proposal]]
	primed             primedLists
	batches            atomic.Int64
}

type loaderSource struct {
	h    *hiring.Service
	wait dataloadgen.Option
	// detach runs each batch without the cancellation of the context it
	// was started in, bounded by timeout (0: none): shared loaders.
	detach  bool
	timeout time.Duration
	// batches counts the batches run (the set's counter): a list
	// marshalled one element after the other watches it (marshalList).
	batches *atomic.Int64
}

// fetchContext is the context a batch runs in.
func (src *loaderSource) fetchContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if !src.detach {
		return ctx, func() {}
	}
	ctx = context.WithoutCancel(ctx)
	if src.timeout > 0 {
		return context.WithTimeout(ctx, src.timeout)
	}
	return ctx, func() {}
}

// lazyLoader is a dataloadgen loader made on first use, with the loader's
// methods.
type lazyLoader[K comparable, V any] struct {
	once  sync.Once
	l     *dataloadgen.Loader[K, V]
	src   *loaderSource
	fetch func(*hiring.Service, context.Context, []K) (map[K]V, error)
}

func (z *lazyLoader[K, V]) init(src *loaderSource, fetch func(*hiring.Service, context.Context, []K) (map[K]V, error)) *lazyLoader[K, V] {
	z.src, z.fetch = src, fetch
	return z
}

func (z *lazyLoader[K, V]) get() *dataloadgen.Loader[K, V] {
	z.once.Do(func() {
		src, fetch := z.src, z.fetch
		z.l = dataloadgen.NewMappedLoader(func(ctx context.Context, keys []K) (map[K]V, error) {
			if src.batches != nil {
				src.batches.Add(1)
			}
			ctx, cancel := src.fetchContext(ctx)
			defer cancel()
			return fetch(src.h, ctx, keys)
		}, z.src.wait)
	})
	return z.l
}

func (z *lazyLoader[K, V]) Load(ctx context.Context, key K) (V, error) { return z.get().Load(ctx, key) }

func (z *lazyLoader[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	return z.get().LoadAll(ctx, keys)
}

func (z *lazyLoader[K, V]) LoadAllThunk(ctx context.Context, keys []K) func() ([]V, error) {
	return z.get().LoadAllThunk(ctx, keys)
}

func (z *lazyLoader[K, V]) Prime(key K, value V) bool { return z.get().Prime(key, value) }

func (z *lazyLoader[K, V]) Clear(key K) { z.get().Clear(key) }

type loadersKey struct{}

// WithLoaders returns a context carrying loaders.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

// HasLoaders reports whether ctx carries loaders already (those a
// subscription's event shares with the other subscribers it reaches).
func HasLoaders(ctx context.Context) bool {
	_, ok := ctx.Value(loadersKey{}).(*Loaders)
	return ok
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
func load[T any](ctx context.Context, l *lazyLoader[int64, T], id int64, what string) (T, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		var zero T
		return zero, market.NotFound(what)
	}
	return v, err
}

// loadOptional runs a loader for an optional relation: nil id or a missing
// row give the zero value.
func loadOptional[T any](ctx context.Context, l *lazyLoader[int64, T], id *int64) (T, error) {
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
func loadRows[T any](ctx context.Context, l *lazyLoader[int64, []T], id int64) ([]T, error) {
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
