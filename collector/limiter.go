package collector

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// limiter is the one place where the collector adapts its pace to the API's
// rate limits; every request of every area (and of every retry) goes through
// it. It does two things:
//
//   - it bounds the requests in flight, between 1 and the configured
//     concurrency, additive-increase / multiplicative-decrease: a 429 halves
//     the bound, a run of answers without one raises it by one again;
//   - it paces each endpoint by the rate-limit headers Atlassian documents on
//     every endpoint (contract Part C.6, X-RateLimit-Remaining and
//     X-RateLimit-Reset): when the budget left is small compared to the
//     requests in flight, that endpoint's requests are spread evenly until
//     the reset, and at 0 (or after a 429) they wait for the reset. An
//     endpoint that allows about 10 requests a minute (the audit log) is so
//     paced at about one request every 6 s without a single 429, while the
//     other endpoints go on at full speed; a caller that knows how many
//     requests it needs says so (expect), and they are paced only when they
//     do not fit in the budget left.
//
// Limits are kept per endpoint template because Atlassian documents them per
// endpoint (contract Part B, Rate limits); the concurrency bound is shared,
// since a 429 anywhere says the org's budget is under pressure.
type limiter struct {
	max   int
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	mu    sync.Mutex
	cond  chan struct{} // closed and replaced whenever a slot may have become free

	limit    int // current bound on requests in flight, 1..max
	inFlight int
	streak   int // answers without a 429 since the bound last changed
	// throttled counts the requests that had to wait for a pace or a reset.
	throttled int
	buckets   map[string]*bucket
	// waiting counts the requests waiting for a slot, by priority: a slot
	// goes to the highest priority waiting (see call.priority).
	waiting map[int]int
	// held are slots a chain's last request left to the chain's next one
	// for handoffGrace (by chain), heldTotal their sum.
	held      map[uint64]int
	heldTotal int
}

// ticket says who asks for a slot: the endpoint (its rate-limit bucket),
// the priority among waiters, and the chain of pages it belongs to (0: none).
type ticket struct {
	endpoint string
	priority int
	chain    uint64
}

// handoffGrace is how long a chain's released slot waits for the chain's
// next page before anyone may take it: without it a short list waiting for
// a slot takes it in the instant between two pages of the long chain, which
// then waits a whole request for the next one, on every page.
const handoffGrace = 20 * time.Millisecond

// bucket is the rate-limit state of one endpoint.
type bucket struct {
	next  time.Time // no request of this endpoint before this time
	known bool      // a Remaining header was seen
	left  int       // requests left in the window, as last reported
	reset time.Time // when the window resets, as last reported
	// expected is how many more requests a caller said it will make (see
	// expect); 0 when none said.
	expected int
}

// lowBudget is how many requests per request in flight must be left before
// pacing starts: with a budget of 1,000 and 4 in flight nothing is paced
// until 8 are left.
const lowBudget = 2

// newLimiter returns a limiter allowing up to max requests in flight, with
// the clock and the wait of the retries.
func newLimiter(max int, now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) *limiter {
	return &limiter{max: max, limit: max, now: now, sleep: sleep, cond: make(chan struct{}), buckets: map[string]*bucket{},
		waiting: map[int]int{}, held: map[uint64]int{}}
}

