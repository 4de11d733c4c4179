package inputfile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 12 row 13: every input file is bounded, with an error naming the
// limit and the flag that raises it; a regular file over the cap is refused
// without reading it.
func TestReadCapped(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	os.WriteFile(small, []byte("0123456789"), 0o644)
	sparse := filepath.Join(dir, "huge.json")
	f, _ := os.Create(sparse)
	f.Truncate(DefaultLimit + 1)
	f.Close()
	zero := filepath.Join(dir, "zero.json")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if b, err := Read(ctx, small); err != nil || string(b) != "0123456789" {
		t.Errorf("small: %q %v", b, err)
	}
	if _, err := Read(WithLimit(ctx, 10), small); err != nil {
		t.Errorf("a file exactly at the limit: %v", err)
	}
	tests := []struct {
		ctx  context.Context
		path string
		want string
	}{
		{WithLimit(ctx, 9), small, "small.json is larger than 9 bytes, the size limit of an input file (--max-input-size raises it)"},
		{ctx, sparse, "huge.json is larger than 256 MiB, the size limit of an input file (--max-input-size raises it)"},
		{WithLimit(ctx, 1<<20), zero, "zero.json is larger than 1 MiB"},
	}
	for _, tt := range tests {
		_, err := Read(tt.ctx, tt.path)
		var tl *TooLargeError
		if !errors.As(err, &tl) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.path, err, tt.want)
		}
	}
	// Snapshots and baselines have the larger default cap; an explicit
	// limit is one cap for every file.
	data := filepath.Join(dir, "huge-snapshot.json")
	f, _ = os.Create(data)
	f.Truncate(DefaultDataLimit + 1)
	f.Close()
	if _, err := ReadData(ctx, data); err == nil || !strings.Contains(err.Error(), "larger than 2 GiB, the size limit") {
		t.Errorf("a snapshot over the data cap: got %v", err)
	}
	if _, err := ReadData(WithLimit(ctx, 9), small); err == nil || !strings.Contains(err.Error(), "larger than 9 bytes") {
		t.Errorf("an explicit limit on a snapshot: got %v", err)
	}
	if Limit(ctx, DefaultDataLimit) != DefaultDataLimit || Limit(WithLimit(ctx, 5), DefaultDataLimit) != 5 {
		t.Error("Limit does not give the explicit limit, else the default")
	}
	if _, err := Read(ctx, filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// Issue 12 row 12: an interrupt stops a read that would go on for ever.
func TestReadInterrupted(t *testing.T) {
	zero := filepath.Join(t.TempDir(), "zero.json")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(WithLimit(context.Background(), 1<<50), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Read(ctx, zero)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("got %v after %v, want the context's error at once", err, time.Since(start))
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"256MiB": 256 << 20, "1GiB": 1 << 30, "500MB": 500e6, "64k": 64 << 10, "1048576": 1 << 20, " 2 M ": 2 << 20} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1MiB", "0", "lots", "1.5GiB", "99999999999GiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) succeeded", bad)
		}
	}
	if got := FormatSize(256 << 20); got != "256 MiB" {
		t.Errorf("FormatSize = %q", got)
	}
}
