package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hiregraph/hiregraph/internal/market"
	"github.com/hiregraph/hiregraph/internal/postgres"
	"github.com/hiregraph/hiregraph/internal/postgres/postgrestest"
)

// With UseOutbox, Notify writes to the outbox in the change's transaction;
// the relay lease is held by one connection at a time, reads the outbox in
// order and deletes what it relayed.
func TestOutbox(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := postgrestest.New(t)
	store := postgres.New(db)
	store.UseOutbox()
	written := postgres.EventsWritten()
	notify := func(seq int64, fail bool) error {
		return store.Transact(ctx, func(c *postgres.Conn) error {
			if err := c.Notify(ctx, market.Event{Topic: market.RoomTopic(4), Kind: market.EventMessage, ID: 10 + seq, Seq: seq}); err != nil {
				return err
			}
			if fail {
				return errors.New("roll back")
			}
			return nil
		})
	}
	for seq := int64(1); seq <= 3; seq++ {
		if err := notify(seq, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := notify(99, true); err == nil {
		t.Fatal("the failing change committed")
	}
	if got := postgres.EventsWritten() - written; got < 4 {
		t.Errorf("EventsWritten grew by %d, want at least 4 (rolled-back ones count as written)", got)
	}

	lease, err := store.AcquireRelay(ctx)
	if err != nil || lease == nil {
		t.Fatalf("AcquireRelay: %v, %v", lease, err)
	}
	if other, err := store.AcquireRelay(ctx); err != nil || other != nil {
		t.Fatalf("a second relay got the lease: %v, %v", other, err)
	}
	events, err := lease.Next(ctx, 2)
	if err != nil || len(events) != 2 {
		t.Fatalf("Next(2): %v, %v", events, err)
	}
	for i, e := range events {
		if e.Seq != int64(i+1) || e.Topic != "room:4" || e.Kind != market.EventMessage || e.ID != 11+int64(i) || e.CreatedAt.IsZero() {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	if err := lease.Done(ctx, []int64{events[0].OutboxID, events[1].OutboxID}); err != nil {
		t.Fatal(err)
	}
	rest, err := lease.Next(ctx, 10)
	if err != nil || len(rest) != 1 || rest[0].Seq != 3 {
		t.Fatalf("after Done, Next: %+v, %v (the rolled-back event must not be there)", rest, err)
	}
	lease.Release()
	again, err := store.AcquireRelay(ctx)
	if err != nil || again == nil {
		t.Fatalf("after Release the lease is free: %v, %v", again, err)
	}
	again.Release()
}
