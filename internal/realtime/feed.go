package realtime

import (
	"context"
	"errors"
	"slices"

	"sync"

	"github.com/hiregraph/hiregraph/internal/market"
)

// Source describes one kind of stream of a topic: how the feed that all of
// this process's subscribers of it share reads what is new.
type Source[T any] struct {
	Topic string
	// Key tells apart the streams of one topic ("messages", "notifications").
	Key string
	// Kinds are the event kinds that may add to this stream (none: all).
	Kinds []string
	// Read returns up to limit items with a sequence above after, in order,
	// in one statement, with what Visible needs to decide for each
	// subscriber (a room's members, say). It does not authorize.
	Read func(ctx context.Context, after int64, limit int) (items []T, meta any, err error)
	// Seq is an item's per-topic sequence number.
	Seq func(T) int64
}

// Subscriber is one subscription's own part of a stream.
type Subscriber[T any] struct {
	// After is the sequence the subscriber has seen (its resume cursor; 0:
	// from the start).
	After int64
	// Fetch reads on the subscriber's own up to limit items after a
	// sequence: the backlog of a resume, or what a lagging subscriber
	// missed. Its items pass through Visible too. Nil: the source's Read
	// (in the subscriber's context).
	Fetch func(ctx context.Context, after int64, limit int) (items []T, meta any, err error)
	// Visible decides whether the subscriber sees an item of a shared read,
	// given the read's meta; an error ends the stream with that error (a
	// member who left the room, say). Nil: every item.
	Visible func(meta any, item T) (bool, error)
	Sink    Sink[T]
}

// ErrNoOutlet is returned when a subscription starts without an outlet in
// its context (only the websocket transport serves subscriptions).
var ErrNoOutlet = errors.New("realtime: the subscription has no outlet")

// Follow starts a subscriber on the shared feed of src: first what follows
// sub.After, read on its own a page at a time as its consumer takes them,
// then live from the shared reads. Every item arrives once, in order, even
// when events are lost, repeated or reordered (the tables are read, events
// only say when). The stream ends when ctx ends, or with an error when a
// read fails; sub.Sink.End is then called once. The consumer is the
// context's Outlet.
func Follow[T any](ctx context.Context, b *Broker, src Source[T], sub Subscriber[T]) error {
	o := OutletFrom(ctx)
	if o == nil {
		return ErrNoOutlet
	}
	o.attach()
	fl := &follower[T]{sub: sub, o: o, ctx: ctx, last: sub.After}
	b.join(src.Topic, src.Key, func() feedHandle { return &feed[T]{b: b, src: src} },
		func(h feedHandle) {
			f := h.(*feed[T])
			fl.f = f
			f.followers = append(f.followers, fl)
		})
	b.subscribers.Add(1)
	if b.interest != nil {
		fl.release = b.interest(src.Topic)
	}
	context.AfterFunc(ctx, func() { fl.f.end(fl, nil) })
	go fl.catchUp()
	return nil
}

// join finds or makes the feed of (topic, key) and runs add on it, under
// the broker's and the feed's locks, so that a feed being dropped is never
// joined.
func (b *Broker) join(topic, key string, make func() feedHandle, add func(feedHandle)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var h feedHandle
	for _, f := range b.topics[topic] {
		if f.key() == key {
			h = f
		}
	}
	if h == nil {
		h = make()
		b.topics[topic] = append(b.topics[topic], h)
	}
	l := h.(interface{ lock() func() })
	unlock := l.lock()
	defer unlock()
	add(h)
}

// drop forgets a feed that has no followers left.
func (b *Broker) drop(topic string, h feedHandle, empty func() bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	feeds := b.topics[topic]
	i := slices.Index(feeds, h)
	if i < 0 {
		return
	}
	unlock := h.(interface{ lock() func() }).lock()
	defer unlock()
	if empty() {
		if len(feeds) == 1 {
			delete(b.topics, topic)
		} else {
			b.topics[topic] = slices.Delete(feeds, i, i+1)
		}
	}
}

