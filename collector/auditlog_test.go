package collector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// virtualClock is a clock that the collector's waits move forward, shared
// with the fake, so that a minute of rate limiting takes no real time.
type virtualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *virtualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *virtualClock) sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.mu.Lock()
		c.t = c.t.Add(d)
		c.mu.Unlock()
	}
	return ctx.Err()
}

// auditOrg is the small org with an audit log whose signals are carried by
// the given number of actions each (the org_admin_granted signal by
// adminActions of them), with events events per action in the window
// ending at testNow.
func auditOrg(t *testing.T, adminActions, events int) *snapshot.Snapshot {
	t.Helper()
	s := testOrg(t)
	from, to := testNow.Add(-24*time.Hour), testNow
	s.AuditLog.Window = snapshot.AuditWindow{From: &from, To: &to, Basis: snapshot.WindowSince}
	s.AuditLog.Signals = nil
	s.AuditLog.Items = nil
	add := func(signal, name string, n int) {
		sig := snapshot.AuditSignal{ID: signal, Complete: true}
		for i := range n {
			id := fmt.Sprintf("%s-%d", signal, i)
			sig.Actions = append(sig.Actions, snapshot.EventAction{ID: id, DisplayName: name})
			for j := range events {
				s.AuditLog.Items = append(s.AuditLog.Items, snapshot.AuditEvent{
					ID: fmt.Sprintf("%s-ev-%d", id, j), Signal: signal, Action: id, ActionName: name,
					Time: from.Add(time.Duration(1+i*events+j) * time.Minute), Actor: &snapshot.AuditActor{ID: "acc-1"}})
			}
		}
		s.AuditLog.Signals = append(s.AuditLog.Signals, sig)
	}
	add("org_admin_granted", "User granted role", adminActions)
	add("api_key_created", "Created API key", 1)
	add("app_installed", "App update success", 1)
	add("org_policy_changed", "Policy disabled", 1)
	add("api_token_used", "API token used", 1)
	return s
}

// collectAudit collects org from a fake that keeps limit events requests a
// minute, on a virtual clock, and returns the audit log, the fake and the
// virtual time the collection took.
func collectAudit(t *testing.T, org *snapshot.Snapshot, limit int, edit func(*Options)) (snapshot.AuditLogArea, *fakeapi.Server, time.Duration, error) {
	t.Helper()
	vc := &virtualClock{t: testNow}
	srv := newFake(t, org, fakeapi.Options{PageSize: 2, Now: vc.now,
		EventsRateLimit: fakeapi.RateLimitOptions{Limit: limit, Window: time.Minute}})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Now, opts.Sleep = vc.now, vc.sleep
	if edit != nil {
		edit(&opts)
	}
	snap, err := Collect(context.Background(), opts)
	took := vc.now().Sub(testNow)
	if err != nil {
		return snapshot.AuditLogArea{}, srv, took, err
	}
	return snap.AuditLog, srv, took, nil
}

// TestAuditLogKeepsTheRateLimit: the collector paces the events path by
// the fake's X-RateLimit headers (the limiter spreads what is left of a
// window once it is low, so the budget is never spent at once): not one
// request is refused, every signal is read completely, and the read takes
// the minutes the limit needs, not more.
func TestAuditLogKeepsTheRateLimit(t *testing.T) {
	for _, tt := range []struct {
		name             string
		limit, actions   int
		minTook, maxTook time.Duration
	}{
		{"under the limit: no wait at all", 10, 2, 0, time.Second},               // 6 requests, all expected
		{"just under the limit: no wait at all", 10, 5, 0, time.Second},          // 9 requests: the demo org's 8, the synthetic org's 9
		{"25 requests at 10 a minute", 10, 21, 2 * time.Minute, 4 * time.Minute}, // 25 requests
		{"12 requests at 3 a minute", 3, 8, 3 * time.Minute, 5 * time.Minute},    // 12 requests
		{"paged events count too", 10, 4, 30 * time.Second, 3 * time.Minute},     // with 3 events a page each: 16 requests
	} {
		t.Run(tt.name, func(t *testing.T) {
			events := 1
			if strings.HasPrefix(tt.name, "paged") {
				events = 3
			}
			area, srv, took, err := collectAudit(t, auditOrg(t, tt.actions, events), tt.limit, func(o *Options) { o.AuditLog.MaxPages = 100 })
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.Throttled(); n != 0 {
				t.Errorf("%d requests refused with 429, want none", n)
			}
			for _, s := range area.Signals {
				if !s.Complete {
					t.Errorf("signal %s not complete: %s", s.ID, s.Note)
				}
			}
			if want := (tt.actions + 4) * events; len(area.Items) != want {
				t.Errorf("got %d events, want %d", len(area.Items), want)
			}
			if took < tt.minTook || took > tt.maxTook {
				t.Errorf("took %v of virtual time, want %v to %v", took, tt.minTook, tt.maxTook)
			}
			t.Logf("%d events requests in %v", srv.Count("audit_log"), took)
		})
	}
}

