package report

import (
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/model"
)

// hostileResource tries to break tables, inject HTML and split lines.
const hostileResource = "evil|`name`<script>alert(1)</script>\nnext line"

// fixtureRun is a run with policies of every status, findings of every
// severity, a suppressed finding, a hostile resource and Unicode.
func fixtureRun() *model.Run {
	return &model.Run{
		Tool:    model.Tool{Name: "atlcheck", Version: "1.4.0", Commit: "abc1234", PolicyDigest: "sha256:feed"},
		OrgID:   "org-0001",
		OrgName: "Acme | Corp <HQ>",
		Snapshot: model.SnapshotRef{Path: "scans/acme.snapshot.json", SHA256: strings.Repeat("ab", 32),
			CollectedAt: time.Date(2025, 5, 1, 10, 30, 0, 0, time.UTC)},
		Parameters: map[string]any{
			"admins":   map[string]any{"min": 2, "max": 5},
			"api_keys": map[string]any{"max_lifetime_days": 90},
			"apps":     map[string]any{"allowed": []any{}},
		},
		Summary:  model.Summary{Critical: 1, High: 3, Low: 1, Info: 1, Suppressed: 1, NotEvaluated: 1},
		Policies: fixturePolicies(),
		Findings: fixtureFindings(),
		Gate:     model.Gate{FailOn: model.SeverityHigh, Failed: true, Count: 4},
		ExitCode: 1,
		UnusedExceptions: []model.ExceptionRef{{Policy: "ATL-KEY-001", Resource: "key-*|old",
			Owner: "ops@example.com", Expires: "2026-12-31", Line: 14}},
		Areas: fixtureAreaStatus(),
		Attestations: []model.AttestationRef{{Area: "connected_apps.settings", AttestedBy: "jane <admin>@acme.example",
			AttestedAt: time.Date(2025, 4, 28, 0, 0, 0, 0, time.UTC)}},
	}
}

// fixtureAreas maps a fixture policy's id part to the area it requires.
var fixtureAreas = map[string]string{
	"aas": "app_access", "acc": "managed_accounts", "app": "connected_apps.installed",
	"dom": "verified_domains", "ext": "external_users", "key": "api_keys", "tok": "api_tokens",
}

// fixtureAreaStatus has every area collected but external_users, which has
// no source (ATL-EXT-001 is not evaluated); sorted by name.
func fixtureAreaStatus() []model.AreaResult {
	var out []model.AreaResult
	for _, name := range []string{"api_keys", "api_tokens", "app_access", "connected_apps.installed",
		"connected_apps.settings", "external_users", "managed_accounts", "sites", "verified_domains"} {
		a := model.AreaResult{Name: name, Collected: true}
		if name == "external_users" {
			a = model.AreaResult{Name: name, Reason: "has no data source: no attestation file"}
		}
		out = append(out, a)
	}
	return out
}

// fixturePolicies has a custom policy without metadata and built-ins of
// every status, sorted by id.
func fixturePolicies() []model.PolicyResult {
	pol := func(id, title string, sev model.Severity, status model.Status, reason string, n int) model.PolicyResult {
		area := strings.ToLower(id[4:7])
		return model.PolicyResult{Policy: model.Policy{
			ID: id, Title: title, Severity: sev, Package: "atlassian." + area, Requires: []string{fixtureAreas[area]},
			Description: title + " (description).", Remediation: "Fix " + id + ".",
			References: []string{"https://support.atlassian.com/" + strings.ToLower(id)},
			Tags:       []string{"atlassian", area}, Builtin: true,
		}, Status: status, Reason: reason, Findings: n}
	}
	return []model.PolicyResult{
		{Policy: model.Policy{ID: "ACME-001", Title: "Custom: no «dev» sites ✨",
			Severity: model.SeverityLow, Package: "acme.sites"}, Status: model.StatusPass},
		pol("ATL-AAS-002", "Public email domains must not get product access", model.SeverityHigh, model.StatusFail, "", 1),
		pol("ATL-ACC-001", "At least two org admins", model.SeverityCritical, model.StatusFail, "", 1),
		pol("ATL-APP-004", "Installed apps must be on the allow-list", model.SeverityMedium, model.StatusPass,
			"no allow-list configured", 0),
		pol("ATL-DOM-001", "Domains must be verified", model.SeverityLow, model.StatusFail, "", 1),
		pol("ATL-EXT-001", "External users need a policy", model.SeverityHigh, model.StatusNotEvaluated,
			"external_users: no source (attestation has no external_users block)", 0),
		pol("ATL-KEY-001", "Admin API keys must have scopes", model.SeverityHigh, model.StatusFail, "", 2),
		pol("ATL-KEY-002", "API keys must expire", model.SeverityMedium, model.StatusSuppressed, "", 1),
		pol("ATL-TOK-001", "User API tokens inventory", model.SeverityInfo, model.StatusFail, "", 1),
	}
}

