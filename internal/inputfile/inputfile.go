// Package inputfile reads the files atlcheck is given (snapshots, config,
// attestation, baselines, custom policies) with a size cap and so that an
// interrupt stops a read that would never end: a path may be a symlink to
// /dev/zero, a FIFO or a 30 GB file, and none of them may exhaust memory or
// hold the process.
package inputfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// DefaultLimit is the size cap of an input file a person writes: a config,
// an attestation, a custom policy file.
const DefaultLimit int64 = 256 << 20

// DefaultDataLimit is the size cap of a file that atlcheck writes itself and
// reads back, whose size follows the org's: a snapshot (about 660 bytes an
// account: 66 MB at 100,000 accounts, 0.66 GB at 1,000,000) and a JSON
// report read as a baseline (smaller). A tool must read what it writes:
// 2 GiB is about 3 million accounts, more than any organization the
// collector is tuned for, and still a bound on a path to /dev/zero.
const DefaultDataLimit int64 = 2 << 30

// Flag is the command-line flag that sets the cap.
const Flag = "--max-input-size"

// TooLargeError is a file over the size cap.
type TooLargeError struct {
	Path  string
	Limit int64
}

// Error names the file, the limit and the flag that raises it.
func (e *TooLargeError) Error() string { return e.Path + " is " + e.Reason() }

// Reason is the error without the file name.
func (e *TooLargeError) Reason() string {
	return fmt.Sprintf("larger than %s, the size limit of an input file (%s raises it)", FormatSize(e.Limit), Flag)
}

type limitKey struct{}

// WithLimit returns a context whose reads are capped at limit bytes.
func WithLimit(ctx context.Context, limit int64) context.Context {
	return context.WithValue(ctx, limitKey{}, limit)
}

// Limit is the cap ctx carries, def when none.
func Limit(ctx context.Context, def int64) int64 {
	if n, ok := ctx.Value(limitKey{}).(int64); ok && n > 0 {
		return n
	}
	return def
}

// Read reads the file at path, at most Limit(ctx, DefaultLimit) bytes. It
// returns the open error as os.ReadFile would, a *TooLargeError past the cap,
// and ctx.Err() as soon as ctx is done, even while a read blocks (the reading
// goroutine stops at its next chunk, or with the process).
func Read(ctx context.Context, path string) ([]byte, error) {
	return readCapped(ctx, path, Limit(ctx, DefaultLimit))
}

// ReadData is Read for a snapshot or a baseline: its cap is
// Limit(ctx, DefaultDataLimit).
func ReadData(ctx context.Context, path string) ([]byte, error) {
	return readCapped(ctx, path, Limit(ctx, DefaultDataLimit))
}

func readCapped(ctx context.Context, path string, limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	var stop atomic.Bool
	done := make(chan result, 1)
	go func() {
		data, err := read(path, limit, &stop)
		done <- result{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		stop.Store(true)
		return nil, fmt.Errorf("read %s: %w", path, ctx.Err())
	}
}

// chunk is how much is read between two looks at stop.
const chunk = 1 << 20

func read(path string, limit int64, stop *atomic.Bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		if info.Size() > limit {
			return nil, &TooLargeError{Path: path, Limit: limit}
		}
		buf.Grow(int(info.Size()) + 1)
	}
	r := io.LimitReader(f, limit+1)
	p := make([]byte, chunk)
	for {
		if stop.Load() {
			return nil, errors.New("read stopped")
		}
		n, err := r.Read(p)
		buf.Write(p[:n])
		if int64(buf.Len()) > limit {
			return nil, &TooLargeError{Path: path, Limit: limit}
		}
		switch {
		case errors.Is(err, io.EOF):
			return buf.Bytes(), nil
		case err != nil:
			return nil, err
		}
	}
}

// BOM is the UTF-8 byte-order mark some Windows editors put at the start of
// a text file.
const BOM = "\uFEFF"

// TrimBOM returns data without a leading UTF-8 byte-order mark. Every JSON
// input is read through it: JSON forbids the mark (RFC 8259 §8.1) but
// allows a parser to ignore it, which is what a user who saved the file in
// Notepad expects; YAML parsers skip it already. Hashes (the snapshot's
// sha256) are taken of the bytes as given, not of what this returns.
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte(BOM)) }

var units = []struct {
	suffix string
	size   int64
}{
	{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3},
	{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1},
}

// ParseSize reads a size such as 256MiB, 1GiB, 500MB or 1048576 (bytes).
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.size
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size such as 256MiB, 1GiB or 500MB", s)
	}
	return n * mult, nil
}

// FormatSize writes a size in the largest binary unit that divides it.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
