package realtime

import (
	"context"
)

// Stream turns a subscription into an ordered, gap-free, duplicate-free
// stream of items numbered by a per-topic sequence. It first sends every
// item after `after` (the cursor a reconnecting client last saw), then, for
// each live event or resync signal, whatever comes after the last item sent.
// Reading the table rather than trusting the event means an event that was
// lost, duplicated or reordered cannot lose, duplicate or reorder an item.
//
// fetch returns items with a sequence above its argument, in order, through
// the normal authorized read path. Stream closes out when ctx ends or fetch
// fails, and never blocks on out past ctx.
func Stream[T any](ctx context.Context, sub *Sub, after int64, fetch func(ctx context.Context, after int64) ([]T, error), seqOf func(T) int64, out chan<- T) {
	defer close(out)
	defer sub.Close()
	last := after
	catchUp := func() bool {
		for {
			items, err := fetch(ctx, last)
			if err != nil {
				return false
			}
			for _, it := range items {
				if seqOf(it) <= last {
					continue
				}
				select {
				case out <- it:
					last = seqOf(it)
				case <-ctx.Done():
					return false
				}
			}
			if len(items) < FetchLimit {
				return true
			}
		}
	}
	if !catchUp() {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-sub.C:
			if e.Seq != 0 && e.Seq <= last {
				continue // already sent
			}
			if !catchUp() {
				return
			}
		case <-sub.Resync:
			if !catchUp() {
				return
			}
		}
	}
}

// FetchLimit is the most items a fetch should return at once (its LIMIT); a full page
// means there may be more.
const FetchLimit = 100
