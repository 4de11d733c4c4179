package collector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// withAccounts returns the test org with its managed accounts repeated up to n.
func withAccounts(t *testing.T, n int) *snapshot.Snapshot {
	t.Helper()
	org := testOrg(t)
	base := org.ManagedAccounts.Items
	items := make([]snapshot.Account, n)
	for i := range items {
		a := base[i%len(base)]
		a.AccountID = fmt.Sprintf("%s-%d", a.AccountID, i)
		a.Email = fmt.Sprintf("user%d@example.com", i)
		items[i] = a
	}
	org.ManagedAccounts.Items = items
	return org
}

// TestCollectScaleFaults is the fault table of issue 7: very long cursor
// chains, huge bodies, stalled bodies and connection resets. Every row must
// end (a stalled body at the request timeout, a chain at its page cap) and
// never show the API key. How fast is for the benchmarks (make
// bench-collect): the time limit here only turns a hang into a failure, so a
// loaded machine (the 10,001 pages took 14 s under -race) does not fail it.
func TestCollectScaleFaults(t *testing.T) {
	tests := []struct {
		name     string
		accounts int // managed accounts (0: the test org's)
		pageSize int // the fake's page size (0: its default of 2)
		faults   []fakeapi.Fault
		opts     func(*Options)
		// pages, when set, checks the users search's requests: the fewest
		// that list every account, and the most the plan allows.
		pages bool
		want  outcome
	}{
		{name: "long cursor chain hits the page cap", accounts: 200, pageSize: 1,
			opts: func(o *Options) { o.MaxPages = 50 },
			want: outcome{area: snapshot.AreaManagedAccounts,
				endpoint: "POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search",
				message:  "POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search: too many pages: stopped after 50 pages"}},
		{name: "10,001 pages complete: the cap follows the users count", accounts: 10001, pageSize: 1, pages: true},
		{name: "a chain longer than its count stops at the cap derived from it", accounts: 1000, pageSize: 1,
			faults: []fakeapi.Fault{{Route: "managed_accounts.count", Kind: fakeapi.Miscount, Size: -900}},
			want: outcome{area: snapshot.AreaManagedAccounts,
				message: "users/search: too many pages: stopped after 120 pages (the count said 100 items)"}},
		{name: "50 MB body above a small cap", faults: []fakeapi.Fault{{Route: "api_tokens", Kind: fakeapi.Huge, Size: 50 << 20}},
			opts: func(o *Options) { o.MaxBodyBytes = 64 << 10 },
			want: outcome{area: snapshot.AreaAPITokens, status: 200, endpoint: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens",
				message: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens: response body too large: more than 65536 bytes"}},
		{name: "50 MB body above the default 32 MiB cap", faults: []fakeapi.Fault{{Route: "api_tokens", Kind: fakeapi.Huge, Size: 50 << 20}},
			want: outcome{area: snapshot.AreaAPITokens, status: 200, endpoint: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens",
				message: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens: response body too large: more than 32 MiB"}},
		{name: "slowloris: headers, then the body stalls", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.StallBody}},
			opts: func(o *Options) { o.RequestTimeout = time.Second },
			want: outcome{area: snapshot.AreaAPIKeys, status: 200, endpoint: "GET /admin/api-access/v1/orgs/{orgId}/api-keys",
				message: "GET /admin/api-access/v1/orgs/{orgId}/api-keys: response body not complete within the request timeout"}},
		{name: "slowloris on a POST search", accounts: 20, faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.StallBody, Delay: time.Minute}},
			opts: func(o *Options) { o.RequestTimeout = time.Second },
			want: outcome{area: snapshot.AreaManagedAccounts, status: 200,
				message: "response body not complete within the request timeout"}},
		{name: "connection reset mid-body", faults: []fakeapi.Fault{{Route: "verified_domains", Kind: fakeapi.ResetMidBody}},
			want: outcome{area: snapshot.AreaVerifiedDomains, status: 200, endpoint: "GET /admin/v1/orgs/{orgId}/domains",
				message: "GET /admin/v1/orgs/{orgId}/domains: truncated response body"}},
		{name: "connection reset mid-body on a POST search", accounts: 20,
			faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.ResetMidBody}},
			want:   outcome{area: snapshot.AreaManagedAccounts, status: 200, message: "truncated response body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := testOrg(t)
			if tt.accounts > 0 {
				org = withAccounts(t, tt.accounts)
			}
			srv := newFake(t, org, fakeapi.Options{
				APIKey: secretKey, Faults: tt.faults, RealHosts: true, PageSize: tt.pageSize,
				Now: func() time.Time { return testNow },
			})
			logs, sl := &syncBuffer{}, &sleeps{}
			opts := realHostOptions(srv, logs, sl)
			opts.APIKey = secretKey
			if tt.opts != nil {
				tt.opts(&opts)
			}
			start := time.Now()
			snap, err := collectWithin(t, opts, hangLimit)
			t.Logf("took %s, %d requests", time.Since(start).Round(time.Millisecond), len(srv.Requests()))
			texts := map[string]string{"the debug log": logs.String()}
			if err != nil {
				texts["the error"] = err.Error()
			}
			if snap != nil {
				texts["the snapshot"] = string(marshal(t, snap))
			}
			if a, ok := areas(snapOrEmpty(snap))[tt.want.area]; ok && a.Error != nil {
				t.Logf("%s: %s", tt.want.area, a.Error.Message)
			}
			mustNotLeak(t, secretKey, texts)
			checkOutcome(t, tt.want, snap, err)
			if tt.accounts > 0 && tt.want.area == "" && len(snap.ManagedAccounts.Items) != tt.accounts {
				t.Errorf("got %d accounts, want %d", len(snap.ManagedAccounts.Items), tt.accounts)
			}
			if tt.pages {
				checkUsersRequests(t, srv, logs, tt.accounts, tt.pageSize)
			}
		})
	}
}

