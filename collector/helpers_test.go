package collector

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// testNow is the frozen clock of the tests.
var testNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// loadSnapshot reads a snapshot fixture.
func loadSnapshot(t *testing.T, path string) *snapshot.Snapshot {
	t.Helper()
	doc, err := snapshot.Load(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	snap, err := doc.Full()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// testOrg is the small org of testdata/org.json.
func testOrg(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	return loadSnapshot(t, "testdata/org.json")
}

// loadAttestation parses an attestation fixture.
func loadAttestation(t *testing.T, path string) *attestation.File {
	t.Helper()
	f, err := attestation.Load(path)
	if err != nil {
		t.Fatalf("load attestation: %v", err)
	}
	return f
}

// newFake starts a fake for the test.
// The audit log's budget is roomy unless a test sets it: the fault tables
// count every wait as a retry, and the audit log's pacing at its documented
// 10 requests a minute has its own tests (auditlog_test.go).
func newFake(t *testing.T, snap *snapshot.Snapshot, opts fakeapi.Options) *fakeapi.Server {
	t.Helper()
	if opts.EventsRateLimit.Limit == 0 {
		opts.EventsRateLimit = fakeapi.RateLimitOptions{Limit: 1000, Window: time.Minute}
	}
	srv := fakeapi.New(snap, opts)
	t.Cleanup(srv.Close)
	return srv
}

// sleeps records the waits of the retry transport instead of sleeping.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeOptions are collector options against srv's loopback URL, with a
// recorded sleeper, a frozen clock and a debug log captured in logs.
func fakeOptions(srv *fakeapi.Server, logs *syncBuffer, sl *sleeps) Options {
	return Options{
		APIURL:      srv.URL(),
		APIKey:      fakeapi.DefaultAPIKey,
		SiteEmail:   fakeapi.DefaultSiteEmail,
		SiteToken:   fakeapi.DefaultSiteToken,
		Now:         func() time.Time { return testNow },
		Logger:      slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Sleep:       sl.sleep,
		ToolVersion: "test",
		// The audit log since a day before the frozen clock, as the
		// fixture org.json records it.
		AuditLog: AuditLogOptions{Since: testNow.Add(-24 * time.Hour), Basis: snapshot.WindowSince},
	}
}

// realHostOptions collect from a RealHosts fake through its Transport, with
// the default https API URL, as the demo does.
func realHostOptions(srv *fakeapi.Server, logs *syncBuffer, sl *sleeps) Options {
	opts := fakeOptions(srv, logs, sl)
	opts.APIURL = DefaultAPIURL
	opts.HTTPClient = srv.HTTPClient()
	return opts
}

// normalized is a snapshot as generic JSON without collected_at and
// tool_version, for comparisons.
func normalized(t *testing.T, s *snapshot.Snapshot, drop ...string) any {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return strip(v, append([]string{"collected_at", "tool_version"}, drop...))
}

// strip removes keys anywhere in v.
func strip(v any, keys []string) any {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range keys {
			delete(x, k)
		}
		for k, e := range x {
			x[k] = strip(e, keys)
		}
	case []any:
		for i, e := range x {
			x[i] = strip(e, keys)
		}
	}
	return v
}

// sameSnapshot fails when got and want differ beyond collected_at and tool_version.
func sameSnapshot(t *testing.T, got, want *snapshot.Snapshot, drop ...string) {
	t.Helper()
	g, w := normalized(t, got, drop...), normalized(t, want, drop...)
	if reflect.DeepEqual(g, w) {
		return
	}
	gj, _ := json.MarshalIndent(g, "", "  ")
	wj, _ := json.MarshalIndent(w, "", "  ")
	gl, wl := strings.Split(string(gj), "\n"), strings.Split(string(wj), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		if i >= len(gl) || i >= len(wl) || gl[i] != wl[i] {
			lo, hi := max(0, i-8), i+4
			t.Fatalf("snapshots differ at line %d:\ngot:\n%s\nwant:\n%s", i+1,
				strings.Join(gl[lo:min(hi, len(gl))], "\n"), strings.Join(wl[lo:min(hi, len(wl))], "\n"))
		}
	}
}

// mustNotLeak fails when secret occurs in any of the texts.
func mustNotLeak(t *testing.T, secret string, texts map[string]string) {
	t.Helper()
	for name, text := range texts {
		if strings.Contains(text, secret) {
			t.Errorf("the API key leaks into %s", name)
		}
	}
}

// marshal renders a snapshot as the CLI would write it.
func marshal(t *testing.T, s *snapshot.Snapshot) []byte {
	t.Helper()
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// exists reports whether a file exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
