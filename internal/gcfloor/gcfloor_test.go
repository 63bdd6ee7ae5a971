package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		floor       uint64
		large       int
		live, roots uint64
		want        int
	}{
		{64 << 20, 50, 4 << 20, 0, 1500},       // target 4 + 4×15 = 64 MiB
		{64 << 20, 50, 4 << 20, 4 << 20, 750},  // 4 + (4+4)×7.5
		{64 << 20, 50, 16 << 20, 0, 300},       // 16 + 48
		{64 << 20, 50, 32 << 20, 0, 100},       // 32 + 32
		{64 << 20, 50, 40 << 20, 0, 60},        // 40 + 24: still the floor
		{64 << 20, 50, 48 << 20, 0, 50},        // 48 + 16 would be under large: 48 + 24
		{64 << 20, 100, 48 << 20, 0, 100},      // with large at Go's default
		{64 << 20, 50, 28 << 20, 8 << 20, 100}, // with its roots: 28 + 36
		{64 << 20, 50, 24 << 20, 8 << 20, 125}, // 24 + 32×1.25
		{64 << 20, 50, 200 << 20, 0, 50},       // a large heap: large
		{64 << 20, 50, 0, 0, 6300},             // before any cycle: as if 1 MiB were live
		{1 << 40, 50, 1, 0, 1_000_000},         // bounded
		{64 << 20, 0, 200 << 20, 0, 1},         // large at least 1
	} {
		if got := Percent(c.floor, c.large, c.live, c.roots); got != c.want {
			t.Errorf("Percent(%d MiB, %d, %d B, %d B) = %d, want %d", c.floor>>20, c.large, c.live, c.roots, got, c.want)
		}
	}
}

// TestTunerFollowsTheLiveHeap runs the tuner in this process: with a small
// live heap a collection raises GOGC toward the floor; with a live heap
// past half the floor the next collection puts it back to 100; Stop
// restores 100.
func TestTunerFollowsTheLiveHeap(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set in the environment: the tuner stays off by design")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	const floor = 256 << 20
	tuner, ok := Start(floor, 50)
	if !ok {
		t.Fatal("Start did not start")
	}
	defer tuner.Stop()
	seen := make(chan int, 64)
	tuner.tuned = func(g int) {
		select {
		case seen <- g:
		default:
		}
	}
	// The cleanup may still be pending from Start's own sentinel: collect
	// until the tuner reports, then read what it set.
	next := func() int {
		for {
			runtime.GC()
			select {
			case g := <-seen:
				return g
			default:
				runtime.Gosched()
			}
		}
	}
	if g := next(); g <= 100 {
		t.Fatalf("small live heap: GOGC %d, want it raised toward the floor", g)
	}
	live := make([][]byte, 0, 200) // 200 MiB kept live: past half the floor
	for range 200 {
		live = append(live, make([]byte, 1<<20))
	}
	// Reports of cycles before the allocation may still be queued: read
	// until one reports the large heap (a few at most).
	g := 0
	for range 8 {
		if g = next(); g == 50 {
			break
		}
	}
	runtime.KeepAlive(live)
	if g != 50 {
		t.Fatalf("large live heap: GOGC %d, want the large-heap percent, 50", g)
	}
	tuner.Stop()
	if old := debug.SetGCPercent(100); old != 100 {
		t.Fatalf("after Stop GOGC is %d, want 100", old)
	}
}
