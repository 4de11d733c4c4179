package check

import (
	"context"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
)

func runMinimal(t *testing.T, mutate func(string) string, failOn model.Severity) *model.Run {
	t.Helper()
	ctx := context.Background()
	doc, err := snapshot.Load("../snapshot/testdata/minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		if doc, err = snapshot.Parse("minimal.json", []byte(mutate(string(doc.Raw)))); err != nil {
			t.Fatal(err)
		}
	}
	engine, cfg := builtinPolicies(t)
	run, err := Evaluate(ctx, Input{Doc: doc, Engine: engine, Config: cfg, Options: Options{SnapshotPath: "minimal.json", FailOn: failOn}})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// builtinPolicies compiles the built-in policies and reads the default config.
func builtinPolicies(t *testing.T) (*policies.Engine, *config.Config) {
	t.Helper()
	return builtinPoliciesWith(t, "")
}

// builtinPoliciesWith compiles the built-in policies and reads a config
// file's text ("" for the defaults).
func builtinPoliciesWith(t *testing.T, configYAML string) (*policies.Engine, *config.Config) {
	t.Helper()
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Default(policies.DefaultParametersJSON())
	if configYAML != "" {
		cfg, err = config.Parse("test.yaml", []byte(configYAML), policies.DefaultParametersJSON())
	}
	if err != nil {
		t.Fatal(err)
	}
	return engine, cfg
}

func statusOf(run *model.Run, id string) model.PolicyResult {
	for _, p := range run.Policies {
		if p.Policy.ID == id {
			return p
		}
	}
	return model.PolicyResult{}
}

func TestNotEvaluatedWhenAreaMissing(t *testing.T) {
	run := runMinimal(t, nil, model.SeverityHigh)
	key := statusOf(run, "ATL-KEY-001")
	if key.Status != model.StatusNotEvaluated || !strings.Contains(key.Reason, "api_keys was not collected: HTTP 403 ADMIN-UAM-403-1: Forbidden (GET /admin/api-access/v1/orgs/{orgId}/api-keys)") {
		t.Errorf("ATL-KEY-001 = %+v, want not_evaluated naming the 403", key)
	}
	ext := statusOf(run, "ATL-EXT-001")
	if ext.Status != model.StatusNotEvaluated || !strings.Contains(ext.Reason, "has no data source") {
		t.Errorf("ATL-EXT-001 = %+v, want not_evaluated for lack of a source", ext)
	}
	if aas := statusOf(run, "ATL-AAS-001"); aas.Status != model.StatusPass {
		t.Errorf("ATL-AAS-001 = %+v, want pass on an org with no approved domains", aas)
	}
	if run.Summary.NotEvaluated == 0 {
		t.Errorf("summary.not_evaluated = 0")
	}
	for _, f := range run.Findings {
		if strings.HasPrefix(f.PolicyID, "ATL-KEY-") {
			t.Errorf("finding %+v from a policy that was not evaluated", f)
		}
	}
}

func TestFindingsLocatedSortedAndGated(t *testing.T) {
	addDomains := func(s string) string {
		return strings.Replace(s, `"app_access": {"source": "api", "collected": true, "items": []}`,
			`"app_access": {"source": "api", "collected": true, "items": [
    {"domain": "ANYONE", "enabled": true, "products": []},
    {"domain": "gmail.com", "enabled": true, "admin_notifications": true, "products": []}]}`, 1)
	}
	run := runMinimal(t, addDomains, model.SeverityCritical)
	var aas []model.Finding
	for _, f := range run.Findings {
		if strings.HasPrefix(f.PolicyID, "ATL-AAS-") {
			aas = append(aas, f)
		}
	}
	if len(aas) < 2 || aas[0].PolicyID != "ATL-AAS-001" || aas[0].Severity != model.SeverityCritical {
		t.Fatalf("AAS findings = %+v, want ATL-AAS-001 (critical) first", aas)
	}
	if aas[0].Line != 9 || aas[0].Fingerprint != model.Fingerprint("ATL-AAS-001", aas[0].Resource) {
		t.Errorf("ATL-AAS-001 at line %d fingerprint %s", aas[0].Line, aas[0].Fingerprint)
	}
	for i := 1; i < len(run.Findings); i++ {
		if run.Findings[i-1].Severity > run.Findings[i].Severity {
			t.Errorf("findings not sorted by severity at %d", i)
		}
	}
	if !run.Gate.Failed || run.Gate.Count != 1 || run.ExitCode != 1 {
		t.Errorf("gate = %+v exit %d, want failed on the one critical finding", run.Gate, run.ExitCode)
	}
	if statusOf(run, "ATL-AAS-001").Status != model.StatusFail {
		t.Errorf("ATL-AAS-001 status = %v", statusOf(run, "ATL-AAS-001").Status)
	}
}

