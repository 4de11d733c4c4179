// Package snapshot defines atlcheck's snapshot document (schema v1): the Go
// types the collector writes, the area registry, the JSON Schema that check
// validates against and the policies are compiled against, and the locator
// that turns a JSON Pointer into a line and column.
//
// The Go types are the one source of the shape: schema.json and the field
// tables of docs/snapshot.md are generated from them and their tags (`make
// generate`; see internal/schemagen for the tags), and a test fails when
// either is stale.
package snapshot

import (
	"encoding/json"
	"time"
)

// SchemaVersion is the snapshot schema version this build reads and writes.
const SchemaVersion = 1

// Sources of an area's data.
const (
	SourceAPI         = "api"         // the organization admin APIs (api.atlassian.com)
	SourceSiteAPI     = "site_api"    // each site's own REST API (installed apps)
	SourceAttestation = "attestation" // an admin-signed attestation file
	SourceNone        = "none"        // no data source was configured for this area
)

// Area names, as used in policy metadata (`custom.requires`). Registry
// (registry.go) says everything else about each area.
const (
	AreaSites           = "sites"
	AreaVerifiedDomains = "verified_domains"
	AreaAppAccess       = "app_access"
	AreaAPIKeys         = "api_keys"
	AreaAPITokens       = "api_tokens"
	AreaManagedAccounts = "managed_accounts"
	AreaInstalledApps   = "connected_apps.installed"
	AreaAppSettings     = "connected_apps.settings"
	AreaExternalUsers   = "external_users"
	// The non-human identities (nonhuman.go).
	AreaServiceAccounts      = "service_accounts"
	AreaServiceAccountTokens = "service_account_tokens"
	AreaOAuthClients         = "oauth_clients"
	AreaOrgPolicies          = "org_policies"
	// The login controls (access.go).
	AreaAuthPolicies      = "authentication_policies"
	AreaAuthPolicyMembers = "authentication_policy_members"
	// The audit log since the last run (auditlog.go).
	AreaAuditLog = "audit_log"
)

// Snapshot is the whole document.
type Snapshot struct {
	SchemaVersion   int                 `json:"schema_version" schema:"required,const=1" doc:"the format version; any other value is rejected with \"unsupported schema_version\""`
	ToolVersion     string              `json:"tool_version" doc:"the atlcheck version that collected it"`
	CollectedAt     time.Time           `json:"collected_at" schema:"required" doc:"when collection finished; policies use it as \"now\", so a snapshot evaluates the same forever"`
	Org             Org                 `json:"org" schema:"required" doc:"the organization"`
	Sites           SitesArea           `json:"sites" schema:"required"`
	VerifiedDomains VerifiedDomainsArea `json:"verified_domains" schema:"required"`
	AppAccess       AppAccessArea       `json:"app_access" schema:"required"`
	APIKeys         APIKeysArea         `json:"api_keys" schema:"required"`
	APITokens       APITokensArea       `json:"api_tokens" schema:"required"`
	ManagedAccounts ManagedAccountsArea `json:"managed_accounts" schema:"required"`
	ConnectedApps   ConnectedApps       `json:"connected_apps" schema:"required" doc:"two areas with their own sources: installed and settings"`
	ExternalUsers   ExternalUsersArea   `json:"external_users" schema:"required"`
	// Areas added after schema v1 was first released are not required: a
	// snapshot written before atlcheck collected them reads them as having
	// no source (see fillMissingAreas).
	ServiceAccounts      ServiceAccountsArea      `json:"service_accounts" doc:"the service accounts (absent from snapshots of older atlcheck versions: read as no source)"`
	ServiceAccountTokens ServiceAccountTokensArea `json:"service_account_tokens" doc:"the service accounts' API tokens (absent from older snapshots: read as no source)"`
	OAuthClients         OAuthClientsArea         `json:"oauth_clients" doc:"the OAuth 2.0 clients (absent from older snapshots: read as no source)"`
	OrgPolicies          OrgPoliciesArea          `json:"org_policies,omitzero" doc:"the org policies (absent from older snapshots: read as no source)"`
	AuthPolicies         AuthPoliciesArea         `json:"authentication_policies,omitzero" doc:"the attested authentication policies (absent from older snapshots: read as no source)"`
	AuthPolicyMembers    AuthPolicyMembersArea    `json:"authentication_policy_members,omitzero" doc:"which authentication policy accounts are in (absent from older snapshots: read as no source)"`
	AuditLog             AuditLogArea             `json:"audit_log,omitzero" doc:"the audit-log signals since the last run (absent from older snapshots: read as no source)"`
}

