package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitMemory: the soft limit follows the snapshot's size, only ever
// rises, and GOMEMLIMIT wins.
func TestLimitMemory(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })
	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(math.MaxInt64)

	limitMemory(60 << 20)
	want := int64(memoryBase) + memoryPerSnapshotByte*60<<20
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("60 MiB snapshot: limit %d, want %d", got, want)
	}
	limitMemory(6 << 20) // a smaller second snapshot (diff) keeps the larger limit
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Errorf("after a smaller snapshot: limit %d, want %d", got, want)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	limitMemory(600 << 20)
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Errorf("with GOMEMLIMIT set: limit %d, want it left alone", got)
	}
}
