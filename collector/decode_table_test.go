package collector

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	t = t.UTC()
	return &t
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// flatten turns a JSON value into path → scalar text, so two values can be
// compared field by field.
func flatten(prefix string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(prefix+"/"+k, e, out)
		}
		if len(x) == 0 {
			out[prefix] = "{}"
		}
	case []any:
		for i, e := range x {
			flatten(fmt.Sprintf("%s/%d", prefix, i), e, out)
		}
		if len(x) == 0 {
			out[prefix] = "[]"
		}
	default:
		b, _ := json.Marshal(x)
		out[prefix] = string(b)
	}
}

// sameFields fails with every field where got and want differ.
func sameFields(t *testing.T, what string, got, want any) {
	t.Helper()
	flat := func(v any) map[string]string {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var generic any
		_ = json.Unmarshal(data, &generic)
		out := map[string]string{}
		flatten("", generic, out)
		return out
	}
	g, w := flat(got), flat(want)
	var diffs []string
	for k, wv := range w {
		if gv, ok := g[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: missing, want %s", k, wv))
		} else if gv != wv {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", k, gv, wv))
		}
	}
	for k, gv := range g {
		if _, ok := w[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want nothing", k, gv))
		}
	}
	sort.Strings(diffs)
	for _, d := range diffs {
		t.Errorf("%s%s", what, d)
	}
}

