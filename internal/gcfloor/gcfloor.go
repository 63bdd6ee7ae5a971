// Package gcfloor keeps the garbage collector's heap target from falling
// below a floor.
//
// Go's collector, with GOGC at its default of 100, starts a cycle when the
// heap has grown by as much as the live heap. A server like this one keeps a
// small live heap (a few MiB) while it allocates a lot per request (a page
// of invitations is about 270 KB), so with the default it collects twenty
// times a second or more under load: each cycle stops the world twice,
// scans every goroutine's stack and slows allocation with assists. Most of
// that work buys nothing on a machine with memory to spare.
//
// With a floor, GOGC is raised after each cycle so that the next target is
// about the floor when the live heap is small; the floor bounds what the
// process may hold, it never adds to what a large heap costs.
//
// A large live heap is the other case: here it is long-lived connections
// (ten thousand websockets hold ~80 MiB), whose memory is what limits an
// instance, while what they allocate is little (an event now and then).
// Go's default would let such a heap double before each cycle, and the
// process keep that much from the system. Once the floor is passed, GOGC
// is the tuner's large-heap percent (50 by default: a cycle when the heap
// has grown by half the live heap); a cycle more often costs little when
// little is allocated. GOMEMLIMIT, if set, still caps the whole.
package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Default is the floor the server runs with unless told otherwise.
const Default = 64 << 20

// DefaultLarge is the GOGC for a live heap past the floor unless told
// otherwise.
const DefaultLarge = 50

// minChange is the smallest relative change of GOGC worth applying: the
// live heap moves a little at every cycle, and the setting need not follow.
const minChange = 0.10

// Tuner adjusts GOGC after every collection while it runs.
type Tuner struct {
	floor   uint64
	large   int // GOGC once the floor is passed
	stopped atomic.Bool
	gogc    atomic.Int64 // the value last set
	sample  []metrics.Sample
	// tuned, when set (tests), is called after each adjustment decision
	// with the GOGC in force.
	tuned func(gogc int)
}

// Start starts setting GOGC after every collection: so that the heap
// target stays near floor bytes while the live heap is small, and to large
// once it is past the floor. It does nothing, and says so, when floor is 0
// or when GOGC is set in the environment (the operator has chosen). Stop
// restores GOGC 100.
func Start(floor uint64, large int) (t *Tuner, started bool) {
	if floor == 0 || os.Getenv("GOGC") != "" {
		return nil, false
	}
	t = &Tuner{floor: floor, large: max(large, 1), sample: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"},
	}}
	t.gogc.Store(100)
	t.arm()
	return t, true
}

// Stop ends the tuning and puts GOGC back to 100.
func (t *Tuner) Stop() {
	if t == nil || t.stopped.Swap(true) {
		return
	}
	debug.SetGCPercent(100)
}

// sentinel is allocated for each cycle and dropped at once: its cleanup
// runs after the collection that finds it unreachable. 32 bytes, so that it
// is an object of its own (the allocator packs smaller pointer-free
// objects together, and a packed one may never be collected alone).
type sentinel struct{ _ [32]byte }

func (t *Tuner) arm() {
	runtime.AddCleanup(new(sentinel), func(t *Tuner) { t.afterGC() }, t)
}

// afterGC runs on the runtime's cleanup goroutine after a collection: it
// sets GOGC from the live heap that collection marked, then waits for the
// next one.
func (t *Tuner) afterGC() {
	if t.stopped.Load() {
		return
	}
	metrics.Read(t.sample)
	gogc := Percent(t.floor, t.large, t.sample[0].Value.Uint64(), t.sample[1].Value.Uint64()+t.sample[2].Value.Uint64())
	if cur := t.gogc.Load(); float64(abs(int64(gogc)-cur)) > minChange*float64(cur) {
		debug.SetGCPercent(gogc)
		t.gogc.Store(int64(gogc))
	}
	if t.tuned != nil {
		t.tuned(int(t.gogc.Load()))
	}
	t.arm()
}

// Percent is the GOGC that puts the heap target at floor bytes, given the
// live heap the last collection marked and the stacks and globals it
// scanned (roots): Go's target is live + (live + roots) × GOGC/100. Never
// under large, the percent for a heap past the floor.
func Percent(floor uint64, large int, live, roots uint64) int {
	if live == 0 {
		live = 1 << 20
	}
	p := uint64(max(large, 1))
	if floor > live {
		p = max(p, (floor-live)*100/(live+roots))
	}
	return int(min(p, 1_000_000))
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
