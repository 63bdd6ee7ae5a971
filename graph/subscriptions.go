package graph

import (
	"context"
	"sync/atomic"

	"github.com/hiregraph/hiregraph/graph/model"
	"github.com/hiregraph/hiregraph/internal/hiring"
	"github.com/hiregraph/hiregraph/internal/market"
)

// Subscriptions (R24). The streams themselves (resume, order, no loss) are
// hiring's and realtime's; here they are authorized, limited per
// connection, and mapped to the API's types.

// SubscriptionLimit caps the subscriptions open on one websocket connection.
type SubscriptionLimit struct {
	max  int32
	open atomic.Int32
}

type limitKey struct{}

// WithSubscriptionLimit returns a connection context allowing at most max
// subscriptions at once.
func WithSubscriptionLimit(ctx context.Context, max int) context.Context {
	return context.WithValue(ctx, limitKey{}, &SubscriptionLimit{max: int32(max)})
}

// acquire checks that a subscription can start (the database answers: a
// subscription that cannot deliver says so now, rather than being
// acknowledged and then completed without a word) and takes a subscription
// slot; release gives it back. Errors: RATE_LIMITED, UNAVAILABLE.
func (r *Resolver) acquire(ctx context.Context) (release func(), err error) {
	if err := r.Hiring.Ping(ctx); err != nil {
		return nil, err
	}
	l, ok := ctx.Value(limitKey{}).(*SubscriptionLimit)
	if !ok {
		return func() {}, nil
	}
	if l.open.Add(1) > l.max {
		l.open.Add(-1)
		return nil, market.Errorf(market.CodeRateLimited, "at most %d subscriptions per connection", l.max)
	}
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			l.open.Add(-1)
		}
	}, nil
}

// relay maps a stream to the API's type until either side ends, then
// releases the subscription's slot.
func relay[T, U any](ctx context.Context, in <-chan T, release func(), f func(T) U) <-chan U {
	out := make(chan U)
	go func() {
		defer close(out)
		defer release()
		for v := range in {
			select {
			case out <- f(v):
			case <-ctx.Done():
				// Drain so the producer can see ctx.Done and exit.
				for range in {
				}
				return
			}
		}
	}()
	return out
}

func (r *Resolver) subscriptionInvitationReceived(ctx context.Context, after *string) (<-chan *model.InvitationEvent, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	seq, err := decodeSeqCursor("after", after)
	if err != nil {
		return nil, err
	}
	release, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	in, err := r.Hiring.SubscribeInvitations(ctx, v, seq)
	if err != nil {
		release()
		return nil, err
	}
	return relay(ctx, in, release, func(e hiring.InvitationEvent) *model.InvitationEvent {
		return &model.InvitationEvent{Cursor: seqCursor(e.Seq), Invitation: e.Invitation}
	}), nil
}

func (r *Resolver) subscriptionNotificationReceived(ctx context.Context, after *string) (<-chan *model.NotificationEvent, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	seq, err := decodeSeqCursor("after", after)
	if err != nil {
		return nil, err
	}
	release, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	in, err := r.Hiring.SubscribeNotifications(ctx, v, seq)
	if err != nil {
		release()
		return nil, err
	}
	return relay(ctx, in, release, func(e hiring.NotificationEvent) *model.NotificationEvent {
		return &model.NotificationEvent{Cursor: seqCursor(e.Notification.Seq), Notification: e.Notification, UnreadCount: e.UnreadCount}
	}), nil
}

func (r *Resolver) subscriptionMessageAdded(ctx context.Context, roomID string, after *string) (<-chan *model.MessageEdge, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	id, err := decodeID("roomId", kindRoom, roomID)
	if err != nil {
		return nil, err
	}
	seq, err := decodeSeqCursor("after", after)
	if err != nil {
		return nil, err
	}
	release, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	in, err := r.Hiring.SubscribeMessages(ctx, v, id, seq)
	if err != nil {
		release()
		return nil, err
	}
	return relay(ctx, in, release, func(m *market.Message) *model.MessageEdge {
		return &model.MessageEdge{Cursor: seqCursor(m.Seq), Node: m}
	}), nil
}

func (r *Resolver) subscriptionProposalUpdated(ctx context.Context) (<-chan *market.Proposal, error) {
	v, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	release, err := r.acquire(ctx)
	if err != nil {
		return nil, err
	}
	in, err := r.Hiring.SubscribeProposals(ctx, v)
	if err != nil {
		release()
		return nil, err
	}
	return relay(ctx, in, release, func(p *market.Proposal) *market.Proposal { return p }), nil
}