// Org identifies the organization.
type Org struct {
	ID   string `json:"id" schema:"required,minLength=1" doc:"the organization id"`
	Name string `json:"name" doc:"the organization's name"`
}

// Area is the envelope every area carries: where its data came from, whether
// it is complete, and why not.
type Area struct {
	Source      string     `json:"source" schema:"required,enum=api|site_api|attestation|none" doc:"where the data came from; none means no source was configured (no attestation file, no site credentials)"`
	Collected   bool       `json:"collected" schema:"required" doc:"true when the data is complete"`
	CollectedAt *time.Time `json:"collected_at,omitempty" doc:"when this area was collected"`
	Error       *AreaError `json:"error,omitempty" doc:"why the area was not collected; required when collected is false. With source none and a status, the API said the area is not available (e.g. the app access settings routes answering 404)"`
	// Note says something a reader of the results should know about where
	// the data came from (e.g. an attestation that was ignored); the
	// policies that require the area carry it as their reason.
	Note string `json:"note,omitempty" doc:"where the data came from, when there is something to know (e.g. an attestation that was ignored because the API answered); the policies that require the area carry it as their reason"`
	// Unreadable are the items the collector received but could not read,
	// kept as received. While an area has any, none of its policies passes.
	Unreadable []UnreadableItem `json:"unreadable,omitempty" doc:"the items the collector received but could not read, kept as received; ATL-COL-003 reports each, and no policy that requires the area passes while there are any"`
}

// UnreadableItem is an item of an API response that the collector could not
// read: a field of the wrong type, an unknown enum value, no id, a timestamp
// out of range, a null item, or an item listed twice with different content.
type UnreadableItem struct {
	ID       string          `json:"id,omitempty" doc:"the item's id, when it could be read"`
	Site     string          `json:"site,omitempty" doc:"the site URL, for installed apps"`
	Problems []ItemProblem   `json:"problems" schema:"required,minItems=1" doc:"what could not be read, field by field"`
	Raw      json.RawMessage `json:"raw" schema:"required" doc:"the item as the API sent it (null for a null item)"`
}

// ItemProblem is one field of an unreadable item.
type ItemProblem struct {
	Field  string `json:"field" schema:"required" doc:"the JSON Pointer of the field inside the item (\"\" for the item as a whole)"`
	Reason string `json:"reason" schema:"required" doc:"why it could not be read"`
}

// AreaError says why an area (or one site of it) was not collected.
type AreaError struct {
	Status   int    `json:"status,omitempty" schema:"minimum=0" doc:"the HTTP status, 0 when there was no HTTP response"`
	Code     string `json:"code,omitempty" doc:"Atlassian's error code, e.g. ADMIN-404-2"`
	Endpoint string `json:"endpoint,omitempty" doc:"the method and endpoint template that failed, e.g. GET /admin/v1/orgs/{orgId}/domains"`
	Message  string `json:"message" schema:"required" doc:"what went wrong, in words"`
}

// SitesArea lists the org's sites (workspaces sharing a host URL are one site).
type SitesArea struct {
	Area
	Items []Site `json:"items"`
}

// Site is one Jira/Confluence site.
type Site struct {
	ID       string   `json:"id" schema:"required,minLength=1" doc:"the cloud id of the site"`
	Name     string   `json:"name" doc:"the site name"`
	URL      string   `json:"url" schema:"required" pattern:"^https?://" doc:"the site's base URL with scheme, e.g. https://acme.atlassian.net"`
	Products []string `json:"products" doc:"the workspace typeKeys sharing the host: jira-software, confluence, …"`
	Status   string   `json:"status,omitempty" doc:"the workspace status (online, offline, deprecated); the first workspace's when several share the host"`
	Sandbox  string   `json:"sandbox,omitempty" doc:"the workspaces' sandbox.type: CHILD for a sandbox of another site, NONE for a production site"`
}

// VerifiedDomainsArea lists the domains the org has claimed.
type VerifiedDomainsArea struct {
	Area
	Items []VerifiedDomain `json:"items"`
}

