package graph

import (
	"context"
	"sync/atomic"

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

// stream takes a subscription slot, starts a stream and relays it mapped by
// f; the slot is given back when the stream ends, or at once when it fails
// to start. Errors: RATE_LIMITED, and start's.
func stream[T, U any](ctx context.Context, start func() (<-chan T, error), f func(T) U) (<-chan U, error) {
	release, err := acquire(ctx)
	if err != nil {
		return nil, err
	}
	in, err := start()
	if err != nil {
		release()
		return nil, err
	}
	return relay(ctx, in, release, f), nil
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
