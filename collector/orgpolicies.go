package collector

import (
	"context"
	"net/http"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointOrgPolicies lists the organization's policies of every type
// (Organizations API, getPolicies).
const endpointOrgPolicies = "/admin/v1/orgs/{orgId}/policies"

// The documented enums of a policy (contract Part C.7; swagger.v3.json
// copies of 2026-06-11 to 2026-08-21 in mondoohq/cnspec content/validation/,
// PolicyModel and Resource), compared without case. The spec's Resource enum
// is applying, removing, applied, failed and scheduled; Part C adds enabled,
// and the Admin Control reference's example resource (api-group-resources)
// shows validating. The policy type is an open list ("types include …"): any
// type is kept as sent.
var (
	policyStatuses      = []string{"enabled", "disabled"}
	applicationStatuses = []string{"applied", "enabled", "applying", "removing", "failed", "scheduled", "validating"}
)

// decodeOrgPolicy reads a policy: id, type "policy" and attributes.{type,
// name, status, rule, resources[{id, applicationStatus, meta{scheduledDate,
// migrationStartDateTime, migrationEndDateTime}}]}. The rule is kept raw.
// A policy without a status, or a resource without an application status,
// is unreadable: an IP allow-list whose state cannot be read is never taken
// as enabled or as disabled.
func decodeOrgPolicy(r *reader) (snapshot.OrgPolicy, string) {
	p := snapshot.OrgPolicy{ID: r.id("id"), Resources: []snapshot.PolicyResource{}}
	attrs := r.obj("attributes")
	if attrs == nil {
		r.fail("attributes", "the policy has no attributes")
		return p, p.ID
	}
	p.Type = attrs.id("type")
	p.Name = attrs.str("name")
	p.Status = strings.ToLower(attrs.enum(policyStatuses, "status"))
	if p.Status == "" && r.ok() {
		attrs.fail("status", "the policy has no status")
	}
	p.Rule = attrs.raw("rule")
	for _, res := range attrs.list("resources") {
		p.Resources = append(p.Resources, decodePolicyResource(res))
	}
	return p, p.ID
}

// decodePolicyResource reads one resource of a policy. The spec names the
// end of a migration migrationEndDataTime in one place and
// migrationEndDateTime in another: both are read.
func decodePolicyResource(res *reader) snapshot.PolicyResource {
	out := snapshot.PolicyResource{ID: res.id("id"), ApplicationStatus: strings.ToLower(res.enum(applicationStatuses, "applicationStatus"))}
	if _, key := res.o.value("applicationStatus"); key == "" {
		res.fail("applicationStatus", "the resource has no applicationStatus")
	}
	if meta := res.obj("meta"); meta != nil {
		out.ScheduledAt = meta.time("scheduledDate")
		out.StartedAt = meta.time("migrationStartDateTime")
		out.EndedAt = meta.time("migrationEndDateTime", "migrationEndDataTime")
	}
	return out
}

// listOrgPolicies returns every policy of the organization, all types in one
// list (no type filter). The list takes only a cursor: the spec documents no
// page size. Pages link on with meta.next (a cursor) or links.next.
func (c *client) listOrgPolicies(ctx context.Context, orgID string, t *tracker) ([]snapshot.OrgPolicy, []snapshot.UnreadableItem, error) {
	p := pager{method: http.MethodGet, endpoint: endpointOrgPolicies, url: c.apiURL(endpointOrgPolicies, orgID)}
	return collectList(ctx, c, p, t, decodeOrgPolicy)
}
