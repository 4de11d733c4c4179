package collector

import (
	"context"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointDomains lists the domains the organization has claimed.
const endpointDomains = "/admin/v1/orgs/{orgId}/domains"

// domainClaims are the documented attributes.claim.status values
// (swagger.v3.json, GET /v1/orgs/{orgId}/domains); compared without case.
var domainClaims = []string{"verified", "deleted", "unverified", "superseded", "missing_token"}

// decodeDomain reads a claimed domain: id, attributes.name and
// attributes.claim.{status, type}. The name is its identity.
func decodeDomain(r *reader) (snapshot.VerifiedDomain, string) {
	d := snapshot.VerifiedDomain{ID: r.str("id")}
	attrs := r.obj("attributes")
	if attrs == nil {
		r.fail("attributes", "the domain has no attributes")
		return d, ""
	}
	d.Name = attrs.id("name")
	if claim := attrs.obj("claim"); claim != nil {
		d.Status = claim.enum(domainClaims, "status")
		d.Type = claim.str("type")
	}
	return d, d.Name
}

// listVerifiedDomains returns the claimed domains with their claim status
// (verified when VERIFIED in any case) and claim type. The list takes only a
// cursor (no page size).
func (c *client) listVerifiedDomains(ctx context.Context, orgID string, t *tracker) ([]snapshot.VerifiedDomain, []snapshot.UnreadableItem, error) {
	p := pager{method: http.MethodGet, endpoint: endpointDomains, url: c.apiURL(endpointDomains, orgID)}
	return collectList(ctx, c, p, t, decodeDomain)
}
