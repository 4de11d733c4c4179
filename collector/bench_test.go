package collector

// Collector benchmarks against the fake API with a fixed latency on every
// request (issue 7). They are reported, never asserted:
//
//	go test -run '^$' -bench Collect -benchtime 3x ./collector/
//
// (ATLCHECK_LARGE=1 adds 100k accounts.) Besides ns/op each reports
//
//	requests/op     requests the fake served per collection
//	min-requests    the fewest that can collect the org: per list area
//	                ceil(items/page size) (at least 1), plus one detail per
//	                approved domain and one app list per site
//	requests/min    their ratio (1.00 = no request wasted)
//	bound-ms        the lower bound on wall time: the longest chain of
//	                requests that must follow each other (the organizations
//	                list, then the longest cursor chain, or sites then their
//	                apps, or domains then their details) × the latency
//	wall-ms         the measured wall time per collection
//	wall/bound      their ratio; the target is ≤ 1.25
//	max-in-flight   the most requests the fake served at once

import (
	"context"
	"fmt"
	"net/http"
	"os"
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
		if len(snap.ManagedAccounts.Items) != len(org.ManagedAccounts.Items) {
			b.Fatalf("collected %d accounts, want %d", len(snap.ManagedAccounts.Items), len(org.ManagedAccounts.Items))
		}
	}
	perOp := float64(counter.n.Load()) / float64(ops)
	wallMS := float64(wall.Milliseconds()) / float64(ops)
	b.ReportMetric(perOp, "requests/op")
	b.ReportMetric(float64(minReq), "min-requests")
	b.ReportMetric(perOp/float64(minReq), "requests/min")
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

	total = orgs + sites + siteApps + domains + appAccess + details + keys + tokens + accounts
	longest := max(domains, keys, tokens, accounts)
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
