package config

// Parameters are the policy parameters, passed to Rego as
// data.atlcheck.parameters. These types are the one definition of the
// parameters: their tags give the validation ranges (checked by validate),
// the descriptions, and with defaultParameters the defaults; the config
// JSON Schema (docs/config.schema.json), the defaults file the policies'
// tests load (policies/atlcheck/parameters/data.json) and the tables of
// docs/config.md are generated from them (`make generate`), and the policy
// engine refuses a policy that reads a parameter not defined here.
type Parameters struct {
	APIKeys     APIKeyParams      `yaml:"api_keys" json:"api_keys" doc:"the admin API key policies"`
	APITokens   APITokenParams    `yaml:"api_tokens" json:"api_tokens" doc:"the user API token policies"`
	AppAccess   AppAccessParams   `yaml:"app_access" json:"app_access" doc:"the app access (approved domains) policies"`
	Apps        AppParams         `yaml:"apps" json:"apps" doc:"the connected app policies"`
	Admins      AdminParams       `yaml:"admins" json:"admins" doc:"the number of active org admins"`
	Attestation AttestationParams `yaml:"attestation" json:"attestation" doc:"the age of an attestation file"`
	Exceptions  ExceptionParams   `yaml:"exceptions" json:"exceptions" doc:"the exceptions of the config file"`
	// The non-human identities (issue 17).
	ServiceAccounts ServiceAccountParams `yaml:"service_accounts" json:"service_accounts" doc:"the service account and service-account API token policies"`
	OAuthClients    OAuthClientParams    `yaml:"oauth_clients" json:"oauth_clients" doc:"the OAuth client policy"`
	OrgPolicies     OrgPolicyParams      `yaml:"org_policies" json:"org_policies" doc:"the org policy policies (IP allow-lists, data security, AI)"`
	Authentication  AuthParams           `yaml:"authentication" json:"authentication" doc:"the authentication policy policies"`
	AuditLog        AuditLogParams       `yaml:"audit_log" json:"audit_log" doc:"how much of the audit log collect and scan read"`
	Accounts        AccountParams        `yaml:"accounts" json:"accounts" doc:"the two-step verification and dormant account policies"`
}

// AuditLogParams bound the audit log a collection reads: its window since
// the last run and its pages (each up to 500 events).
type AuditLogParams struct {
	MaxWindowDays int `yaml:"max_window_days" json:"max_window_days" schema:"minimum=1,maximum=180,unit=days" usedby:"collect and scan" range:"1–180 (Atlassian keeps the audit log 180 days)" doc:"the longest window read: a previous run (or --since) further back is cut to this many days before the collection, and the cut is reported"`
	MaxPages      int `yaml:"max_pages" json:"max_pages" schema:"minimum=1,maximum=100" usedby:"collect and scan" range:"1–100 (at 10 requests a minute, 100 pages take about 10 minutes, within the collection's default 30-minute limit)" doc:"the most pages of events read in one run (500 events a page); a signal whose events go further is not evaluated"`
}

// ServiceAccountParams tune the service account policies.
type ServiceAccountParams struct {
	TokenMaxLifetimeDays int `yaml:"token_max_lifetime_days" json:"token_max_lifetime_days" schema:"minimum=1,maximum=3650,unit=days" doc:"longest allowed service-account API token lifetime (expiry minus creation)"`
	TokenUnusedDays      int `yaml:"token_unused_days" json:"token_unused_days" schema:"minimum=1,maximum=3650,unit=days" doc:"a service-account API token unused for longer is reported"`
}

// OAuthClientParams tune the OAuth client policy.
type OAuthClientParams struct {
	StaleDays int `yaml:"stale_days" json:"stale_days" schema:"minimum=1,maximum=3650,unit=days" doc:"an active OAuth client not used (or, when no use is reported, not updated) for longer is reported"`
}

// APIKeyParams tune the admin API key policies.
type APIKeyParams struct {
	MaxLifetimeDays   int `yaml:"max_lifetime_days" json:"max_lifetime_days" schema:"minimum=1,maximum=3650,unit=days" doc:"longest allowed key lifetime (expiry minus creation)"`
	UnusedDays        int `yaml:"unused_days" json:"unused_days" schema:"minimum=1,maximum=3650,unit=days" doc:"a key unused for longer is reported"`
	ExpiryWarningDays int `yaml:"expiry_warning_days" json:"expiry_warning_days" schema:"minimum=1,maximum=3650,unit=days" doc:"warn when a key expires within this many days"`
}

// APITokenParams tune the user API token policies.
type APITokenParams struct {
	MaxLifetimeDays int `yaml:"max_lifetime_days" json:"max_lifetime_days" schema:"minimum=1,maximum=3650,unit=days" doc:"longest allowed token lifetime"`
	UnusedDays      int `yaml:"unused_days" json:"unused_days" schema:"minimum=1,maximum=3650,unit=days" doc:"a token unused for longer is reported"`
}

// AppAccessParams tune the app access (approved domains) policies.
type AppAccessParams struct {
	PublicEmailDomains []string `yaml:"public_email_domains" json:"public_email_domains" pattern:"^[^\\s/@]+$" range:"domain names, lower-cased" doc:"public email providers; replaces the built-in list when set"`
}

