package check

import (
	"context"
	"slices"
	"testing"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/diff"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestDiffAndPoliciesAgreeOnNonHuman pins the drift report to the policies'
// meaning of a service account, a service-account token and an OAuth client
// in use: the items a policy reports (every one in use is planted to fail
// it) are exactly those whose creation the diff says raises risk.
func TestDiffAndPoliciesAgreeOnNonHuman(t *testing.T) {
	before, after := "2026-11-19T08:00:00Z", "2026-11-21T08:00:00Z"
	statuses := []any{nil, "ACTIVE", "active", "INACTIVE", "DISABLED", "DELETED", "REVOKED", "PAUSED"}
	var sas, tokens, clients []map[string]any
	for i, st := range statuses {
		sa := map[string]any{"id": "sa-" + string(rune('a'+i)), "created_by_id": "5f3c8a1b2d4e6f7a8b9c0001"} // no description: ATL-SVC-002
		oc := map[string]any{"client_id": "oc-" + string(rune('a'+i)), "updated_at": "2025-01-01T00:00:00Z"} // stale: ATL-OAC-001
		tok := map[string]any{"id": "st-" + string(rune('a'+i)), "service_account_id": "sa-a"}               // no expiry: ATL-SVC-003
		if st != nil {
			sa["status"], oc["status"], tok["status"] = st, st, st
		}
		sas, clients, tokens = append(sas, sa), append(clients, oc), append(tokens, tok)
	}
	tokens = append(tokens,
		map[string]any{"id": "st-expired", "service_account_id": "sa-a", "expires_at": before, "created_at": "2026-11-01T00:00:00Z"},
		map[string]any{"id": "st-later", "service_account_id": "sa-a", "expires_at": after, "created_at": "2024-01-01T00:00:00Z"})
	empty := func(doc map[string]any) {
		doc["service_accounts"].(map[string]any)["items"] = []any{}
		doc["service_account_tokens"].(map[string]any)["items"] = []any{}
		doc["service_account_tokens"].(map[string]any)["accounts"] = []any{}
		doc["oauth_clients"].(map[string]any)["items"] = []any{}
	}
	old := acmeWith(t, empty)
	next := acmeWith(t, func(doc map[string]any) {
		doc["service_accounts"].(map[string]any)["items"] = sas
		doc["service_account_tokens"].(map[string]any)["items"] = tokens
		doc["service_account_tokens"].(map[string]any)["accounts"] = []any{map[string]any{"service_account_id": "sa-a", "collected": true, "reported": len(tokens)}}
		doc["oauth_clients"].(map[string]any)["items"] = clients
	})
	run := evaluateWith(t, next, []config.Exception{})
	r, err := diff.Compare(context.Background(), old, next)
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
	diffRaises := func(area string) []string {
		var out []string
		for _, c := range r.Changes {
			if c.Area == area && c.Kind == diff.Added && c.Risk == diff.RiskIncreased {
				out = append(out, c.Resource)
			}
		}
		slices.Sort(out)
		return out
	}
	for _, tt := range []struct{ meaning, policy, area string }{
		{"service account in use", "ATL-SVC-002", snapshot.AreaServiceAccounts},
		{"active service-account token", "ATL-SVC-003", snapshot.AreaServiceAccountTokens},
		{"OAuth client in use", "ATL-OAC-001", snapshot.AreaOAuthClients},
	} {
		got, drift := policySays(tt.policy), diffRaises(tt.area)
		if len(got) == 0 || !slices.Equal(got, drift) {
			t.Errorf("%s: the policies say %v, the diff %v", tt.meaning, got, drift)
		}
	}
	if got := policySays("ATL-SVC-002"); !slices.Equal(got, []string{"sa-a", "sa-b", "sa-c", "sa-h"}) {
		t.Errorf("in use: %v, want the absent, ACTIVE, active and unknown (PAUSED) statuses", got)
	}
}
