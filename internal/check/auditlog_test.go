package check

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/auditlog"
	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/policies"
)

// auditDoc is the demo snapshot with one event per signal, each planted to
// fail its policy (the token use by the deactivated Olivia Grant), and the
// signals edited by edit.
func auditDoc(t *testing.T, edit func(signals []map[string]any)) map[string]any {
	t.Helper()
	var signals []map[string]any
	var events []any
	for _, s := range auditlog.Signals {
		action := s.ID + "-action"
		signals = append(signals, map[string]any{"id": s.ID, "complete": true,
			"actions": []any{map[string]any{"id": action, "display_name": s.Names[0]}}})
		actor := map[string]any{"id": "5f3c8a1b2d4e6f7a8b9c0001", "name": "Jane Admin"}
		if s.ID == "api_token_used" {
			actor = map[string]any{"id": "5f3c8a1b2d4e6f7a8b9c0007", "auth_type": "api-token", "token_id": "tok-1"}
		}
		events = append(events, map[string]any{"id": "ev-" + s.ID, "signal": s.ID, "action": action, "action_name": s.Names[0],
			"time": "2026-11-19T12:00:00Z", "actor": actor, "targets": []any{map[string]any{"id": "x", "type": "user"}}})
	}
	if edit != nil {
		edit(signals)
	}
	return map[string]any{"signals": signals, "items": events}
}

// runAudit evaluates the demo snapshot with the audit log of auditDoc.
func runAudit(t *testing.T, failOn model.Severity, edit func(signals []map[string]any)) *model.Run {
	t.Helper()
	audit := auditDoc(t, edit)
	doc := acmeWith(t, func(d map[string]any) {
		a := d["audit_log"].(map[string]any)
		a["signals"], a["items"] = audit["signals"], audit["items"]
	})
	engine, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Default(policies.DefaultParametersJSON())
	if err != nil {
		t.Fatal(err)
	}
	run, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg, Options: Options{FailOn: failOn}})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func policyResult(run *model.Run, id string) model.PolicyResult {
	for _, p := range run.Policies {
		if p.Policy.ID == id {
			return p
		}
	}
	return model.PolicyResult{}
}

// TestAuditSignalsArePinnedToTheirPolicies: the signal table
// (internal/auditlog) and the policies agree: each signal's event is
// reported by the signal's policy and by no other audit-log policy, and
// every audit-log policy is a signal's.
func TestAuditSignalsArePinnedToTheirPolicies(t *testing.T) {
	run := runAudit(t, model.SeverityUnknown, nil)
	reported := map[string][]string{}
	for _, f := range run.Findings {
		if strings.HasPrefix(f.PolicyID, "ATL-LOG-") {
			reported[f.Resource] = append(reported[f.Resource], f.PolicyID)
		}
	}
	policiesOfSignals := map[string]bool{}
	for _, s := range auditlog.Signals {
		policiesOfSignals[s.PolicyID] = true
		if got := reported["ev-"+s.ID]; len(got) != 1 || got[0] != s.PolicyID {
			t.Errorf("event of %s reported by %v, want %s alone", s.ID, got, s.PolicyID)
		}
	}
	for _, p := range run.Policies {
		if strings.HasPrefix(p.Policy.ID, "ATL-LOG-") && !policiesOfSignals[p.Policy.ID] {
			t.Errorf("policy %s is no signal's", p.Policy.ID)
		}
	}
}

