package realtime

import (
	"context"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/market"
)

func TestBrokerDeliversByTopic(t *testing.T) {
	b := NewBroker()
	a, c := b.Subscribe("room:1"), b.Subscribe("room:2")
	defer c.Close()
	b.Publish(market.Event{Topic: "room:1", Seq: 1})
	if e := <-a.C; e.Seq != 1 {
		t.Fatalf("got %+v", e)
	}
	select {
	case e := <-c.C:
		t.Fatalf("room:2 got room:1's event %+v", e)
	default:
	}
	a.Close()
	if n := b.Subscribers(); n != 1 {
		t.Fatalf("subscribers after close: %d", n)
	}
	b.Publish(market.Event{Topic: "room:1", Seq: 2}) // nobody listens: no block, no panic
}

func TestBrokerOverflowAsksForResync(t *testing.T) {
	b := NewBroker()
	s := b.Subscribe("user:1")
	defer s.Close()
	for i := range Buffer + 5 {
		b.Publish(market.Event{Topic: "user:1", Seq: int64(i + 1)})
	}
	select {
	case <-s.Resync:
	default:
		t.Fatal("a full buffer must signal a resync instead of blocking or dropping silently")
	}
	b.ResyncAll()
	select {
	case <-s.Resync:
	default:
		t.Fatal("ResyncAll must signal every subscriber")
	}
}

// TestStreamNeverRepeatsOrSkips feeds Stream duplicate, reordered and lost
// events: what it sends is exactly the table's rows after the cursor, in order.
func TestStreamNeverRepeatsOrSkips(t *testing.T) {
	b := NewBroker()
	sub := b.Subscribe("room:1")
	table := []int64{1, 2, 3}
	var mu = make(chan struct{}, 1)
	mu <- struct{}{}
	fetch := func(_ context.Context, after int64) ([]int64, error) {
		<-mu
		defer func() { mu <- struct{}{} }()
		var out []int64
		for _, v := range table {
			if v > after {
				out = append(out, v)
			}
		}
		return out, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan int64)
	go Stream(ctx, sub, 1, fetch, func(v int64) int64 { return v }, out)
	want := []int64{2, 3}
	for _, w := range want {
		if got := <-out; got != w {
			t.Fatalf("catch-up: want %d, got %d", w, got)
		}
	}
	<-mu
	table = append(table, 4, 5, 6)
	mu <- struct{}{}
	b.Publish(market.Event{Topic: "room:1", Seq: 6}) // 4 and 5's events were lost
	b.Publish(market.Event{Topic: "room:1", Seq: 3}) // a stale duplicate
	for _, w := range []int64{4, 5, 6} {
		select {
		case got := <-out:
			if got != w {
				t.Fatalf("live: want %d, got %d", w, got)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("live: %d never came", w)
		}
	}
	b.ResyncAll()
	select {
	case got := <-out:
		t.Fatalf("nothing new, yet got %d", got)
	case <-time.After(100 * time.Millisecond):
	}
}
