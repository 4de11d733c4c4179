package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck"
	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// logPolicies are the audit-log signals' policies, and the demo event each
// one fires on when its signal is read in full.
var logPolicies = map[string]string{
	"ATL-LOG-001": "ev-1001", "ATL-LOG-002": "ev-1003", "ATL-LOG-003": "ev-1004", "ATL-LOG-004": "ev-1005", "ATL-LOG-005": "ev-1006",
}

// TestScanAuditLogFailureModes scans the demo org through the fake admin API
// (contract Part C.7 shapes) with the audit log failing in each way it can:
// every signal that was not read in full is not evaluated with the reason,
// never a pass, and the signals that were read still fire where planted.
// Rate limits are honoured: a 429 is waited out and loses nothing.
func TestScanAuditLogFailureModes(t *testing.T) {
	all := []string{"ATL-LOG-001", "ATL-LOG-002", "ATL-LOG-003", "ATL-LOG-004", "ATL-LOG-005"}
	withoutAppActions := func(org *snapshot.Snapshot) {
		for i := range org.AuditLog.Signals {
			if org.AuditLog.Signals[i].ID == "app_installed" {
				org.AuditLog.Signals[i].Actions = nil
			}
		}
	}
	for _, tt := range []struct {
		name   string
		org    func(*snapshot.Snapshot)
		faults []fakeapi.Fault
		config string
		// notEvaluated are the policies not evaluated, each with the parts
		// of its reason (in order, " … " between them).
		notEvaluated map[string]string
	}{
		{name: "a signal whose actions the org does not list", org: withoutAppActions,
			notEvaluated: map[string]string{"ATL-LOG-003": `the org's event-actions list has no action that carries it (looked for the display names "App successful installation"`}},
		{name: "event-actions 403 for a scope", faults: []fakeapi.Fault{{Route: "audit_log.actions", Kind: fakeapi.Forbidden}},
			notEvaluated: reasons(all, "audit_log was not collected: HTTP 403 … read:events:admin")},
		{name: "event-actions 403 for the plan", faults: []fakeapi.Fault{{Route: "audit_log.actions", Kind: fakeapi.NotOnPlan}},
			notEvaluated: reasons(all, "not available on this plan")},
		{name: "event-actions 404", faults: []fakeapi.Fault{{Route: "audit_log.actions", Kind: fakeapi.NotFound}},
			notEvaluated: reasons(all, "audit_log was not collected: HTTP 404")},
		{name: "event-actions malformed", faults: []fakeapi.Fault{{Route: "audit_log.actions", Kind: fakeapi.Malformed}},
			notEvaluated: reasons(all, "audit_log was not collected")},
		{name: "event-actions truncated", faults: []fakeapi.Fault{{Route: "audit_log.actions", Kind: fakeapi.Truncated}},
			notEvaluated: reasons(all, "audit_log was not collected")},
		{name: "one action's events 403 for a scope", faults: []fakeapi.Fault{{Route: "audit_log", Kind: fakeapi.Forbidden, Contains: "action=org_admin_role_granted"}},
			notEvaluated: map[string]string{"ATL-LOG-001": "its events could not be read: GET /admin/v1/orgs/{orgId}/events: 403 ADMIN-403-3 Forbidden … the read:events:admin scope"}},
		{name: "one action's events 403 for the plan", faults: []fakeapi.Fault{{Route: "audit_log", Kind: fakeapi.NotOnPlan, Contains: "action=policy_disabled"}},
			notEvaluated: map[string]string{"ATL-LOG-004": "its events could not be read: not available on this plan"}},
		{name: "one action's events 404", faults: []fakeapi.Fault{{Route: "audit_log", Kind: fakeapi.NotFound, Contains: "action=api_key_created"}},
			notEvaluated: map[string]string{"ATL-LOG-002": "its events could not be read: GET /admin/v1/orgs/{orgId}/events: 404"}},
		{name: "one action's events malformed", faults: []fakeapi.Fault{{Route: "audit_log", Kind: fakeapi.Malformed, Contains: "action=ecosystem_app_installed"}},
			notEvaluated: map[string]string{"ATL-LOG-003": "its events could not be read"}},
		{name: "one action's events truncated", faults: []fakeapi.Fault{{Route: "audit_log", Kind: fakeapi.Truncated, Contains: "action=api_token_used"}},
			notEvaluated: map[string]string{"ATL-LOG-005": "its events could not be read"}},
		{name: "the page cap", config: "parameters:\n  audit_log:\n    max_pages: 1\n",
			notEvaluated: map[string]string{"ATL-LOG-002": "the page cap (audit_log.max_pages = 1) was reached", "ATL-LOG-003": "page cap",
				"ATL-LOG-004": "page cap", "ATL-LOG-005": "page cap"}},
		{name: "a 429 is waited out", faults: []fakeapi.Fault{{Route: "audit_log", Kind: fakeapi.RateLimit, Times: 1, RetryAfter: time.Second}}},
		{name: "a 429 on event-actions is waited out", faults: []fakeapi.Fault{{Route: "audit_log.actions", Kind: fakeapi.RateLimitReset, Times: 1, RetryAfter: time.Second}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var org snapshot.Snapshot
			if err := json.Unmarshal(atlcheck.DemoSnapshot, &org); err != nil {
				t.Fatal(err)
			}
			// scan reads the days before its clock (its default window):
			// the demo's events move to the same hours before it.
			shift := clock().UTC().Truncate(time.Second).Sub(*org.AuditLog.Window.To)
			for i := range org.AuditLog.Items {
				org.AuditLog.Items[i].Time = org.AuditLog.Items[i].Time.Add(shift)
			}
			if tt.org != nil {
				tt.org(&org)
			}
			srv := fakeapi.New(&org, fakeapi.Options{APIKey: secretKey, Faults: tt.faults, PageSize: 5, EventsRateLimit: roomyEvents, Now: clock})
			t.Cleanup(srv.Close)
			t.Setenv(envAPIKey, secretKey)
			dir := t.TempDir()
			out := filepath.Join(dir, "r.json")
			args := []string{"scan", "--api-url", srv.URL(), "--format", "json", "--output", out, "--quiet", "--fail-on", "none"}
			if tt.config != "" {
				args = append(args, "--config", writeFile(t, "atlcheck.yaml", tt.config))
			}
			if _, stderr, code := cli(t, args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, f := range tt.faults {
				if f.Kind != fakeapi.RateLimit && f.Kind != fakeapi.RateLimitReset {
					continue
				}
				var statuses []int
				for _, r := range srv.Requests() {
					if r.Route == f.Route {
						statuses = append(statuses, r.Status)
					}
				}
				if len(statuses) < 2 || statuses[0] != 429 || slices.Contains(statuses[1:], 429) {
					t.Errorf("%s answered %v, want one 429 and the request again", f.Route, statuses)
				}
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var rep struct {
				Policies []struct{ ID, Status, Reason string } `json:"policies"`
				Findings []struct {
					PolicyID string `json:"policy_id"`
					Resource string `json:"resource"`
				} `json:"findings"`
				Since *struct {
					Signals []struct {
						PolicyID string `json:"policy_id"`
						Status   string `json:"status"`
					} `json:"signals"`
				} `json:"since_last_run"`
			}
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			fired := map[string]bool{}
			for _, f := range rep.Findings {
				fired[f.PolicyID+" "+f.Resource] = true
			}
			for _, p := range rep.Policies {
				event, isLog := logPolicies[p.ID]
				if !isLog {
					continue
				}
				if want, ne := tt.notEvaluated[p.ID]; ne {
					if p.Status != "not_evaluated" || !containsInOrder(p.Reason, strings.Split(want, " … ")) {
						t.Errorf("%s: %s %q, want not_evaluated with %q", p.ID, p.Status, p.Reason, want)
					}
					continue
				}
				if p.Status != "fail" || !fired[p.ID+" "+event] {
					t.Errorf("%s: %s %q, want it to fire on %s", p.ID, p.Status, p.Reason, event)
				}
			}
			if rep.Since == nil || len(rep.Since.Signals) != len(all) {
				t.Fatalf("since_last_run %+v, want the window with every signal", rep.Since)
			}
			for _, s := range rep.Since.Signals {
				if _, ne := tt.notEvaluated[s.PolicyID]; ne != (s.Status == "not_evaluated") || s.Status == "pass" {
					t.Errorf("since_last_run: %s is %s", s.PolicyID, s.Status)
				}
			}
		})
	}
}

// reasons gives each policy the same expected part of its reason.
func reasons(ids []string, reason string) map[string]string {
	out := map[string]string{}
	for _, id := range ids {
		out[id] = reason
	}
	return out
}

// containsInOrder reports whether s holds every part, in that order.
func containsInOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}