// TestAuditSignalsNotEvaluated: a signal the org's event-actions list has no
// action for is not evaluated with the names looked for (no source: the gate
// does not count it); one read in part is not evaluated and counts for the
// gate at its severity, unless what was read already fails it.
func TestAuditSignalsNotEvaluated(t *testing.T) {
	for _, s := range auditlog.Signals {
		t.Run(s.ID, func(t *testing.T) {
			unmapped := runAudit(t, model.SeverityHigh, func(signals []map[string]any) {
				for _, sig := range signals {
					if sig["id"] == s.ID {
						sig["actions"], sig["complete"] = []any{}, false
						sig["note"] = fmt.Sprintf("the org's event-actions list has no action that carries it (looked for %q)", s.Names[0])
					}
				}
			})
			// The event stays in the snapshot here; a real collection has none for an unmapped signal.
			if pr := policyResult(unmapped, s.PolicyID); pr.Status != model.StatusFail {
				t.Errorf("unmapped with an event read: %s %s, want fail (what was read stands)", pr.Status, pr.Reason)
			}
		})
	}
	// Without its event: not evaluated, for both reasons.
	for _, tt := range []struct {
		name       string
		actions    []any
		areaFailed bool
		reason     string
	}{
		{"no action", []any{}, false, "audit log: the org's event-actions list has no action that carries it"},
		{"read in part", []any{map[string]any{"id": "a"}}, true, "audit log: read only in part: the page cap (audit_log.max_pages = 20) was reached"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			audit := auditDoc(t, nil)
			var events []any
			for _, e := range audit["items"].([]any) {
				if e.(map[string]any)["signal"] != "org_admin_granted" {
					events = append(events, e)
				}
			}
			doc := acmeWith(t, func(d map[string]any) {
				a := d["audit_log"].(map[string]any)
				signals := audit["signals"].([]map[string]any)
				signals[0]["actions"], signals[0]["complete"] = tt.actions, false
				signals[0]["note"] = strings.TrimPrefix(tt.reason, "audit log: ")
				a["signals"], a["items"] = signals, events
			})
			engine, _ := policies.New(context.Background(), policies.Options{})
			cfg, _ := config.Default(policies.DefaultParametersJSON())
			run, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg, Options: Options{FailOn: model.SeverityHigh}})
			if err != nil {
				t.Fatal(err)
			}
			pr := policyResult(run, "ATL-LOG-001")
			if pr.Status != model.StatusNotEvaluated || pr.Reason != tt.reason || pr.AreaFailed != tt.areaFailed {
				t.Errorf("ATL-LOG-001: %s %q area_failed %v, want not evaluated %q area_failed %v", pr.Status, pr.Reason, pr.AreaFailed, tt.reason, tt.areaFailed)
			}
			if other := policyResult(run, "ATL-LOG-002"); other.Status != model.StatusFail {
				t.Errorf("ATL-LOG-002: %s, want its own signal's event to fail it", other.Status)
			}
			wantGate := 0
			if tt.areaFailed {
				wantGate = 1 // ATL-LOG-001 is high
			}
			if run.Gate.NotEvaluated != wantGate {
				t.Errorf("gate counts %d policies not evaluated, want %d", run.Gate.NotEvaluated, wantGate)
			}
		})
	}
}

// TestAuditLogRefused: a 403 on the audit log leaves every signal's policy
// not evaluated with the API's answer and what the audit log needs.
func TestAuditLogRefused(t *testing.T) {
	doc := acmeWith(t, func(d map[string]any) {
		d["audit_log"] = map[string]any{"source": "api", "collected": false, "signals": []any{}, "items": []any{}, "window": map[string]any{},
			"error": map[string]any{"status": 403, "code": "ADMIN-403-3", "endpoint": "GET /admin/v1/orgs/{orgId}/event-actions",
				"message": "GET /admin/v1/orgs/{orgId}/event-actions: 403 ADMIN-403-3 Forbidden; reading the audit log needs the read:events:admin scope"}}
	})
	engine, _ := policies.New(context.Background(), policies.Options{})
	cfg, _ := config.Default(policies.DefaultParametersJSON())
	run, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg, Options: Options{FailOn: model.SeverityHigh}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range auditlog.Signals {
		pr := policyResult(run, s.PolicyID)
		if pr.Status != model.StatusNotEvaluated || !strings.Contains(pr.Reason, "audit_log was not collected: HTTP 403 ADMIN-403-3") ||
			!strings.Contains(pr.Reason, "read:events:admin") {
			t.Errorf("%s: %s %q, want not evaluated with the 403", s.PolicyID, pr.Status, pr.Reason)
		}
	}
}