// AppParams tune the connected app policies.
type AppParams struct {
	Allowed []string `yaml:"allowed" json:"allowed" schema:"minLength=1" range:"app keys" doc:"app keys allowed on the org's sites; empty: no allow-list check (ATL-APP-004 passes)"`
}

// AdminParams bound the number of active org admins.
type AdminParams struct {
	Min int `yaml:"min" json:"min" schema:"minimum=1" doc:"fewest active org admins"`
	Max int `yaml:"max" json:"max" schema:"minimum=1" range:"≥ admins.min" doc:"most active org admins"`
}

// AttestationParams bound the age of an attestation file.
type AttestationParams struct {
	MaxAgeDays int `yaml:"max_age_days" json:"max_age_days" schema:"minimum=1,maximum=3650,unit=days" doc:"an attestation older than this is stale"`
}

// ExceptionParams bound the exceptions of the config file.
type ExceptionParams struct {
	MaxDays           int `yaml:"max_days" json:"max_days" schema:"minimum=1,maximum=3650,unit=days" usedby:"the config check" doc:"how far after the snapshot an exception may expire"`
	ExpiryWarningDays int `yaml:"expiry_warning_days" json:"expiry_warning_days" schema:"minimum=1,maximum=3650,unit=days" doc:"when ATL-EXC-002 starts warning about an expiring exception"`
}

// AccountParams tune the policies over every account (two-step
// verification coverage, dormant accounts).
type AccountParams struct {
	ListMax          int `yaml:"list_max" json:"list_max" schema:"minimum=1,maximum=1000" doc:"how many accounts an organization-wide finding names (the rest are counted)"`
	DormantDays      int `yaml:"dormant_days" json:"dormant_days" schema:"minimum=1,maximum=3650,unit=days" doc:"an active account with product access and no activity for longer is dormant (ATL-ACC-007)"`
	AdminDormantDays int `yaml:"admin_dormant_days" json:"admin_dormant_days" schema:"minimum=1,maximum=3650,unit=days" doc:"an active admin with no activity for longer is dormant (ATL-ACC-008)"`
}

// AuthParams tune the authentication policy policies.
type AuthParams struct {
	IdleSessionMaxMinutes int `yaml:"idle_session_max_minutes" json:"idle_session_max_minutes" schema:"minimum=1,maximum=525600,unit=minutes" doc:"the longest idle session an authentication policy may allow (ATL-AUT-003)"`
}

// OrgPolicyParams tune the org policy policies.
type OrgPolicyParams struct {
	StuckDays    int    `yaml:"stuck_days" json:"stuck_days" schema:"minimum=1,maximum=3650,unit=days" doc:"a resource still applying, removing or validating a policy after this long is stuck (ATL-ORG-003)"`
	GenerativeAI string `yaml:"generative_ai" json:"generative_ai" schema:"enum=|allowed|restricted" doc:"what the generative-ai policy should say: restricted (AI held back on every production site), allowed (no policy holds it back), or empty for no expectation (ATL-ORG-005 then passes with that reason)"`
}

// defaultParameters are the built-in defaults.
func defaultParameters() Parameters {
	return Parameters{
		APIKeys:   APIKeyParams{MaxLifetimeDays: 90, UnusedDays: 30, ExpiryWarningDays: 14},
		APITokens: APITokenParams{MaxLifetimeDays: 365, UnusedDays: 90},
		AppAccess: AppAccessParams{PublicEmailDomains: []string{
			"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
			"yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com",
			"proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.net", "gmx.de", "web.de",
			"mail.com", "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com",
			"126.com", "fastmail.com", "tutanota.com", "hey.com",
		}},
		Apps:            AppParams{Allowed: []string{}},
		Admins:          AdminParams{Min: 2, Max: 5},
		Attestation:     AttestationParams{MaxAgeDays: 90},
		Exceptions:      ExceptionParams{MaxDays: 365, ExpiryWarningDays: 14},
		ServiceAccounts: ServiceAccountParams{TokenMaxLifetimeDays: 365, TokenUnusedDays: 90},
		OAuthClients:    OAuthClientParams{StaleDays: 180},
		// Atlassian publishes no time for applying a policy to a resource;
		// two days leave room for a slow rollout (a data residency move is
		// "scheduled" until it starts, not "applying").
		OrgPolicies: OrgPolicyParams{StuckDays: 2},
		// NIST SP 800-63B section 4.2.3: at AAL2, reauthenticate after 30
		// minutes of inactivity (ATL-AUT-003's references).
		Authentication: AuthParams{IdleSessionMaxMinutes: 30},
		AuditLog:       AuditLogParams{MaxWindowDays: 7, MaxPages: 20},
		// PCI DSS v4.0 requirement 8.2.6 (inactive accounts removed or
		// disabled within 90 days) and CIS Controls v8 safeguard 5.3 (dormant
		// accounts disabled after 45 days), the references of ATL-ACC-007/008.
		Accounts: AccountParams{ListMax: 20, DormantDays: 90, AdminDormantDays: 45},
	}
}