// fixtureFindings are sorted by severity, policy id and resource; one is
// suppressed, two carry a baseline state.
func fixtureFindings() []model.Finding {
	find := func(id, title string, sev model.Severity, resource, msg string, line, col int) model.Finding {
		return model.Finding{PolicyID: id, Severity: sev, Title: title, Resource: resource, Message: msg,
			Remediation: "Fix " + id + ".", Path: "/x/" + id, Line: line, Column: col,
			Fingerprint: model.Fingerprint(id, resource)}
	}
	suppressed := find("ATL-KEY-002", "API keys must expire", model.SeverityMedium, "key-legacy",
		"API key key-legacy never expires", 40, 9)
	suppressed.Suppressed = true
	suppressed.Suppression = &model.Suppression{Reason: "Legacy CI key, migration planned",
		Owner: "secops@example.com", Ticket: "SEC-42", Expires: "2026-03-31"}
	findings := []model.Finding{
		find("ATL-ACC-001", "At least two org admins", model.SeverityCritical, "org-0001", "Only 1 org admin", 1, 1),
		find("ATL-AAS-002", "Public email domains must not get product access", model.SeverityHigh,
			"gmail.com", "gmail.com can request access to Jira", 12, 7),
		find("ATL-KEY-001", "Admin API keys must have scopes", model.SeverityHigh,
			"clé-🔑-ключ", "API key clé-🔑-ключ has no scopes", 30, 11),
		find("ATL-KEY-001", "Admin API keys must have scopes", model.SeverityHigh,
			"key-0001", "API key key-0001 has no scopes", 22, 11),
		suppressed,
		find("ATL-DOM-001", "Domains must be verified", model.SeverityLow, hostileResource,
			"Domain "+hostileResource+" is not verified: 100% unverified, a:b", 5, 3),
		find("ATL-TOK-001", "User API tokens inventory", model.SeverityInfo, "token-9", "Token token-9 exists", 60, 5),
	}
	findings[1].BaselineState = "unchanged"
	findings[2].BaselineState = "new"
	return findings
}

// emptyRun is a clean run: every policy passes, nothing to report, no
// snapshot file, no parameters.
func emptyRun() *model.Run {
	return &model.Run{
		Tool:  model.Tool{Name: "atlcheck", Version: "dev"},
		OrgID: "org-empty", OrgName: "Empty Org",
		Policies: []model.PolicyResult{{Policy: model.Policy{ID: "ATL-KEY-001",
			Title: "Admin API keys must have scopes", Severity: model.SeverityHigh}, Status: model.StatusPass}},
		Gate: model.Gate{FailOn: model.SeverityHigh},
	}
}

// edgeRun is the fixture with an awkward snapshot path, a finding without a
// position, one without a policy and a non-semver version.
func edgeRun() *model.Run {
	run := fixtureRun()
	run.Tool.Version = "2.0.0-rc.1+g1234"
	run.Snapshot.Path = `scans\acme snapshot #1:ü.json`
	run.Findings[0].Line, run.Findings[0].Column = 0, 0
	run.Policies = run.Policies[1:]
	run.Findings[0].PolicyID = "ATL-GONE-001"
	return run
}
