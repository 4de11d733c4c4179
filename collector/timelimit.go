package collector

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// The time limit of a collection. Options.Timeout > 0 is a fixed limit. At 0
// the limit follows the org's size: DefaultTimeout, raised once the users
// count is known to TimeAllowancePerPage for each page of the longest chain
// of requests, or of all the users search's pages spread over the
// concurrency, whichever is longer. At 1 s a page (five times a real page's
// 150-300 ms) a 1M-account org split into chains gets about 75 minutes, and
// one read as a single 10,000-page chain about 2.8 hours, where a fixed
// 30 minutes would stop it at about 9,000 pages.
const (
	DefaultTimeout       = 30 * time.Minute
	TimeAllowancePerPage = time.Second
)

// TimeoutError is a collection that did not finish within its time limit.
type TimeoutError struct {
	// Limit is the time limit; Pages is the chain length it was derived
	// from (0 for a fixed or the default limit).
	Limit time.Duration
	Pages int
}

// Error says the limit and where it came from.
func (e *TimeoutError) Error() string {
	if e.Pages == 0 {
		return fmt.Sprintf("collection did not finish within %s (--timeout sets the limit)", e.Limit)
	}
	return fmt.Sprintf("collection did not finish within %s (%s per page of the org's longest chain of %d pages; --timeout sets the limit)",
		e.Limit, TimeAllowancePerPage, e.Pages)
}

// Unwrap makes the error a context.DeadlineExceeded.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// timeLimit ends a collection with a *TimeoutError when its limit passes.
type timeLimit struct {
	mu      sync.Mutex
	start   time.Time
	fixed   bool
	current TimeoutError
	timer   *time.Timer
	cancel  context.CancelCauseFunc
	per     int // requests in flight, to spread all pages over
}

// startTimeLimit starts the clock of a collection; a negative
// Options.Timeout sets no limit.
func startTimeLimit(opts Options, cancel context.CancelCauseFunc) *timeLimit {
	l := &timeLimit{start: time.Now(), fixed: opts.Timeout != 0, cancel: cancel, per: max(1, opts.Concurrency)}
	if opts.Timeout < 0 {
		return l
	}
	l.current = TimeoutError{Limit: DefaultTimeout}
	if opts.Timeout > 0 {
		l.current.Limit = opts.Timeout
	}
	l.timer = time.AfterFunc(l.current.Limit, l.expire)
	return l
}

// expire cancels the collection with the limit in force.
func (l *timeLimit) expire() {
	l.mu.Lock()
	e := l.current
	l.mu.Unlock()
	l.cancel(&e)
}

// sized raises a derived limit for a counted list whose longest chain is
// longest pages and all of whose chains take all pages.
func (l *timeLimit) sized(longest, all int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fixed || l.timer == nil {
		return
	}
	pages := max(longest, all/l.per)
	limit := time.Duration(pages) * TimeAllowancePerPage
	if limit <= l.current.Limit {
		return
	}
	l.current = TimeoutError{Limit: limit, Pages: pages}
	if l.timer.Stop() {
		l.timer.Reset(max(0, limit-time.Since(l.start)))
	}
}

// stop releases the timer.
func (l *timeLimit) stop() {
	if l.timer != nil {
		l.timer.Stop()
	}
}
