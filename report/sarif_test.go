package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
)

// decodeSARIF renders run as SARIF and decodes it back into our structs.
func decodeSARIF(t *testing.T, run *model.Run) sarifLog {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal(render(t, "sarif", run), &log); err != nil {
		t.Fatalf("decode sarif: %v", err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(log.Runs))
	}
	return log
}

func TestSARIFInvariants(t *testing.T) {
	run := fixtureRun()
	r := decodeSARIF(t, run).Runs[0]
	rules := r.Tool.Driver.Rules
	if len(rules) != len(run.Policies) {
		t.Fatalf("got %d rules, want one per policy (%d)", len(rules), len(run.Policies))
	}
	for i, p := range run.Policies {
		if rules[i].ID != p.Policy.ID || !slices.Contains(rules[i].Properties.Tags, "security") {
			t.Errorf("rule %d: got id %q tags %v, want %q with tag security", i, rules[i].ID, rules[i].Properties.Tags, p.Policy.ID)
		}
	}
	if len(r.Results) != len(run.Findings) {
		t.Fatalf("got %d results, want %d", len(r.Results), len(run.Findings))
	}
	seen := map[string]bool{}
	for i, res := range r.Results {
		checkSARIFResult(t, i, res, rules, run.Findings[i], run.Snapshot.Path)
		fp := res.PartialFingerprints["primaryLocationLineHash"]
		if fp == "" || seen[fp] {
			t.Errorf("result %d: fingerprint %q empty or repeated", i, fp)
		}
		seen[fp] = true
	}
	if r.AutomationDetails.ID != "atlcheck/org-0001/" || r.Invocations[0].ExitCode != 1 || !r.Invocations[0].ExecutionSuccessful {
		t.Errorf("got automation %q invocation %+v", r.AutomationDetails.ID, r.Invocations[0])
	}
}

// checkSARIFResult checks one result against its finding and the rules.
func checkSARIFResult(t *testing.T, i int, res sarifResult, rules []sarifRule, f model.Finding, uri string) {
	t.Helper()
	if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
		t.Errorf("result %d: ruleIndex %d does not point at rule %s", i, res.RuleIndex, res.RuleID)
	}
	if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.Region.StartLine < 1 ||
		res.Locations[0].PhysicalLocation.ArtifactLocation.URI != uri {
		t.Errorf("result %d: got locations %+v, want one in %s with line >= 1", i, res.Locations, uri)
	}
	if got, want := len(res.Suppressions) > 0, f.Suppressed; got != want {
		t.Errorf("result %d: suppressed %v, want %v", i, got, want)
	}
	if res.Message.Text != f.Message || res.Properties.Resource != f.Resource || res.Level != sarifLevel(f.Severity) {
		t.Errorf("result %d: got %s %q on %q, want %s %q on %q", i, res.Level, res.Message.Text,
			res.Properties.Resource, sarifLevel(f.Severity), f.Message, f.Resource)
	}
}

func TestSARIFSuppression(t *testing.T) {
	r := decodeSARIF(t, fixtureRun()).Runs[0]
	var s []sarifSuppression
	for _, res := range r.Results {
		if len(res.Suppressions) > 0 {
			s = res.Suppressions
		}
	}
	if len(s) != 1 || s[0].Kind != "external" || s[0].Status != "accepted" ||
		!strings.Contains(s[0].Justification, "Legacy CI key") || !strings.Contains(s[0].Justification, "secops@example.com") ||
		!strings.Contains(s[0].Justification, "2026-03-31") {
		t.Errorf("got suppressions %+v, want one accepted external with reason, owner and expiry", s)
	}
}

func TestSARIFLevels(t *testing.T) {
	tests := []struct {
		sev          model.Severity
		level, score string
	}{
		{model.SeverityCritical, "error", "9.5"},
		{model.SeverityHigh, "error", "8.0"},
		{model.SeverityMedium, "warning", "5.5"},
		{model.SeverityLow, "note", "3.0"},
		{model.SeverityInfo, "note", ""},
	}
	for _, tt := range tests {
		if got := sarifLevel(tt.sev); got != tt.level {
			t.Errorf("sarifLevel(%s) = %q, want %q", tt.sev, got, tt.level)
		}
		if got := securitySeverity(tt.sev); got != tt.score {
			t.Errorf("securitySeverity(%s) = %q, want %q", tt.sev, got, tt.score)
		}
	}
}

func TestSARIFPositionsAndPlaceholder(t *testing.T) {
	run := fixtureRun()
	run.Snapshot.Path = ""
	run.Findings[0].Line, run.Findings[0].Column = 0, 0
	r := decodeSARIF(t, run).Runs[0]
	if got := r.Artifacts[0].Location.URI; got != placeholderSnapshotURI {
		t.Errorf("artifact uri = %q, want placeholder %q", got, placeholderSnapshotURI)
	}
	loc := r.Results[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != placeholderSnapshotURI || loc.Region.StartLine != 1 || loc.Region.StartColumn != 0 {
		t.Errorf("got %+v, want placeholder uri, line 1 and no column", loc)
	}
}

func TestSARIFUnknownPolicyGetsRule(t *testing.T) {
	run := fixtureRun()
	run.Policies = nil
	r := decodeSARIF(t, run).Runs[0]
	for i, res := range r.Results {
		if rule := r.Tool.Driver.Rules[res.RuleIndex]; rule.ID != res.RuleID || rule.ShortDescription.Text == "" {
			t.Errorf("result %d: got rule %+v for %s", i, rule, res.RuleID)
		}
	}
}

func TestSARIFURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "snapshot.json"},
		{"scans/acme.json", "scans/acme.json"},
		{"./scans/../acme snapshot.json", "acme%20snapshot.json"},
		{`scans\acme.json`, "scans/acme.json"},
		{"a:b.json", "a%3Ab.json"},
		{"a#b?c%.json", "a%23b%3Fc%25.json"},
		{"données/é.json", "donn%C3%A9es/%C3%A9.json"},
		{"/tmp/acme.json", "file:///tmp/acme.json"},
		{`C:\scans\acme.json`, "file:///C:/scans/acme.json"},
	}
	for _, tt := range tests {
		if got := sarifURI(tt.in); got != tt.want {
			t.Errorf("sarifURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSemanticVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.4.0", "1.4.0"},
		{"v1.4.0", "1.4.0"},
		{"1.4.0-rc.1+abc", "1.4.0-rc.1+abc"},
		{"dev", ""},
		{"1.4", ""},
		{"01.4.0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := semanticVersion(tt.in); got != tt.want {
			t.Errorf("semanticVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPascalName(t *testing.T) {
	tests := []struct{ title, id, want string }{
		{"Admin API keys must have scopes", "ATL-KEY-001", "AdminApiKeysMustHaveScopes"},
		{"Custom: no «dev» sites ✨", "X-1", "CustomNoDevSites"},
		{"2FA for admins", "ATL-ACC-005", "Rule2faForAdmins"},
		{"", "ATL-X-1", "AtlX1"},
		{"…", "…", ""},
	}
	for _, tt := range tests {
		if got := pascalName(tt.title, tt.id); got != tt.want {
			t.Errorf("pascalName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}
