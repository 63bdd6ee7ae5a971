package realtime

import (
	"context"
	"sync"
)

// An Outlet stands between a stream and the consumer that writes its items
// (the websocket transport). The stream puts items in the consumer's
// channel, which never blocks because the outlet counts what is pending, and
// wakes the consumer; the consumer takes exactly what is pending and stops.
// So an idle subscription holds no goroutine, only this small struct.
type Outlet struct {
	mu       sync.Mutex
	pending  int     // items (and the end marker) put in the channel, not yet taken
	entries  []entry // what each pending item came with
	running  bool    // the consumer is taking items
	attached bool    // a stream feeds this outlet
	wake     func()
	drained  func()
	discard  func()
	err      error
}

// entry is a pending item's batch (nil: read on the subscriber's own) and
// sequence.
type entry struct {
	b   *Batch
	seq int64
}

// NewOutlet returns an outlet that calls wake when items become pending
// while its consumer is idle. wake must not block: it starts the consumer.
func NewOutlet(wake func()) *Outlet { return &Outlet{wake: wake} }

type outletKey struct{}

// WithOutlet returns a context in which a subscription started hands its
// items to o.
func WithOutlet(ctx context.Context, o *Outlet) context.Context {
	return context.WithValue(ctx, outletKey{}, o)
}

// OutletFrom returns the context's outlet, if any.
func OutletFrom(ctx context.Context) *Outlet {
	o, _ := ctx.Value(outletKey{}).(*Outlet)
	return o
}

// Next is called by the consumer before it takes one item from the
// channel: ok is false when nothing is pending, and the consumer must then
// stop (the next item wakes it again). b is the batch the item came with
// (nil: it was read for this subscriber alone) and seq its sequence in the
// topic.
func (o *Outlet) Next() (b *Batch, seq int64, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending == 0 {
		o.running = false
		return nil, 0, false
	}
	return o.entries[0].b, o.entries[0].seq, true
}

// SetDiscard gives the outlet the way to drop the next item of the channel
// without executing anything (the consumer then writes a response it has
// already made for the same item, viewer and operation).
func (o *Outlet) SetDiscard(f func()) {
	o.mu.Lock()
	o.discard = f
	o.mu.Unlock()
}

// Discard drops the item Next announced from the channel; false when the
// outlet has no way to (the consumer must execute it then).
func (o *Outlet) Discard() bool {
	o.mu.Lock()
	d := o.discard
	o.mu.Unlock()
	if d == nil {
		return false
	}
	d()
	return true
}

// CanDiscard reports whether Discard works.
func (o *Outlet) CanDiscard() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.discard != nil
}

// Taken is called by the consumer once it has taken the item Next announced.
func (o *Outlet) Taken() {
	o.mu.Lock()
	o.pending--
	o.entries[0] = entry{}
	o.entries = o.entries[1:]
	if o.pending == 0 {
		o.entries = nil
	}
	var d func()
	if o.pending == 0 && o.drained != nil {
		d, o.drained = o.drained, nil
	}
	o.mu.Unlock()
	if d != nil {
		go d()
	}
}

// Attached reports whether a stream started on this outlet (a
// subscription whose resolver failed has none: its error is its only
// response).
func (o *Outlet) Attached() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.attached
}

func (o *Outlet) attach() {
	o.mu.Lock()
	o.attached = true
	o.mu.Unlock()
}

// Err is why the stream ended, when it ended with an error.
func (o *Outlet) Err() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// Pending counts the items handed over and not yet taken.
func (o *Outlet) Pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.pending
}

// push records n items put in the channel with their batch, waking the
// consumer if it is idle.
func (o *Outlet) push(b *Batch, n int) { o.pushSeqs(b, n, nil) }

// pushSeqs is push with the items' sequences.
func (o *Outlet) pushSeqs(b *Batch, n int, seqs []int64) {
	o.mu.Lock()
	for i := range n {
		e := entry{b: b}
		if i < len(seqs) {
			e.seq = seqs[i]
		}
		o.entries = append(o.entries, e)
	}
	o.pending += n
	wake := !o.running && o.pending > 0
	if wake {
		o.running = true
	}
	o.mu.Unlock()
	if wake {
		o.wake()
	}
}

// onDrained runs f in a new goroutine once nothing is pending (at once if
// nothing is).
func (o *Outlet) onDrained(f func()) {
	o.mu.Lock()
	if o.pending > 0 {
		o.drained = f
		o.mu.Unlock()
		return
	}
	o.mu.Unlock()
	go f()
}

func (o *Outlet) setErr(err error) {
	o.mu.Lock()
	o.err = err
	o.drained = nil
	o.mu.Unlock()
}

// A Batch is what the subscribers served by one shared read share: the
// consumer keeps one set of loaders per batch, so that the fields of one
// new item are loaded once for all its subscribers, and afresh for the next.
type Batch struct {
	once sync.Once
	v    any

	mu        sync.Mutex
	responses map[string]*sharedResponse
}

type sharedResponse struct {
	once sync.Once
	b    []byte
}

// Shared returns the batch's value, made by init the first time.
func (b *Batch) Shared(init func() any) any {
	b.once.Do(func() { b.v = init() })
	return b.v
}

// Response returns the response made for key in this batch, made by make
// the first time (the others wait for it); made tells whether this call
// made it. The consumer keys a response by everything that shapes it (the
// viewer, the operation and its variables, the item).
func (b *Batch) Response(key string, make func() []byte) (resp []byte, made bool) {
	b.mu.Lock()
	if b.responses == nil {
		b.responses = map[string]*sharedResponse{}
	}
	r := b.responses[key]
	if r == nil {
		r = &sharedResponse{}
		b.responses[key] = r
	}
	b.mu.Unlock()
	r.once.Do(func() { r.b, made = make(), true })
	return r.b, made
}

// Sink is where a stream's items go: Emit puts one in the consumer's
// channel (it must not block: the channel holds Buffer+1 values, and the
// stream never has more pending), End closes it, once.
type Sink[T any] struct {
	Emit func(T)
	End  func()
}
