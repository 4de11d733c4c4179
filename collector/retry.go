package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Retry defaults: at most 5 attempts per request, no single wait longer than
// 60 s, backoff from 1 s.
const (
	defaultAttempts  = 5
	defaultMaxWait   = 60 * time.Second
	defaultBaseDelay = time.Second
)

// reqInfo travels in a request's context from newRequest to the transport
// and back to do: what to log, whether a retry is safe, how many attempts.
type reqInfo struct {
	endpoint string
	// readOnly marks a POST that only reads (the users and workspaces
	// searches), so it is as safe to retry as a GET.
	readOnly bool
	attempts int
	// priority orders the requests waiting for a slot, and chain hands a
	// chain's slot to its next page (see limiter).
	priority int
	chain    uint64
}

type infoKey struct{}

// infoFrom returns the request info in ctx, nil when there is none.
func infoFrom(ctx context.Context) *reqInfo {
	info, _ := ctx.Value(infoKey{}).(*reqInfo)
	return info
}

// retryTransport is an http.RoundTripper that gives each attempt its own
// timeout and retries idempotent requests (GET, HEAD and the read-only POST
// searches; never anything that changes state) on 429 and 5xx, waiting as
// Retry-After or X-RateLimit-Reset say, else with exponential backoff and
// jitter. Every wait is capped and the attempts are bounded; when they run
// out the last response is returned as it is.
type retryTransport struct {
	base      http.RoundTripper
	attempts  int
	maxWait   time.Duration
	baseDelay time.Duration
	timeout   time.Duration
	sleep     func(ctx context.Context, d time.Duration) error
	now       func() time.Time
	logger    *slog.Logger
	// limit bounds and paces the attempts (see limiter).
	limit *limiter
}

// RoundTrip sends req, retrying as described on retryTransport.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	info := infoFrom(req.Context())
	if info == nil {
		info = &reqInfo{endpoint: req.URL.Path}
	}
	retryable := (req.Method == http.MethodGet || req.Method == http.MethodHead || info.readOnly) &&
		(req.Body == nil || req.Body == http.NoBody || req.GetBody != nil)
	for attempt := 1; ; attempt++ {
		info.attempts = attempt
		resp, err := t.once(req, info, attempt)
		if err != nil {
			return nil, err
		}
		if !retryable || !retryStatus(resp.StatusCode) || attempt >= t.attempts {
			return resp, nil
		}
		wait := t.wait(resp.StatusCode, resp.Header, attempt)
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		level := slog.LevelDebug
		if wait >= 10*time.Second {
			level = slog.LevelWarn // a long silent pause would look like a hang
		}
		t.logger.Log(req.Context(), level, "retrying after a refusal", "method", req.Method,
			"endpoint", info.endpoint, "status", resp.StatusCode, "attempt", attempt, "wait", wait)
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// once sends one attempt with its own timeout, which stays in force until
// the response body is closed, and holds a slot of the limiter as long.
func (t *retryTransport) once(req *http.Request, info *reqInfo, attempt int) (*http.Response, error) {
	tk := ticket{endpoint: info.endpoint, priority: info.priority, chain: info.chain}
	if err := t.limit.acquire(req.Context(), tk); err != nil {
		return nil, err
	}
	var ctx context.Context
	var cancel context.CancelFunc
	if t.timeout > 0 {
		ctx, cancel = context.WithTimeout(req.Context(), t.timeout)
	} else {
		ctx, cancel = context.WithCancel(req.Context())
	}
	r := req.Clone(ctx)
	if attempt > 1 && req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			cancel()
			t.limit.release(tk)
			return nil, fmt.Errorf("replay request body: %w", err)
		}
		r.Body = body
	}
	done := func() { cancel(); t.limit.release(tk) }
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	attrs := []any{"method", req.Method, "endpoint", info.endpoint, "attempt", attempt,
		"duration", time.Since(start)}
	if err != nil {
		done()
		if req.Context().Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = &timeoutError{d: t.timeout}
		}
		t.logger.Debug("request failed", append(attrs, "error", err.Error())...)
		return nil, err
	}
	t.logger.Debug("request", append(attrs, "status", resp.StatusCode)...)
	t.limit.observe(info.endpoint, resp.StatusCode, resp.Header)
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: done}
	return resp, nil
}

// retryStatus reports whether a status is worth retrying: 429 and 5xx
// except 501 Not Implemented.
func retryStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code != http.StatusNotImplemented)
}

// wait is how long to wait before the next attempt: Retry-After, else
// X-RateLimit-Reset when the answer is a rate limit (a 429, or no request
// left), else exponential backoff with jitter; capped at maxWait. Atlassian
// sends the X-RateLimit-* headers on every answer, so a 5xx with requests
// left carries a reset time too, up to a minute away: waiting for it made
// each retry of a failing endpoint cost a minute.
func (t *retryTransport) wait(status int, h http.Header, attempt int) time.Duration {
	now := t.now()
	d, ok := retryAfter(h.Get("Retry-After"), now)
	if !ok && (status == http.StatusTooManyRequests || strings.TrimSpace(h.Get("X-RateLimit-Remaining")) == "0") {
		d, ok = rateLimitReset(h.Get("X-RateLimit-Reset"), now)
	}
	if !ok {
		d = t.baseDelay << (attempt - 1)
		if d <= 0 || d > t.maxWait {
			d = t.maxWait
		}
		d = d/2 + rand.N(d/2+1)
	}
	return min(max(d, 0), t.maxWait)
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// cancelBody releases an attempt's timeout and limiter slot when the body
// is closed (once, however often Close is called).
type cancelBody struct {
	io.ReadCloser
	cancel func()
	once   sync.Once
}

// Close closes the body and releases the attempt.
func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.cancel)
	return err
}

// timeoutError is an attempt that got no response within the per-request timeout.
type timeoutError struct{ d time.Duration }

// Error says how long was waited.
func (e *timeoutError) Error() string { return fmt.Sprintf("no response within %s", e.d) }

// Timeout marks the error as a timeout (net.Error style).
func (e *timeoutError) Timeout() bool { return true }
