package fakeapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// apiKeys serves the API Access api-keys list (bare cursors; the filters
// must come back with every cursor). An item is the snapshot's raw item when
// it has one.
func (s *Server) apiKeys(w http.ResponseWriter, r *http.Request) {
	items := s.snap.APIKeys.Items
	start, end, links, ok := s.window(w, r, len(items), getPaging(r, nextCursor, "pageSize", true))
	if !ok {
		return
	}
	data := []any{}
	for _, k := range items[start:end] {
		if len(k.Raw) > 0 {
			data = append(data, json.RawMessage(k.Raw))
			continue
		}
		item := map[string]any{"id": k.ID, "scopes": k.Scopes}
		setText(item, "label", k.Label)
		setText(item, "keyType", k.KeyType)
		setText(item, "status", k.Status)
		setTime(item, "createdAt", k.CreatedAt)
		setTime(item, "expiresAt", k.ExpiresAt)
		setTime(item, "lastActiveAt", k.LastActiveAt)
		if k.CreatedBy != nil {
			item["createdBy"] = person(k.CreatedBy, "")
		}
		data = append(data, item)
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// apiTokens serves the API Access api-tokens list (bare cursors, filters repeated).
func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	items := s.snap.APITokens.Items
	start, end, links, ok := s.window(w, r, len(items), getPaging(r, nextCursor, "pageSize", true))
	if !ok {
		return
	}
	data := []any{}
	for _, t := range items[start:end] {
		item := map[string]any{"id": t.ID}
		setText(item, "label", t.Label)
		setText(item, "status", t.Status)
		setTime(item, "createdAt", t.CreatedAt)
		setTime(item, "expiresAt", t.ExpiresAt)
		setTime(item, "lastActiveAt", t.LastActiveAt)
		if t.User != nil {
			item["user"] = person(t.User, s.snap.Org.ID)
		}
		data = append(data, item)
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// usersSearch serves the v2 users search (POST, bare cursors); platformRoles
// are included only when the body expands them.
func (s *Server) usersSearch(w http.ResponseWriter, r *http.Request) {
	p, body, err := postPaging(r, nextCursor)
	if err != nil {
		writeError(w, http.StatusBadRequest, "ADMIN-UAM-400-4", "Bad Request", err.Error())
		return
	}
	expand := false
	if list, ok := body["expand"].([]any); ok {
		expand = slices.Contains(list, any("platformRoles"))
	}
	items := s.snap.ManagedAccounts.Items
	start, end, links, ok := s.window(w, r, len(items), p)
	if !ok {
		return
	}
	data := []any{}
	for _, a := range items[start:end] {
		item := map[string]any{"accountId": a.AccountID, "status": a.Status,
			"links": map[string]any{"self": origin(r) + r.URL.Path + "/" + a.AccountID}}
		for k, v := range map[string]string{
			"name": a.Name, "email": a.Email, "accountType": a.AccountType, "accountStatus": a.AccountStatus,
			"membershipStatus": a.MembershipStatus, "claimStatus": a.ClaimStatus, "managementSource": a.ManagementSource,
		} {
			setText(item, k, v)
		}
		setIf(item, "mfaEnabled", a.MFAEnabled)
		setIf(item, "emailVerified", a.EmailVerified)
		setTime(item, "deactivatedOn", a.DeactivatedOn)
		if expand {
			item["platformRoles"] = a.Roles
		}
		data = append(data, item)
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// person renders an account reference; orgID is added when not "".
func person(p *snapshot.Person, orgID string) map[string]any {
	m := map[string]any{"id": p.ID}
	setText(m, "name", p.Name)
	setText(m, "email", p.Email)
	setText(m, "orgId", orgID)
	return m
}

// setText sets m[k] when v is not empty.
func setText(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// setTime sets m[k] to an RFC 3339 time when t is not nil.
func setTime(m map[string]any, k string, t *time.Time) {
	if t != nil {
		m[k] = t.UTC().Format(time.RFC3339Nano)
	}
}
