// Package snapshot defines atlcheck's snapshot document (schema v1): the Go
// types the collector writes, the JSON Schema that check validates against,
// and the locator that turns a JSON Pointer into a line and column.
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
)

// Snapshot is the whole document.
type Snapshot struct {
	SchemaVersion   int                 `json:"schema_version"`
	ToolVersion     string              `json:"tool_version"`
	CollectedAt     time.Time           `json:"collected_at"`
	Org             Org                 `json:"org"`
	Sites           SitesArea           `json:"sites"`
	VerifiedDomains VerifiedDomainsArea `json:"verified_domains"`
	AppAccess       AppAccessArea       `json:"app_access"`
	APIKeys         APIKeysArea         `json:"api_keys"`
	APITokens       APITokensArea       `json:"api_tokens"`
	ManagedAccounts ManagedAccountsArea `json:"managed_accounts"`
	ConnectedApps   ConnectedApps       `json:"connected_apps"`
	ExternalUsers   ExternalUsersArea   `json:"external_users"`
}

// Org identifies the organization.
type Org struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Area is the envelope every area carries: where its data came from, whether
// it is complete, and why not.
type Area struct {
	Source      string     `json:"source"`
	Collected   bool       `json:"collected"`
	CollectedAt *time.Time `json:"collected_at,omitempty"`
	Error       *AreaError `json:"error,omitempty"`
}

// AreaError says why an area (or one site of it) was not collected.
type AreaError struct {
	// Status is the HTTP status, 0 when there was no HTTP response.
	Status int `json:"status,omitempty"`
	// Code is Atlassian's error code, e.g. ADMIN-UAM-403-1.
	Code string `json:"code,omitempty"`
	// Endpoint is the method and path that failed, e.g. "GET /admin/v1/orgs/{id}/domains".
	Endpoint string `json:"endpoint,omitempty"`
	Message  string `json:"message"`
}

// SitesArea lists the org's sites (workspaces sharing a host URL are one site).
type SitesArea struct {
	Area
	Items []Site `json:"items"`
}

// Site is one Jira/Confluence site.
type Site struct {
	// ID is the cloud id of the site.
	ID   string `json:"id"`
	Name string `json:"name"`
	// URL is the site's base URL with scheme, e.g. https://acme.atlassian.net.
	URL string `json:"url"`
	// Products are the workspace typeKeys on this host (jira-software, confluence, …).
	Products []string `json:"products"`
	Status   string   `json:"status,omitempty"`
}

// VerifiedDomainsArea lists the domains the org has claimed.
type VerifiedDomainsArea struct {
	Area
	Items []VerifiedDomain `json:"items"`
}

// VerifiedDomain is one claimed domain; it is verified when Status is VERIFIED (any case).
type VerifiedDomain struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name"`
	Status string `json:"status"`
	// Type is the claim method (e.g. dns, http).
	Type string `json:"type,omitempty"`
}

// AppAccessArea lists the approved domains of the app access settings.
type AppAccessArea struct {
	Area
	Items []ApprovedDomain `json:"items"`
}

// ApprovedDomain is one approved domain (or the special ANYONE domain).
type ApprovedDomain struct {
	Domain                    string          `json:"domain"`
	Enabled                   bool            `json:"enabled"`
	AdminNotifications        *bool           `json:"admin_notifications,omitempty"`
	NumberOfProductsAppliesTo int             `json:"number_of_products_applies_to,omitempty"`
	Products                  []DomainProduct `json:"products"`
	// Raw is the domain detail as received (its shape is only partly documented).
	Raw json.RawMessage `json:"raw,omitempty"`
}

// DomainProduct is the access one approved domain gives to one product.
type DomainProduct struct {
	// ProductID is the site ARI, e.g. ari:cloud:jira::site/<cloudId>.
	ProductID             string `json:"product_id"`
	AdminApprovalRequired *bool  `json:"admin_approval_required,omitempty"`
	// Role is the role ARI granted on join, e.g. ari:cloud:identity::role/product/member.
	Role string `json:"role,omitempty"`
}

// APIKeysArea lists the org's admin API keys.
type APIKeysArea struct {
	Area
	Items []APIKey `json:"items"`
}

