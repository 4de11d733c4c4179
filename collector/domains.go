package collector

import (
	"context"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointDomains lists the domains the organization has claimed.
const endpointDomains = "/admin/v1/orgs/{orgId}/domains"

// listVerifiedDomains returns the claimed domains with their claim status
// (verified when VERIFIED in any case) and claim type.
func (c *client) listVerifiedDomains(ctx context.Context, orgID string, t *tracker) ([]snapshot.VerifiedDomain, error) {
	p := pager{method: http.MethodGet, endpoint: endpointDomains, url: c.apiURL(endpointDomains, orgID)}
	domains := []snapshot.VerifiedDomain{}
	_, err := paginate(ctx, c, p, func(items []object) error {
		t.page(len(items))
		for _, it := range items {
			attrs := it.obj("attributes")
			if attrs == nil {
				attrs = it
			}
			claim := attrs.obj("claim")
			if claim == nil {
				claim = attrs
			}
			domains = append(domains, snapshot.VerifiedDomain{
				ID:     it.str("id"),
				Name:   attrs.str("name", "domain"),
				Status: claim.str("status"),
				Type:   claim.str("type"),
			})
		}
		return nil
	})
	return domains, err
}