// VerifiedDomain is one claimed domain; it is verified when Status is VERIFIED (any case).
type VerifiedDomain struct {
	ID     string `json:"id,omitempty" doc:"the claim id"`
	Name   string `json:"name" schema:"required,minLength=1" doc:"the domain name"`
	Status string `json:"status" schema:"required" doc:"verified when VERIFIED, any case"`
	Type   string `json:"type,omitempty" doc:"the claim method (e.g. dns, http)"`
}

// AppAccessArea lists the approved domains of the app access settings: from
// the API, or from the attestation file when the API did not answer (then
// Attestation says who attested them and when).
type AppAccessArea struct {
	Area
	Attestation
	Items []ApprovedDomain `json:"items"`
}

// ApprovedDomain is one approved domain (or the special ANYONE domain).
type ApprovedDomain struct {
	Domain                    string          `json:"domain" schema:"required,minLength=1" doc:"the domain, or the special ANYONE"`
	Enabled                   bool            `json:"enabled" schema:"required" doc:"whether the domain admits users; a disabled domain counts for no policy"`
	AdminNotifications        *bool           `json:"admin_notifications,omitempty" doc:"whether admins are notified when someone joins"`
	NumberOfProductsAppliesTo int             `json:"number_of_products_applies_to,omitempty" schema:"minimum=0" doc:"how many products the domain applies to, as the list reports"`
	Products                  []DomainProduct `json:"products" doc:"the access the domain gives to each product"`
	Raw                       json.RawMessage `json:"raw,omitempty" doc:"the API's detail object as received (its shape is only partly documented)"`
}

// DomainProduct is the access one approved domain gives to one product.
type DomainProduct struct {
	ProductID             string `json:"product_id" schema:"required" doc:"the product ARI, e.g. ari:cloud:jira::site/<cloudId> or ari:cloud:jira::app/all"`
	AccessMode            string `json:"access_mode,omitempty" schema:"enum=DIRECT_ACCESS|REQUEST_ACCESS|DENIED_ACCESS" doc:"DIRECT_ACCESS joins without approval, REQUEST_ACCESS needs admin approval, DENIED_ACCESS gives no access (the July 2026 shape's adminApprovalRequired maps to the first two)"`
	AdminApprovalRequired *bool  `json:"admin_approval_required,omitempty" doc:"false means direct access (joins without approval); absent for DENIED_ACCESS"`
	Role                  string `json:"role,omitempty" doc:"the role ARI granted on join, e.g. ari:cloud:identity::role/product/member"`
}

// APIKeysArea lists the org's admin API keys.
type APIKeysArea struct {
	Area
	Items []APIKey `json:"items"`
}

// APIKey is one admin API key.
type APIKey struct {
	ID           string     `json:"id" schema:"required,minLength=1" doc:"the key id"`
	Label        string     `json:"label,omitempty" doc:"the name the admin gave the key"`
	KeyType      string     `json:"key_type,omitempty" doc:"the key type, when the API reports one (Atlassian documents none)"`
	Status       string     `json:"status,omitempty" doc:"the key status, when the API reports one (Atlassian documents none); absent means active"`
	Scopes       []string   `json:"scopes" schema:"nullable" doc:"the key's scopes; empty or absent means an unscoped key with every admin API"`
	CreatedAt    *time.Time `json:"created_at,omitempty" schema:"nullable" doc:"when the key was created"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty" schema:"nullable" doc:"when the key expires"`
	LastActiveAt *time.Time `json:"last_active_at,omitempty" schema:"nullable" doc:"when the key was last used; absent means never"`
	CreatedBy    *Person    `json:"created_by,omitempty" doc:"the account that created the key"`
	// SystemAccountID, Resource and TargetResources are documented fields of
	// the key (contract Part C.3); the last two are kept as received.
	SystemAccountID string          `json:"system_account_id,omitempty" doc:"the account the key acts as"`
	Resource        json.RawMessage `json:"resource,omitempty" doc:"what the key belongs to, as received (its shape is not documented)"`
	TargetResources json.RawMessage `json:"target_resources,omitempty" doc:"what the key applies to, as received (its shape is not documented)"`
	// Raw is the API's item as received, so policies can adapt without a new
	// collector.
	Raw json.RawMessage `json:"raw,omitempty" doc:"the API's item as received"`
}

