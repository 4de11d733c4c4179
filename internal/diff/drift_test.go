package diff

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// acmeNext writes the demo org a week later, with edits in every area, to a
// temporary file and returns its path. Building it from acme.json (rather
// than committing a copy) keeps the diff stable when the demo org grows.
func acmeNext(t *testing.T) string {
	t.Helper()
	s, err := load(t, acmePath, acmePath).Full()
	if err != nil {
		t.Fatal(err)
	}
	week := func(p *time.Time) *time.Time { return ptr(p.AddDate(0, 0, 7)) }
	s.ToolVersion, s.CollectedAt = "0.2.0", s.CollectedAt.AddDate(0, 0, 7) // volatile: ignored
	s.Sites.CollectedAt = week(s.Sites.CollectedAt)
	editSites(t, s)
	editDomains(t, s)
	editCredentials(t, s)
	editAccounts(t, s)
	editApps(t, s)
	editNonHuman(t, s)
	editOrgPolicies(t, s)
	editAuthPolicies(t, s)
	editAuditLog(s)
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "acme-next.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// find returns the first item that ok accepts, failing the test without one.
func find[T any](t *testing.T, items []T, ok func(T) bool) *T {
	t.Helper()
	i := slices.IndexFunc(items, ok)
	if i < 0 {
		t.Fatalf("the demo org lacks a %T the drift fixture edits", *new(T))
	}
	return &items[i]
}

func editSites(t *testing.T, s *snapshot.Snapshot) {
	site := func(url string) *snapshot.Site {
		return find(t, s.Sites.Items, func(x snapshot.Site) bool { return x.URL == url })
	}
	slices.Reverse(site("https://acme.atlassian.net").Products) // reordered: no change
	support := site("https://acme-support.atlassian.net")
	support.Products = append(support.Products, "confluence")
	s.Sites.Items = append(s.Sites.Items, snapshot.Site{ID: "d6f4b8c0-5e7a-4c9b-8d3f-4b6c8d0e2f5a", Name: "acme-design",
		URL: "https://acme-design.atlassian.net", Products: []string{"confluence"}, Status: "online"})
}

func editDomains(t *testing.T, s *snapshot.Snapshot) {
	verified := func(name string) func(snapshot.VerifiedDomain) bool {
		return func(d snapshot.VerifiedDomain) bool { return d.Name == name }
	}
	find(t, s.VerifiedDomains.Items, verified("acme.example")).Name = "Acme.Example" // case only: no change
	find(t, s.VerifiedDomains.Items, verified("acmelabs.example")).Status = "VERIFIED"
	s.VerifiedDomains.Items = slices.DeleteFunc(s.VerifiedDomains.Items, verified("acme-corp.example"))
	s.VerifiedDomains.Items = append(s.VerifiedDomains.Items, snapshot.VerifiedDomain{Name: "acme-design.example", Status: "UNVERIFIED", Type: "dns"})

	approved := func(name string) func(snapshot.ApprovedDomain) bool {
		return func(d snapshot.ApprovedDomain) bool { return d.Domain == name }
	}
	find(t, s.AppAccess.Items, approved("ANYONE")).AdminNotifications = ptr(false)
	find(t, s.AppAccess.Items, approved("acme-corp.example")).Domain = "ACME-CORP.example" // case only: no change
	find(t, s.AppAccess.Items, approved("oldpartner.example")).Enabled = true
	acme := find(t, s.AppAccess.Items, approved("acme.example"))
	acme.Raw = json.RawMessage(`{"anything":"ignored"}`)
	acme.Products = slices.Clone(acme.Products)
	acme.Products = []snapshot.DomainProduct{acme.Products[2], acme.Products[1]} // first product removed, reordered
	acme.Products[0].AdminApprovalRequired = ptr(false)
	acme.Products[1].Role = "ari:cloud:identity::role/product/admin"
	s.AppAccess.Items = slices.DeleteFunc(s.AppAccess.Items, approved("gmail.com"))
	s.AppAccess.Items = append(s.AppAccess.Items, snapshot.ApprovedDomain{Domain: "partner.example", Enabled: true,
		AdminNotifications: ptr(true), Products: []snapshot.DomainProduct{{ProductID: "ari:cloud:jira-software::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d",
			AdminApprovalRequired: ptr(true), Role: "ari:cloud:identity::role/product/member"}}})
}

func editCredentials(t *testing.T, s *snapshot.Snapshot) {
	key := func(label string) func(snapshot.APIKey) bool {
		return func(k snapshot.APIKey) bool { return k.Label == label }
	}
	bot := find(t, s.APIKeys.Items, key("jira-automation-bot"))
	bot.Scopes = append(slices.Clone(bot.Scopes), "write:directories:admin")
	bot.ExpiresAt = ptr(bot.ExpiresAt.AddDate(0, 6, 0))
	slices.Reverse(find(t, s.APIKeys.Items, key("hr-offboarding-sync")).Scopes) // reordered: no change
	compliance := find(t, s.APIKeys.Items, key("compliance-reporting"))
	compliance.LastActiveAt, compliance.Raw = ptr(s.CollectedAt), json.RawMessage(`{"id":"x"}`) // volatile: ignored
	s.APIKeys.Items = slices.DeleteFunc(s.APIKeys.Items, key("backup-exporter"))
	s.APIKeys.Items = append(s.APIKeys.Items, snapshot.APIKey{ID: "7c1d9e2a-41f3-4b6e-9d0a-3b5c7e9f1a08", Label: "terraform-admin",
		Scopes: []string{}, CreatedAt: ptr(s.CollectedAt.AddDate(0, 0, -2)),
		CreatedBy: &snapshot.Person{ID: "5f3c8a1b2d4e6f7a8b9c0006", Name: "David Okafor", Email: "david.okafor@acme.example"}})

	token := func(label string) func(snapshot.APIToken) bool {
		return func(k snapshot.APIToken) bool { return k.Label == label }
	}
	find(t, s.APITokens.Items, token("confluence-export")).Status = "BLOCKED"
	find(t, s.APITokens.Items, token("timesheet-sync")).Status = "ALLOWED"
	find(t, s.APITokens.Items, token("jira-cli")).LastActiveAt = ptr(s.CollectedAt) // volatile: ignored
	s.APITokens.Items = slices.DeleteFunc(s.APITokens.Items, token("old-integration"))
	s.APITokens.Items = append(s.APITokens.Items, snapshot.APIToken{ID: "e2a4c6e8-1b3d-4f5a-8c7e-9a0b1c2d3e13", Label: "ci-runner",
		Status: "ALLOWED", CreatedAt: ptr(s.CollectedAt.AddDate(0, 0, -5)), ExpiresAt: ptr(s.CollectedAt.AddDate(1, 0, 0)),
		User: &snapshot.Person{ID: "712020:8e4b1c2d-5f6a-4b7c-9d8e-0f1a2b3c4d5e", Name: "Kai Berger", Email: "kai.berger@partner.example"}})
}

func editAccounts(t *testing.T, s *snapshot.Snapshot) {
	account := func(name string) func(snapshot.Account) bool {
		return func(a snapshot.Account) bool { return a.Name == name }
	}
	get := func(name string) *snapshot.Account { return find(t, s.ManagedAccounts.Items, account(name)) }
	get("Tom Becker").Roles = []string{}
	get("Liam O'Brien").Roles = []string{"atlassian/site-admin", "atlassian/org-admin"}
	get("Marcus Chen").MFAEnabled = ptr(true)
	get("Hannah Schmidt").MFAEnabled = ptr(false)
	get("Emma Johansson").Status = "deactivated"
	get("Noah Williams").Status = "for_deletion"
	slices.Reverse(get("Priya Raman").Roles)                                                   // reordered: no change
	s.ManagedAccounts.Items = slices.DeleteFunc(s.ManagedAccounts.Items, account("Grace Kim")) // no admin role: not reported
	s.ManagedAccounts.Items = append(s.ManagedAccounts.Items,
		snapshot.Account{AccountID: "5f3c8a1b2d4e6f7a8b9c001f", Name: "Oscar Lind", Email: "oscar.lind@acme.example",
			Status: "active", MFAEnabled: ptr(false), Roles: []string{"atlassian/org-admin"}},
		snapshot.Account{AccountID: "5f3c8a1b2d4e6f7a8b9c0020", Name: "Ines Moreau", Email: "ines.moreau@acme.example",
			Status: "active", MFAEnabled: ptr(true), Roles: []string{}}) // no admin role: not reported
}

func editApps(t *testing.T, s *snapshot.Snapshot) {
	installed := &s.ConnectedApps.Installed
	site := func(url string) *snapshot.SiteApps {
		return find(t, installed.Sites, func(x snapshot.SiteApps) bool { return x.URL == url })
	}
	acme := site("https://acme.atlassian.net")
	app := func(k string) func(snapshot.App) bool { return func(a snapshot.App) bool { return a.Key == k } }
	find(t, acme.Apps, app("com.vendor.timesheets")).Version = "4.13.0"
	find(t, acme.Apps, app("com.drawboard.diagrams")).Enabled = false
	acme.Apps = slices.DeleteFunc(acme.Apps, app("io.exportly.confluence-pdf"))
	acme.Apps = append(acme.Apps, snapshot.App{Key: "ai.summarize.confluence", Name: "Summarize AI", Version: "0.9.2", Enabled: true, UserInstalled: true})
	*site("https://acme-support.atlassian.net") = snapshot.SiteApps{URL: "https://acme-support.atlassian.net",
		Error: &snapshot.AreaError{Status: 401, Endpoint: "GET /rest/plugins/1.0/", Message: "Unauthorized"}, Apps: []snapshot.App{}}
	upm := *find(t, acme.Apps, app("com.atlassian.upm.atlassian-universal-plugin-manager-plugin"))
	installed.Sites = append(installed.Sites, snapshot.SiteApps{URL: "https://acme-design.atlassian.net", Collected: true, Apps: []snapshot.App{upm}})

	settings := &s.ConnectedApps.Settings
	settings.AttestedAt = ptr(settings.AttestedAt.AddDate(0, 0, 24)) // ignored
	attested := func(url string) *snapshot.SiteAppSettings {
		return find(t, settings.Sites, func(x snapshot.SiteAppSettings) bool { return x.URL == url })
	}
	acmeSettings := attested("https://acme.atlassian.net")
	acmeSettings.BlockUserApps = ptr(true)
	attested("https://acme-support.atlassian.net").BlockUserApps = ptr(false)
	state := func(k string) func(snapshot.AttestedAppState) bool {
		return func(a snapshot.AttestedAppState) bool { return a.Key == k }
	}
	timesheets := find(t, acmeSettings.Apps, state("com.vendor.timesheets"))
	timesheets.VendorLogAccess, timesheets.UpdateAwaitingApproval = ptr(false), ptr(false)
	acmeSettings.Apps = slices.DeleteFunc(acmeSettings.Apps, state("io.exportly.confluence-pdf"))
	acmeSettings.Apps = append(acmeSettings.Apps, snapshot.AttestedAppState{Key: "ai.summarize.confluence",
		VendorLogAccess: ptr(true), UpdateAwaitingApproval: ptr(false), InstalledByAdmin: ptr(false)})

	policy := func(n string) func(snapshot.ExternalUserPolicy) bool {
		return func(p snapshot.ExternalUserPolicy) bool { return p.Name == n }
	}
	find(t, s.ExternalUsers.Items, policy("External user policy")).APITokenAccess = "block"
	s.ExternalUsers.Items = slices.DeleteFunc(s.ExternalUsers.Items, policy("Test policy"))
	s.ExternalUsers.Items = append(s.ExternalUsers.Items, snapshot.ExternalUserPolicy{Name: "Contractors", APITokenAccess: "allow"})
}

// editNonHuman changes the service accounts, their tokens and the OAuth
// clients: a description set, an account deleted and one created; a token's
// expiry extended, one no longer reported (its list came back empty), one
// created; a client disabled and one created.
func editNonHuman(t *testing.T, s *snapshot.Snapshot) {
	sa := func(id string) func(snapshot.ServiceAccount) bool {
		return func(x snapshot.ServiceAccount) bool { return x.ID == id }
	}
	find(t, s.ServiceAccounts.Items, sa("sa-03")).Description = "CI deployments; owner release-eng@acme.example"
	s.ServiceAccounts.Items = slices.DeleteFunc(s.ServiceAccounts.Items, sa("sa-05"))
	s.ServiceAccounts.Items = append(s.ServiceAccounts.Items, snapshot.ServiceAccount{ID: "sa-06", DisplayName: "release-bot",
		Status: "ACTIVE", CreatedByID: "5f3c8a1b2d4e6f7a8b9c0001", Description: "Release notes"})

	tok := func(id string) func(snapshot.ServiceAccountToken) bool {
		return func(x snapshot.ServiceAccountToken) bool { return x.ID == id }
	}
	first := find(t, s.ServiceAccountTokens.Items, tok("sat-01"))
	first.ExpiresAt = ptr(first.ExpiresAt.AddDate(1, 0, 0))
	first.LastActiveAt = ptr(s.CollectedAt) // volatile: ignored
	s.ServiceAccountTokens.Items = slices.DeleteFunc(s.ServiceAccountTokens.Items, tok("sat-03"))
	s.ServiceAccountTokens.Items = slices.DeleteFunc(s.ServiceAccountTokens.Items, tok("sat-06"))
	s.ServiceAccountTokens.Items = append(s.ServiceAccountTokens.Items, snapshot.ServiceAccountToken{ID: "sat-07",
		ServiceAccountID: "sa-06", Label: "release", CreatedAt: ptr(s.CollectedAt)})
	lists := []snapshot.TokenList{}
	for _, l := range s.ServiceAccountTokens.Accounts {
		switch l.ServiceAccountID {
		case "sa-02":
			l.Reported = 0
		case "sa-05":
			continue
		}
		lists = append(lists, l)
	}
	s.ServiceAccountTokens.Accounts = append(lists, snapshot.TokenList{ServiceAccountID: "sa-06", Collected: true, Reported: 1})

	oc := find(t, s.OAuthClients.Items, func(c snapshot.OAuthClient) bool { return c.Name == "sheets-export" })
	oc.Status = "INACTIVE"
	s.OAuthClients.Items = append(s.OAuthClients.Items, snapshot.OAuthClient{ClientID: "oc-0a1b2c3d4e5f", Name: "release-bot",
		Status: "ACTIVE", CreatedAt: ptr(s.CollectedAt), UpdatedAt: ptr(s.CollectedAt)})
}

// editOrgPolicies fails a resource, changes a rule, removes one policy and adds another.
func editOrgPolicies(t *testing.T, s *snapshot.Snapshot) {
	policy := func(name string) func(snapshot.OrgPolicy) bool {
		return func(p snapshot.OrgPolicy) bool { return p.Name == name }
	}
	office := find(t, s.OrgPolicies.Items, policy("Office and VPN"))
	office.Resources = slices.Clone(office.Resources)
	office.Resources[1].ApplicationStatus = "failed"
	slices.Reverse(office.Resources) // reordered: no change
	find(t, s.OrgPolicies.Items, policy("Protect Confluence content")).Rule = json.RawMessage(`{"appAccess": {"mode": "block"}}`)
	find(t, s.OrgPolicies.Items, policy("EU data residency")).Rule = json.RawMessage(`{ "in" : [ "EU" ] }`) // spacing only: no change
	s.OrgPolicies.Items = slices.DeleteFunc(s.OrgPolicies.Items, policy("Hold back AI on internal content"))
	s.OrgPolicies.Items = append(s.OrgPolicies.Items, snapshot.OrgPolicy{ID: "3f0c9a7e-1b2d-4c5e-8f6a-7b8c9d0e1f08", Type: "ip-allowlist",
		Name: "Support office", Status: "enabled", Resources: []snapshot.PolicyResource{
			{ID: "ari:cloud:jira-servicedesk::site/b4d2f6a8-3c5e-4a79-8b1d-2f4a6b8c0d3e", ApplicationStatus: "applying"}}})
}

// editAuthPolicies lengthens an idle session, stops requiring two-step
// verification and accepts weaker passwords that expire in one policy, and
// moves an admin to another policy.
func editAuthPolicies(t *testing.T, s *snapshot.Snapshot) {
	policy := func(name string) func(snapshot.AuthPolicy) bool {
		return func(p snapshot.AuthPolicy) bool { return p.Name == name }
	}
	s.AuthPolicies.Items = slices.Clone(s.AuthPolicies.Items)
	eng := find(t, s.AuthPolicies.Items, policy("Engineering (2SV)"))
	eng.TwoStepRequired, eng.IdleSessionMinutes = ptr(false), ptr(1440)
	eng.Password = &snapshot.PasswordRules{MinimumStrength: "fair", ExpiryDays: ptr(90)} // was strong, never
	s.AuthPolicyMembers.Items = slices.Clone(s.AuthPolicyMembers.Items)
	m := find(t, s.AuthPolicyMembers.Items, func(m snapshot.AuthPolicyMember) bool { return m.AccountID == "5f3c8a1b2d4e6f7a8b9c0006" })
	m.PolicyID, m.PolicyName = "8e1f3c5a-7b9d-4e2f-a4c6-1d3e5f7a9b01", "Admins (SSO)"
}

// editAuditLog is the audit log of the week after: other events (the old
// ones fell out of the window) and a signal no action carries any more.
func editAuditLog(s *snapshot.Snapshot) {
	from, to := s.AuditLog.Window.From.AddDate(0, 0, 7), s.AuditLog.Window.To.AddDate(0, 0, 7)
	s.AuditLog.Window.From, s.AuditLog.Window.To = &from, &to
	s.AuditLog.Items = []snapshot.AuditEvent{{ID: "ev-2001", Signal: "org_policy_changed", Action: "policy_updated", ActionName: "Policy updated",
		Time: from.Add(3 * time.Hour), Actor: &snapshot.AuditActor{ID: "5f3c8a1b2d4e6f7a8b9c0006", Name: "David Okafor", Email: "david.okafor@acme.example"},
		Targets: []snapshot.AuditObject{{ID: "pol-ip-allowlist-01", Type: "policy", Name: "Corporate IP allow-list"}}}}
	for i := range s.AuditLog.Signals {
		if s.AuditLog.Signals[i].ID == "api_token_used" {
			s.AuditLog.Signals[i].Actions, s.AuditLog.Signals[i].Complete = []snapshot.EventAction{}, false
			s.AuditLog.Signals[i].Note = "the org's event-actions list has no action that carries it"
		}
	}
}
