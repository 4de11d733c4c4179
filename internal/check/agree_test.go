package check

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/diff"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
)

// TestDiffAndPoliciesAgree pins the drift report, the run and the policies
// to one meaning of each rule: active key, active token, departed account,
// org admin, expired exception and how an area error reads. Each case set
// is put through a policy that reports exactly the items of that meaning and
// through the diff (old snapshot without the items, new one with them), and
// both must pick the same items.
func TestDiffAndPoliciesAgree(t *testing.T) {
	ctx := context.Background()
	at := "2026-11-20T08:00:00Z"
	before, after := "2026-11-19T08:00:00Z", "2026-11-21T08:00:00Z"
	keys := []map[string]any{
		{"id": "k-absent"}, {"id": "k-active", "status": "ACTIVE"}, {"id": "k-lower", "status": "active"},
		{"id": "k-revoked", "status": "REVOKED"}, {"id": "k-allowed", "status": "ALLOWED"},
		{"id": "k-expired", "expires_at": before}, {"id": "k-expires-now", "expires_at": at},
		{"id": "k-later", "expires_at": after}, {"id": "k-null", "expires_at": nil},
	}
	for _, k := range keys {
		k["scopes"] = []any{} // unscoped: ATL-KEY-001 reports every active key
	}
	tokens := []map[string]any{
		{"id": "t-absent"}, {"id": "t-allowed", "status": "ALLOWED"}, {"id": "t-active", "status": "ACTIVE"},
		{"id": "t-blocked", "status": "BLOCKED"}, {"id": "t-revoked", "status": "REVOKED"},
		{"id": "t-expired", "expires_at": before}, {"id": "t-later", "expires_at": after},
	}
	for _, tok := range tokens {
		tok["user"] = map[string]any{"id": "gone"} // ATL-TOK-002 reports every active token of a departed owner
	}
	accounts := []map[string]any{
		{"account_id": "gone", "status": "deactivated"},
		{"account_id": "a-active", "status": "active"}, {"account_id": "a-suspended", "status": "suspended"},
		{"account_id": "a-deactivated", "status": "deactivated"}, {"account_id": "a-deletion", "status": "for_deletion"},
		{"account_id": "a-inactive", "status": "active", "account_status": "inactive"},
		{"account_id": "a-closed", "status": "active", "account_status": "closed"},
		{"account_id": "a-not-invited", "status": "not_invited"},
	}
	for _, a := range accounts {
		a["roles"] = []any{"atlassian/site-admin"} // ATL-ACC-002 reports every departed admin
	}
	admins := []map[string]any{
		{"account_id": "r-org", "status": "active", "roles": []any{"atlassian/org-admin"}},
		{"account_id": "r-upper", "status": "active", "roles": []any{"ATLASSIAN/ORG-ADMIN"}},
		{"account_id": "r-site", "status": "active", "roles": []any{"atlassian/site-admin"}},
		{"account_id": "r-both", "status": "active", "roles": []any{"atlassian/user-access-admin", "atlassian/org-admin"}},
	}
	for _, a := range admins {
		a["mfa_enabled"] = false // ATL-ACC-001 reports every active org admin
	}

	old := acmeWith(t, withoutCredentials)
	next := acmeWith(t, func(doc map[string]any) {
		withoutCredentials(doc)
		doc["api_keys"].(map[string]any)["items"] = keys
		doc["api_tokens"].(map[string]any)["items"] = tokens
		doc["managed_accounts"].(map[string]any)["items"] = append(append([]map[string]any{}, accounts...), admins...)
		doc["connected_apps"].(map[string]any)["settings"] = map[string]any{"source": "attestation", "collected": false, "sites": []any{},
			"error": map[string]any{"status": 403, "code": "ADMIN-403-1", "endpoint": "GET /x/{orgId}", "message": "Forbidden"}}
	})
	run := evaluateWith(t, next, []config.Exception{})
	r, err := diff.Compare(ctx, old, next)
	if err != nil {
		t.Fatal(err)
	}

	policySays := func(id string) []string {
		var out []string
		for _, f := range run.Findings {
			if f.PolicyID == id {
				out = append(out, f.Resource)
			}
		}
		slices.Sort(out)
		return out
	}
	diffAdds := func(area string, risk diff.Risk, summary string) []string {
		var out []string
		for _, c := range r.Changes {
			if c.Area == area && c.Kind == diff.Added && c.Risk == risk && strings.Contains(c.Summary, summary) {
				out = append(out, c.Resource)
			}
		}
		slices.Sort(out)
		return out
	}
	agree := func(meaning string, policies, drift []string) {
		t.Helper()
		if !slices.Equal(policies, drift) {
			t.Errorf("%s: the policies say %v, the diff %v", meaning, policies, drift)
		}
	}
	agree("active key", policySays("ATL-KEY-001"), diffAdds(snapshot.AreaAPIKeys, diff.RiskIncreased, ""))
	agree("active token", policySays("ATL-TOK-002"), diffAdds(snapshot.AreaAPITokens, diff.RiskIncreased, ""))
	// Added accounts with an admin role raise risk unless they have departed.
	var live []string
	for _, a := range accounts {
		id := a["account_id"].(string)
		if !slices.Contains(policySays("ATL-ACC-002"), id) {
			live = append(live, id)
		}
	}
	slices.Sort(live)
	adminsLive := diffAdds(snapshot.AreaManagedAccounts, diff.RiskIncreased, "")
	agree("departed account", live, slices.DeleteFunc(adminsLive, func(id string) bool { return strings.HasPrefix(id, "r-") }))
	agree("org admin", policySays("ATL-ACC-001"), diffAdds(snapshot.AreaManagedAccounts, diff.RiskIncreased, "New org admin"))

	// An area error reads the same in ATL-COL-001, the not-evaluated reason and the diff.
	const errText = "HTTP 403 ADMIN-403-1: Forbidden (GET /x/{orgId})"
	col := ""
	for _, f := range run.Findings {
		if f.PolicyID == "ATL-COL-001" && f.Resource == snapshot.AreaAppSettings {
			col = f.Message
		}
	}
	reason := ""
	for _, p := range run.Policies {
		if p.Policy.ID == "ATL-APP-001" {
			reason = p.Reason
		}
	}
	notCompared := ""
	for _, n := range r.NotCompared {
		if n.Area == snapshot.AreaAppSettings {
			notCompared = n.Reason
		}
	}
	for what, text := range map[string]string{"ATL-COL-001": col, "not-evaluated reason": reason, "diff": notCompared} {
		if !strings.Contains(text, errText) {
			t.Errorf("%s: got %q, want it to contain %q", what, text, errText)
		}
	}

	// Expired exceptions: ATL-EXC-001 reports exactly those that no longer suppress.
	day := func(d time.Duration) string {
		return time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC).Add(d).Format("2006-01-02")
	}
	exceptions := map[string]string{"yesterday": day(-24 * time.Hour), "today": day(0), "tomorrow": day(24 * time.Hour)}
	var list []config.Exception
	for _, name := range slices.Sorted(maps.Keys(exceptions)) {
		list = append(list, config.Exception{Policy: "ATL-KEY-001", Resource: "k-" + name, Reason: "r", Owner: "o", Expires: exceptions[name]})
	}
	run = evaluateWith(t, acmeWith(t, func(doc map[string]any) {
		withoutCredentials(doc)
		var items []map[string]any
		for _, name := range slices.Sorted(maps.Keys(exceptions)) {
			items = append(items, map[string]any{"id": "k-" + name, "scopes": []any{}})
		}
		doc["api_keys"].(map[string]any)["items"] = items
	}), list)
	var expired, unsuppressed []string
	for _, f := range run.Findings {
		switch {
		case f.PolicyID == "ATL-EXC-001":
			expired = append(expired, strings.TrimPrefix(f.Resource, "ATL-KEY-001:"))
		case f.PolicyID == "ATL-KEY-001" && !f.Suppressed:
			unsuppressed = append(unsuppressed, f.Resource)
		}
	}
	slices.Sort(expired)
	agree("expired exception", expired, unsuppressed)
	if !slices.Equal(expired, []string{"k-yesterday"}) {
		t.Errorf("expired exceptions: got %v, want [k-yesterday] (an exception applies through its expiry day)", expired)
	}
}

// withoutCredentials empties the keys, tokens and accounts of a snapshot.
func withoutCredentials(doc map[string]any) {
	for _, area := range []string{"api_keys", "api_tokens", "managed_accounts"} {
		doc[area].(map[string]any)["items"] = []any{}
	}
}

// evaluateWith checks doc with the default parameters and the exceptions.
func evaluateWith(t *testing.T, doc *snapshot.Document, exceptions []config.Exception) *model.Run {
	t.Helper()
	engine, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := exceptionsConfig(t, exceptions)
	run, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// exceptionsConfig is the default config with these exceptions.
func exceptionsConfig(t *testing.T, exceptions []config.Exception) *config.Config {
	t.Helper()
	var b strings.Builder
	b.WriteString("exceptions:\n")
	for _, e := range exceptions {
		b.WriteString("  - {policy: " + e.Policy + ", resource: " + e.Resource + ", reason: " + e.Reason +
			", owner: " + e.Owner + ", expires: " + e.Expires + "}\n")
	}
	if len(exceptions) == 0 {
		b.Reset()
	}
	cfg, err := config.Parse("agree.yaml", []byte(b.String()), policies.DefaultParametersJSON())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
