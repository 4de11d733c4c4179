package snapshot

import (
	"encoding/json"
	"time"
)

// The org's login and access controls (issue 16). These areas came after
// schema v1 was first published, so a snapshot may lack them: Parse then
// fills each with an envelope that says so (see fillMissingAreas), never with
// an empty area that would pass.

// OrgPoliciesArea lists the organization's policies of every type.
type OrgPoliciesArea struct {
	Area
	Items []OrgPolicy `json:"items"`
}

// OrgPolicy is one org policy (GET /admin/v1/orgs/{orgId}/policies; contract
// Part C.7). Its rule is kept as received: Atlassian types it only for some
// policy types.
type OrgPolicy struct {
	ID        string           `json:"id" schema:"required,minLength=1" doc:"the policy id"`
	Type      string           `json:"type" schema:"required,minLength=1" doc:"the policy type as sent, e.g. ip-allowlist, data-residency, data-security, generative-ai, admin-notification-settings, user-join-settings-default"`
	Name      string           `json:"name,omitempty" doc:"the name an admin gave the policy"`
	Status    string           `json:"status" schema:"required,enum=enabled|disabled" doc:"enabled or disabled (lower case)"`
	Rule      json.RawMessage  `json:"rule,omitempty" doc:"the policy's rule as received, e.g. {\"in\": [\"203.0.113.0/24\"]} for an IP allow-list"`
	Resources []PolicyResource `json:"resources" doc:"what the policy applies to, with how far it is applied"`
}

// PolicyResource is one resource an org policy applies to.
type PolicyResource struct {
	ID                string     `json:"id" schema:"required,minLength=1" doc:"the resource's ARI, e.g. ari:cloud:jira-software::site/<cloudId>"`
	ApplicationStatus string     `json:"application_status" schema:"required,enum=applied|enabled|applying|removing|failed|scheduled|validating" doc:"how far the policy is applied to the resource (lower case): applied or enabled when in force; applying, removing or validating while it changes; failed; scheduled"`
	ScheduledAt       *time.Time `json:"scheduled_at,omitempty" schema:"nullable" doc:"when a scheduled application starts (meta.scheduledDate)"`
	StartedAt         *time.Time `json:"started_at,omitempty" schema:"nullable" doc:"when the application (a migration for data residency) started (meta.migrationStartDateTime)"`
	EndedAt           *time.Time `json:"ended_at,omitempty" schema:"nullable" doc:"when it ended (meta.migrationEndDateTime)"`
}

// AuthPoliciesArea holds the attested authentication policies: no API reads
// their settings (contract Part C.7), so an admin attests them.
type AuthPoliciesArea struct {
	Area
	Attestation
	Items []AuthPolicy `json:"items"`
}

// AuthPolicy is one authentication policy as admin.atlassian.com > Security >
// User security > Authentication policies shows it. A nil setting was not
// attested and gives no finding of its own.
type AuthPolicy struct {
	Name                   string         `json:"name" schema:"required,minLength=1" doc:"the policy's name as listed"`
	ID                     string         `json:"id,omitempty" doc:"the policy's id, when attested (the membership API names policies by id and name)"`
	Default                bool           `json:"default" doc:"whether it is a default policy: every member of its directory not moved to another policy is in it"`
	SSOEnforced            *bool          `json:"sso_enforced,omitempty" doc:"single sign-on (SAML or Google Workspace) is enforced"`
	TwoStepRequired        *bool          `json:"two_step_verification_required,omitempty" doc:"two-step verification is required (enforced), not optional"`
	ThirdPartyLoginAllowed *bool          `json:"third_party_login_allowed,omitempty" doc:"members may log in with third-party accounts (Google, Microsoft, Apple, Slack)"`
	IdleSessionMinutes     *int           `json:"idle_session_minutes,omitempty" schema:"minimum=1,unit=minutes" doc:"how long a member may be idle before being logged out"`
	Password               *PasswordRules `json:"password,omitempty" doc:"the password requirements"`
}

// PasswordRules are an authentication policy's password requirements.
type PasswordRules struct {
	MinimumStrength string `json:"minimum_strength,omitempty" schema:"enum=weak|fair|good|strong|very_strong" doc:"the weakest password accepted"`
	ExpiryDays      *int   `json:"expiry_days,omitempty" schema:"minimum=0,unit=days" doc:"days until a password expires; 0 means never"`
}

// AuthPolicyMembersArea says which authentication policy each account whose
// policy matters is in (POST /admin/control/v1/orgs/{orgId}/users/
// auth-policies/bulk-fetch): the active managed accounts without two-step
// verification and every active managed admin.
type AuthPolicyMembersArea struct {
	Area
	Items []AuthPolicyMember `json:"items"`
	// Unanswered are the accounts asked about that the API returned no
	// policy for.
	Unanswered []string `json:"unanswered,omitempty" doc:"the account ids asked about that the API returned no authentication policy for"`
}

// AuthPolicyMember is the authentication policy of one account.
type AuthPolicyMember struct {
	AccountID  string `json:"account_id" schema:"required,minLength=1" doc:"the account id"`
	Email      string `json:"email,omitempty" doc:"the account's email, as the API returned it"`
	PolicyID   string `json:"policy_id,omitempty" doc:"the id of the account's authentication policy"`
	PolicyName string `json:"policy_name,omitempty" doc:"the name of the account's authentication policy"`
}
