package main

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// testClock is the time the CLI tests' collect, scan and fleet report run
// at. The fake admin API serves the demo org, whose keys, tokens and
// accounts are dated around it (keys that expire on 2026-12-14, accounts
// last active in November), and the tests' attestations and audit-log
// windows are relative to it: at the real time the findings changed with the
// calendar (ATL-KEY-001 would have passed from 2026-12-14, every attestation
// gone stale 90 days on). Frozen, so a report is the same every run. The
// collector's limiter reads the same clock while the fakes' rate-limit
// headers are on the real one; no CLI test is paced (roomy budgets), and
// every reset the fakes announce is read as at most the collector's longest
// wait, on any date.
var testClock = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func init() { clock = func() time.Time { return testClock } }

// setClock runs the rest of the test at a (collect, scan, fleet report).
func setClock(t *testing.T, at time.Time) {
	t.Helper()
	prev := clock
	clock = func() time.Time { return at }
	t.Cleanup(func() { clock = prev })
}

// TestDemoIsTheSameAnyDay: the demo collects at the demo snapshot's own
// time, so a new user sees the same findings next month and in years: with
// the clock scan and collect use past the demo keys' expiry and years on,
// the demo's findings and policy results are those of checking the demo
// snapshot itself (which is evaluated at its collected_at), its snapshot
// says it was collected at that time (not at the clock, not at the wall
// clock), and its closing lines say so.
func TestDemoIsTheSameAnyDay(t *testing.T) {
	var org struct {
		CollectedAt time.Time `json:"collected_at"`
	}
	if err := json.Unmarshal(atlcheck.DemoSnapshot, &org); err != nil || org.CollectedAt.IsZero() {
		t.Fatalf("demo snapshot's collected_at: %v", err)
	}
	wantFound, wantStatus := outcome(t, "check", acmeSnapshot, "--config", acmeConfig)
	for _, at := range []time.Time{
		testClock,
		time.Date(2026, 12, 15, 8, 0, 0, 0, time.UTC), // the demo's admin API keys have expired
		time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC),   // its attestation is stale, its accounts long dormant
		time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		t.Run(at.Format("2006-01-02"), func(t *testing.T) {
			setClock(t, at)
			snap := filepath.Join(t.TempDir(), "demo.json")
			found, status := outcome(t, "demo", "--quiet", "--snapshot-out", snap)
			ids := maps.Clone(wantStatus)
			maps.Copy(ids, status)
			for _, id := range slices.Sorted(maps.Keys(ids)) {
				if !slices.Equal(found[id], wantFound[id]) || status[id] != wantStatus[id] {
					t.Errorf("%s: the demo gives %v %v, the demo snapshot %v %v", id, status[id], found[id], wantStatus[id], wantFound[id])
				}
			}
			doc, err := snapshot.Load(snap)
			if err != nil {
				t.Fatal(err)
			}
			if !doc.Header.CollectedAt.Equal(org.CollectedAt) {
				t.Errorf("the demo collected at %s, want the demo snapshot's time %s", doc.Header.CollectedAt, org.CollectedAt)
			}
		})
	}
	setClock(t, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
	_, stderr, _ := cli(t, "demo")
	if want := "snapshot's own time (" + org.CollectedAt.UTC().Format(time.RFC3339) + "), so it shows the same findings any day"; !strings.Contains(stderr, want) {
		t.Errorf("the demo does not say at which time it ran (%q):\n%s", want, stderr)
	}
}
