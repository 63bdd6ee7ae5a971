package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		floor, live, roots uint64
		want               int
	}{
		{64 << 20, 4 << 20, 0, 1500},       // target 4 + 4×15 = 64 MiB
		{64 << 20, 4 << 20, 4 << 20, 750},  // 4 + (4+4)×7.5
		{64 << 20, 16 << 20, 0, 300},       // 16 + 48
		{64 << 20, 32 << 20, 0, 100},       // the default already reaches the floor
		{64 << 20, 28 << 20, 8 << 20, 100}, // with its roots
		{64 << 20, 24 << 20, 8 << 20, 125}, // 24 + 32×1.25
		{64 << 20, 200 << 20, 0, 100},      // a large heap keeps the default
		{64 << 20, 0, 0, 6300},             // before any cycle: as if 1 MiB were live
		{1 << 40, 1, 0, 1_000_000},         // bounded
	} {
		if got := Percent(c.floor, c.live, c.roots); got != c.want {
			t.Errorf("Percent(%d MiB, %d B, %d B) = %d, want %d", c.floor>>20, c.live, c.roots, got, c.want)
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
	tuner, ok := Start(floor)
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
		if g = next(); g == 100 {
			break
		}
	}
	runtime.KeepAlive(live)
	if g != 100 {
		t.Fatalf("large live heap: GOGC %d, want 100", g)
	}
	tuner.Stop()
	if old := debug.SetGCPercent(100); old != 100 {
		t.Fatalf("after Stop GOGC is %d, want 100", old)
	}
}
