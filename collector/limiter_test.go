package collector

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
)

// headers builds rate-limit headers: remaining requests, reset in d.
func headers(remaining int, d time.Duration) http.Header {
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", testNow.Add(d).Format(time.RFC3339))
	return h
}

// TestLimiterAdapts: 429s halve the requests in flight and answers without
// one raise them again; a low X-RateLimit-Remaining spreads the endpoint's
// requests until X-RateLimit-Reset, and 0 waits for the reset, for that
// endpoint only.
func TestLimiterAdapts(t *testing.T) {
	sl := &sleeps{}
	l := newLimiter(8, func() time.Time { return testNow }, sl.sleep)
	for range 3 {
		l.observe("/search", http.StatusTooManyRequests, http.Header{})
	}
	if got, _ := l.stats(); got != 1 {
		t.Errorf("after three 429s: bound %d, want 1", got)
	}
	for range 4 + 8 + 12 {
		l.observe("/search", http.StatusOK, http.Header{})
	}
	if got, _ := l.stats(); got != 4 {
		t.Errorf("after 24 answers: bound %d, want 4 (1 → 2 → 3 → 4)", got)
	}

	ctx := context.Background()
	l.observe("/events", http.StatusOK, headers(4, 60*time.Second))
	for range 3 {
		if err := l.acquire(ctx, ticket{endpoint: "/events"}); err != nil {
			t.Fatal(err)
		}
		l.release(ticket{})
	}
	// 4 left for 60 s: at 0, 15, 30 and 45 s (the clock stands still here).
	if got := sl.all(); len(got) != 2 || got[0] != 15*time.Second || got[1] != 30*time.Second {
		t.Errorf("waits %v, want [15s 30s]", got)
	}
	l.observe("/events", http.StatusOK, headers(0, 50*time.Second))
	if err := l.acquire(ctx, ticket{endpoint: "/events"}); err != nil {
		t.Fatal(err)
	}
	l.release(ticket{})
	if got := sl.all(); got[len(got)-1] != 50*time.Second {
		t.Errorf("with nothing left: waited %v, want the 50 s until the reset", got[len(got)-1])
	}
	before := len(sl.all())
	if err := l.acquire(ctx, ticket{endpoint: "/search"}); err != nil {
		t.Fatal(err)
	}
	l.release(ticket{})
	if len(sl.all()) != before {
		t.Error("another endpoint waited for /events' budget")
	}
}

// TestLimiterExpect: requests a caller said it needs go at full speed while
// the budget left covers them, and are spread again once it does not.
func TestLimiterExpect(t *testing.T) {
	sl := &sleeps{}
	l := newLimiter(4, func() time.Time { return testNow }, sl.sleep)
	ctx := context.Background()
	l.expect("/events", 5)
	l.observe("/events", http.StatusOK, headers(6, 60*time.Second)) // 6 left: under 2 × 4 in flight
	for range 5 {
		if err := l.acquire(ctx, ticket{endpoint: "/events"}); err != nil {
			t.Fatal(err)
		}
		l.release(ticket{})
		l.observe("/events", http.StatusOK, headers(6, 60*time.Second))
	}
	if got := sl.all(); len(got) != 0 {
		t.Errorf("5 expected requests with 6 left waited %v, want no wait", got)
	}
	// Expected requests that do not fit in what is left are spread.
	l = newLimiter(4, func() time.Time { return testNow }, sl.sleep)
	l.expect("/events", 3)
	l.observe("/events", http.StatusOK, headers(2, 60*time.Second))
	for range 2 {
		if err := l.acquire(ctx, ticket{endpoint: "/events"}); err != nil {
			t.Fatal(err)
		}
		l.release(ticket{})
	}
	if got := sl.all(); len(got) != 1 || got[0] != 30*time.Second {
		t.Errorf("waits %v, want one of 30 s (3 needed, 2 left of 60 s: spread)", got)
	}
}

// TestLimiterPriority: a freed slot goes to the waiting request of the
// highest priority (the most pages left in its chain).
func TestLimiterPriority(t *testing.T) {
	l := newLimiter(1, time.Now, sleepCtx)
	ctx := context.Background()
	if err := l.acquire(ctx, ticket{endpoint: "/x"}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for _, prio := range []int{1, 50, 7} {
		wg.Go(func() {
			if err := l.acquire(ctx, ticket{endpoint: "/x", priority: prio}); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, prio)
			mu.Unlock()
			time.Sleep(time.Millisecond)
			l.release(ticket{})
		})
	}
	for { // all three waiting
		l.mu.Lock()
		n := len(l.waiting)
		l.mu.Unlock()
		if n == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	l.release(ticket{})
	wg.Wait()
	if len(order) != 3 || order[0] != 50 || order[1] != 7 || order[2] != 1 {
		t.Errorf("slots went in order %v, want [50 7 1]", order)
	}
}

// TestCollectTimeLimit: a fixed limit ends the collection with a
// TimeoutError naming it; the derived limit grows with the users count.
func TestCollectTimeLimit(t *testing.T) {
	// Every answer takes a minute: only the limit can end the collection
	// within the 30 s allowed below, however loaded the machine is.
	srv := newFake(t, testOrg(t), fakeapi.Options{Faults: []fakeapi.Fault{{Route: "*", Kind: fakeapi.Slow, Delay: time.Minute}}})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Timeout = 100 * time.Millisecond
	start := time.Now()
	_, err := Collect(context.Background(), opts)
	var fe *FatalError
	var te *TimeoutError
	if !errors.As(err, &fe) || !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "collection did not finish within 100ms (--timeout sets the limit)") {
		t.Fatalf("got %v, want a fatal TimeoutError", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %s after a 100 ms limit", d)
	}

	l := startTimeLimit(Options{Concurrency: 4}, func(error) {})
	defer l.stop()
	l.sized(10, 40) // a small org: the default stays
	if l.current.Limit != DefaultTimeout {
		t.Errorf("small org: limit %s, want %s", l.current.Limit, DefaultTimeout)
	}
	l.sized(4500, 10000) // 1M accounts split: its longest chain
	if l.current.Limit != 4500*time.Second || l.current.Pages != 4500 {
		t.Errorf("1M accounts: limit %s for %d pages, want 75m for 4500", l.current.Limit, l.current.Pages)
	}
	l.sized(10000, 10000) // read again as one chain
	if l.current.Limit != 10000*time.Second {
		t.Errorf("one chain of 10,000 pages: limit %s, want 2h46m40s", l.current.Limit)
	}
	if msg := l.current.Error(); !strings.Contains(msg, "within 2h46m40s (1s per page of the org's longest chain of 10000 pages") {
		t.Errorf("message %q", msg)
	}
	fixed := startTimeLimit(Options{Timeout: time.Minute}, func(error) {})
	defer fixed.stop()
	if fixed.sized(10000, 10000); fixed.current.Limit != time.Minute {
		t.Errorf("--timeout given: limit %s, want it unchanged", fixed.current.Limit)
	}
}
