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

// workspace is one item of the workspaces search (contract Part C.2;
// swagger.v3.json, queryWorkspacesV2).
type workspace struct {
	id, name, typeKey, hostURL, status, sandbox string
}

// decodeWorkspace reads a workspace: id, type and attributes.{name, typeKey,
// hostUrl (nullable), status, sandbox.type}.
func decodeWorkspace(r *reader) (workspace, string) {
	w := workspace{id: r.id("id")}
	attrs := r.obj("attributes")
	if attrs == nil {
		r.fail("attributes", "the workspace has no attributes")
		return w, w.id
	}
	w.typeKey = attrs.str("typeKey")
	w.name, w.hostURL = attrs.str("name"), attrs.str("hostUrl")
	if w.hostURL != "" && siteURL(w.hostURL) == "" {
		// A hostUrl that is not a site address (another scheme, no host)
		// would fail the snapshot's schema and with it the whole run.
		attrs.fail("hostUrl", "not a site address: want a host (acme.atlassian.net) or an http(s) URL, got %q", w.hostURL)
	}
	w.status = attrs.enum([]string{"online", "offline", "deprecated"}, "status")
	if sb := attrs.obj("sandbox"); sb != nil {
		w.sandbox = sb.enum([]string{"CHILD", "NONE"}, "type")
	}
	// Jira and Confluence on one site may share the workspace id (the cloud
	// id): a workspace is one id and one product.
	return w, w.id + "#" + w.typeKey
}

// listSites returns the organization's sites: workspaces that share a
// hostUrl are one site that keeps every product typeKey, in the order the
// API lists them. A bare host means https://host; a full URL is kept. A
// workspace without a hostUrl (documented as nullable: a product that is not
// a site) is no site.
func (c *client) listSites(ctx context.Context, orgID string, t *tracker) ([]snapshot.Site, []snapshot.UnreadableItem, error) {
	// Page 2 on is {"cursor": …} alone (contract Part C.2).
	p := pager{
		method: http.MethodPost, endpoint: endpointWorkspaces, url: c.apiURL(endpointWorkspaces, orgID),
		body: map[string]any{}, sizeParam: "limit", size: 100, fallback: 20, cursorAlone: true,
	}
	workspaces, unreadable, err := collectList(ctx, c, p, t, decodeWorkspace)
	sites := []snapshot.Site{}
	index := map[string]int{}
	for _, w := range workspaces {
		u := siteURL(w.hostURL)
		if u == "" {
			c.logger.Debug("workspace without a host URL is not a site", "id", w.id, "typeKey", w.typeKey)
			continue
		}
		i, seen := index[siteKey(u)]
		if !seen {
			i = len(sites)
			index[siteKey(u)] = i
			sites = append(sites, snapshot.Site{ID: w.id, Name: w.name, URL: u, Products: []string{}, Status: w.status, Sandbox: w.sandbox})
		}
		if w.typeKey != "" && !slices.Contains(sites[i].Products, w.typeKey) {
			sites[i].Products = append(sites[i].Products, w.typeKey)
		}
	}
	return sites, unreadable, err
}