// checkUsersRequests checks the requests of a split users search of n
// accounts at size accounts per page: at least one page per size accounts,
// at most every account read once from each end of its sort (plus a last
// page per chain), at most 17 counts (total, 5 statuses, 2 claim statuses
// per status, the total again), and the split kept (not read again as one
// chain). What the collection did, not how fast: speed is for make
// bench-collect.
func checkUsersRequests(t *testing.T, srv *fakeapi.Server, logs *syncBuffer, n, size int) {
	t.Helper()
	pages, counts := srv.Count("managed_accounts"), srv.Count("managed_accounts.count")
	fewest := (n + size - 1) / size
	chains := map[string]bool{}
	for _, r := range srv.Requests() {
		if r.Route == "managed_accounts" {
			var b map[string]any
			if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
				t.Fatalf("users search body %q: %v", r.Body, err)
			}
			delete(b, "cursor")
			key, _ := json.Marshal(b)
			chains[string(key)] = true
		}
	}
	if len(chains) < 2 {
		t.Errorf("the search ran as %d chain, want a split", len(chains))
	}
	if most := 2*fewest + len(chains); pages < fewest || pages > most {
		t.Errorf("%d users search requests, want %d to %d", pages, fewest, most)
	}
	if counts == 0 || counts > 17 {
		t.Errorf("%d users count requests, want 1 to 17", counts)
	}
	if strings.Contains(logs.String(), "read again as one chain") {
		t.Error("the split did not add up: the search was read again as one chain")
	}
	t.Logf("%d users search requests in %d chains (at least %d), %d counts", pages, len(chains), fewest, counts)
}

// snapOrEmpty is s, or an empty snapshot when s is nil.
func snapOrEmpty(s *snapshot.Snapshot) *snapshot.Snapshot {
	if s == nil {
		return &snapshot.Snapshot{}
	}
	return s
}

// hangLimit is how long a collection against the fake may take before a test
// calls it hung: far above any row's time on a loaded 2-core machine.
const hangLimit = 2 * time.Minute