// Person is an account reference embedded in keys and tokens.
type Person struct {
	ID    string `json:"id" schema:"required" doc:"the account id"`
	Name  string `json:"name,omitempty" doc:"the display name"`
	Email string `json:"email,omitempty" doc:"the email address"`
}

// APITokensArea lists the user API tokens of the org's managed accounts.
type APITokensArea struct {
	Area
	Items []APIToken `json:"items"`
}

// APIToken is one user API token.
type APIToken struct {
	ID           string     `json:"id" schema:"required,minLength=1" doc:"the token id"`
	Label        string     `json:"label,omitempty" doc:"the name the user gave the token"`
	Status       string     `json:"status,omitempty" doc:"ALLOWED or BLOCKED; absent, or any other value, means active"`
	Scopes       []string   `json:"scopes,omitempty" doc:"the token's scopes; none means the user's full power"`
	CreatedAt    *time.Time `json:"created_at,omitempty" schema:"nullable" doc:"when the token was created"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty" schema:"nullable" doc:"when the token expires; absent means never"`
	LastActiveAt *time.Time `json:"last_active_at,omitempty" schema:"nullable" doc:"when the token was last used; absent means never"`
	User         *Person    `json:"user,omitempty" doc:"the token's owner"`
}

// ManagedAccountsArea lists the org's accounts with their roles.
type ManagedAccountsArea struct {
	Area
	Items []Account `json:"items"`
}

// Account is one user of the org directory.
type Account struct {
	AccountID        string          `json:"account_id" schema:"required,minLength=1" doc:"the Atlassian account id"`
	Name             string          `json:"name,omitempty" doc:"the display name"`
	Email            string          `json:"email,omitempty" doc:"the email address"`
	AccountType      string          `json:"account_type,omitempty" doc:"atlassian, app or customer"`
	Status           string          `json:"status" schema:"required" doc:"the composite status: active, suspended, not_invited, deactivated, for_deletion"`
	AccountStatus    string          `json:"account_status,omitempty" doc:"active, inactive or closed"`
	MembershipStatus string          `json:"membership_status,omitempty" doc:"active, suspended or no_membership"`
	ClaimStatus      string          `json:"claim_status,omitempty" doc:"managed or unmanaged"`
	MFAEnabled       *bool           `json:"mfa_enabled,omitempty" doc:"whether two-step verification is on (described for managed accounts; may be absent)"`
	EmailVerified    *bool           `json:"email_verified,omitempty" doc:"whether the email address is verified"`
	ManagementSource string          `json:"management_source,omitempty" doc:"invited or synced"`
	Roles            []string        `json:"roles" schema:"nullable" doc:"platform roles, e.g. atlassian/org-admin, atlassian/site-admin"`
	DeactivatedOn    *time.Time      `json:"deactivated_on,omitempty" schema:"nullable" doc:"when the account was deactivated; only in older snapshots (the users search does not return it)"`
	AddedToOrg       *time.Time      `json:"added_to_org,omitempty" schema:"nullable" doc:"when the account joined the organization"`
	ProductAccess    []ProductAccess `json:"product_access,omitempty" doc:"the products the account can use, with its last activity in each (users search expand productAccess)"`
	Groups           []Group         `json:"groups,omitempty" doc:"the account's groups (users search expand groups)"`
}

// ProductAccess is one product an account can use.
type ProductAccess struct {
	Key          string     `json:"key,omitempty" doc:"the product key, e.g. jira or confluence"`
	ID           string     `json:"id,omitempty" doc:"the product instance's ARI, e.g. ari:cloud:confluence::site/<cloudId>"`
	LastActiveAt *time.Time `json:"last_active_at,omitempty" schema:"nullable" doc:"the account's last activity in that product and site"`
	// LastActiveUnreadable: the API sent a last activity that could not be
	// read; the account is also under the area's unreadable items.
	LastActiveUnreadable bool `json:"last_active_unreadable,omitempty" doc:"true when the API sent a last activity the collector could not read (the account is also listed under the area's unreadable items, ATL-COL-003): when the account was last active there is not known"`
}

// Group is one group an account belongs to.
type Group struct {
	ID   string `json:"id" schema:"required" doc:"the group's ARI, e.g. ari:cloud:identity::group/<uuid>"`
	Name string `json:"name,omitempty" doc:"the group's name"`
}

