package collector

import (
	"context"
	"net/http"
	"slices"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointWorkspaces searches the organization's workspaces (one per product
// on a site). A read-only POST search.
const endpointWorkspaces = "/admin/v2/orgs/{orgId}/workspaces"

// listSites returns the organization's sites: workspaces that share a
// hostUrl are one site that keeps every product typeKey, in the order the
// API lists them. A bare host means https://host; a full URL is kept.
func (c *client) listSites(ctx context.Context, orgID string, t *tracker) ([]snapshot.Site, error) {
	p := pager{
		method: http.MethodPost, endpoint: endpointWorkspaces, url: c.apiURL(endpointWorkspaces, orgID),
		body: map[string]any{}, sizeParam: "limit", size: 100, fallback: 50,
	}
	sites := []snapshot.Site{}
	index := map[string]int{}
	_, err := paginate(ctx, c, p, func(items []object) error {
		t.page(len(items))
		for _, it := range items {
			attrs := it.obj("attributes")
			if attrs == nil {
				attrs = it
			}
			u := siteURL(attrs.str("hostUrl", "url"))
			if u == "" {
				c.logger.Debug("workspace without a host URL skipped", "id", it.str("id"))
				continue
			}
			product := attrs.str("typeKey", "productKey", "product")
			i, seen := index[siteKey(u)]
			if !seen {
				i = len(sites)
				index[siteKey(u)] = i
				sites = append(sites, snapshot.Site{
					ID: it.str("id", "cloudId"), Name: attrs.str("name"), URL: u,
					Products: []string{}, Status: attrs.str("status"),
				})
			}
			if product != "" && !slices.Contains(sites[i].Products, product) {
				sites[i].Products = append(sites[i].Products, product)
			}
		}
		return nil
	})
	return sites, err
}