func TestGateNone(t *testing.T) {
	run := runMinimal(t, nil, model.SeverityUnknown)
	if run.Gate.Failed || run.ExitCode != 0 {
		t.Fatalf("gate %+v with --fail-on none", run.Gate)
	}
}

// TestUnreadableItemsBlockPass: while an area holds items the collector
// could not read, no policy requiring it passes (it is not evaluated, naming
// the items), a failing one still fails, and ATL-COL-003 names each item.
func TestUnreadableItemsBlockPass(t *testing.T) {
	unreadable := func(s string) string {
		return strings.Replace(s, `"app_access": {"source": "api", "collected": true, "items": []}`,
			`"app_access": {"source": "api", "collected": true, "items": [
    {"domain": "ANYONE", "enabled": true, "products": []}],
    "unreadable": [{"id": "acme.example", "problems": [{"field": "/enabled", "reason": "want true or false, got a string \"yes\""}],
      "raw": {"domain": "acme.example", "enabled": "yes"}}]}`, 1)
	}
	run := runMinimal(t, unreadable, model.SeverityHigh)
	if p := statusOf(run, "ATL-AAS-002"); p.Status != model.StatusNotEvaluated || p.Reason != "app_access has 1 unreadable item (ATL-COL-003)" {
		t.Errorf("ATL-AAS-002 = %+v, want not_evaluated for the unreadable item", p)
	}
	if p := statusOf(run, "ATL-AAS-001"); p.Status != model.StatusFail {
		t.Errorf("ATL-AAS-001 = %+v, want fail on the readable ANYONE", p)
	}
	var col []model.Finding
	for _, f := range run.Findings {
		if f.PolicyID == "ATL-COL-003" {
			col = append(col, f)
		}
	}
	if len(col) != 1 || col[0].Resource != "app_access#acme.example" || col[0].Path != "/app_access/unreadable/0" || col[0].Line != 10 ||
		col[0].Message != `app_access item "acme.example" could not be read: /enabled: want true or false, got a string "yes"` {
		t.Errorf("ATL-COL-003 = %+v", col)
	}
	if p := statusOf(run, "ATL-COL-003"); p.Status != model.StatusFail || !run.Gate.Failed {
		t.Errorf("ATL-COL-003 = %+v, gate %+v: want a failing high finding", p, run.Gate)
	}
	for _, a := range run.Areas {
		if a.Name == "app_access" && (a.Complete() || a.Partial != "has 1 unreadable item (ATL-COL-003)") {
			t.Errorf("app_access = %+v, want collected in part for the unreadable item", a)
		}
	}
}

// TestAreaNoteIsTheReason: an area's note is the reason of the policies that
// require it.
func TestAreaNoteIsTheReason(t *testing.T) {
	noted := func(s string) string {
		return strings.Replace(s, `"app_access": {"source": "api", "collected": true, "items": []}`,
			`"app_access": {"source": "api", "collected": true, "items": [], "note": "approved domains from the API; the attestation was ignored"}`, 1)
	}
	run := runMinimal(t, noted, model.SeverityHigh)
	if p := statusOf(run, "ATL-AAS-001"); p.Status != model.StatusPass || p.Reason != "approved domains from the API; the attestation was ignored" {
		t.Errorf("ATL-AAS-001 = %+v", p)
	}
}

func TestAreaStatuses(t *testing.T) {
	partial := func(s string) string {
		return strings.Replace(s, `"installed": {"source": "none", "collected": false, "error": {"message": "site credentials are not configured"}, "sites": []`,
			`"installed": {"source": "site_api", "collected": true, "sites": [`+
				`{"url": "https://a.atlassian.net", "collected": true, "apps": []},`+
				`{"url": "https://b.atlassian.net", "collected": false, "error": {"status": 403, "message": "Forbidden"}, "apps": []}]`, 1)
	}
	run := runMinimal(t, partial, model.SeverityHigh)
	got := map[string]model.AreaResult{}
	for _, a := range run.Areas {
		got[a.Name] = a
	}
	if len(run.Areas) != len(snapshot.Areas) {
		t.Fatalf("got %d areas, want %d", len(run.Areas), len(snapshot.Areas))
	}
	if a := got[snapshot.AreaAPIKeys]; a.Complete() || !strings.Contains(a.Why(), "api_keys was not collected: HTTP 403") {
		t.Errorf("api_keys = %+v, want incomplete naming the 403", a)
	}
	if a := got[snapshot.AreaAppAccess]; !a.Complete() || a.Why() != "" {
		t.Errorf("app_access = %+v, want complete", a)
	}
	if a := got[snapshot.AreaInstalledApps]; a.Complete() || !a.Collected || !strings.Contains(a.Why(), "not for https://b.atlassian.net") {
		t.Errorf("installed apps = %+v, want collected in part, naming the failed site", a)
	}
}