// TestRecordedBodies collects the recorded org (every endpoint answering
// with a body written from the contract's Part C) in both app access detail
// shapes and checks each decoded item field by field.
func TestRecordedBodies(t *testing.T) {
	const jiraSite, jsmSite, labsSite = "ari:cloud:jira::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d",
		"ari:cloud:jira-servicedesk::site/d7f5b9c1-6e8a-4c0b-8d4f-5b7c9d1e3f6a", "ari:cloud:jira::site/c5e3a7b9-4d6f-4b8a-9c2e-3a5b7c9d1e4f"
	org := "ari:cloud:platform::org/" + recordedOrg
	common := []struct {
		name string
		got  func(s *snapshot.Snapshot) any
		want any
	}{
		{"orgs/list.json", func(s *snapshot.Snapshot) any { return s.Org }, snapshot.Org{ID: recordedOrg, Name: "Acme Corp"}},
		{"workspaces/page1.json + last.json", func(s *snapshot.Snapshot) any { return s.Sites.Items }, []snapshot.Site{
			{ID: "a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", Name: "acme", URL: "https://acme.atlassian.net",
				Products: []string{"jira-software", "confluence"}, Status: "online", Sandbox: "NONE"},
			{ID: "c5e3a7b9-4d6f-4b8a-9c2e-3a5b7c9d1e4f", Name: "acme-labs", URL: "https://acme-labs.atlassian.net",
				Products: []string{"jira-software"}, Status: "offline", Sandbox: "CHILD"},
			{ID: "d7f5b9c1-6e8a-4c0b-8d4f-5b7c9d1e3f6a", Name: "acme-support", URL: "https://acme-support.atlassian.net",
				Products: []string{"jira-servicedesk"}, Status: "deprecated"},
		}},
		{"domains/list.json", func(s *snapshot.Snapshot) any { return s.VerifiedDomains.Items }, []snapshot.VerifiedDomain{
			{ID: "dom-7a1c", Name: "acme.example", Status: "verified", Type: "dns"},
			{ID: "dom-7a1d", Name: "acmelabs.example", Status: "unverified", Type: "http"},
			{ID: "dom-7a1e", Name: "acme-old.example", Status: "missing_token", Type: "dns"},
			{ID: "dom-7a1f", Name: "acme-corp.example", Status: "superseded", Type: "dns"},
			{ID: "dom-7a20", Name: "acme.io", Status: "deleted", Type: "http"},
		}},
		{"api-keys/list.json", func(s *snapshot.Snapshot) any { return withoutRaw(s.APIKeys.Items) }, []snapshot.APIKey{
			{ID: "7c1d9e2a-41f3-4b6e-9d0a-3b5c7e9f1a01", Label: "siem-audit-export", Scopes: []string{"read:events:admin"},
				CreatedAt: at("2026-09-01T10:00:00Z"), ExpiresAt: at("2026-11-30T10:00:00Z"), LastActiveAt: at("2026-11-20T06:00:00Z"),
				CreatedBy:       &snapshot.Person{ID: "5f3c8a1b2d4e6f7a8b9c0001", Name: "Jane Admin", Email: "jane.admin@acme.example"},
				SystemAccountID: "712020:0b8f3d2e-5a4c-4e6b-9f1d-2c3e4f5a6b01", Resource: json.RawMessage(`"` + org + `"`),
				TargetResources: json.RawMessage(`["` + org + `"]`)},
			{ID: "7c1d9e2a-41f3-4b6e-9d0a-3b5c7e9f1a02", Label: "user-provisioning-legacy", Scopes: []string{},
				CreatedAt: at("2026-03-02T09:00:00Z"), ExpiresAt: at("2027-03-02T09:00:00Z"),
				CreatedBy:       &snapshot.Person{ID: "5f3c8a1b2d4e6f7a8b9c0007", Name: "Olivia Grant", Email: "olivia.grant@acme.example"},
				SystemAccountID: "712020:0b8f3d2e-5a4c-4e6b-9f1d-2c3e4f5a6b02", Resource: json.RawMessage(`"` + org + `"`)},
		}},
		{"api-tokens/list.json", func(s *snapshot.Snapshot) any { return s.APITokens.Items }, []snapshot.APIToken{
			{ID: "e2a4c6e8-1b3d-4f5a-8c7e-9a0b1c2d3e01", Label: "jira-cli", Status: "ALLOWED", Scopes: []string{"read:jira-work", "write:jira-work"},
				CreatedAt: at("2026-06-01T09:00:00Z"), ExpiresAt: at("2027-06-01T09:00:00Z"), LastActiveAt: at("2026-11-19T17:20:00Z"),
				User: &snapshot.Person{ID: "5f3c8a1b2d4e6f7a8b9c0001", Name: "Jane Admin", Email: "jane.admin@acme.example"}},
			{ID: "e2a4c6e8-1b3d-4f5a-8c7e-9a0b1c2d3e07", Label: "alfred-bot", Status: "BLOCKED", Scopes: []string{},
				CreatedAt: at("2025-12-20T10:00:00Z"), ExpiresAt: at("2026-12-20T10:00:00Z"),
				User: &snapshot.Person{ID: "5f3c8a1b2d4e6f7a8b9c000c", Name: "Noah Williams", Email: "noah.williams@acme.example"}},
		}},
		{"users-search/expanded.json + plain.json", func(s *snapshot.Snapshot) any { return s.ManagedAccounts.Items }, []snapshot.Account{
			{AccountID: "5f3c8a1b2d4e6f7a8b9c0001", Name: "Jane Admin", Email: "jane.admin@acme.example", AccountType: "atlassian",
				Status: "active", AccountStatus: "active", MembershipStatus: "active", ClaimStatus: "managed", MFAEnabled: yes(), EmailVerified: yes(),
				ManagementSource: "synced", Roles: []string{"atlassian/org-admin", "atlassian/ai-access"}, AddedToOrg: at("2024-02-12T09:00:00Z"),
				ProductAccess: []snapshot.ProductAccess{
					{Key: "jira", ID: jiraSite, LastActiveAt: at("2026-11-20T07:40:12.936941226Z")},
					{Key: "confluence", ID: "ari:cloud:confluence::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", LastActiveAt: at("2026-11-19T16:05:00Z")}},
				Groups: []snapshot.Group{{ID: "ari:cloud:identity::group/2b6f0c1e-7d4a-4e8b-9c3f-5a1d2e3f4a01", Name: "org-admins"},
					{ID: "ari:cloud:identity::group/2b6f0c1e-7d4a-4e8b-9c3f-5a1d2e3f4a02", Name: "engineering"}}},
			{AccountID: "712020:8e4b1c2d-5f6a-4b7c-9d8e-0f1a2b3c4d5e", Name: "Kai Berger", Email: "kai.berger@partner.example", AccountType: "atlassian",
				Status: "for_deletion", AccountStatus: "inactive", MembershipStatus: "suspended", ClaimStatus: "unmanaged", EmailVerified: no(),
				Roles: []string{"atlassian/site-admin"}, AddedToOrg: at("2025-05-01T12:00:00Z")},
			{AccountID: "5f3c8a1b2d4e6f7a8b9c001a", Name: "Leila Haddad", Email: "leila.haddad@acme.example", AccountType: "atlassian",
				Status: "not_invited", AccountStatus: "closed", MembershipStatus: "no_membership", ClaimStatus: "managed", MFAEnabled: no(), EmailVerified: yes(),
				ManagementSource: "invited", Roles: []string{"atlassian/user-access-admin"}, AddedToOrg: at("2023-11-30T08:00:00Z"),
				ProductAccess: []snapshot.ProductAccess{{Key: "jira", ID: jsmSite}},
				Groups:        []snapshot.Group{{ID: "ari:cloud:identity::group/2b6f0c1e-7d4a-4e8b-9c3f-5a1d2e3f4a03", Name: "support-agents"}}},
			{AccountID: "5f3c8a1b2d4e6f7a8b9c0017", Name: "Mateo Garcia", Email: "mateo.garcia@acme.example", AccountType: "atlassian",
				Status: "suspended", AccountStatus: "active", MembershipStatus: "suspended", ClaimStatus: "managed", MFAEnabled: no(), EmailVerified: yes(),
				ManagementSource: "synced", Roles: []string{}, AddedToOrg: at("2025-03-03T10:00:00Z")},
			{AccountID: "5f3c8a1b2d4e6f7a8b9c0010", Name: "Ethan Walker", Email: "ethan.walker@acme.example", AccountType: "atlassian",
				Status: "deactivated", AccountStatus: "inactive", MembershipStatus: "active", ClaimStatus: "managed", MFAEnabled: yes(), EmailVerified: yes(),
				ManagementSource: "synced", Roles: []string{}, AddedToOrg: at("2022-06-01T10:00:00Z")},
		}},
		{"service-accounts/list.json + list-last.json", func(s *snapshot.Snapshot) any { return s.ServiceAccounts.Items }, []snapshot.ServiceAccount{
			{ID: "2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e01", AtlassianID: "712020:5a0c0001-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
				Email: "jira-automation@serviceaccount.atlassian.com", DisplayName: "jira-automation", Status: "ACTIVE",
				CreatedByID: "5f3c8a1b2d4e6f7a8b9c0001", Description: "Jira automation rules; owner platform-team@acme.example",
				Container: org, UpdatedAt: at("2025-12-02T02:36:20.899Z")},
			{ID: "2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e03", AtlassianID: "712020:5a0c0003-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
				Email: "ci-deployer@serviceaccount.atlassian.com", DisplayName: "ci-deployer", Status: "ACTIVE",
				CreatedByID: "5f3c8a1b2d4e6f7a8b9c0009", Container: org, UpdatedAt: at("2026-02-01T08:00:00Z")},
		}},
		{"service-account-tokens/data.json + items-empty.json", func(s *snapshot.Snapshot) any {
			return []any{s.ServiceAccountTokens.Accounts, s.ServiceAccountTokens.Items}
		}, []any{
			[]snapshot.TokenList{
				{ServiceAccountID: "2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e01", Collected: true, Reported: 2},
				{ServiceAccountID: "2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e03", Collected: true, Reported: 0},
			},
			[]snapshot.ServiceAccountToken{
				{ID: "b7d9f1a3-5c6e-4a8b-9d0f-2e4a6c8e0a01", ServiceAccountID: "2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e01", Label: "automation-rules",
					Status: "ACTIVE", Scopes: []string{"read:jira-work", "write:jira-work"}, CreatedAt: at("2026-10-01T09:00:00Z"),
					ExpiresAt: at("2027-04-01T09:00:00Z"), LastActiveAt: at("2026-11-19T23:00:00Z")},
				{ID: "b7d9f1a3-5c6e-4a8b-9d0f-2e4a6c8e0a02", ServiceAccountID: "2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e01", Label: "automation-rules-old",
					Status: "ACTIVE", Scopes: []string{"read:jira-work"}, CreatedAt: at("2025-10-01T09:00:00Z"), ExpiresAt: at("2026-10-01T09:00:00Z")},
			},
		}},
		{"oauth-clients/list.json", func(s *snapshot.Snapshot) any { return s.OAuthClients.Items }, []snapshot.OAuthClient{
			{ClientID: "oc-7f3a9b1c2d4e", Name: "backup-sync", Status: "ACTIVE", CreatedAt: at("2026-03-01T08:00:00Z"), UpdatedAt: at("2026-03-01T08:00:00Z")},
			{ClientID: "oc-9d1c3e5f7a2b", Name: "retired-bi-connector", Status: "INACTIVE", CreatedAt: at("2024-11-01T08:00:00Z"), UpdatedAt: at("2025-01-15T08:00:00Z")},
		}},
		{"org-policies/page1.json + last.json", func(s *snapshot.Snapshot) any { return s.OrgPolicies.Items }, []snapshot.OrgPolicy{
			{ID: "3f0c9a7e-1b2d-4c5e-8f6a-7b8c9d0e1f01", Type: "ip-allowlist", Name: "Office and VPN", Status: "enabled",
				Rule: json.RawMessage(`{"in": ["203.0.113.0/24", "198.51.100.7"]}`), Resources: []snapshot.PolicyResource{
					{ID: "ari:cloud:jira-software::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", ApplicationStatus: "applied"},
					{ID: "ari:cloud:confluence::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", ApplicationStatus: "applying", StartedAt: at("2026-11-19T22:00:00Z")}}},
			{ID: "3f0c9a7e-1b2d-4c5e-8f6a-7b8c9d0e1f04", Type: "data-residency", Name: "EU data residency", Status: "enabled",
				Rule: json.RawMessage(`{"in": ["EU"]}`), Resources: []snapshot.PolicyResource{
					{ID: jsmSite, ApplicationStatus: "failed", StartedAt: at("2026-11-15T22:00:00Z"), EndedAt: at("2026-11-16T03:10:00Z")},
					{ID: "ari:cloud:confluence::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", ApplicationStatus: "scheduled", ScheduledAt: at("2026-12-06T22:00:00Z")}}},
			{ID: "3f0c9a7e-1b2d-4c5e-8f6a-7b8c9d0e1f03", Type: "data-security", Name: "Protect Confluence content", Status: "disabled",
				Rule:      json.RawMessage(`{"appAccess": {"mode": "allowlist", "apps": ["com.drawboard.diagrams"]}, "publicLinks": {"blocked": true}}`),
				Resources: []snapshot.PolicyResource{{ID: org, ApplicationStatus: "enabled"}}},
			{ID: "3f0c9a7e-1b2d-4c5e-8f6a-7b8c9d0e1f06", Type: "generative-ai", Status: "enabled", Resources: []snapshot.PolicyResource{
				{ID: "ari:cloud:jira-software::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", ApplicationStatus: "removing", EndedAt: at("2026-11-18T12:00:00Z")},
				{ID: "ari:cloud:confluence::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", ApplicationStatus: "validating"}}},
		}},
		{"auth-policies/bulk-fetch.json (an email and a nested policy)", func(s *snapshot.Snapshot) any {
			return []any{s.AuthPolicyMembers.Items, s.AuthPolicyMembers.Unanswered}
		}, []any{[]snapshot.AuthPolicyMember{{AccountID: "5f3c8a1b2d4e6f7a8b9c0001", Email: "Jane.Admin@acme.example",
			PolicyID: "8e1f3c5a-7b9d-4e2f-a4c6-1d3e5f7a9b01", PolicyName: "Admins (SSO)"}}, []string(nil)}},
		{"event-actions/list.json → audit_log.signals", func(s *snapshot.Snapshot) any {
			ids := map[string][]string{}
			for _, sig := range s.AuditLog.Signals {
				ids[sig.ID] = []string{}
				for _, a := range sig.Actions {
					ids[sig.ID] = append(ids[sig.ID], a.ID)
				}
			}
			return ids
		}, map[string][]string{
			"org_admin_granted": {"org_admin_role_granted", "user_granted_role"}, "api_key_created": {"api_key_created"},
			"app_installed": {"ecosystem_app_installed", "ecosystem_app_updated"}, "org_policy_changed": {"policy_deleted", "policy_disabled", "policy_updated"},
			"api_token_used": {},
		}},
		{"events/org-admin-page1.json + org-admin-last.json + api-key.json", func(s *snapshot.Snapshot) any { return s.AuditLog.Items }, []snapshot.AuditEvent{
			{ID: "2d1f6b8e-4c3a-4e5f-9a7b-0c1d2e3f4a51", Signal: "org_admin_granted", Action: "org_admin_role_granted", ActionName: "Granted organization admin role",
				Time:       *at("2026-11-19T14:02:11.281Z"),
				Actor:      &snapshot.AuditActor{ID: "5f3c8a1b2d4e6f7a8b9c0003", Name: "Priya Raman", Email: "priya.raman@acme-corp.example"},
				Targets:    []snapshot.AuditObject{{ID: "5f3c8a1b2d4e6f7a8b9c0004", Type: "users", Name: "Tom Becker"}},
				Containers: []snapshot.AuditObject{{ID: recordedOrg, Type: "organizations", Name: "Acme Corp"}},
				Location:   &snapshot.Location{IP: "203.0.113.10", City: "Sydney", Country: "Australia"}},
			{ID: "2d1f6b8e-4c3a-4e5f-9a7b-0c1d2e3f4a52", Signal: "org_admin_granted", Action: "user_granted_role", ActionName: "User granted role",
				Time: *at("2026-11-19T15:30:00Z"),
				Actor: &snapshot.AuditActor{ID: "712020:5a0c0001-0e1f-4a2b-9c3d-4e5f6a7b8c9d", Name: "jira-automation", AuthType: "api-token",
					TokenID: "b7d9f1a3-5c6e-4a8b-9d0f-2e4a6c8e0a01", TokenLabel: "automation-rules"},
				// A role's name of the wrong type in the free-form attributes is left out, not made unreadable.
				Targets:    []snapshot.AuditObject{{ID: "5f3c8a1b2d4e6f7a8b9c0009", Type: "users", Name: "Liam O'Brien"}, {ID: "atlassian/site-admin", Type: "roles", Role: "atlassian/site-admin"}},
				Containers: []snapshot.AuditObject{{ID: "a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", Type: "sites", Name: "acme"}},
				Location:   &snapshot.Location{IP: "198.51.100.23"}},
			{ID: "2d1f6b8e-4c3a-4e5f-9a7b-0c1d2e3f4a53", Signal: "api_key_created", Action: "api_key_created", ActionName: "Created API key",
				Time: *at("2026-11-19T16:40:00Z"),
				Actor: &snapshot.AuditActor{ID: "5f3c8a1b2d4e6f7a8b9c0002", Name: "Marcus Chen", Email: "marcus.chen@acme.example",
					OnBehalfOf: &snapshot.Person{ID: "5f3c8a1b2d4e6f7a8b9c0001", Name: "Jane Admin", Email: "jane.admin@acme.example"}},
				Targets: []snapshot.AuditObject{{ID: "7c1d9e2a-41f3-4b6e-9d0a-3b5c7e9f1a08", Type: "api-keys", Name: "ops-temp"}}},
		}},
		{"plugins/jira-page1.json + jira-page2.json + confluence.json", func(s *snapshot.Snapshot) any { return s.ConnectedApps.Installed.Sites }, []snapshot.SiteApps{
			{URL: "https://acme.atlassian.net", Collected: true, Apps: []snapshot.App{
				{Key: "com.atlassian.upm.atlassian-universal-plugin-manager-plugin", Product: "jira", Name: "Atlassian Universal Plugin Manager Plugin",
					Version: "1001.0.0.SNAPSHOT", Enabled: true, Vendor: &snapshot.Vendor{Name: "Atlassian", URL: "https://marketplace.atlassian.com/vendors/1"}},
				{Key: "com.vendor.timesheets", Product: "jira", Name: "Timesheets Pro", Version: "4.2.0", Enabled: true, UserInstalled: true,
					Vendor: &snapshot.Vendor{Name: "Vendor Inc", URL: "https://vendor.example"}},
				{Key: "com.drawboard.diagrams", Product: "jira", Name: "Drawboard Diagrams", Version: "7.1.3", Enabled: true, UserInstalled: true,
					Vendor: &snapshot.Vendor{Name: "Drawboard Ltd", URL: "https://marketplace.atlassian.com/vendors/9876"}},
				{Key: "io.exportly.confluence-pdf", Product: "confluence", Name: "Exportly PDF for Confluence", Version: "2.8.1", UserInstalled: true,
					Vendor: &snapshot.Vendor{Name: "Exportly", URL: "https://exportly.example"}},
			}},
			{URL: "https://acme-labs.atlassian.net", Collected: true, Apps: []snapshot.App{}},
			{URL: "https://acme-support.atlassian.net", Apps: []snapshot.App{}, Error: &snapshot.AreaError{Status: 401, Endpoint: "GET /rest/plugins/1.0/",
				Message: "GET /rest/plugins/1.0/: 401 Unauthorized: Client must be authenticated to access this resource."}},
		}},
	}
	appAccess := map[string][]snapshot.ApprovedDomain{
		"july": {
			{Domain: "ANYONE", Enabled: true, AdminNotifications: no(), NumberOfProductsAppliesTo: 2, Products: []snapshot.DomainProduct{
				{ProductID: jsmSite, AccessMode: "DIRECT_ACCESS", AdminApprovalRequired: no(), Role: "ari:cloud:identity::role/product/member"},
				{ProductID: labsSite, AccessMode: "REQUEST_ACCESS", AdminApprovalRequired: yes(), Role: "ari:cloud:identity::role/product/member"}}},
			{Domain: "acme.example", Enabled: true, AdminNotifications: yes(), NumberOfProductsAppliesTo: 3, Products: []snapshot.DomainProduct{
				{ProductID: jiraSite, AccessMode: "DIRECT_ACCESS", AdminApprovalRequired: no(), Role: "ari:cloud:identity::role/product/member"},
				{ProductID: "ari:cloud:confluence::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d", AccessMode: "REQUEST_ACCESS", AdminApprovalRequired: yes(),
					Role: "ari:cloud:identity::role/product/admin"},
				// adminApprovalRequired left out: its documented default, false (direct access).
				{ProductID: jsmSite, AccessMode: "DIRECT_ACCESS", AdminApprovalRequired: no()}}},
			{Domain: "oldpartner.example", Enabled: false, AdminNotifications: yes(), Products: []snapshot.DomainProduct{}},
		},
		"august": {
			{Domain: "ANYONE", Enabled: true, AdminNotifications: no(), NumberOfProductsAppliesTo: 2, Products: []snapshot.DomainProduct{
				{ProductID: "ari:cloud:jira-servicedesk::app/all", AccessMode: "DIRECT_ACCESS", AdminApprovalRequired: no(),
					Role: "ari:cloud:jira-servicedesk::role/product/customer"},
				{ProductID: "ari:cloud:jira::app/all", AccessMode: "REQUEST_ACCESS", AdminApprovalRequired: yes(), Role: "ari:cloud:jira::role/software/member"}}},
			{Domain: "acme.example", Enabled: true, AdminNotifications: no(), NumberOfProductsAppliesTo: 3, Products: []snapshot.DomainProduct{
				{ProductID: "ari:cloud:jira::app/all", AccessMode: "DIRECT_ACCESS", AdminApprovalRequired: no(), Role: "ari:cloud:jira::role/software/member"},
				{ProductID: "ari:cloud:confluence::app/all", AccessMode: "REQUEST_ACCESS", AdminApprovalRequired: yes(), Role: "ari:cloud:confluence::role/product/admin"},
				{ProductID: "ari:cloud:jira-servicedesk::app/all", AccessMode: "DENIED_ACCESS"}}},
			{Domain: "oldpartner.example", Enabled: false, AdminNotifications: no(), Products: []snapshot.DomainProduct{}},
		},
	}
	for _, variant := range []string{"july", "august"} {
		t.Run(variant, func(t *testing.T) {
			rt := &recorded{t: t, route: recordedRoutes(variant)}
			snap, err := collectRecorded(t, rt)
			if err != nil {
				t.Fatal(err)
			}
			for name, a := range areas(snap) {
				if !a.Collected || len(a.Unreadable) > 0 {
					t.Errorf("%s: got %+v, unreadable %+v; want every recorded body read", name, a.Error, a.Unreadable)
				}
			}
			for _, tt := range common {
				sameFields(t, tt.name+": ", tt.got(snap), tt.want)
			}
			var domains []snapshot.ApprovedDomain
			for _, d := range snap.AppAccess.Items {
				if len(d.Raw) == 0 {
					t.Errorf("app access %s: the detail is not kept in raw", d.Domain)
				}
				d.Raw = nil
				domains = append(domains, d)
			}
			sameFields(t, "app-access/detail-"+variant+"*.json: ", domains, appAccess[variant])
			for _, k := range snap.APIKeys.Items {
				if !json.Valid(k.Raw) || !strings.Contains(string(k.Raw), `"systemAccountId"`) {
					t.Errorf("key %s: raw %s, want the item as received", k.ID, k.Raw)
				}
			}
			checkRecordedRequests(t, rt.requests())
		})
	}
}

