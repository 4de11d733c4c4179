package main

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// demoOutcome runs the demo and returns its JSON report's findings (policy
// id → resources) and policy results (id → status and reason).
func demoOutcome(t *testing.T) (map[string][]string, map[string][2]string) {
	t.Helper()
	return outcome(t, "demo", "--quiet")
}

// outcome runs an evaluating command (its JSON report, no gate) and returns
// the report's findings and policy results as demoOutcome does.
func outcome(t *testing.T, args ...string) (map[string][]string, map[string][2]string) {
	t.Helper()
	stdout, stderr, code := cli(t, append(args, "--format", "json", "--fail-on", "none")...)
	if code != 0 {
		t.Fatalf("%s: exit %d, %s", args[0], code, stderr)
	}
	var rep struct {
		Findings []struct {
			PolicyID string `json:"policy_id"`
			Resource string `json:"resource"`
		} `json:"findings"`
		Policies []struct {
			ID, Status, Reason string
		} `json:"policies"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	for _, f := range rep.Findings {
		found[f.PolicyID] = append(found[f.PolicyID], f.Resource)
	}
	for id := range found {
		slices.Sort(found[id])
	}
	status := map[string][2]string{}
	for _, p := range rep.Policies {
		status[p.ID] = [2]string{p.Status, p.Reason}
	}
	return found, status
}

// TestDemoPlantsTheNonHumanPolicies: in the demo org each service-account
// and OAuth client policy fires on what was planted, and only there (the
// clean, revoked, expired and out-of-use items give nothing), and the
// service account whose token list came back empty is named as "none
// reported", not as having no token.
func TestDemoPlantsTheNonHumanPolicies(t *testing.T) {
	found, status := demoOutcome(t)
	want := map[string][]string{
		"ATL-SVC-001": {"sa-02", "sa-03"}, // creator deactivated; creator not an org admin (sa-05 is inactive)
		"ATL-SVC-002": {"sa-03"},          // sa-05 has none either, but is inactive
		"ATL-SVC-003": {"sat-04", "sat-05"},
		"ATL-OAC-001": {"oc-7f3a9b1c2d4e"}, // the retired client is inactive
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(found[id], want[id]) {
			t.Errorf("%s: got %v, want %v", id, found[id], want[id])
		}
		if status[id][0] != "fail" {
			t.Errorf("%s: status %s, want fail", id, status[id][0])
		}
	}
	if reason := status["ATL-SVC-003"][1]; !strings.Contains(reason, "No API token reported by the API for service account backup-sync (sa-04); an empty list is not proof of none") {
		t.Errorf("ATL-SVC-003 reason %q, want it to name the empty list", reason)
	}
}

// TestDemoPlantsTheAuditLogSignals: the demo reads its audit log since its
// previous run (the day its snapshot records) and each signal's policy fires
// on the event planted for it, with actor, time and target, and not on the
// site-admin grant or a member's own token use.
func TestDemoPlantsTheAuditLogSignals(t *testing.T) {
	found, status := demoOutcome(t)
	want := map[string][]string{
		"ATL-LOG-001": {"ev-1001"}, // ev-1002 grants site admin
		"ATL-LOG-002": {"ev-1003"},
		"ATL-LOG-003": {"ev-1004"},
		"ATL-LOG-004": {"ev-1005"},
		"ATL-LOG-005": {"ev-1006"}, // ev-1007 is Jane's own token
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(found[id], want[id]) || status[id][0] != "fail" {
			t.Errorf("%s: %s with %v, want fail with %v", id, status[id][0], found[id], want[id])
		}
	}
}
