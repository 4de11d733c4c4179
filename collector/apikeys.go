package collector

import (
	"context"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointAPIKeys lists the organization's admin API keys (API Access API).
const endpointAPIKeys = "/admin/api-access/v1/orgs/{orgId}/api-keys"

// decodeAPIKey reads an admin API key in its documented shape (contract Part
// C.3; developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-key/):
// id, label, createdAt, expiresAt, lastActiveAt, systemAccountId, resource,
// orgId, createdBy{id,name,email}, scopes[] and targetResources[]. There is
// no keyType and no status; a status-like field, if one ever appears, is kept
// as sent (the policies count a status they do not know as active), and a
// keyType is kept too. resource and targetResources are kept as received:
// their shape is not documented.
func decodeAPIKey(r *reader) (snapshot.APIKey, string) {
	k := snapshot.APIKey{
		ID:              r.id("id"),
		Label:           r.str("label"),
		KeyType:         r.str("keyType"),
		Status:          r.str("status"),
		Scopes:          r.strs("scopes"),
		CreatedAt:       r.time("createdAt"),
		ExpiresAt:       r.time("expiresAt"),
		LastActiveAt:    r.time("lastActiveAt"),
		CreatedBy:       r.person("createdBy"),
		SystemAccountID: r.str("systemAccountId"),
		Resource:        r.raw("resource"),
		TargetResources: r.raw("targetResources"),
		Raw:             r.item,
	}
	return k, k.ID
}

// listAPIKeys returns the admin API keys, each also kept whole in Raw.
func (c *client) listAPIKeys(ctx context.Context, orgID string, t *tracker) ([]snapshot.APIKey, []snapshot.UnreadableItem, error) {
	p := pager{
		method: http.MethodGet, endpoint: endpointAPIKeys, url: c.apiURL(endpointAPIKeys, orgID),
		sizeParam: "pageSize", size: 100,
	}
	return collectList(ctx, c, p, t, decodeAPIKey)
}