// APIKey is one admin API key.
type APIKey struct {
	ID           string     `json:"id"`
	Label        string     `json:"label,omitempty"`
	KeyType      string     `json:"key_type,omitempty"`
	Status       string     `json:"status,omitempty"`
	Scopes       []string   `json:"scopes"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	LastActiveAt *time.Time `json:"last_active_at,omitempty"`
	CreatedBy    *Person    `json:"created_by,omitempty"`
	// Raw is the API's item as received; the response shape is only partly
	// documented, so policies can adapt without a new collector.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// Person is an account reference embedded in keys and tokens.
type Person struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// APITokensArea lists the user API tokens of the org's managed accounts.
type APITokensArea struct {
	Area
	Items []APIToken `json:"items"`
}

// APIToken is one user API token.
type APIToken struct {
	ID           string     `json:"id"`
	Label        string     `json:"label,omitempty"`
	Status       string     `json:"status,omitempty"`
	CreatedAt    *time.Time `json:"created_at,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	LastActiveAt *time.Time `json:"last_active_at,omitempty"`
	User         *Person    `json:"user,omitempty"`
}

// ManagedAccountsArea lists the org's accounts with their roles.
type ManagedAccountsArea struct {
	Area
	Items []Account `json:"items"`
}

// Account is one user of the org directory.
type Account struct {
	AccountID   string `json:"account_id"`
	Name        string `json:"name,omitempty"`
	Email       string `json:"email,omitempty"`
	AccountType string `json:"account_type,omitempty"`
	// Status is the composite status: active, suspended, not_invited, deactivated, for_deletion.
	Status string `json:"status"`
	// AccountStatus is active, inactive or closed.
	AccountStatus    string `json:"account_status,omitempty"`
	MembershipStatus string `json:"membership_status,omitempty"`
	// ClaimStatus is managed or unmanaged.
	ClaimStatus      string     `json:"claim_status,omitempty"`
	MFAEnabled       *bool      `json:"mfa_enabled,omitempty"`
	EmailVerified    *bool      `json:"email_verified,omitempty"`
	ManagementSource string     `json:"management_source,omitempty"`
	Roles            []string   `json:"roles"`
	DeactivatedOn    *time.Time `json:"deactivated_on,omitempty"`
}

// ConnectedApps has two parts with their own sources: the apps installed on
// each site (site API) and the settings only an admin can attest.
type ConnectedApps struct {
	Installed InstalledAppsArea `json:"installed"`
	Settings  AppSettingsArea   `json:"settings"`
}

// InstalledAppsArea holds the installed apps of each site. The area counts as
// collected when at least one site was; each site records its own outcome.
type InstalledAppsArea struct {
	Area
	Sites []SiteApps `json:"sites"`
}

// SiteApps is the app manager's answer for one site.
type SiteApps struct {
	URL       string     `json:"url"`
	Collected bool       `json:"collected"`
	Error     *AreaError `json:"error,omitempty"`
	Apps      []App      `json:"apps"`
}

// App is one installed app as the site's app manager lists it.
type App struct {
	Key           string  `json:"key"`
	Name          string  `json:"name,omitempty"`
	Version       string  `json:"version,omitempty"`
	Enabled       bool    `json:"enabled"`
	UserInstalled bool    `json:"user_installed"`
	Vendor        *Vendor `json:"vendor,omitempty"`
}

// Vendor is an app's vendor.
type Vendor struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Attestation records who attested settings and when.
type Attestation struct {
	AttestedBy string     `json:"attested_by,omitempty"`
	AttestedAt *time.Time `json:"attested_at,omitempty"`
}

// AppSettingsArea holds the attested connected-app settings per site.
type AppSettingsArea struct {
	Area
	Attestation
	Sites []SiteAppSettings `json:"sites"`
}

// SiteAppSettings is the attested settings of one site. A nil boolean means
// "not attested" and gives no finding.
type SiteAppSettings struct {
	URL           string             `json:"url"`
	BlockUserApps *bool              `json:"block_user_apps,omitempty"`
	Apps          []AttestedAppState `json:"apps"`
}

// AttestedAppState is what the admin saw for one app in Connected apps.
type AttestedAppState struct {
	Key                    string `json:"key"`
	VendorLogAccess        *bool  `json:"vendor_log_access,omitempty"`
	UpdateAwaitingApproval *bool  `json:"update_awaiting_approval,omitempty"`
	InstalledByAdmin       *bool  `json:"installed_by_admin,omitempty"`
	// InstalledBy is the account id of the installer, when known.
	InstalledBy string `json:"installed_by,omitempty"`
}

// ExternalUsersArea holds the attested external-user security policies.
type ExternalUsersArea struct {
	Area
	Attestation
	Items []ExternalUserPolicy `json:"items"`
}

// ExternalUserPolicy is one external-user policy and its API token access.
type ExternalUserPolicy struct {
	Name string `json:"name"`
	// APITokenAccess is "allow" or "block" (lower case).
	APITokenAccess string `json:"api_token_access"`
}
