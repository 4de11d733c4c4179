package collector

import (
	"context"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointAPITokens lists every user API token of the organization's managed
// accounts (API Access API).
const endpointAPITokens = "/admin/api-access/v1/orgs/{orgId}/api-tokens"

// decodeAPIToken reads a user API token (contract Part C.4;
// developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token/):
// id, label, status (ALLOWED or BLOCKED; any other value is kept as sent and
// counts as active), createdAt, expiresAt, lastActiveAt, user{id,orgId,name,
// email} and scopes[] (none: the user's full power).
func decodeAPIToken(r *reader) (snapshot.APIToken, string) {
	tok := snapshot.APIToken{
		ID:           r.id("id"),
		Label:        r.str("label"),
		Status:       r.str("status"),
		Scopes:       r.strs("scopes"),
		CreatedAt:    r.time("createdAt"),
		ExpiresAt:    r.time("expiresAt"),
		LastActiveAt: r.time("lastActiveAt"),
		User:         r.person("user"),
	}
	return tok, tok.ID
}

// listAPITokens returns the user API tokens with their owners.
func (c *client) listAPITokens(ctx context.Context, orgID string, t *tracker) ([]snapshot.APIToken, []snapshot.UnreadableItem, error) {
	p := pager{
		method: http.MethodGet, endpoint: endpointAPITokens, url: c.apiURL(endpointAPITokens, orgID),
		sizeParam: "pageSize", size: 100,
	}
	return collectList(ctx, c, p, t, decodeAPIToken)
}
