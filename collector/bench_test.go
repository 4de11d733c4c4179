package collector

// Collector benchmarks against the fake API with a fixed latency on every
// request (issue 7). They are reported, never asserted:
//
//	make bench-collect   (1k and 10k 3 times each, then 100k once)
//
// (ATLCHECK_LARGE=1 adds 100k accounts.) Besides ns/op each reports
//
//	requests/op     requests the fake served per collection, the users
//	                counts included
//	min-requests    the fewest that can collect the org: per list area
//	                ceil(items/page size) (at least 1), plus one detail per
//	                approved domain, one app list per site and one token
//	                list per service account
//	requests/min    their ratio (1.00 = no request wasted); issue 15's
//	                target is ≤ 1.1 at 100k
//	counts/op       users/count requests among them
//	bound-ms        the single-chain bound: the longest chain of requests
//	                that must follow each other when the users search is
//	                one cursor chain (the organizations list, then the
//	                longest cursor chain, or sites then their apps,
//	                domains then their details, or service accounts then
//	                their tokens) × the latency
//	wall-ms         the measured wall time per collection
//	wall/bound      their ratio; issue 15's target is ≤ 0.6 at 100k (the
//	                split users search runs below the single-chain bound)
//	max-in-flight   the most requests the fake served at once
//
// These run without the audit log (--no-audit-log); BenchmarkCollectAuditLog
// (bench_auditlog_test.go) measures the requests and the wall time it adds
// under its documented rate limit.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
)

// benchLatency is the delay the fake adds to every request.
const benchLatency = 20 * time.Millisecond

// benchPageSize is the largest page the fake serves (and allows asking for);
// the collector asks for 100 everywhere.
const benchPageSize = 100

func BenchmarkCollect(b *testing.B) {
	sizes := []int{1000, 10000}
	if os.Getenv("ATLCHECK_LARGE") != "" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		org := synthorg.Generate(synthorg.Options{Accounts: n, Seed: 1})
		// The default concurrency, then twice it to show what the limit costs.
		for _, conc := range []int{DefaultConcurrency, 2 * DefaultConcurrency} {
			b.Run(fmt.Sprintf("latency=20ms/accounts=%dk/concurrency=%d", n/1000, conc), func(b *testing.B) {
				benchCollect(b, org, conc)
			})
		}
	}
}

// BenchmarkCollectSplit measures the split users search against one chain
// on the same fake, pair by pair (split, then one chain, in turn), so that
// the ratio holds on a machine whose speed drifts: split-ms and one-chain-ms
// are medians, split/one-chain the median of the pairs' ratios, and
// split/bound the median split wall time over the single-chain bound.
func BenchmarkCollectSplit(b *testing.B) {
	sizes := []int{10000}
	if os.Getenv("ATLCHECK_LARGE") != "" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		org := synthorg.Generate(synthorg.Options{Accounts: n, Seed: 1})
		b.Run(fmt.Sprintf("latency=20ms/accounts=%dk", n/1000), func(b *testing.B) {
			split, one := newBenchRun(b, org, DefaultConcurrency, 0), newBenchRun(b, org, DefaultConcurrency, 1<<30)
			var splitMS, oneMS, ratios []float64
			for b.Loop() {
				s, o := split.once(b), one.once(b)
				splitMS, oneMS, ratios = append(splitMS, s), append(oneMS, o), append(ratios, s/o)
			}
			b.ReportMetric(median(splitMS), "split-ms")
			b.ReportMetric(median(oneMS), "one-chain-ms")
			b.ReportMetric(median(ratios), "split/one-chain")
			b.ReportMetric(float64(split.bound.Milliseconds()), "bound-ms")
			b.ReportMetric(median(splitMS)/float64(split.bound.Milliseconds()), "split/bound")
			b.ReportMetric(float64(split.counter.n.Load())/float64(len(splitMS))/float64(split.minReq), "split-requests/min")
		})
	}
}

// median of a non-empty list.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// benchRun is one way of collecting an org from its own fake.
type benchRun struct {
	org     *snapshot.Snapshot
	opts    Options
	counter *countingTransport
	minReq  int
	bound   time.Duration
}

// newBenchRun starts a fake for org with the benchmark's latency and page
// size; splitAbove 0 is the default split.
func newBenchRun(b *testing.B, org *snapshot.Snapshot, concurrency, splitAbove int) *benchRun {
	srv := fakeapi.New(org, fakeapi.Options{
		RealHosts: true, PageSize: benchPageSize, MaxLimit: benchPageSize,
		Faults: []fakeapi.Fault{{Route: "*", Kind: fakeapi.Slow, Delay: benchLatency}},
	})
	b.Cleanup(srv.Close)
	counter := &countingTransport{base: srv.Transport()}
	minReq, chain := minimumRequests(org, benchPageSize)
	return &benchRun{org: org, counter: counter, minReq: minReq, bound: time.Duration(chain) * benchLatency, opts: Options{
		APIKey:    fakeapi.DefaultAPIKey,
		SiteEmail: fakeapi.DefaultSiteEmail, SiteToken: fakeapi.DefaultSiteToken,
		ToolVersion: "bench", Concurrency: concurrency, SplitAbove: splitAbove,
		HTTPClient: &http.Client{Transport: counter},
		AuditLog:   AuditLogOptions{Off: true}, // BenchmarkCollectAuditLog measures it
	}}
}