// acquire waits for endpoint's pace, then for a slot, and takes the slot.
// Among requests waiting for a slot, the highest priority goes first: the
// pages left in a long chain, so that the chain that decides the wall time
// (the users search) never queues behind short lists.
func (l *limiter) acquire(ctx context.Context, tk ticket) error {
	priority := tk.priority
	l.mu.Lock()
	wait := l.reserve(tk.endpoint)
	if wait > 0 {
		l.throttled++
	}
	l.mu.Unlock()
	if wait > 0 {
		if err := l.sleep(ctx, wait); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	registered := false
	for {
		if tk.chain != 0 && l.held[tk.chain] > 0 {
			l.unhold(tk.chain)
		}
		if l.inFlight+l.heldTotal < l.limit && !l.before(priority) {
			if registered {
				l.unwait(priority)
			}
			l.inFlight++
			return nil
		}
		if !registered {
			l.waiting[priority]++
			registered = true
		}
		ch := l.cond
		l.mu.Unlock()
		select {
		case <-ch:
			l.mu.Lock()
		case <-ctx.Done():
			l.mu.Lock()
			l.unwait(priority)
			l.wake() // a slot this waiter held back may now go to another
			return ctx.Err()
		}
	}
}

// before reports whether a request of a higher priority is waiting. Called
// with l.mu held.
func (l *limiter) before(priority int) bool {
	for p := range l.waiting {
		if p > priority {
			return true
		}
	}
	return false
}

// unwait removes one waiter of priority. Called with l.mu held.
func (l *limiter) unwait(priority int) {
	if l.waiting[priority]--; l.waiting[priority] <= 0 {
		delete(l.waiting, priority)
	}
	l.wake()
}

// reserve books endpoint's next request and returns how long it must wait
// for it. Called with l.mu held.
func (l *limiter) reserve(endpoint string) time.Duration {
	b := l.buckets[endpoint]
	if b == nil {
		return 0
	}
	need := b.expected // this request included
	if b.expected > 0 {
		b.expected--
	}
	if !b.known {
		return 0
	}
	now := l.now()
	at := now
	if b.next.After(at) {
		at = b.next
	}
	if !b.reset.After(at) {
		return at.Sub(now) // the window is over: the budget is unknown again
	}
	// Pacing starts when the budget left is small; a caller that said how
	// many requests it still needs (expect) is paced only when they do not
	// fit in what is left.
	low := b.left <= lowBudget*l.limit
	if need > 0 {
		low = b.left < need
	}
	switch {
	case b.left <= 0:
		// Nothing left: wait for the reset; the window after it is unknown
		// until an answer says.
		at = b.reset
		b.known = false
	case low:
		// Spread what is left evenly over the rest of the window.
		b.next = at.Add(b.reset.Sub(at) / time.Duration(b.left))
		b.left--
	}
	return at.Sub(now)
}

// expect tells the limiter that n more requests of endpoint will follow
// (each at least one page of a known list): as long as the budget left
// covers them they go at full speed, instead of being spread over the window
// once the budget is small. The audit log's events path allows about 10
// requests a minute; a run that needs 8 of them needs no pacing.
func (l *limiter) expect(endpoint string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[endpoint]
	if b == nil {
		b = &bucket{}
		l.buckets[endpoint] = b
	}
	b.expected += n
}

// release gives the slot back; a chain's slot is first held for the
// chain's next page for handoffGrace.
func (l *limiter) release(tk ticket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
	if tk.chain != 0 {
		l.held[tk.chain]++
		l.heldTotal++
		time.AfterFunc(handoffGrace, func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.held[tk.chain] > 0 {
				l.unhold(tk.chain)
			}
		})
	}
	l.wake()
}

// unhold gives a held slot of chain back to everyone. Called with l.mu held.
func (l *limiter) unhold(chain uint64) {
	if l.held[chain]--; l.held[chain] <= 0 {
		delete(l.held, chain)
	}
	l.heldTotal--
	l.wake()
}

// wake lets waiting acquirers look again. Called with l.mu held.
func (l *limiter) wake() {
	close(l.cond)
	l.cond = make(chan struct{})
}

// observe reads the answer to one attempt of endpoint: its status and
// rate-limit headers.
func (l *limiter) observe(endpoint string, status int, h http.Header) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[endpoint]
	if b == nil {
		b = &bucket{}
		l.buckets[endpoint] = b
	}
	reset, hasReset := rateLimitReset(h.Get("X-RateLimit-Reset"), now)
	if hasReset {
		b.reset = now.Add(min(max(reset, 0), defaultMaxWait))
	}
	if left, err := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining"))); err == nil && left >= 0 {
		b.known, b.left = true, left
	}
	if status == http.StatusTooManyRequests {
		// Halve the bound. The refused request itself waits as the headers
		// say (retryTransport.wait), so the budget is left unknown here
		// rather than waited for twice.
		l.limit = max(1, l.limit/2)
		l.streak = 0
		b.known = false
		return
	}
	l.streak++
	if l.limit < l.max && l.streak >= 4*l.limit {
		l.limit++
		l.streak = 0
		l.wake()
	}
}

// stats returns the current bound and how many requests were held back.
func (l *limiter) stats() (limit, throttled int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit, l.throttled
}
