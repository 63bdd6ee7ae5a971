package realtime

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Watch starts a live-only stream: for every event of topic with one of
// kinds, load runs (one at a time, in order, in a goroutine that lives while
// events are queued) and what it returns with ok is handed to the sink.
// There is no sequence to resume from, so a consumer with Buffer items
// pending misses the newest. The stream ends when ctx ends; sink.End is then
// called once. The consumer is the context's Outlet.
func Watch[T any](ctx context.Context, b *Broker, topic string, kinds []string, load func(ctx context.Context, e market.Event) (T, bool), sink Sink[T]) error {
	o := OutletFrom(ctx)
	if o == nil {
		return ErrNoOutlet
	}
	o.attach()
	w := &watcher[T]{b: b, topic: topic, kinds: kinds, load: load, sink: sink, o: o, ctx: ctx}
	w.k = fmt.Sprintf("watch:%p", w)
	b.join(topic, w.k, func() feedHandle { return w }, func(feedHandle) {})
	b.subscribers.Add(1)
	if b.interest != nil {
		w.release = b.interest(topic)
	}
	context.AfterFunc(ctx, w.end)
	return nil
}

type watcher[T any] struct {
	b        *Broker
	topic, k string
	kinds    []string
	load     func(ctx context.Context, e market.Event) (T, bool)
	sink     Sink[T]
	o        *Outlet
	ctx      context.Context

	release func()

	mu      sync.Mutex
	queue   []market.Event
	running bool
	done    bool
}

func (w *watcher[T]) liveFollowers() int { return 1 }

func (w *watcher[T]) key() string { return w.k }

func (w *watcher[T]) lock() func() {
	w.mu.Lock()
	return w.mu.Unlock
}

func (w *watcher[T]) notify(e market.Event) {
	if e.Kind == "" || len(w.kinds) > 0 && !slices.Contains(w.kinds, e.Kind) {
		return // a resync: nothing to re-read for a live-only stream
	}
	w.mu.Lock()
	w.queue = append(w.queue, e)
	start := !w.running && !w.done
	w.running = w.running || start
	w.mu.Unlock()
	if start {
		go w.run()
	}
}

func (w *watcher[T]) run() {
	for {
		w.mu.Lock()
		if w.done || len(w.queue) == 0 {
			w.running = false
			w.queue = nil
			w.mu.Unlock()
			return
		}
		e := w.queue[0]
		w.queue = w.queue[1:]
		w.mu.Unlock()

		v, ok := w.load(w.ctx, e)
		w.mu.Lock()
		if ok && !w.done && w.o.Pending() < Buffer {
			w.sink.Emit(v)
			w.o.push(nil, 1)
			w.b.delivered.Add(1)
		}
		w.mu.Unlock()
	}
}

func (w *watcher[T]) end() {
	w.mu.Lock()
	if w.done {
		w.mu.Unlock()
		return
	}
	w.done = true
	w.mu.Unlock()
	w.b.subscribers.Add(-1)
	if w.release != nil {
		w.release()
	}
	w.b.drop(w.topic, w, func() bool { return true })
	w.sink.End()
	w.o.push(nil, 1)
}
