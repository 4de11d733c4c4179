package collector

import (
	"context"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointAPITokens lists every user API token of the organization's managed
// accounts (API Access API).
const endpointAPITokens = "/admin/api-access/v1/orgs/{orgId}/api-tokens"

// listAPITokens returns the user API tokens with their owners.
func (c *client) listAPITokens(ctx context.Context, orgID string, t *tracker) ([]snapshot.APIToken, error) {
	p := pager{
		method: http.MethodGet, endpoint: endpointAPITokens, url: c.apiURL(endpointAPITokens, orgID),
		sizeParam: "pageSize", size: 100,
	}
	tokens := []snapshot.APIToken{}
	_, err := paginate(ctx, c, p, func(items []object) error {
		t.page(len(items))
		for _, it := range items {
			tokens = append(tokens, snapshot.APIToken{
				ID:           it.str("id"),
				Label:        it.str("label"),
				Status:       it.str("status"),
				CreatedAt:    it.timePtr("createdAt"),
				ExpiresAt:    it.timePtr("expiresAt", "expiry"),
				LastActiveAt: it.timePtr("lastActiveAt", "lastAccess"),
				User:         it.person("user", "owner"),
			})
		}
		return nil
	})
	return tokens, err
}
