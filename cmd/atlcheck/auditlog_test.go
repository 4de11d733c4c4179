package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		err  string
	}{
		{in: "2026-11-19T08:00:00Z", want: time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC)},
		{in: "2026-11-19T10:00:00+02:00", want: time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC)},
		{in: "2026-11-19", want: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)},
		{in: "36h", want: now.Add(-36 * time.Hour)},
		{in: "7d", want: now.Add(-7 * 24 * time.Hour)},
		{in: "2026-11-21", err: "in the future"},
		{in: "2027-01-01T00:00:00Z", err: "in the future"},
		{in: "-3h", err: "want an RFC 3339 time"},
		{in: "0d", err: "want an RFC 3339 time"},
		{in: "yesterday", err: "want an RFC 3339 time, a date (YYYY-MM-DD) or a duration such as 36h or 7d"},
	}
	for _, tt := range tests {
		got, err := parseSince(tt.in, now)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: got %v, %v; want an error with %q", tt.in, got, err, tt.err)
		case tt.err == "" && (err != nil || !got.Equal(tt.want)):
			t.Errorf("%q: got %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestCollectAuditWindow: collect reads the audit log since --previous's
// collected_at (same org only) or --since, within audit_log.max_window_days,
// and says where the window came from; wrong uses are usage errors.
func TestCollectAuditWindow(t *testing.T) {
	srv := fakeOrg(t)
	t.Setenv(envAPIKey, secretKey)
	t.Setenv(envOrgID, "")
	dir := t.TempDir()
	collect := func(args ...string) (*snapshot.Snapshot, string, int) {
		out := filepath.Join(dir, "snap.json")
		_ = os.Remove(out)
		_, stderr, code := cli(t, append([]string{"collect", "--quiet", "--api-url", srv.URL(), "--output", out}, args...)...)
		if code != exitOK {
			return nil, stderr, code
		}
		doc, err := snapshot.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		full, err := doc.Full()
		if err != nil {
			t.Fatal(err)
		}
		return full, stderr, code
	}
	prevAt := clock().UTC().Add(-30 * time.Hour).Truncate(time.Second)
	previous := func(org string) string {
		raw, err := os.ReadFile(acmeSnapshot)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(raw), `"collected_at": "2026-11-20T08:00:00Z"`, `"collected_at": "`+prevAt.Format(time.RFC3339)+`"`, 1)
		// Its audit-log window ended when it was collected (the next run reads from there).
		s = strings.Replace(s, `"to": "2026-11-20T08:00:00Z"`, `"to": "`+prevAt.Format(time.RFC3339)+`"`, 1)
		s = strings.ReplaceAll(s, "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b", org)
		return writeFile(t, "prev-"+org+".json", s)
	}
	t.Run("since the previous snapshot", func(t *testing.T) {
		snap, stderr, code := collect("--previous", previous("6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"))
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		w := snap.AuditLog.Window
		if w.Basis != snapshot.WindowPreviousSnapshot || w.From == nil || !w.From.Equal(prevAt) || w.RequestedFrom != nil || w.MaxPages != 20 {
			t.Errorf("window %+v, want from the previous collected_at %v", w, prevAt)
		}
	})
	t.Run("the window cap from the config", func(t *testing.T) {
		cfg := writeFile(t, "c.yaml", "parameters:\n  audit_log:\n    max_window_days: 1\n    max_pages: 5\n")
		snap, stderr, code := collect("--previous", previous("6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"), "--config", cfg)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		w := snap.AuditLog.Window
		if w.RequestedFrom == nil || !w.RequestedFrom.Equal(prevAt) || w.To.Sub(*w.From) != 24*time.Hour || w.MaxPages != 5 {
			t.Errorf("window %+v, want cut to one day, 5 pages", w)
		}
	})
	t.Run("since", func(t *testing.T) {
		snap, stderr, code := collect("--since", "36h")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if w := snap.AuditLog.Window; w.Basis != snapshot.WindowSince || w.To.Sub(*w.From).Round(time.Minute) != 36*time.Hour {
			t.Errorf("window %+v, want 36 hours since", w)
		}
	})
	t.Run("no audit log", func(t *testing.T) {
		snap, stderr, code := collect("--no-audit-log")
		if code != exitOK || snap.AuditLog.Source != snapshot.SourceNone {
			t.Fatalf("exit %d %s: %+v", code, stderr, snap.AuditLog.Area)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"previous of another org", []string{"--previous", previous("org-other")},
			"the previous snapshot (--previous) is of organization org-other, this collection of 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"},
		{"both", []string{"--previous", previous("6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"), "--since", "1d"}, "give --previous or --since, not both"},
		{"off with a window", []string{"--no-audit-log", "--since", "1d"}, "--no-audit-log reads no audit log"},
		{"bad since", []string{"--since", "last week"}, `--since "last week": want an RFC 3339 time`},
		{"previous not a snapshot", []string{"--previous", writeFile(t, "x.json", "{}")}, "x.json"},
		{"previous missing", []string{"--previous", filepath.Join(t.TempDir(), "last.json")},
			"last.json does not exist: give the previous run's snapshot (the first run goes without --previous)"},
		{"previous is a report", []string{"--previous", writeFile(t, "r.json", `{"tool": {"name": "atlcheck"}, "findings": [], "policies": []}`)},
			"the previous snapshot (--previous): "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := collect(tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, stderr, exitUsage, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "snap.json")); err == nil {
				t.Error("a snapshot was written")
			}
		})
	}
}

// TestPreviousStart: after a previous run that read its window in full, the
// audit log is read from its collected_at; after one that did not (the area
// not collected, or a signal with actions read only in part), from the start
// of the window it meant to read, so that what it missed is read now and not
// skipped by every later run; after one that read no audit log at all, the
// longest window allowed (zero). A signal the org has no action for is not
// a gap (it never becomes complete).
func TestPreviousStart(t *testing.T) {
	at := func(h int) *time.Time { v := time.Date(2026, 11, 20, h, 0, 0, 0, time.UTC); return &v }
	collected := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	prev := func(collectedArea bool, window *time.Time, signals ...snapshot.AuditSignal) *snapshot.Snapshot {
		s := &snapshot.Snapshot{CollectedAt: collected}
		s.AuditLog.Collected = collectedArea
		s.AuditLog.Window.From = window
		s.AuditLog.Signals = signals
		return s
	}
	withTo := func(s *snapshot.Snapshot, to *time.Time) *snapshot.Snapshot { s.AuditLog.Window.To = to; return s }
	read := snapshot.AuditSignal{ID: "org_admin_granted", Actions: []snapshot.EventAction{{ID: "a"}}, Complete: true}
	partial := snapshot.AuditSignal{ID: "api_token_used", Actions: []snapshot.EventAction{{ID: "b"}}, Complete: false}
	unmapped := snapshot.AuditSignal{ID: "app_installed", Actions: []snapshot.EventAction{}, Complete: false}
	tests := []struct {
		name string
		prev *snapshot.Snapshot
		want time.Time
	}{
		{"read in full", prev(true, at(2), read, unmapped), collected},
		{"read in full, window ended before the collection did", withTo(prev(true, at(2), read), at(7)), *at(7)},
		{"a signal read in part", prev(true, at(2), read, partial), *at(2)},
		{"not collected", prev(false, at(2)), *at(2)},
		{"no audit log read", prev(false, nil), time.Time{}},
	}
	for _, tt := range tests {
		if got := previousStart(tt.prev); !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