// withoutRaw drops the raw items for comparing decoded fields.
func withoutRaw(keys []snapshot.APIKey) []snapshot.APIKey {
	out := make([]snapshot.APIKey, len(keys))
	for i, k := range keys {
		k.Raw = nil
		out[i] = k
	}
	return out
}

// checkRecordedRequests checks what the collector asked for: the page size
// first, the cursor alone on the workspaces' second page, the users search's
// expansions with every page, the app managers' media type.
func checkRecordedRequests(t *testing.T, seen []string) {
	t.Helper()
	want := []string{
		`POST api.atlassian.com /admin/v2/orgs/` + recordedOrg + `/workspaces {"limit":100}`,
		`POST api.atlassian.com /admin/v2/orgs/` + recordedOrg + `/workspaces {"cursor":"eyJvZmZzZXQiOjJ9"}`,
		`POST api.atlassian.com /admin/v2/orgs/` + recordedOrg + `/directories/-/users/search {"expand":["platformRoles","productAccess","groups"],"limit":100}`,
		`POST api.atlassian.com /admin/v2/orgs/` + recordedOrg + `/directories/-/users/search {"cursor":"kloHX1ZQVasDAkx_P48NYQ","expand":["platformRoles","productAccess","groups"],"limit":100}`,
		`GET api.atlassian.com /admin/v2/orgs/` + recordedOrg + `/app-access-settings/domains?cursor=b2xkcGFydG5lci5leGFtcGxl&limit=100`,
		`GET api.atlassian.com /admin/api-access/v1/orgs/` + recordedOrg + `/service-accounts`,
		`GET api.atlassian.com /admin/api-access/v1/orgs/` + recordedOrg + `/service-accounts?cursor=c2EtcGFnZS0y`,
		`GET api.atlassian.com /admin/api-access/v1/orgs/` + recordedOrg + `/oauth-clients?pageSize=100`,
		`POST api.atlassian.com /admin/control/v1/orgs/` + recordedOrg + `/users/auth-policies/bulk-fetch {"accountIds":["5f3c8a1b2d4e6f7a8b9c0001"]}`,
		`GET api.atlassian.com /admin/v1/orgs/` + recordedOrg + `/policies`,
		`GET api.atlassian.com /admin/v1/orgs/` + recordedOrg + `/policies?cursor=cG9saWN5OjM`,
		// The audit log: each mapped action on its own, the window in epoch ms (testNow and 7 days before), the
		// largest page; then links.next as it is.
		`GET api.atlassian.com /admin/v1/orgs/` + recordedOrg + `/event-actions`,
		`GET api.atlassian.com /admin/v1/orgs/` + recordedOrg + `/events?action=org_admin_role_granted&from=1795510800000&limit=500&to=1796115600000`,
		`GET api.atlassian.com /admin/v1/orgs/` + recordedOrg + `/events?action=org_admin_role_granted&cursor=ZXZlbnRzLXBhZ2UtMg&from=1795075200000&limit=500&to=1795161600000`,
		`GET api.atlassian.com /admin/v1/orgs/` + recordedOrg + `/events?action=policy_updated&from=1795510800000&limit=500&to=1796115600000`,
		`GET acme.atlassian.net /rest/plugins/1.0/?offset=2`,
		`GET acme.atlassian.net /wiki/rest/plugins/1.0/`,
	}
	for _, w := range want {
		found := false
		for _, s := range seen {
			found = found || s == w
		}
		if !found {
			t.Errorf("no request %s among:\n%s", w, strings.Join(seen, "\n"))
		}
	}
}

