package fakeapi

import (
	"encoding/json"
	"fmt"
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

// authPolicyMembers serves POST /admin/control/v1/orgs/{orgId}/users/
// auth-policies/bulk-fetch (Admin Control reference, "Get policy information
// for managed users"): the body {"accountIds": [...]} (required, a non-empty
// list of strings; 400 otherwise, and above MaxLimit ids when MaxLimit is
// set: the reference documents no maximum), the answer a bare array of
// {email, accountId, policyId, policyName}, one per asked account the
// snapshot knows the policy of.
func (s *Server) authPolicyMembers(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body == nil {
		writeError(w, r, http.StatusBadRequest, codeBadBody, "request body is not a JSON object")
		return
	}
	list, ok := body["accountIds"].([]any)
	if !ok || len(list) == 0 {
		writeError(w, r, http.StatusBadRequest, codeBadBody, "accountIds is required: a non-empty list of account ids")
		return
	}
	if s.opts.MaxLimit > 0 && len(list) > s.opts.MaxLimit {
		writeError(w, r, http.StatusBadRequest, codeBadBody, fmt.Sprintf("accountIds takes at most %d ids", s.opts.MaxLimit))
		return
	}
	byID := map[string]snapshot.AuthPolicyMember{}
	for _, m := range s.snap.AuthPolicyMembers.Items {
		byID[m.AccountID] = m
	}
	out := []any{}
	for _, v := range list {
		id, ok := v.(string)
		if !ok {
			writeError(w, r, http.StatusBadRequest, codeBadBody, "accountIds must be a list of strings")
			return
		}
		m, known := byID[id]
		if !known {
			continue
		}
		item := map[string]any{"accountId": m.AccountID}
		setText(item, "email", m.Email)
		setText(item, "policyId", m.PolicyID)
		setText(item, "policyName", m.PolicyName)
		out = append(out, item)
	}
	s.writeJSON(w, out)
}
