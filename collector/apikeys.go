package collector

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointAPIKeys lists the organization's admin API keys (API Access API).
const endpointAPIKeys = "/admin/api-access/v1/orgs/{orgId}/api-keys"

// listAPIKeys returns the admin API keys. The response shape is only partly
// documented, so each item is also kept whole in Raw.
func (c *client) listAPIKeys(ctx context.Context, orgID string, t *tracker) ([]snapshot.APIKey, error) {
	p := pager{
		method: http.MethodGet, endpoint: endpointAPIKeys, url: c.apiURL(endpointAPIKeys, orgID),
		sizeParam: "pageSize", size: 100,
	}
	keys := []snapshot.APIKey{}
	_, err := paginate(ctx, c, p, func(items []json.RawMessage) error {
		t.page(len(items))
		for _, raw := range items {
			var it object
			if json.Unmarshal(raw, &it) != nil {
				continue
			}
			keys = append(keys, snapshot.APIKey{
				ID:           it.str("id"),
				Label:        it.str("label", "name"),
				KeyType:      it.str("keyType", "type"),
				Status:       it.str("status"),
				Scopes:       it.strs("scopes"),
				CreatedAt:    it.timePtr("createdAt"),
				ExpiresAt:    it.timePtr("expiresAt", "expiry"),
				LastActiveAt: it.timePtr("lastActiveAt", "lastAccess"),
				CreatedBy:    it.person("createdBy", "creator"),
				Raw:          raw,
			})
		}
		return nil
	})
	return keys, err
}
