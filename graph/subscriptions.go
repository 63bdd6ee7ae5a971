package graph

import (
	"context"
	"sync/atomic"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/realtime"
)

// Subscriptions (R24). The streams themselves (resume, order, no loss,
// shared reads) are hiring's and realtime's; here they are authorized,
// limited per connection, and mapped to the API's types. No goroutine waits
// on a subscription: the stream puts each item, mapped, in the channel the
// executor reads, and the transport reads it when the context's
// realtime.Outlet says one is there.

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

type checkKey struct{}

// WithSubscriptionCheck returns a connection context in which every
// subscription, before it starts, runs check (the server's: the database
// answers), so that a subscription that cannot deliver says so at once
// rather than being acknowledged and then completed without a word.
func WithSubscriptionCheck(ctx context.Context, check func(context.Context) error) context.Context {
	return context.WithValue(ctx, checkKey{}, check)
}

// acquire runs the connection's check and takes a subscription slot;
// release gives it back. Errors: RATE_LIMITED, and the check's
// (market.ErrUnavailable).
func acquire(ctx context.Context) (release func(), err error) {
	if check, ok := ctx.Value(checkKey{}).(func(context.Context) error); ok {
		if err := check(ctx); err != nil {
			return nil, err
		}
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

// stream takes a subscription slot and starts a stream whose items are
// mapped by f into the channel the executor reads; the slot is given back
// when the stream ends, or at once when it fails to start. The channel holds
// what the stream may have pending, so the stream never blocks on it.
// Errors: RATE_LIMITED, and start's.
func stream[T, U any](ctx context.Context, start func(realtime.Sink[T]) error, f func(T) U) (<-chan U, error) {
	release, err := acquire(ctx)
	if err != nil {
		return nil, err
	}
	out := make(chan U, realtime.Buffer+1)
	if o := realtime.OutletFrom(ctx); o != nil {
		o.SetDiscard(func() { <-out })
	}
	err = start(realtime.Sink[T]{
		Emit: func(v T) { out <- f(v) },
		End:  func() { release(); close(out) },
	})
	if err != nil {
		release()
		return nil, err
	}
	return out, nil
}

// streamStart decodes a notification or invitation stream's `after`;
// without one the stream starts live, after the position live returns now
// (read before the stream subscribes: what commits later has a higher
// position and is delivered). Errors: VALIDATION_FAILED.
func streamStart(after *string, live func() (int64, error)) (int64, error) {
	pos, err := decodeStreamAfter("after", after)
	switch {
	case err != nil:
		return 0, err
	case pos != nil:
		return *pos, nil
	}
	return live()
}
