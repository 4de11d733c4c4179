package collector

import (
	"context"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointOAuthClients lists the organization's OAuth 2.0 clients, the
// client credentials of its service accounts (API Access API, contract Part
// C.7; developer.atlassian.com/cloud/admin/api-access/rest/api-group-oauth-client/,
// scope read:service-accounts-tokens:admin): query pageSize and cursor,
// {data[{clientId, name, createdAt, updatedAt (epoch ms), status}],
// links{self, next, prev}}.
const endpointOAuthClients = "/admin/api-access/v1/orgs/{orgId}/oauth-clients"

// decodeOAuthClient reads one OAuth client. No
// last-used time is documented; one is read when the API sends it.
func decodeOAuthClient(r *reader) (snapshot.OAuthClient, string) {
	oc := snapshot.OAuthClient{
		ClientID:   r.id("clientId"),
		Name:       r.str("name"),
		Status:     r.str("status"),
		CreatedAt:  r.time("createdAt"),
		UpdatedAt:  r.time("updatedAt"),
		LastUsedAt: r.time("lastUsedAt", "lastActiveAt"),
	}
	return oc, oc.ClientID
}

// listOAuthClients returns the org's OAuth clients.
func (c *client) listOAuthClients(ctx context.Context, orgID string, t *tracker) ([]snapshot.OAuthClient, []snapshot.UnreadableItem, error) {
	p := pager{
		method: http.MethodGet, endpoint: endpointOAuthClients, url: c.apiURL(endpointOAuthClients, orgID),
		sizeParam: "pageSize", size: 100,
	}
	return collectList(ctx, c, p, t, decodeOAuthClient)
}