// collectWithin runs Collect and fails the test (instead of hanging it)
// when it does not return within limit.
func collectWithin(t *testing.T, opts Options, limit time.Duration) (*snapshot.Snapshot, error) {
	t.Helper()
	type result struct {
		snap *snapshot.Snapshot
		err  error
	}
	done := make(chan result, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		snap, err := Collect(ctx, opts)
		done <- result{snap, err}
	}()
	select {
	case r := <-done:
		return r.snap, r.err
	case <-time.After(limit):
		cancel()
		<-done
		t.Fatalf("Collect did not return within %s", limit)
		return nil, nil
	}
}

// cancelOnPage cancels the collection at a given page of an area, as Ctrl-C
// would, and remembers when.
type cancelOnPage struct {
	nopProgress
	area   string
	page   int
	cancel context.CancelFunc
	once   sync.Once
	at     chan time.Time
}

func (p *cancelOnPage) PageFetched(area string, pages, _ int) {
	if area == p.area && pages >= p.page {
		p.once.Do(func() { p.at <- time.Now(); p.cancel() })
	}
}

// TestCollectInterrupted cancels the context mid-collection (Ctrl-C): Collect
// returns promptly with a *FatalError wrapping context.Canceled, and no
// snapshot, whatever is in flight (slow requests, stalled bodies, retry waits).
func TestCollectInterrupted(t *testing.T) {
	tests := []struct {
		name   string
		faults []fakeapi.Fault
		real   bool // real retry waits instead of the recorder
	}{
		{name: "slow API", faults: []fakeapi.Fault{{Route: "*", Kind: fakeapi.Slow, Delay: 100 * time.Millisecond}}},
		{name: "stalled bodies", faults: []fakeapi.Fault{
			{Route: "*", Kind: fakeapi.Slow, Delay: 20 * time.Millisecond},
			{Route: "api_tokens", Kind: fakeapi.StallBody},
			{Route: "app_access.detail", Kind: fakeapi.StallBody, Times: 1}}}, // leave slots for the accounts
		{name: "in a retry wait", real: true, faults: []fakeapi.Fault{
			{Route: "*", Kind: fakeapi.Slow, Delay: 20 * time.Millisecond},
			{Route: "api_keys", Kind: fakeapi.RateLimit, RetryAfter: 30 * time.Second}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, withAccounts(t, 40), fakeapi.Options{
				APIKey: secretKey, Faults: tt.faults, RealHosts: true, Now: func() time.Time { return testNow },
			})
			logs, sl := &syncBuffer{}, &sleeps{}
			opts := realHostOptions(srv, logs, sl)
			opts.APIKey = secretKey
			if tt.real {
				opts.Sleep = nil
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := &cancelOnPage{area: snapshot.AreaManagedAccounts, page: 2, cancel: cancel, at: make(chan time.Time, 1)}
			opts.Progress = p
			type result struct {
				snap *snapshot.Snapshot
				err  error
			}
			done := make(chan result, 1)
			go func() {
				snap, err := Collect(ctx, opts)
				done <- result{snap, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(hangLimit):
				cancel()
				t.Fatalf("Collect did not return within %s", hangLimit)
			}
			var at time.Time
			select {
			case at = <-p.at:
			default:
				t.Fatalf("the collection ended before it was cancelled: %v", r.err)
			}
			// Prompt is well under what is in flight (a 30 s retry wait, bodies
			// that never end) and well over what a loaded machine's scheduler
			// adds (it returns within a millisecond when idle).
			if took := time.Since(at); took > 10*time.Second {
				t.Errorf("Collect returned %s after the cancel, want < 10 s", took.Round(time.Millisecond))
			} else {
				t.Logf("returned %s after the cancel", took.Round(time.Microsecond))
			}
			var fe *FatalError
			if !errors.As(r.err, &fe) || !errors.Is(r.err, context.Canceled) {
				t.Fatalf("got %T %v, want a *FatalError wrapping context.Canceled", r.err, r.err)
			}
			if !strings.Contains(r.err.Error(), "collection interrupted") {
				t.Errorf("got %q, want it to say the collection was interrupted", r.err)
			}
			if r.snap != nil {
				t.Error("got a snapshot, want none")
			}
			mustNotLeak(t, secretKey, map[string]string{"the error": r.err.Error(), "the debug log": logs.String()})
		})
	}
}