// TestRecordedBodiesHaveEveryDocumentedField keeps the recorded bodies
// complete: each item carries every field the contract's Part C documents
// for its endpoint (fields that appear only when expanded, or only on some
// items, are required on at least one).
func TestRecordedBodiesHaveEveryDocumentedField(t *testing.T) {
	tests := []struct {
		files []string
		list  string
		// every is on every item, some on at least one.
		every, some []string
	}{
		{[]string{"workspaces/page1.json", "workspaces/last.json"}, "data", []string{"id", "type", "attributes", "links"},
			[]string{"attributes/name", "attributes/typeKey", "attributes/type", "attributes/hostUrl", "attributes/status", "attributes/sandbox/type"}},
		{[]string{"domains/list.json"}, "data", []string{"id", "type", "attributes/name", "attributes/claim/status", "attributes/claim/type", "links"}, nil},
		{[]string{"app-access/list.json", "app-access/list-last.json"}, "data", []string{"domain", "enabled", "numberOfProductsAppliesTo"}, nil},
		{[]string{"api-keys/list.json"}, "data", []string{"id", "label", "createdAt", "expiresAt", "lastActiveAt", "systemAccountId",
			"resource", "orgId", "createdBy/id", "createdBy/name", "createdBy/email", "scopes"}, []string{"targetResources"}},
		{[]string{"api-tokens/list.json"}, "data", []string{"id", "label", "status", "createdAt", "expiresAt", "lastActiveAt",
			"user/id", "user/orgId", "user/name", "user/email", "scopes"}, nil},
		{[]string{"users-search/expanded.json", "users-search/plain.json"}, "data", []string{"accountId", "accountType", "status",
			"accountStatus", "membershipStatus", "claimStatus", "email", "emailVerified", "managementSource", "name", "nickname", "addedToOrg"},
			[]string{"mfaEnabled", "platformRoles", "productAccess/0/key", "productAccess/0/id", "productAccess/0/lastActiveTimestamp", "groups/0/id",
				"groups/0/name", "counts/resources"}},
		{[]string{"service-accounts/list.json", "service-accounts/list-last.json"}, "items", []string{"atlassianId", "id", "email",
			"displayName", "picture", "container", "updatedAt", "status", "createdById", "description"}, nil},
		{[]string{"oauth-clients/list.json"}, "data", []string{"clientId", "name", "createdAt", "updatedAt", "status"}, nil},
		{[]string{"org-policies/page1.json", "org-policies/last.json"}, "data", []string{"id", "type", "attributes/type", "attributes/status",
			"attributes/resources"}, []string{"attributes/name", "attributes/rule", "attributes/resources/0/id", "attributes/resources/0/applicationStatus",
			"attributes/resources/1/meta/scheduledDate", "attributes/resources/0/meta/migrationStartDateTime", "attributes/resources/0/meta/migrationEndDataTime",
			"attributes/resources/0/meta/migrationEndDateTime", "attributes/resources/0/meta/atlassianAccountId", "attributes/resources/1/links/ticket"}},
		{[]string{"event-actions/list.json"}, "data", []string{"id", "type", "attributes/displayName", "attributes/groupDisplayName"}, nil},
		{[]string{"events/org-admin-page1.json", "events/org-admin-last.json", "events/api-key.json"}, "data",
			[]string{"id", "type", "attributes/time", "attributes/action", "attributes/actor/id", "attributes/context", "links/self"},
			[]string{"attributes/actor/name", "attributes/actor/email", "attributes/actor/auth/authType", "attributes/actor/auth/tokenId",
				"attributes/actor/auth/tokenLabel", "attributes/actor/onBehalfOf/id", "attributes/container/0/id", "attributes/location/ip",
				"attributes/location/city", "attributes/location/countryName", "message/content"}},
		{[]string{"plugins/jira-page1.json", "plugins/jira-page2.json", "plugins/confluence.json"}, "plugins",
			[]string{"key", "name", "version", "enabled", "userInstalled", "vendor/name"}, nil},
	}
	for _, tt := range tests {
		seen := map[string]int{}
		n := 0
		for _, f := range tt.files {
			data, err := os.ReadFile(filepath.Join("testdata", "api", f))
			if err != nil {
				t.Fatal(err)
			}
			var page map[string]any
			if err := json.Unmarshal(data, &page); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			items, _ := page[tt.list].([]any)
			for _, it := range items {
				n++
				flat := map[string]string{}
				flatten("", it, flat)
				paths := map[string]bool{}
				for k := range flat {
					for p := k; p != ""; p = p[:max(strings.LastIndex(p, "/"), 0)] {
						paths[strings.TrimPrefix(p, "/")] = true
					}
				}
				for p := range paths {
					seen[p]++
				}
			}
		}
		for _, k := range tt.every {
			if seen[k] != n {
				t.Errorf("%v: %s is on %d of %d items, want all", tt.files, k, seen[k], n)
			}
		}
		for _, k := range tt.some {
			if seen[k] == 0 {
				t.Errorf("%v: %s is on no item", tt.files, k)
			}
		}
	}
}