// feed is the shared catch-up of one stream of one topic on this process.
type feed[T any] struct {
	b   *Broker
	src Source[T]

	mu        sync.Mutex
	followers []*follower[T] // a slice: most feeds (a user's bell) have one
	live      int            // followers served by the shared reads
	last      int64          // the sequence the shared reads have reached
	reading   bool           // a read goroutine runs
	again     bool           // read (again) after the current read
}

func (f *feed[T]) key() string { return f.src.Key }

func (f *feed[T]) liveFollowers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.live
}

func (f *feed[T]) lock() func() {
	f.mu.Lock()
	return f.mu.Unlock
}

// follower is one subscriber of a feed. Its fields are guarded by the
// feed's mutex.
type follower[T any] struct {
	f     *feed[T]
	sub   Subscriber[T]
	o     *Outlet
	ctx   context.Context
	last  int64 // the last sequence handed to the consumer
	live  bool  // served by the shared reads (else reading on its own)
	dirty bool  // an event came while it was reading on its own
	done  bool
	// release ends the broker's interest in the topic for this follower.
	release func()
}

// notify is called for every event of the feed's topic (and with an empty
// event after a listener reconnect): the live followers get a shared read;
// those reading on their own will read once more before they join.
func (f *feed[T]) notify(e market.Event) {
	if e.Kind != "" && len(f.src.Kinds) > 0 && !slices.Contains(f.src.Kinds, e.Kind) {
		return
	}
	f.mu.Lock()
	for _, fl := range f.followers {
		if !fl.live {
			fl.dirty = true
		}
	}
	start := false
	if f.live > 0 && (e.Seq == 0 || e.Seq > f.last) {
		f.again = true
		if !f.reading {
			f.reading, start = true, true
		}
	}
	f.mu.Unlock()
	if start {
		go f.run()
	}
}

// run reads what is new, once for all live followers, until nothing is.
func (f *feed[T]) run() {
	for {
		f.mu.Lock()
		if !f.again || f.live == 0 {
			f.reading = false
			f.mu.Unlock()
			return
		}
		f.again = false
		after := f.last
		f.mu.Unlock()

		items, meta, err := f.src.Read(f.b.ctx, after, FetchLimit)

		var ending []*follower[T]
		var endErr []error
		f.mu.Lock()
		if err != nil {
			// The shared read failed: every live follower reads on its own
			// (and ends with the error if that fails too).
			for _, fl := range f.followers {
				if fl.live {
					f.lag(fl)
				}
			}
			f.reading = false
			f.mu.Unlock()
			return
		}
		batch := &Batch{}
		for _, fl := range f.followers {
			if !fl.live {
				continue
			}
			if err := f.offer(fl, items, meta, batch); err != nil {
				ending = append(ending, fl)
				endErr = append(endErr, err)
			}
		}
		if n := len(items); n > 0 && f.src.Seq(items[n-1]) > f.last {
			f.last = f.src.Seq(items[n-1])
		}
		if len(items) == FetchLimit {
			f.again = true
		}
		f.mu.Unlock()
		for i, fl := range ending {
			f.end(fl, endErr[i])
		}
	}
}

// offer hands a live follower the items of a shared read that it has not
// seen and may see. A follower whose consumer has Buffer items pending
// lags: it leaves the shared reads and reads on its own once its consumer
// has caught up. Called with f.mu held.
func (f *feed[T]) offer(fl *follower[T], items []T, meta any, batch *Batch) error {
	n := 0
	var seqs []int64
	flush := func() {
		if n > 0 {
			fl.o.pushSeqs(batch, n, seqs)
			f.b.delivered.Add(uint64(n))
			n, seqs = 0, nil
		}
	}
	pending := fl.o.Pending()
	for _, it := range items {
		seq := f.src.Seq(it)
		if seq <= fl.last {
			continue
		}
		if fl.sub.Visible != nil {
			ok, err := fl.sub.Visible(meta, it)
			if err != nil {
				flush()
				return err
			}
			if !ok {
				fl.last = seq
				continue
			}
		}
		if pending+n >= Buffer {
			flush()
			f.lag(fl)
			return nil
		}
		fl.sub.Sink.Emit(it)
		fl.last = seq
		seqs = append(seqs, seq)
		n++
	}
	flush()
	return nil
}

