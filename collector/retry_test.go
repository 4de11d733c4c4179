package collector

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scripted serves the given responses in turn (the last one repeats).
func scripted(t *testing.T, responses ...func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		responses[min(i, len(responses)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// status answers code with the given headers.
func status(code int, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"data":[]}`)
	}
}

// newTransport is a retry transport with a recording sleeper.
func newTransport(sl *sleeps, timeout time.Duration) *retryTransport {
	return &retryTransport{
		base: http.DefaultTransport, attempts: defaultAttempts, maxWait: defaultMaxWait, baseDelay: defaultBaseDelay,
		timeout: timeout, sleep: sl.sleep, now: func() time.Time { return testNow }, logger: slog.New(slog.DiscardHandler),
		limit: newLimiter(DefaultConcurrency, func() time.Time { return testNow }, sl.sleep),
	}
}

func TestRetryTransportWaits(t *testing.T) {
	in90s := testNow.Add(90 * time.Second)
	tests := []struct {
		name  string
		first func(http.ResponseWriter, *http.Request)
		want  time.Duration // the wait before each retry; -1 means backoff
	}{
		{"retry-after seconds", status(429, "Retry-After", "7"), 7 * time.Second},
		{"retry-after http date", status(429, "Retry-After", testNow.Add(12*time.Second).Format(http.TimeFormat)), 12 * time.Second},
		{"retry-after capped", status(429, "Retry-After", "3600"), defaultMaxWait},
		{"reset epoch seconds", status(429, "X-RateLimit-Reset", strconv.FormatInt(testNow.Add(5*time.Second).Unix(), 10)), 5 * time.Second},
		{"reset epoch millis", status(429, "X-RateLimit-Reset", strconv.FormatInt(testNow.Add(3*time.Second).UnixMilli(), 10)), 3 * time.Second},
		{"reset iso-8601", status(429, "X-RateLimit-Reset", testNow.Add(4*time.Second).Format(time.RFC3339)), 4 * time.Second},
		{"reset capped", status(429, "X-RateLimit-Reset", in90s.Format(time.RFC3339)), defaultMaxWait},
		{"reset in the past", status(429, "X-RateLimit-Reset", testNow.Add(-time.Hour).Format(time.RFC3339)), 0},
		{"retry-after wins over reset", status(429, "Retry-After", "2", "X-RateLimit-Reset", in90s.Format(time.RFC3339)), 2 * time.Second},
		{"no header: backoff", status(429), -1},
		{"503 backoff", status(503), -1},
		// Atlassian sends the X-RateLimit-* headers on every answer: a 5xx
		// with requests left (or no count) is no rate limit, so its reset
		// time (up to a minute away) is not waited for.
		{"503 with requests left: backoff", status(503, "X-RateLimit-Remaining", "999", "X-RateLimit-Reset", in90s.Format(time.RFC3339)), -1},
		{"503 without the remaining count: backoff", status(503, "X-RateLimit-Reset", in90s.Format(time.RFC3339)), -1},
		{"503 retry-after", status(503, "Retry-After", "3", "X-RateLimit-Remaining", "999"), 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := scripted(t, tt.first, tt.first, tt.first, status(200))
			sl := &sleeps{}
			resp, err := (&http.Client{Transport: newTransport(sl, time.Second)}).Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || n.Load() != 4 {
				t.Fatalf("got status %d after %d requests, want 200 after 4", resp.StatusCode, n.Load())
			}
			waits := sl.all()
			if len(waits) != 3 {
				t.Fatalf("got %d waits, want 3", len(waits))
			}
			for i, w := range waits {
				if tt.want >= 0 && w != tt.want {
					t.Errorf("wait %d: got %s, want %s", i, w, tt.want)
				}
				if tt.want < 0 {
					base := defaultBaseDelay << i
					if w < base/2 || w > base {
						t.Errorf("backoff wait %d: got %s, want between %s and %s", i, w, base/2, base)
					}
				}
			}
		})
	}
}

func TestRetryTransportGivesUp(t *testing.T) {
	srv, n := scripted(t, status(502))
	sl := &sleeps{}
	resp, err := (&http.Client{Transport: newTransport(sl, time.Second)}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 502 || n.Load() != defaultAttempts {
		t.Errorf("got %d after %d attempts, want 502 after %d", resp.StatusCode, n.Load(), defaultAttempts)
	}
	for _, w := range sl.all() {
		if w > defaultMaxWait {
			t.Errorf("wait %s exceeds the cap %s", w, defaultMaxWait)
		}
	}
}

func TestRetryTransportBackoffCapped(t *testing.T) {
	tr := newTransport(&sleeps{}, time.Second)
	for attempt := 1; attempt < 70; attempt++ {
		if w := tr.wait(http.StatusServiceUnavailable, http.Header{}, attempt); w > defaultMaxWait || w < 0 {
			t.Fatalf("attempt %d: got wait %s, want within [0, %s]", attempt, w, defaultMaxWait)
		}
	}
}

func TestRetryTransportIdempotentOnly(t *testing.T) {
	var bodies []string
	handler := func(code int) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, string(b))
			status(code)(w, r)
		}
	}
	tests := []struct {
		name     string
		readOnly bool
		want     int32
	}{
		{"read-only search is retried with its body", true, 2},
		{"other POST is not retried", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bodies = nil
			srv, n := scripted(t, handler(503), handler(200))
			ctx := context.WithValue(context.Background(), infoKey{}, &reqInfo{endpoint: "/x", readOnly: tt.readOnly})
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(`{"limit":100}`))
			resp, err := (&http.Client{Transport: newTransport(&sleeps{}, time.Second)}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if n.Load() != tt.want {
				t.Fatalf("got %d requests, want %d", n.Load(), tt.want)
			}
			for i, b := range bodies {
				if b != `{"limit":100}` {
					t.Errorf("request %d body: got %q, want the original body", i+1, b)
				}
			}
		})
	}
}

func TestRetryTransportTimeout(t *testing.T) {
	release := make(chan struct{})
	srv, _ := scripted(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	_, err := (&http.Client{Transport: newTransport(&sleeps{}, 50*time.Millisecond)}).Get(srv.URL)
	var te *timeoutError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a timeout error", err)
	}
}

func TestRetryTransportCancelDuringWait(t *testing.T) {
	srv, n := scripted(t, status(429, "Retry-After", "30"))
	tr := newTransport(&sleeps{}, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	tr.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if _, err := (&http.Client{Transport: tr}).Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if n.Load() != 1 {
		t.Errorf("got %d requests, want 1", n.Load())
	}
}

func TestSleepCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if err := sleepCtx(context.Background(), time.Millisecond); err != nil {
		t.Errorf("got %v, want nil", err)
	}
}