// once collects the org and returns the wall time in milliseconds.
func (r *benchRun) once(b *testing.B) float64 {
	start := time.Now()
	snap, err := Collect(context.Background(), r.opts)
	wall := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if got := len(snap.ManagedAccounts.Items) + len(snap.ManagedAccounts.Unreadable); got != len(r.org.ManagedAccounts.Items) {
		b.Fatalf("collected %d accounts, want %d", got, len(r.org.ManagedAccounts.Items))
	}
	return float64(wall.Microseconds()) / 1000
}

func benchCollect(b *testing.B, org *snapshot.Snapshot, concurrency int) {
	srv := fakeapi.New(org, fakeapi.Options{
		RealHosts: true, PageSize: benchPageSize, MaxLimit: benchPageSize,
		Faults: []fakeapi.Fault{{Route: "*", Kind: fakeapi.Slow, Delay: benchLatency}},
	})
	defer srv.Close()
	opts := Options{
		APIKey:    fakeapi.DefaultAPIKey,
		SiteEmail: fakeapi.DefaultSiteEmail, SiteToken: fakeapi.DefaultSiteToken,
		ToolVersion: "bench", Concurrency: concurrency,
		// Without the audit log, whose documented 10 requests a minute
		// would make every operation about a minute long:
		// BenchmarkCollectAuditLog measures what it adds.
		AuditLog: AuditLogOptions{Off: true},
	}
	counter := &countingTransport{base: srv.Transport()}
	opts.HTTPClient = &http.Client{Transport: counter}
	minReq, chain := minimumRequests(org, benchPageSize)
	bound := time.Duration(chain) * benchLatency

	var wall time.Duration
	ops := 0
	for b.Loop() {
		start := time.Now()
		snap, err := Collect(context.Background(), opts)
		wall += time.Since(start)
		ops++
		if err != nil {
			b.Fatal(err)
		}
		for name, a := range areas(snap) {
			if !a.Collected && a.Source == snapshot.SourceAPI && a.Error != nil {
				b.Fatalf("%s not collected: %s", name, a.Error.Message)
			}
		}
		// The synthetic org plants managementSource values Part C does not
		// document: those accounts are unreadable, and still listed once.
		if got := len(snap.ManagedAccounts.Items) + len(snap.ManagedAccounts.Unreadable); got != len(org.ManagedAccounts.Items) {
			b.Fatalf("collected %d accounts, want %d", got, len(org.ManagedAccounts.Items))
		}
	}
	counts := 0
	for _, r := range srv.Requests() {
		if r.Route == "managed_accounts.count" {
			counts++
		}
	}
	perOp := float64(counter.n.Load()) / float64(ops)
	wallMS := float64(wall.Milliseconds()) / float64(ops)
	b.ReportMetric(perOp, "requests/op")
	b.ReportMetric(float64(minReq), "min-requests")
	b.ReportMetric(perOp/float64(minReq), "requests/min")
	b.ReportMetric(float64(counts)/float64(ops), "counts/op")
	b.ReportMetric(float64(bound.Milliseconds()), "bound-ms")
	b.ReportMetric(wallMS, "wall-ms")
	b.ReportMetric(wallMS/float64(bound.Milliseconds()), "wall/bound")
	b.ReportMetric(float64(srv.MaxInFlight()), "max-in-flight")
}

// minimumRequests returns the fewest requests that collect org with pages
// of size items, and the longest chain of requests that must be sequential.
func minimumRequests(org *snapshot.Snapshot, size int) (total, chain int) {
	pages := func(n int) int { return max(1, (n+size-1)/size) }
	workspaces := 0
	for _, s := range org.Sites.Items {
		workspaces += max(1, len(s.Products))
	}
	orgs := pages(1)
	sites := pages(workspaces)
	// One list per app manager of each site (Jira's, Confluence's), asked one
	// after the other.
	siteApps, managers := 0, 0
	for _, site := range org.Sites.Items {
		siteApps += len(appManagers(site.Products))
		managers = max(managers, len(appManagers(site.Products)))
	}
	domains := pages(len(org.VerifiedDomains.Items))
	appAccess := pages(len(org.AppAccess.Items))
	details := len(org.AppAccess.Items)
	keys := pages(len(org.APIKeys.Items))
	tokens := pages(len(org.APITokens.Items))
	accounts := pages(len(org.ManagedAccounts.Items))
	serviceAccounts := pages(len(org.ServiceAccounts.Items))
	perAccount := map[string]int{}
	for _, t := range org.ServiceAccountTokens.Items {
		perAccount[t.ServiceAccountID]++
	}
	saTokens, longestTokens := 0, 0
	for _, sa := range org.ServiceAccounts.Items {
		saTokens += pages(perAccount[sa.ID])
		longestTokens = max(longestTokens, pages(perAccount[sa.ID]))
	}
	oauth := pages(len(org.OAuthClients.Items))

	total = orgs + sites + siteApps + domains + appAccess + details + keys + tokens + accounts + serviceAccounts + saTokens + oauth
	longest := max(domains, keys, tokens, accounts, oauth, serviceAccounts+longestTokens)
	if siteApps > 0 {
		longest = max(longest, sites+managers)
	}
	if details > 0 {
		longest = max(longest, appAccess+1)
	}
	return total, orgs + longest
}

// countingTransport counts the requests sent (the client's side: the fake
// records a request only after its handler returns).
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int64
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.base.RoundTrip(req)
}