// lag takes a follower off the shared reads until its consumer has taken
// everything pending; it then reads on its own. Called with f.mu held.
func (f *feed[T]) lag(fl *follower[T]) {
	fl.live = false
	f.live--
	fl.o.onDrained(fl.catchUp)
}

// end stops a follower (err: with that error for its consumer) and drops
// the feed when it was the last one.
func (f *feed[T]) end(fl *follower[T], err error) {
	f.mu.Lock()
	if fl.done {
		f.mu.Unlock()
		return
	}
	fl.done = true
	if fl.live {
		f.live--
	}
	if i := slices.Index(f.followers, fl); i >= 0 {
		f.followers = slices.Delete(f.followers, i, i+1)
	}
	empty := len(f.followers) == 0
	f.mu.Unlock()

	f.b.subscribers.Add(-1)
	if fl.release != nil {
		fl.release()
	}
	if err != nil {
		fl.o.setErr(err)
	}
	fl.sub.Sink.End()
	fl.o.push(nil, 1) // the end: the consumer reads the closed channel
	if empty {
		f.b.drop(f.src.Topic, f, func() bool { return len(f.followers) == 0 })
	}
}

// catchUp reads on the follower's own, a page at a time: each page once
// the consumer has taken the previous one, so that a resume from an old
// cursor never holds more than a page. Having read to the end, it joins the
// shared reads, unless the feed has gone past it meanwhile (or an event
// came), in which case it reads once more.
func (fl *follower[T]) catchUp() {
	f := fl.f
	for {
		f.mu.Lock()
		if fl.done {
			f.mu.Unlock()
			return
		}
		after := fl.last
		f.mu.Unlock()

		limit := min(FetchLimit, Buffer-fl.o.Pending())
		if limit <= 0 {
			fl.o.onDrained(fl.catchUp)
			return
		}
		fetch := fl.sub.Fetch
		if fetch == nil {
			fetch = f.src.Read
		}
		items, meta, err := fetch(fl.ctx, after, limit)
		if err != nil {
			if fl.ctx.Err() != nil {
				err = nil
			}
			f.end(fl, err)
			return
		}

		f.mu.Lock()
		if fl.done {
			f.mu.Unlock()
			return
		}
		n := 0
		for _, it := range items {
			seq := f.src.Seq(it)
			if seq <= fl.last {
				continue
			}
			if fl.sub.Visible != nil {
				ok, err := fl.sub.Visible(meta, it)
				if err != nil {
					if n > 0 {
						fl.o.push(nil, n)
					}
					f.mu.Unlock()
					f.end(fl, err)
					return
				}
				if !ok {
					fl.last = seq
					continue
				}
			}
			fl.sub.Sink.Emit(it)
			fl.last = seq
			n++
		}
		if n > 0 {
			fl.o.push(nil, n)
			f.b.delivered.Add(uint64(n))
		}
		if len(items) == limit {
			// Maybe more: read on once the consumer has taken this page.
			fl.o.onDrained(fl.catchUp)
			f.mu.Unlock()
			return
		}
		if fl.dirty || f.last > fl.last {
			fl.dirty = false
			f.mu.Unlock()
			continue
		}
		// Caught up: from now on the shared reads serve this follower. A
		// read in flight started at f.last <= fl.last, so it misses nothing.
		if f.live == 0 {
			f.last = fl.last
		}
		fl.live = true
		f.live++
		f.mu.Unlock()
		return
	}
}
