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
