package diff

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// brief is "area kind resource risk" for compact expectations.
func brief(c Change) string {
	return fmt.Sprintf("%s %s %s %s", c.Area, c.Kind, c.Resource, c.Risk)
}

// later is a collection time a week after base's.
var later = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// matchingRules edit a copy of base and list the changes they must give,
// as brief strings.
var matchingRules = []struct {
	name string
	edit func(s *snapshot.Snapshot)
	want []string
}{
	{"identical", func(*snapshot.Snapshot) {}, nil},
	{"domain names match case-insensitively", func(s *snapshot.Snapshot) {
		s.AppAccess.Items[1].Domain = "ONE.Example"
		s.AppAccess.Items[0].Domain = "anyone"
		s.VerifiedDomains.Items[0].Name = "One.EXAMPLE"
		s.VerifiedDomains.Items[0].Status = "verified"
	}, nil},
	{"site URLs match case-insensitively and without a trailing slash", func(s *snapshot.Snapshot) {
		s.Sites.Items[0].URL = "https://ONE.atlassian.net/"
		s.ConnectedApps.Installed.Sites[0].URL = "https://one.atlassian.net/"
	}, nil},
	{"reordered arrays are no change", func(s *snapshot.Snapshot) {
		slices.Reverse(s.Sites.Items[0].Products)
		slices.Reverse(s.AppAccess.Items)
		slices.Reverse(s.AppAccess.Items[0].Products)
		slices.Reverse(s.APIKeys.Items[0].Scopes)
		slices.Reverse(s.ManagedAccounts.Items)
		slices.Reverse(s.ManagedAccounts.Items[1].Roles)
		slices.Reverse(s.ConnectedApps.Installed.Sites[0].Apps)
	}, nil},
	{"volatile fields are ignored", func(s *snapshot.Snapshot) {
		s.CollectedAt, s.ToolVersion = later, "9.9.9"
		s.Sites.CollectedAt, s.APIKeys.CollectedAt = &later, &later
		s.APIKeys.Items[0].LastActiveAt = &later
		s.APIKeys.Items[0].Raw = json.RawMessage(`{"new":true}`)
		s.APITokens.Items[0].LastActiveAt = nil
		s.AppAccess.Items[1].Raw = nil
		s.AppAccess.Items[1].NumberOfProductsAppliesTo = 7
		s.ConnectedApps.Settings.AttestedAt = &later
		s.ExternalUsers.AttestedBy = "someone else"
	}, nil},
	{"area collected then not is one change, not removed items", func(s *snapshot.Snapshot) {
		s.APIKeys.Collected = false
		s.APIKeys.Error = &snapshot.AreaError{Status: 403, Code: "ADMIN-UAM-403-1", Message: "Forbidden"}
		s.APIKeys.Items = []snapshot.APIKey{}
	}, []string{"api_keys changed  neutral"}},
	{"site apps collected then not", func(s *snapshot.Snapshot) {
		s.ConnectedApps.Installed.Sites[0].Collected = false
		s.ConnectedApps.Installed.Sites[0].Apps = nil
	}, []string{"connected_apps.installed changed https://one.atlassian.net neutral"}},
	{"api key gone is revoked", func(s *snapshot.Snapshot) { s.APIKeys.Items = []snapshot.APIKey{} },
		[]string{"api_keys removed k1 decreased"}},
	{"api key status revoked", func(s *snapshot.Snapshot) { s.APIKeys.Items[0].Status = "REVOKED" },
		[]string{"api_keys changed k1 decreased"}},
	{"api key loses every scope", func(s *snapshot.Snapshot) { s.APIKeys.Items[0].Scopes = []string{} },
		[]string{"api_keys changed k1 increased"}},
	{"api key never expires", func(s *snapshot.Snapshot) { s.APIKeys.Items[0].ExpiresAt = nil },
		[]string{"api_keys changed k1 increased"}},
	{"token blocked", func(s *snapshot.Snapshot) { s.APITokens.Items[0].Status = "BLOCKED" },
		[]string{"api_tokens changed t1 decreased"}},
	{"ANYONE enabled", func(s *snapshot.Snapshot) { s.AppAccess.Items[0].Enabled = true },
		[]string{"app_access changed ANYONE increased"}},
	{"product role becomes admin", func(s *snapshot.Snapshot) {
		s.AppAccess.Items[1].Products[1].Role = "ari:cloud:identity::role/product/admin"
	}, []string{"app_access changed one.example increased"}},
	{"verified domain lost", func(s *snapshot.Snapshot) { s.VerifiedDomains.Items[0].Status = "UNVERIFIED" },
		[]string{"verified_domains changed one.example increased"}},
	{"MFA turned off", func(s *snapshot.Snapshot) { s.ManagedAccounts.Items[1].MFAEnabled = ptr(false) },
		[]string{"managed_accounts changed a2 increased"}},
	{"org admin role lost", func(s *snapshot.Snapshot) { s.ManagedAccounts.Items[0].Roles = []string{"atlassian/site-admin"} },
		[]string{"managed_accounts changed a1 decreased"}},
	{"new org admin", func(s *snapshot.Snapshot) {
		s.ManagedAccounts.Items = append(s.ManagedAccounts.Items, snapshot.Account{AccountID: "a3", Status: "active", Roles: []string{"atlassian/org-admin"}})
	}, []string{"managed_accounts added a3 increased"}},
	{"non-admin joins and leaves unreported", func(s *snapshot.Snapshot) {
		s.ManagedAccounts.Items[1] = snapshot.Account{AccountID: "a4", Status: "active", Roles: []string{}}
	}, nil},
	{"account deactivated", func(s *snapshot.Snapshot) { s.ManagedAccounts.Items[1].Status = "deactivated" },
		[]string{"managed_accounts changed a2 decreased"}},
	{"third-party app installed", func(s *snapshot.Snapshot) {
		apps := &s.ConnectedApps.Installed.Sites[0].Apps
		*apps = append(*apps, snapshot.App{Key: "io.new", Enabled: true, UserInstalled: true})
	}, []string{"connected_apps.installed added https://one.atlassian.net#io.new increased"}},
	{"app version is neutral", func(s *snapshot.Snapshot) { s.ConnectedApps.Installed.Sites[0].Apps[0].Version = "2.0" },
		[]string{"connected_apps.installed changed https://one.atlassian.net#com.vendor.app neutral"}},
	{"users may install apps", func(s *snapshot.Snapshot) { s.ConnectedApps.Settings.Sites[0].BlockUserApps = ptr(false) },
		[]string{"connected_apps.settings changed https://one.atlassian.net increased"}},
	{"attested value unknown is neutral", func(s *snapshot.Snapshot) {
		s.ConnectedApps.Settings.Sites[0].Apps[0].VendorLogAccess = nil
	}, []string{"connected_apps.settings changed https://one.atlassian.net#com.vendor.app neutral"}},
	{"external users may use tokens", func(s *snapshot.Snapshot) { s.ExternalUsers.Items[0].APITokenAccess = "allow" },
		[]string{"external_users changed Default increased"}},
	{"service account loses its description", func(s *snapshot.Snapshot) { s.ServiceAccounts.Items[0].Description = " " },
		[]string{"service_accounts changed sa-1 increased"}},
	{"service account deactivated", func(s *snapshot.Snapshot) { s.ServiceAccounts.Items[0].Status = "INACTIVE" },
		[]string{"service_accounts changed sa-1 decreased"}},
	{"service-account token gone is revoked", func(s *snapshot.Snapshot) {
		s.ServiceAccountTokens.Items = []snapshot.ServiceAccountToken{}
		s.ServiceAccountTokens.Accounts[0].Reported = 1 // the list still reports another token
	}, []string{"service_account_tokens removed st-1 decreased"}},
	{"service-account token not reported by an empty list is neutral", func(s *snapshot.Snapshot) {
		s.ServiceAccountTokens.Items, s.ServiceAccountTokens.Accounts[0].Reported = []snapshot.ServiceAccountToken{}, 0
	}, []string{"service_account_tokens removed st-1 neutral"}},
	{"service-account token of a list not read is neutral", func(s *snapshot.Snapshot) {
		s.ServiceAccountTokens.Items = []snapshot.ServiceAccountToken{}
		s.ServiceAccountTokens.Accounts[0] = snapshot.TokenList{ServiceAccountID: "sa-1", Error: &snapshot.AreaError{Status: 403, Message: "Forbidden"}}
	}, []string{"service_account_tokens removed st-1 neutral"}},
	{"service-account token never expires", func(s *snapshot.Snapshot) { s.ServiceAccountTokens.Items[0].ExpiresAt = nil },
		[]string{"service_account_tokens changed st-1 increased"}},
	{"OAuth client created", func(s *snapshot.Snapshot) {
		s.OAuthClients.Items = append(s.OAuthClients.Items, snapshot.OAuthClient{ClientID: "oc-2", Status: "ACTIVE"})
	}, []string{"oauth_clients added oc-2 increased"}},
	{"OAuth client renamed is neutral", func(s *snapshot.Snapshot) { s.OAuthClients.Items[0].Name = "sync2" },
		[]string{"oauth_clients changed oc-1 neutral"}},
	{"audit-log event of the new window", func(s *snapshot.Snapshot) {
		e := s.AuditLog.Items[0]
		e.ID = "ev-2"
		s.AuditLog.Items = []snapshot.AuditEvent{e} // ev-1 fell out of the window: not listed
	}, []string{"audit_log added ev-2 neutral"}},
	{"audit-log signal no longer read", func(s *snapshot.Snapshot) {
		s.AuditLog.Signals[0].Actions, s.AuditLog.Signals[0].Complete = nil, false
	}, []string{"audit_log changed signal:api_key_created increased"}},
	{"a weaker minimum password strength raises risk", func(s *snapshot.Snapshot) {
		s.AuthPolicies.Items[0].Password.MinimumStrength = "weak"
	}, []string{"authentication_policies changed Default increased"}},
	{"a stronger one lowers it; a password expiry is neutral", func(s *snapshot.Snapshot) {
		s.AuthPolicies.Items[0].Password.MinimumStrength = "very_strong"
		s.AuthPolicyMembers.Items[0].PolicyName = "default" // the same policy: no change
	}, []string{"authentication_policies changed Default decreased"}},
	{"a password expiry set", func(s *snapshot.Snapshot) {
		s.AuthPolicies.Items[0].Password.ExpiryDays = ptr(90)
	}, []string{"authentication_policies changed Default neutral"}},
	{"password rules no longer attested", func(s *snapshot.Snapshot) {
		s.AuthPolicies.Items[0].Password = nil
	}, []string{"authentication_policies changed Default neutral"}},
	{"mixed directions count as increased", func(s *snapshot.Snapshot) {
		s.APIKeys.Items[0].Scopes = []string{"read:events:admin", "write:directories:admin"}
	}, []string{"api_keys changed k1 increased"}},
}

