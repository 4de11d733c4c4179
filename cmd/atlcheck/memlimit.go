package main

import (
	"math"
	"os"
	"runtime/debug"
	"sync"
)

// The soft memory limit of a run follows the size of the snapshot it
// evaluates (issue 15): Go's collector otherwise lets the heap grow to twice
// the live data before it collects, which at 100,000 accounts (58 MB of
// JSON, about 400 MB live while the policies run) peaked at 13.7× the file,
// more than a CI runner of a large org has. memoryPerSnapshotByte × the
// snapshot, plus memoryBase for the compiled policies and the runtime, is a
// soft limit (runtime/debug.SetMemoryLimit): the collector runs more often as
// the heap nears it, and never fails a run for it. docs/performance.md has
// the measured trade-off between this factor and the time: at 100,000
// accounts 7 made the collector run back to back (39 CPU-s against 23 at 8
// and 18 at 10: the live heap at its peak is close to 7 × the snapshot), so
// 8 it stays. GOMEMLIMIT, when set, wins.
const (
	memoryPerSnapshotByte = 8
	memoryBase            = 64 << 20
)

var memoryMu sync.Mutex

// limitMemory raises the soft memory limit to cover a snapshot of n bytes
// (a run that reads two, diff, gets the larger).
func limitMemory(n int) {
	if os.Getenv("GOMEMLIMIT") != "" || n <= 0 {
		return
	}
	memoryMu.Lock()
	defer memoryMu.Unlock()
	want := int64(memoryBase) + int64(memoryPerSnapshotByte)*int64(n)
	if cur := debug.SetMemoryLimit(-1); cur == math.MaxInt64 || cur < want {
		debug.SetMemoryLimit(want)
	}
}