// ConnectedApps has two parts with their own sources: the apps installed on
// each site (site API) and the settings only an admin can attest.
type ConnectedApps struct {
	Installed InstalledAppsArea `json:"installed" schema:"required"`
	Settings  AppSettingsArea   `json:"settings" schema:"required"`
}

// InstalledAppsArea holds the installed apps of each site. The area counts as
// collected when at least one site was; each site records its own outcome.
type InstalledAppsArea struct {
	Area
	Sites []SiteApps `json:"sites"`
}

// SiteApps is the app manager's answer for one site.
type SiteApps struct {
	URL       string     `json:"url" schema:"required" pattern:"^https?://" doc:"the site URL"`
	Collected bool       `json:"collected" schema:"required" doc:"whether this site's apps were collected"`
	Error     *AreaError `json:"error,omitempty" doc:"why the site's apps were not collected, or, with collected true, which of its app managers did not answer"`
	Apps      []App      `json:"apps" schema:"nullable" doc:"the apps the site's app manager lists"`
}

// App is one installed app as the site's app manager lists it.
type App struct {
	Key           string  `json:"key" schema:"required,minLength=1" doc:"the app key"`
	Product       string  `json:"product,omitempty" doc:"the app manager that lists it: jira (at the site root) or confluence (under /wiki)"`
	Name          string  `json:"name,omitempty" doc:"the app name (chosen by its vendor)"`
	Version       string  `json:"version,omitempty" doc:"the installed version"`
	Enabled       bool    `json:"enabled" doc:"whether the app is enabled"`
	UserInstalled bool    `json:"user_installed" doc:"true for third-party apps"`
	Vendor        *Vendor `json:"vendor,omitempty" doc:"the app's vendor"`
}

// Vendor is an app's vendor.
type Vendor struct {
	Name string `json:"name,omitempty" doc:"the vendor name"`
	URL  string `json:"url,omitempty" doc:"the vendor's web address"`
}

// Attestation records who attested settings and when. An area type that
// embeds it is an attested area (AreaDef.Attestation finds it).
type Attestation struct {
	AttestedBy string     `json:"attested_by,omitempty" doc:"who checked the settings in admin.atlassian.com"`
	AttestedAt *time.Time `json:"attested_at,omitempty" doc:"when they checked them"`
}

func (a *Attestation) attestation() *Attestation { return a }

// AppSettingsArea holds the attested connected-app settings per site.
type AppSettingsArea struct {
	Area
	Attestation
	Sites []SiteAppSettings `json:"sites"`
}

// SiteAppSettings is the attested settings of one site. A nil boolean means
// "not attested" and gives no finding.
type SiteAppSettings struct {
	URL           string             `json:"url" schema:"required" pattern:"^https?://" doc:"the site URL"`
	BlockUserApps *bool              `json:"block_user_apps,omitempty" doc:"Connected apps > Settings > Block user apps"`
	Apps          []AttestedAppState `json:"apps" schema:"nullable" doc:"what the admin saw per app"`
}

// AttestedAppState is what the admin saw for one app in Connected apps.
type AttestedAppState struct {
	Key                    string `json:"key" schema:"required,minLength=1" doc:"the app key"`
	VendorLogAccess        *bool  `json:"vendor_log_access,omitempty" doc:"\"App logs access\" is enabled for the vendor"`
	UpdateAwaitingApproval *bool  `json:"update_awaiting_approval,omitempty" doc:"an update (permission change) awaits admin approval"`
	InstalledByAdmin       *bool  `json:"installed_by_admin,omitempty" doc:"whether an admin installed the app"`
	InstalledBy            string `json:"installed_by,omitempty" doc:"the account id of the installer, when known"`
}

// ExternalUsersArea holds the attested external-user security policies.
type ExternalUsersArea struct {
	Area
	Attestation
	Items []ExternalUserPolicy `json:"items"`
}

// ExternalUserPolicy is one external-user policy and its API token access.
type ExternalUserPolicy struct {
	Name           string `json:"name" schema:"required,minLength=1" doc:"the external-user policy name"`
	APITokenAccess string `json:"api_token_access" schema:"required,enum=allow|block" doc:"allow or block (lower case)"`
}