func TestMatchingRules(t *testing.T) {
	for _, tt := range matchingRules {
		t.Run(tt.name, func(t *testing.T) {
			next := base()
			tt.edit(next)
			r, err := Compare(context.Background(), doc(t, base(), "old.json"), doc(t, next, "new.json"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range r.Changes {
				got = append(got, brief(c))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAreaNewlyCollected(t *testing.T) {
	old := base()
	old.ExternalUsers.Area = snapshot.Area{Source: snapshot.SourceNone, Error: &snapshot.AreaError{Message: "no attestation file"}}
	old.ExternalUsers.Items = []snapshot.ExternalUserPolicy{}
	r, err := Compare(context.Background(), doc(t, old, "old.json"), doc(t, base(), "new.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changes) != 1 || brief(r.Changes[0]) != "external_users changed  neutral" {
		t.Fatalf("got %+v, want one change of the area itself", r.Changes)
	}
	want := "Area external_users: not collected in the old snapshot (no attestation file); its items are not compared."
	if got := r.Changes[0].Summary; got != want {
		t.Errorf("got summary %q, want %q", got, want)
	}
	if got := r.NotCompared; len(got) != 1 || got[0].Area != snapshot.AreaExternalUsers {
		t.Errorf("got not_compared %+v, want external_users", got)
	}
}

func TestSummaries(t *testing.T) {
	tests := []struct {
		name string
		edit func(s *snapshot.Snapshot)
		want string
	}{
		{"MFA off", func(s *snapshot.Snapshot) { s.ManagedAccounts.Items[1].MFAEnabled = ptr(false) },
			"Account Bob (bob@one.example): MFA turned off."},
		{"ANYONE enabled", func(s *snapshot.Snapshot) { s.AppAccess.Items[0].Enabled = true },
			"ANYONE domain: enabled: anyone with an Atlassian account can join."},
		{"new org admin", func(s *snapshot.Snapshot) {
			s.ManagedAccounts.Items = append(s.ManagedAccounts.Items, snapshot.Account{AccountID: "a3", Name: "Cy", Status: "active", Roles: []string{"atlassian/org-admin"}})
		}, "New org admin Cy (a3) with role atlassian/org-admin."},
		{"key revoked", func(s *snapshot.Snapshot) { s.APIKeys.Items[0].Status = "REVOKED" },
			"Admin API key audit (k1): revoked."},
		{"key gone", func(s *snapshot.Snapshot) { s.APIKeys.Items = []snapshot.APIKey{} },
			"Admin API key audit (k1) revoked (no longer listed)."},
		{"product access", func(s *snapshot.Snapshot) {
			s.AppAccess.Items[1].Products[0].AdminApprovalRequired = ptr(true)
			s.AppAccess.Items[1].Products = s.AppAccess.Items[1].Products[:1]
		}, "Approved domain one.example: access to confluence on one.atlassian.net removed; admin approval now required for jira-software on one.atlassian.net."},
		{"roles", func(s *snapshot.Snapshot) { s.ManagedAccounts.Items[1].Roles = []string{"atlassian/org-admin"} },
			"Account Bob (bob@one.example): became org admin."},
		{"service account without description", func(s *snapshot.Snapshot) { s.ServiceAccounts.Items[0].Description = "" },
			"Service account bot (sa-1): description removed (no owner or purpose on record)."},
		{"service account renamed", func(s *snapshot.Snapshot) { s.ServiceAccounts.Items[0].DisplayName = "robot" },
			`Service account robot (sa-1): display name "bot" → "robot".`},
		{"audit-log event", func(s *snapshot.Snapshot) { s.AuditLog.Items[0].ID = "ev-2" },
			"Audit log: Created API key by Ann at 2026-11-20T08:00:00Z: api-key audit (k1)."},
		{"token of an empty list", func(s *snapshot.Snapshot) {
			s.ServiceAccountTokens.Items, s.ServiceAccountTokens.Accounts[0].Reported = []snapshot.ServiceAccountToken{}, 0
		}, "Service-account API token ci (st-1) of service account bot (sa-1) no longer reported: its service account's list came back empty, which is not proof it was revoked."},
		{"org policy disabled and taken off a resource", func(s *snapshot.Snapshot) {
			s.OrgPolicies.Items[0].Status = "disabled"
			s.OrgPolicies.Items[0].Resources = []snapshot.PolicyResource{}
		}, "Org policy Office (ip-allowlist, p1): disabled; no longer applies to ari:cloud:jira-software::site/c1."},
		{"two-step verification no longer required, idle session longer", func(s *snapshot.Snapshot) {
			s.AuthPolicies.Items[0].TwoStepRequired, s.AuthPolicies.Items[0].IdleSessionMinutes = ptr(false), ptr(480)
		}, "Authentication policy Default: two-step verification no longer required; idle session 30 min → 480 min."},
		{"weaker passwords that expire", func(s *snapshot.Snapshot) {
			s.AuthPolicies.Items[0].Password = &snapshot.PasswordRules{MinimumStrength: "fair", ExpiryDays: ptr(60)}
		}, "Authentication policy Default: minimum password strength good → fair; password expiry never → 60 days."},
		{"account moved to another policy", func(s *snapshot.Snapshot) {
			s.AuthPolicyMembers.Items[0].PolicyID, s.AuthPolicyMembers.Items[0].PolicyName = "p-sso", "Admins"
		}, "Account Ann (a1): moved from authentication policy Default to Admins."},
		{"org policy rule respaced", func(s *snapshot.Snapshot) {
			s.OrgPolicies.Items[0].Rule = json.RawMessage(`{ "in": [ "203.0.113.0/24" ] }`)
			s.OrgPolicies.Items[0].Name = "Office" // unchanged
			s.APIKeys.Items[0].Status = "REVOKED"
		}, "Admin API key audit (k1): revoked."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := base()
			tt.edit(next)
			r, err := Compare(context.Background(), doc(t, base(), "old.json"), doc(t, next, "new.json"))
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Changes) != 1 || r.Changes[0].Summary != tt.want {
				t.Errorf("got %+v, want one change with summary %q", r.Changes, tt.want)
			}
		})
	}
}
