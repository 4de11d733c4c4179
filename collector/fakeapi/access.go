package fakeapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// apiKeys serves the API Access api-keys list (bare cursors; the filters
// must come back with every cursor) in its documented shape (contract Part
// C.3): no keyType and no status, whatever the snapshot holds. An item is the
// snapshot's raw item when it has one.
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
		item := map[string]any{"id": k.ID, "scopes": k.Scopes, "orgId": s.snap.Org.ID}
		setText(item, "label", k.Label)
		setTime(item, "createdAt", k.CreatedAt)
		setTime(item, "expiresAt", k.ExpiresAt)
		setTime(item, "lastActiveAt", k.LastActiveAt)
		setText(item, "systemAccountId", k.SystemAccountID)
		setRaw(item, "resource", k.Resource)
		setRaw(item, "targetResources", k.TargetResources)
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
		item := tokenItem(t.ID, t.Label, t.Status, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastActiveAt)
		if t.User != nil {
			item["user"] = person(t.User, s.snap.Org.ID)
		}
		data = append(data, item)
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// tokenItem renders an API token in the API Access lists' shape (contract
// Part C.4): the user tokens and, as their body is not published, the
// service-account tokens.
func tokenItem(id, label, status string, scopes []string, created, expires, last *time.Time) map[string]any {
	item := map[string]any{"id": id}
	setText(item, "label", label)
	setText(item, "status", status)
	setTime(item, "createdAt", created)
	setTime(item, "expiresAt", expires)
	setTime(item, "lastActiveAt", last)
	if scopes != nil {
		item["scopes"] = scopes
	}
	return item
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

// setIf sets m[k] when v is not nil.
func setIf[T any](m map[string]any, k string, v *T) {
	if v != nil {
		m[k] = *v
	}
}

// setRaw sets m[k] to a raw JSON value when it is not empty.
func setRaw(m map[string]any, k string, v json.RawMessage) {
	if len(v) > 0 {
		m[k] = v
	}
}

// setTime sets m[k] to an RFC 3339 time when t is not nil.
func setTime(m map[string]any, k string, t *time.Time) {
	if t != nil {
		m[k] = t.UTC().Format(time.RFC3339Nano)
	}
}