// TestAuditLogAfterA429: when another client of the same key spent the
// budget, the 429 (with X-RateLimit-Reset and no Retry-After, as documented)
// is waited out and the read completes.
func TestAuditLogAfterA429(t *testing.T) {
	org := auditOrg(t, 1, 1)
	vc := &virtualClock{t: testNow}
	srv := newFake(t, org, fakeapi.Options{Now: vc.now, EventsRateLimit: fakeapi.RateLimitOptions{Limit: 10, Window: time.Minute},
		Faults: []fakeapi.Fault{{Route: "audit_log", Kind: fakeapi.RateLimitReset, Times: 2, RetryAfter: 40 * time.Second}}})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Now, opts.Sleep = vc.now, vc.sleep
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snap.AuditLog.Signals {
		if !s.Complete {
			t.Errorf("signal %s not complete after the 429s: %s %+v", s.ID, s.Note, s.Error)
		}
	}
	if len(snap.AuditLog.Items) != 5 {
		t.Errorf("got %d events, want 5", len(snap.AuditLog.Items))
	}
	if got := vc.now().Sub(testNow); got < 40*time.Second || got > 3*time.Minute {
		t.Errorf("took %v, want the 40 s reset waited for (twice at most)", got)
	}
}

// TestAuditLogBounds: the page cap stops the read (the signal being read
// and those after it say so, none is complete), the window is cut to its
// cap, and a previous snapshot of another org is refused.
func TestAuditLogBounds(t *testing.T) {
	t.Run("page cap", func(t *testing.T) {
		area, srv, _, err := collectAudit(t, auditOrg(t, 2, 5), 1000, func(o *Options) { o.AuditLog.MaxPages = 4 })
		if err != nil {
			t.Fatal(err)
		}
		if got := srv.Count("audit_log"); got != 4 {
			t.Errorf("%d events requests, want the cap of 4", got)
		}
		if area.Window.Pages != 4 || area.Window.MaxPages != 4 {
			t.Errorf("window %+v, want 4 of 4 pages", area.Window)
		}
		want := map[string]string{
			"org_admin_granted":  "read only in part: the page cap (audit_log.max_pages = 4) was reached in the events of action org_admin_granted-1; later pages were not read",
			"api_key_created":    "not read in full: the page cap (audit_log.max_pages = 4) was reached before action api_key_created-0",
			"api_token_used":     "not read in full: the page cap (audit_log.max_pages = 4) was reached before action api_token_used-0",
			"app_installed":      "not read in full: the page cap (audit_log.max_pages = 4) was reached before action app_installed-0",
			"org_policy_changed": "not read in full: the page cap (audit_log.max_pages = 4) was reached before action org_policy_changed-0",
		}
		for _, s := range area.Signals {
			if s.Complete || s.Note != want[s.ID] {
				t.Errorf("%s: complete %v note %q, want %q", s.ID, s.Complete, s.Note, want[s.ID])
			}
		}
		if !area.Collected || len(area.Items) != 7 {
			t.Errorf("collected %v with %d events, want the 7 of the 4 pages read (5 of the first action, 2 of the next)", area.Collected, len(area.Items))
		}
	})
	t.Run("window cap", func(t *testing.T) {
		asked := testNow.Add(-30 * 24 * time.Hour)
		area, _, _, err := collectAudit(t, auditOrg(t, 1, 1), 1000, func(o *Options) {
			o.AuditLog = AuditLogOptions{Since: asked, Basis: snapshot.WindowPreviousSnapshot, MaxWindow: 7 * 24 * time.Hour}
		})
		if err != nil {
			t.Fatal(err)
		}
		w := area.Window
		if w.RequestedFrom == nil || !w.RequestedFrom.Equal(asked) || !w.From.Equal(testNow.Add(-7*24*time.Hour)) || !w.To.Equal(testNow) ||
			w.Basis != snapshot.WindowPreviousSnapshot {
			t.Errorf("window %+v, want from 7 days back, asked 30, basis previous_snapshot", w)
		}
	})
	t.Run("default window", func(t *testing.T) {
		area, _, _, err := collectAudit(t, auditOrg(t, 1, 1), 1000, func(o *Options) { o.AuditLog = AuditLogOptions{} })
		if err != nil {
			t.Fatal(err)
		}
		if w := area.Window; w.Basis != snapshot.WindowDefault || !w.From.Equal(testNow.Add(-DefaultAuditWindow)) || w.RequestedFrom != nil {
			t.Errorf("window %+v, want the default 7 days", w)
		}
	})
	t.Run("previous snapshot of another org", func(t *testing.T) {
		_, _, _, err := collectAudit(t, auditOrg(t, 1, 1), 1000, func(o *Options) { o.AuditLog.PreviousOrgID = "org-other" })
		var ce *ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "the previous snapshot (--previous) is of organization org-other, this collection of org-1111") {
			t.Errorf("got %v, want a config error naming both orgs", err)
		}
	})
	t.Run("off", func(t *testing.T) {
		area, srv, _, err := collectAudit(t, auditOrg(t, 1, 1), 1000, func(o *Options) { o.AuditLog.Off = true })
		if err != nil {
			t.Fatal(err)
		}
		if area.Source != snapshot.SourceNone || area.Error == nil || area.Error.Message != msgAuditLogOff || srv.Count("audit_log.actions") != 0 {
			t.Errorf("got %+v after %d requests, want no source and no request", area.Area, srv.Count("audit_log.actions"))
		}
	})
}

