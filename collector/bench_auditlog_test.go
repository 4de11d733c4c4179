package collector

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
)

// BenchmarkCollectAuditLog measures what reading the audit log adds to a
// collection: the same org collected with --no-audit-log and then with the
// audit log, each from a fresh fake (a new run starts with the events
// path's full budget) that keeps Atlassian's documented rate limit on the
// audit log (10 requests a minute per path, answered with 429 past it) and
// adds the benchmark's latency to every request. It reports
//
//	audit-requests/op   the audit log's requests (event actions and events)
//	audit-min           the fewest: 1 + per mapped action ceil(events/500)
//	off-requests/op     all requests without the audit log
//	on-requests/op      all requests with it (the users search's split
//	                    varies by a few requests from run to run)
//	off-wall-ms         the wall time without the audit log
//	on-wall-ms          the wall time with it
//	extra-wall-ms       their difference: what the audit log adds
//	throttled/op        429s the fake answered (0: the pacing kept the limit)
//
// It runs at 10k accounts (ATLCHECK_LARGE=1 adds 100k), for a quiet day
// (the events fit in the path's budget: no wait) and a busy one (33
// events requests: the ones past the budget wait for the next minute).
func BenchmarkCollectAuditLog(b *testing.B) {
	sizes := []int{10000}
	if os.Getenv("ATLCHECK_LARGE") != "" {
		sizes = append(sizes, 100000)
	}
	for _, n := range sizes {
		org := recentAuditLog(synthorg.Generate(synthorg.Options{Accounts: n, Seed: 1}))
		for _, day := range []struct {
			name     string
			org      *snapshot.Snapshot
			maxPages int
		}{
			// A quiet day: the synthetic org's ~570 events, one page per action.
			{"quiet-day", org, 0},
			// A busy day: 12,000 more API token uses (24 pages of them), read
			// in full with audit_log.max_pages 100: past the path's budget,
			// the requests wait for the next window.
			{"busy-day", busyAuditLog(org, 12000), 100},
		} {
			b.Run(fmt.Sprintf("%s/latency=20ms/accounts=%dk/events-limit=10per-min", day.name, n/1000), func(b *testing.B) {
				var ops, offReq, onReq, auditReq, throttled int
				var offWall, onWall time.Duration
				for b.Loop() {
					wall, total, _, _ := auditBenchOnce(b, day.org, true, day.maxPages)
					offWall, offReq = offWall+wall, offReq+total
					wall, total, audit, thr := auditBenchOnce(b, day.org, false, day.maxPages)
					onWall, onReq, auditReq, throttled = onWall+wall, onReq+total, auditReq+audit, throttled+thr
					ops++
				}
				per := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(ops) }
				b.ReportMetric(float64(auditReq)/float64(ops), "audit-requests/op")
				b.ReportMetric(float64(auditMinimum(day.org)), "audit-min")
				b.ReportMetric(float64(offReq)/float64(ops), "off-requests/op")
				b.ReportMetric(float64(onReq)/float64(ops), "on-requests/op")
				b.ReportMetric(per(offWall), "off-wall-ms")
				b.ReportMetric(per(onWall), "on-wall-ms")
				b.ReportMetric(per(onWall-offWall), "extra-wall-ms")
				b.ReportMetric(float64(throttled)/float64(ops), "throttled/op")
			})
		}
	}
}

// busyAuditLog is org with n more API token uses in its audit log's window.
func busyAuditLog(org *snapshot.Snapshot, n int) *snapshot.Snapshot {
	busy := *org
	busy.AuditLog.Items = slices.Clone(org.AuditLog.Items)
	var use snapshot.AuditEvent
	for _, e := range org.AuditLog.Items {
		if e.Signal == "api_token_used" {
			use = e
			break
		}
	}
	span := org.AuditLog.Window.To.Sub(*org.AuditLog.Window.From)
	for i := range n {
		e := use
		e.ID = fmt.Sprintf("busy-%05d", i)
		e.Time = org.AuditLog.Window.From.Add(span * time.Duration(i+1) / time.Duration(n+2))
		busy.AuditLog.Items = append(busy.AuditLog.Items, e)
	}
	return &busy
}

// auditBenchOnce collects org from a fresh fake, with or without the audit
// log, and returns the wall time, the requests sent, the audit log's
// requests and the 429s the fake answered.
func auditBenchOnce(b *testing.B, org *snapshot.Snapshot, off bool, maxPages int) (time.Duration, int, int, int) {
	b.Helper()
	// Page size 500 so that /events serves its documented largest page; the
	// collector asks every other list for 100 (the same pages as
	// BenchmarkCollect).
	srv := fakeapi.New(org, fakeapi.Options{
		RealHosts: true, PageSize: 500,
		Faults:          []fakeapi.Fault{{Route: "*", Kind: fakeapi.Slow, Delay: benchLatency}},
		EventsRateLimit: fakeapi.RateLimitOptions{Limit: 10, Window: time.Minute},
	})
	defer srv.Close()
	counter := &countingTransport{base: srv.Transport()}
	opts := Options{
		APIKey:    fakeapi.DefaultAPIKey,
		SiteEmail: fakeapi.DefaultSiteEmail, SiteToken: fakeapi.DefaultSiteToken,
		ToolVersion: "bench", HTTPClient: &http.Client{Transport: counter},
		// The previous run a day ago: the org's events are in its last 24 hours.
		AuditLog: AuditLogOptions{Off: off, Since: org.AuditLog.Window.From.Add(-time.Minute), Basis: snapshot.WindowPreviousSnapshot,
			MaxPages: maxPages},
	}
	start := time.Now()
	snap, err := Collect(context.Background(), opts)
	wall := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	if !off {
		if !snap.AuditLog.Collected || len(snap.AuditLog.Items) != len(org.AuditLog.Items) {
			b.Fatalf("audit log: collected %v, %d events, want %d", snap.AuditLog.Collected, len(snap.AuditLog.Items), len(org.AuditLog.Items))
		}
		for _, s := range snap.AuditLog.Signals {
			if !s.Complete {
				b.Fatalf("signal %s: %s", s.ID, s.Note)
			}
		}
	}
	audit := srv.Count("audit_log") + srv.Count("audit_log.actions")
	return wall, int(counter.n.Load()), audit, srv.Throttled()
}

// recentAuditLog moves the synthetic org's audit log (its day before the
// synthetic collection time) to the day before now, so that a collection
// at the real time reads it.
func recentAuditLog(org *snapshot.Snapshot) *snapshot.Snapshot {
	shift := time.Since(*org.AuditLog.Window.To)
	from, to := org.AuditLog.Window.From.Add(shift), org.AuditLog.Window.To.Add(shift)
	org.AuditLog.Window.From, org.AuditLog.Window.To = &from, &to
	for i := range org.AuditLog.Items {
		org.AuditLog.Items[i].Time = org.AuditLog.Items[i].Time.Add(shift)
	}
	return org
}

// auditMinimum is the fewest requests that read org's audit log: the event
// actions, then per mapped action its events in pages of 500 (at least one).
func auditMinimum(org *snapshot.Snapshot) int {
	perAction := map[string]int{}
	for _, e := range org.AuditLog.Items {
		perAction[e.Action]++
	}
	total := 1
	for _, s := range org.AuditLog.Signals {
		for _, a := range s.Actions {
			total += max(1, (perAction[a.ID]+eventsPageSize-1)/eventsPageSize)
		}
	}
	return total
}
