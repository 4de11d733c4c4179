package fakeapi

import (
	"net/http"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// orgPolicies serves GET /admin/v1/orgs/{orgId}/policies (swagger.v3.json,
// getPolicies): the optional type filter, a cursor and no page size; each
// page has links {self, prev, next} (next a full URL) and meta {next (the
// bare cursor), page_size}. Items are {id, type: "policy", attributes: {type,
// name, status, rule, resources: [{id, applicationStatus, meta, links}]}}.
func (s *Server) orgPolicies(w http.ResponseWriter, r *http.Request) {
	items := s.snap.OrgPolicies.Items
	if typ := r.URL.Query().Get("type"); typ != "" {
		var kept []snapshot.OrgPolicy
		for _, p := range items {
			if strings.EqualFold(p.Type, typ) {
				kept = append(kept, p)
			}
		}
		items = kept
	}
	p := getPaging(r, nextFullURL, "", false)
	start, end, links, ok := s.window(w, r, len(items), p)
	if !ok {
		return
	}
	data := []any{}
	for _, pol := range items[start:end] {
		attrs := map[string]any{"type": pol.Type, "status": pol.Status, "resources": policyResources(pol.Resources)}
		setText(attrs, "name", pol.Name)
		setRaw(attrs, "rule", pol.Rule)
		data = append(data, map[string]any{"id": pol.ID, "type": "policy", "attributes": attrs})
	}
	meta := map[string]any{"page_size": end - start, "next": nil}
	if next, _ := links["next"].(string); next != "" {
		meta["next"] = encodeCursor(end, 0)
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links, "meta": meta})
}

// policyResources renders a policy's resources with their meta block.
func policyResources(list []snapshot.PolicyResource) []any {
	out := []any{}
	for _, res := range list {
		meta := map[string]any{}
		setTime(meta, "scheduledDate", res.ScheduledAt)
		setTime(meta, "migrationStartDateTime", res.StartedAt)
		setTime(meta, "migrationEndDateTime", res.EndedAt)
		out = append(out, map[string]any{"id": res.ID, "applicationStatus": res.ApplicationStatus, "meta": meta, "links": map[string]any{}})
	}
	return out
}