// TestAuditLogFailures: a refused event-actions list leaves the area not
// collected; a refused events query leaves only its signal unread.
func TestAuditLogFailures(t *testing.T) {
	area, _, _, err := collectAudit(t, auditOrg(t, 1, 1), 1000, func(o *Options) {})
	if err != nil || !area.Collected {
		t.Fatalf("baseline: %v %+v", err, area.Area)
	}
	vc := &virtualClock{t: testNow}
	for _, tt := range []struct {
		name  string
		fault fakeapi.Fault
		check func(t *testing.T, a snapshot.AuditLogArea)
	}{
		{"event-actions 403", fakeapi.Fault{Route: "audit_log.actions", Kind: fakeapi.Forbidden}, func(t *testing.T, a snapshot.AuditLogArea) {
			if a.Collected || a.Source != snapshot.SourceAPI || a.Error == nil || a.Error.Status != 403 || !strings.Contains(a.Error.Message, hintAuditLog403) {
				t.Errorf("got %+v, want not collected with the 403 and what the audit log needs", a.Area)
			}
		}},
		{"event-actions refused for the plan", fakeapi.Fault{Route: "audit_log.actions", Kind: fakeapi.NotOnPlan}, func(t *testing.T, a snapshot.AuditLogArea) {
			if a.Collected || a.Source != snapshot.SourceNone || a.Error == nil || a.Error.Status != 403 || !strings.HasPrefix(a.Error.Message, PlanUnavailable) {
				t.Errorf("got %+v, want not available on this plan (no source), with the 403", a.Area)
			}
		}},
		{"an events query refused for the plan", fakeapi.Fault{Route: "audit_log", Kind: fakeapi.NotOnPlan, Times: 1}, func(t *testing.T, a snapshot.AuditLogArea) {
			if first := a.Signals[0]; first.Complete || first.Error == nil || !strings.HasPrefix(first.Note, "its events could not be read: "+PlanUnavailable) {
				t.Errorf("first signal %+v, want not available on this plan", first)
			}
		}},
		{"one events query fails", fakeapi.Fault{Route: "audit_log", Kind: fakeapi.ServerError, Times: 5}, func(t *testing.T, a snapshot.AuditLogArea) {
			if !a.Collected {
				t.Fatalf("area not collected: %+v", a.Error)
			}
			first := a.Signals[0]
			if first.Complete || first.Error == nil || first.Error.Status != 503 || !strings.HasPrefix(first.Note, "its events could not be read: ") {
				t.Errorf("first signal %+v, want its error", first)
			}
			for _, s := range a.Signals[1:] {
				if !s.Complete {
					t.Errorf("signal %s: %s, want read", s.ID, s.Note)
				}
			}
		}},
		{"a 401 on the events is fatal", fakeapi.Fault{Route: "audit_log", Kind: fakeapi.Unauthorized}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, auditOrg(t, 1, 1), fakeapi.Options{Now: vc.now, Faults: []fakeapi.Fault{tt.fault}})
			opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
			snap, err := Collect(context.Background(), opts)
			if tt.check == nil {
				var fe *FatalError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), "audit_log") {
					t.Errorf("got %v, want a fatal error naming the audit log", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, snap.AuditLog)
		})
	}
}

// TestAuditLogAreaSize checks that the audit log's answers count together
// against the area size cap (Options.MaxAreaBytes): past it the area is
// not collected, as any other area.
func TestAuditLogAreaSize(t *testing.T) {
	area, _, _, err := collectAudit(t, auditOrg(t, 50, 50), 1000, func(o *Options) { o.MaxAreaBytes = 16 << 10 })
	if err != nil {
		t.Fatal(err)
	}
	if area.Collected || area.Error == nil || !strings.Contains(area.Error.Message, "--max-area-size") {
		t.Errorf("got %+v, want not collected: too large", area.Area)
	}
}
