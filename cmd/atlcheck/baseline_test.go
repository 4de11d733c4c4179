package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaselineNewUnchangedFixed: the previous report comes from the demo org;
// the org then revokes one key (a finding is fixed) and approves a new public
// domain (a finding is new). --fail-on-new-only gates on the new one only.
func TestBaselineNewUnchangedFixed(t *testing.T) {
	dir := t.TempDir()
	previous := filepath.Join(dir, "previous.json")
	if _, stderr, code := cli(t, "check", "--snapshot", acmeSnapshot, "--format", "json", "--output", previous, "--fail-on", "none"); code != exitOK {
		t.Fatalf("previous run: %d %s", code, stderr)
	}
	raw, err := os.ReadFile(acmeSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	// user-provisioning-legacy (…1a02) is revoked, so no longer listed: its
	// ATL-KEY-001/002/003 findings are fixed.
	revokedOnly := edited(t, raw, func(doc map[string]any) { removeKey(doc, "user-provisioning-legacy") })
	// yahoo.com is approved too: ATL-AAS-002 is new.
	next := edited(t, raw, func(doc map[string]any) {
		removeKey(doc, "user-provisioning-legacy")
		area := doc["app_access"].(map[string]any)
		area["items"] = append(area["items"].([]any), map[string]any{
			"domain": "yahoo.com", "enabled": true, "admin_notifications": true, "products": []any{}})
	})
	if strings.Contains(revokedOnly, "user-provisioning-legacy") || !strings.Contains(next, "yahoo.com") {
		t.Fatal("fixture edits did not apply")
	}
	current := writeFile(t, "current.json", next)

	out := filepath.Join(dir, "current-report.json")
	_, stderr, code := cli(t, "check", "--snapshot", current, "--baseline", previous, "--format", "json", "--output", out, "--fail-on", "high", "--fail-on-new-only")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 for a new high finding: %s", code, stderr)
	}
	var rep struct {
		Baseline struct{ New, Unchanged, Fixed int } `json:"baseline"`
		Findings []struct {
			PolicyID, Resource, BaselineState string
		} `json:"findings"`
		Fixed []struct {
			PolicyID string `json:"policy_id"`
			Resource string `json:"resource"`
		} `json:"fixed"`
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var fixedKeys []string
	for _, f := range rep.Fixed {
		fixedKeys = append(fixedKeys, f.PolicyID)
	}
	if got := strings.Join(fixedKeys, ","); !strings.Contains(got, "ATL-KEY-001") || !strings.Contains(got, "ATL-KEY-003") {
		t.Errorf("fixed = %s, want the revoked key's findings", got)
	}
	if rep.Baseline.New == 0 || rep.Baseline.Unchanged == 0 || rep.Baseline.Fixed != len(rep.Fixed) {
		t.Errorf("baseline counts = %+v", rep.Baseline)
	}
	// With only the revocation, every remaining finding is unchanged: the new-only gate passes.
	if _, stderr, code := cli(t, "check", "--snapshot", writeFile(t, "n.json", revokedOnly), "--baseline", previous, "--fail-on-new-only", "--output", filepath.Join(dir, "r.txt")); code != exitOK {
		t.Errorf("exit %d with no new findings and --fail-on-new-only: %s", code, stderr)
	}
}

func TestBaselineErrors(t *testing.T) {
	other := writeFile(t, "other.json", `{"tool":{"name":"atlcheck"},"org_id":"someone-else","snapshot":{},"findings":[]}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing", []string{"--baseline", "nope.json"}, "read baseline"},
		{"not json", []string{"--baseline", writeFile(t, "b.json", "{\n  \"findings\": [oops")}, "b.json:2:16: invalid JSON: invalid character 'o'"},
		{"wrong type", []string{"--baseline", writeFile(t, "b.json", `{"tool":{"name":"atlcheck"},`+"\n"+`"findings":[{"fingerprint": 3}]}`)},
			"b.json:2:29: invalid value: findings.fingerprint is a number, want a string"},
		{"not a report", []string{"--baseline", writeFile(t, "b.json", `{"runs":[]}`)}, "not an atlcheck JSON report"},
		// Another atlcheck file is named, as check names it for --snapshot.
		{"a SARIF log", []string{"--baseline", writeFile(t, "b.sarif", `{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}`)},
			"b.sarif is a SARIF log (a report atlcheck writes for code scanning), not an atlcheck JSON report: give the JSON report of an earlier run"},
		{"a snapshot", []string{"--baseline", acmeSnapshot}, " is a snapshot, not an atlcheck JSON report"},
		{"other org", []string{"--baseline", other}, "is a report on org someone-else"},
		{"filtered report", []string{"--baseline", writeFile(t, "f.json", `{"tool":{"name":"atlcheck"},"org_id":"6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b","snapshot":{},"findings":[],"filters":["--min-severity high: 22 finding(s) below high not shown"]}`)},
			"is a filtered report (--min-severity high: 22 finding(s) below high not shown); write the baseline without --policy, --skip-policy and --min-severity"},
		{"new-only without baseline", []string{"--fail-on-new-only"}, "--fail-on-new-only needs --baseline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.json")
			args := append([]string{"check", "--snapshot", acmeSnapshot, "--output", out}, tt.args...)
			_, stderr, code := cli(t, args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", code, stderr, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("report written despite the error")
			}
		})
	}
}

// edited returns the snapshot changed by edit.
func edited(t *testing.T, raw []byte, edit func(doc map[string]any)) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// removeKey drops the admin API key with that label.
func removeKey(doc map[string]any, label string) {
	area := doc["api_keys"].(map[string]any)
	var keep []any
	for _, k := range area["items"].([]any) {
		if k.(map[string]any)["label"] != label {
			keep = append(keep, k)
		}
	}
	area["items"] = keep
}
