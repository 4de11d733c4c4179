package diff

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// load reads and validates a snapshot; display replaces its path in outputs
// so goldens read as if run from the repository root.
func load(t *testing.T, path, display string) *snapshot.Document {
	t.Helper()
	doc, err := snapshot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	doc.Path = display
	return doc
}

// doc is the document of a snapshot built in a test.
func doc(t *testing.T, s *snapshot.Snapshot, path string) *snapshot.Document {
	t.Helper()
	d, err := snapshot.FromSnapshot(path, s)
	if err != nil {
		t.Fatal(err)
	}
	d.Path = path
	return d
}

func ptr[T any](v T) *T { return &v }

// base is a small org with one item in every area, every area collected.
func base() *snapshot.Snapshot {
	at := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	api := snapshot.Area{Source: snapshot.SourceAPI, Collected: true, CollectedAt: &at}
	attested := snapshot.Area{Source: snapshot.SourceAttestation, Collected: true}
	s := &snapshot.Snapshot{SchemaVersion: 1, ToolVersion: "0.1.0", CollectedAt: at, Org: snapshot.Org{ID: "org-1", Name: "Org"}}
	s.Sites = snapshot.SitesArea{Area: api, Items: []snapshot.Site{
		{ID: "c1", Name: "one", URL: "https://one.atlassian.net", Products: []string{"jira-software", "confluence"}},
	}}
	s.VerifiedDomains = snapshot.VerifiedDomainsArea{Area: api, Items: []snapshot.VerifiedDomain{{Name: "one.example", Status: "VERIFIED"}}}
	s.AppAccess = snapshot.AppAccessArea{Area: api, Items: []snapshot.ApprovedDomain{
		{Domain: "ANYONE", Enabled: false, AdminNotifications: ptr(true), Products: []snapshot.DomainProduct{
			{ProductID: "ari:cloud:jira-software::site/c1", AdminApprovalRequired: ptr(true), Role: "ari:cloud:identity::role/product/member"}}},
		{Domain: "one.example", Enabled: true, AdminNotifications: ptr(true), Products: []snapshot.DomainProduct{
			{ProductID: "ari:cloud:jira-software::site/c1", AdminApprovalRequired: ptr(false), Role: "ari:cloud:identity::role/product/member"},
			{ProductID: "ari:cloud:confluence::site/c1", AdminApprovalRequired: ptr(true), Role: "ari:cloud:identity::role/product/user"}},
			Raw: json.RawMessage(`{"a":1}`)},
	}}
	s.APIKeys = snapshot.APIKeysArea{Area: api, Items: []snapshot.APIKey{
		{ID: "k1", Label: "audit", Status: "ACTIVE", Scopes: []string{"read:events:admin", "read:keys:admin"}, ExpiresAt: ptr(at.AddDate(0, 1, 0)), LastActiveAt: &at},
	}}
	s.APITokens = snapshot.APITokensArea{Area: api, Items: []snapshot.APIToken{
		{ID: "t1", Label: "cli", Status: "ALLOWED", LastActiveAt: &at, User: &snapshot.Person{ID: "a1", Email: "ann@one.example"}},
	}}
	s.ManagedAccounts = snapshot.ManagedAccountsArea{Area: api, Items: []snapshot.Account{
		{AccountID: "a1", Name: "Ann", Email: "ann@one.example", Status: "active", MFAEnabled: ptr(true), Roles: []string{"atlassian/org-admin", "atlassian/site-admin"}},
		{AccountID: "a2", Name: "Bob", Email: "bob@one.example", Status: "active", MFAEnabled: ptr(true), Roles: []string{}},
	}}
	s.ConnectedApps.Installed = snapshot.InstalledAppsArea{Area: snapshot.Area{Source: snapshot.SourceSiteAPI, Collected: true}, Sites: []snapshot.SiteApps{
		{URL: "https://one.atlassian.net", Collected: true, Apps: []snapshot.App{
			{Key: "com.vendor.app", Name: "Vendor App", Version: "1.0", Enabled: true, UserInstalled: true},
			{Key: "com.atlassian.upm", Version: "1", Enabled: true}}},
	}}
	s.ConnectedApps.Settings = snapshot.AppSettingsArea{Area: attested, Attestation: snapshot.Attestation{AttestedBy: "ann", AttestedAt: &at},
		Sites: []snapshot.SiteAppSettings{{URL: "https://one.atlassian.net", BlockUserApps: ptr(true), Apps: []snapshot.AttestedAppState{
			{Key: "com.vendor.app", VendorLogAccess: ptr(false), UpdateAwaitingApproval: ptr(false), InstalledByAdmin: ptr(true)}}}}}
	s.ExternalUsers = snapshot.ExternalUsersArea{Area: attested, Attestation: snapshot.Attestation{AttestedBy: "ann"},
		Items: []snapshot.ExternalUserPolicy{{Name: "Default", APITokenAccess: "block"}}}
	s.ServiceAccounts = snapshot.ServiceAccountsArea{Area: api, Items: []snapshot.ServiceAccount{
		{ID: "sa-1", DisplayName: "bot", Status: "ACTIVE", CreatedByID: "a1", Description: "CI"}}}
	s.ServiceAccountTokens = snapshot.ServiceAccountTokensArea{Area: api,
		Accounts: []snapshot.TokenList{{ServiceAccountID: "sa-1", Collected: true, Reported: 1}},
		Items:    []snapshot.ServiceAccountToken{{ID: "st-1", ServiceAccountID: "sa-1", Label: "ci", ExpiresAt: ptr(at.AddDate(0, 6, 0))}}}
	s.OAuthClients = snapshot.OAuthClientsArea{Area: api, Items: []snapshot.OAuthClient{{ClientID: "oc-1", Name: "sync", Status: "ACTIVE"}}}
	s.OrgPolicies = snapshot.OrgPoliciesArea{Area: api, Items: []snapshot.OrgPolicy{
		{ID: "p1", Type: "ip-allowlist", Name: "Office", Status: "enabled", Rule: json.RawMessage(`{"in":["203.0.113.0/24"]}`),
			Resources: []snapshot.PolicyResource{{ID: "ari:cloud:jira-software::site/c1", ApplicationStatus: "applied"}}}}}
	s.AuthPolicies = snapshot.AuthPoliciesArea{Area: attested, Items: []snapshot.AuthPolicy{
		{Name: "Default", Default: true, SSOEnforced: ptr(false), TwoStepRequired: ptr(true), IdleSessionMinutes: ptr(30),
			Password: &snapshot.PasswordRules{MinimumStrength: "good", ExpiryDays: ptr(0)}}}}
	s.AuthPolicyMembers = snapshot.AuthPolicyMembersArea{Area: api, Items: []snapshot.AuthPolicyMember{
		{AccountID: "a1", PolicyID: "p-def", PolicyName: "Default"}}}
	s.AuditLog = snapshot.AuditLogArea{Area: api,
		Signals: []snapshot.AuditSignal{{ID: "api_key_created", Actions: []snapshot.EventAction{{ID: "a1", DisplayName: "Created API key"}}, Complete: true}},
		Items: []snapshot.AuditEvent{{ID: "ev-1", Signal: "api_key_created", Action: "a1", ActionName: "Created API key", Time: at,
			Actor: &snapshot.AuditActor{ID: "a1", Name: "Ann"}, Targets: []snapshot.AuditObject{{ID: "k1", Type: "api-key", Name: "audit"}}}}}
	return s
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte, equal func(got, want []byte) bool) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}
