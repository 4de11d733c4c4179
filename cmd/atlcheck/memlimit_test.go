package main

import (
	"math"
	"runtime/debug"
	"testing"
	"time"
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

// TestEvalTimeout: without --timeout the evaluation's time limit follows the
// snapshot's size (a fixed 2 minutes stopped the check of a 1M-account org).
func TestEvalTimeout(t *testing.T) {
	for _, tt := range []struct {
		bytes int64
		want  time.Duration
	}{
		{0, 2 * time.Minute},
		{69_000_000, 2 * time.Minute},                // 100,000 accounts
		{694_000_000, 694 * 1200 * time.Millisecond}, // 1,000,000 accounts: 13m53s
	} {
		if got := evalTimeout(tt.bytes); got != tt.want {
			t.Errorf("%d bytes: %s, want %s", tt.bytes, got, tt.want)
		}
	}
}
