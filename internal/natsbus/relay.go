package natsbus

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hiregraph/hiregraph/internal/postgres"
)

// Relay publishes the outbox to JetStream, in order, one relay at a time
// across every instance on the database. Every instance runs one; the one
// that holds the lease relays, the others wait to take over.
type Relay struct {
	Store  *postgres.Store
	JS     jetstream.JetStream
	Prefix string
	Log    *slog.Logger
	// Poll is how long the relay waits when the outbox is empty (10 ms).
	Poll time.Duration
	// Batch is the most events published before their acknowledgements are
	// awaited and their rows deleted (256).
	Batch int

	leader  atomic.Bool
	relayed atomic.Uint64
	lagNs   atomic.Int64
}

// Leader reports whether this instance holds the relay lease now.
func (r *Relay) Leader() bool { return r.leader.Load() }

// Relayed counts the events this instance published and JetStream
// acknowledged.
func (r *Relay) Relayed() uint64 { return r.relayed.Load() }

// Lag is the age of the oldest event waiting in the outbox when the relay
// last looked (0 when it was empty or this instance is not the relay).
func (r *Relay) Lag() time.Duration { return time.Duration(r.lagNs.Load()) }

// Run relays until ctx is done.
func (r *Relay) Run(ctx context.Context) {
	if r.Log == nil {
		r.Log = slog.Default()
	}
	log := r.Log
	for ctx.Err() == nil {
		lease, err := r.Store.AcquireRelay(ctx)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("outbox relay: cannot try the lease", "err", err)
			}
			sleep(ctx, time.Second)
			continue
		}
		if lease == nil { // another instance relays
			sleep(ctx, 500*time.Millisecond)
			continue
		}
		log.Info("outbox relay: this instance relays events to NATS")
		r.leader.Store(true)
		err = r.relay(ctx, lease)
		r.leader.Store(false)
		r.lagNs.Store(0)
		lease.Release()
		if ctx.Err() == nil {
			log.Warn("outbox relay: lease lost; trying again", "err", err)
			sleep(ctx, 250*time.Millisecond)
		}
	}
}

// relay publishes batches until the lease's connection fails or ctx ends.
// A batch that NATS does not acknowledge stays in the outbox and is
// published again (with the same message ids, which JetStream de-duplicates).
func (r *Relay) relay(ctx context.Context, lease *postgres.RelayLease) error {
	poll := r.Poll
	if poll <= 0 {
		poll = 10 * time.Millisecond
	}
	batch := r.Batch
	if batch <= 0 {
		batch = 256
	}
	backoff := 50 * time.Millisecond
	for {
		events, err := lease.Next(ctx, batch)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			r.lagNs.Store(0)
			if !sleep(ctx, poll) {
				return nil
			}
			continue
		}
		r.lagNs.Store(int64(time.Since(events[0].CreatedAt)))
		if err := r.publish(ctx, events); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.Log.Warn("outbox relay: NATS did not acknowledge; retrying", "events", len(events), "err", err)
			if !sleep(ctx, backoff) {
				return nil
			}
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
		ids := make([]int64, len(events))
		for i, e := range events {
			ids[i] = e.OutboxID
		}
		if err := lease.Done(ctx, ids); err != nil {
			return err
		}
		r.relayed.Add(uint64(len(events)))
	}
}

// publish sends the events in order and waits for every acknowledgement.
func (r *Relay) publish(ctx context.Context, events []postgres.OutboxEvent) error {
	futures := make([]jetstream.PubAckFuture, 0, len(events))
	for _, e := range events {
		m := &nats.Msg{Subject: Subject(r.Prefix, e.Topic), Data: encode(e.Event), Header: nats.Header{}}
		f, err := r.JS.PublishMsgAsync(m, jetstream.WithMsgID(r.Prefix+"-"+strconv.FormatInt(e.OutboxID, 10)))
		if err != nil {
			return err
		}
		futures = append(futures, f)
	}
	timeout := time.NewTimer(5 * time.Second)
	defer timeout.Stop()
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return err
		case <-timeout.C:
			return errors.New("no acknowledgement from JetStream within 5s")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// sleep waits d or until ctx is done; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
