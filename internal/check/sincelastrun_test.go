package check

import (
	"context"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/policies"
)

// TestSinceLastRun: the run's "since last run" section is the window the
// demo snapshot read and, per signal in the table's order, its policy's
// outcome with each finding's event: actor, time and target.
func TestSinceLastRun(t *testing.T) {
	run := evaluateWith(t, acmeWith(t, func(map[string]any) {}), []config.Exception{})
	s := run.SinceLastRun
	if s == nil {
		t.Fatal("no since-last-run section")
	}
	from, to := time.Date(2026, 11, 19, 8, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	if !s.From.Equal(from) || !s.To.Equal(to) || s.Basis != "previous_snapshot" || s.RequestedFrom != nil {
		t.Errorf("window %v → %v (%s, requested %v)", s.From, s.To, s.Basis, s.RequestedFrom)
	}
	wantIDs := []string{"ATL-LOG-001", "ATL-LOG-002", "ATL-LOG-003", "ATL-LOG-004", "ATL-LOG-005"}
	if len(s.Signals) != len(wantIDs) {
		t.Fatalf("%d signals, want %d", len(s.Signals), len(wantIDs))
	}
	for i, sig := range s.Signals {
		if sig.PolicyID != wantIDs[i] || sig.Status != model.StatusFail || sig.Findings != 1 || len(sig.Events) != 1 {
			t.Errorf("signal %d: %s %s with %d finding(s), %d event(s); want %s failing once", i, sig.PolicyID, sig.Status,
				sig.Findings, len(sig.Events), wantIDs[i])
		}
	}
	got := s.Signals[0].Events[0]
	want := model.AuditEvent{ID: "ev-1001", Time: time.Date(2026, 11, 19, 14, 2, 11, 0, time.UTC),
		Action: "Granted organization admin role", Actor: "Priya Raman (priya.raman@acme-corp.example)",
		ActorID: "5f3c8a1b2d4e6f7a8b9c0003", Target: "user Tom Becker (5f3c8a1b2d4e6f7a8b9c0004)",
		Message:     "Granted organization admin role by Priya Raman (priya.raman@acme-corp.example) at 2026-11-19T14:02:11Z: user Tom Becker (5f3c8a1b2d4e6f7a8b9c0004)",
		Fingerprint: model.Fingerprint("ATL-LOG-001", "ev-1001")}
	if got != want {
		t.Errorf("ATL-LOG-001's event:\n got %+v\nwant %+v", got, want)
	}
}

// TestSinceLastRunOutcomes: a signal not evaluated keeps its policy's
// reason, a suppressed one says so, one whose policy is not selected says
// that, and a snapshot that read no window has no section.
func TestSinceLastRunOutcomes(t *testing.T) {
	engine, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := exceptionsConfig(t, []config.Exception{{Policy: "ATL-LOG-002", Resource: "ev-1003", Reason: "planned rotation",
		Owner: "secops@acme.example", Expires: "2027-01-31"}})
	doc := acmeWith(t, func(d map[string]any) {
		a := d["audit_log"].(map[string]any)
		sig := a["signals"].([]any)[2].(map[string]any) // app_installed
		sig["actions"], sig["complete"], sig["note"] = []any{}, false, "the org's event-actions list has no action that carries it"
		var kept []any
		for _, e := range a["items"].([]any) {
			if e.(map[string]any)["signal"] != "app_installed" {
				kept = append(kept, e)
			}
		}
		a["items"] = kept
	})
	run, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg,
		Options: Options{Policies: PolicyFilter{Exclude: []string{"ATL-LOG-004"}}}})
	if err != nil {
		t.Fatal(err)
	}
	byPolicy := map[string]model.AuditSignal{}
	for _, s := range run.SinceLastRun.Signals {
		byPolicy[s.PolicyID] = s
	}
	for _, tt := range []struct {
		policy string
		status model.Status
		reason string
		events int
	}{
		{"ATL-LOG-001", model.StatusFail, "", 1},
		{"ATL-LOG-002", model.StatusSuppressed, "", 1},
		{"ATL-LOG-003", model.StatusNotEvaluated, "audit log: the org's event-actions list has no action that carries it", 0},
		{"ATL-LOG-004", model.SignalNotSelected, "its policy is not selected in this run (--policy, --skip-policy)", 0},
	} {
		s := byPolicy[tt.policy]
		if s.Status != tt.status || s.Reason != tt.reason || len(s.Events) != tt.events {
			t.Errorf("%s: %s %q with %d event(s), want %s %q with %d", tt.policy, s.Status, s.Reason, len(s.Events), tt.status, tt.reason, tt.events)
		}
	}
	if e := byPolicy["ATL-LOG-002"].Events; len(e) != 1 || !e[0].Suppressed {
		t.Errorf("ATL-LOG-002's event %+v, want it marked suppressed", e)
	}
	onlyKeys, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg,
		Options: Options{Policies: PolicyFilter{Include: []string{"ATL-KEY-*"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if onlyKeys.SinceLastRun != nil {
		t.Errorf("no signal's policy selected, got a section %+v", onlyKeys.SinceLastRun)
	}
	none := evaluateWith(t, acmeWith(t, func(d map[string]any) {
		d["audit_log"] = map[string]any{"source": "none", "collected": false, "signals": []any{}, "items": []any{},
			"window": map[string]any{}, "error": map[string]any{"message": "the audit log was not read (--no-audit-log)"}}
	}), []config.Exception{})
	if none.SinceLastRun != nil {
		t.Errorf("no window read, got a section %+v", none.SinceLastRun)
	}
}
