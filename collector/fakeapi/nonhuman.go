package fakeapi

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The non-human identities (API Access API, experimental; contract Part
// C.7): service accounts, their API tokens and the OAuth clients. The list
// shapes follow the API Access reference pages (api-group-service-account,
// api-group-oauth-client); the token list's body is not published, so the
// fake serves it like the user API tokens list (data + links, bare cursors).

// onlyParams answers 400 when the query holds a parameter the endpoint does
// not document, so that a collector relying on an undocumented parameter
// fails here as it might against Atlassian. It reports whether the request
// may go on.
func onlyParams(w http.ResponseWriter, r *http.Request, allowed ...string) bool {
	var unknown []string
	for k := range r.URL.Query() {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return true
	}
	sort.Strings(unknown)
	writeError(w, r, http.StatusBadRequest, codeBadBody, fmt.Sprintf("unknown query parameter %s (this endpoint takes %s)",
		strings.Join(unknown, ", "), strings.Join(allowed, ", ")))
	return false
}

// serviceAccounts serves GET …/service-accounts: {items, links{next, prev},
// total}. The reference documents no query parameter; links.next is a full
// URL (the fake's own cursor in it), null on the last page.
func (s *Server) serviceAccounts(w http.ResponseWriter, r *http.Request) {
	if !onlyParams(w, r, "cursor") {
		return
	}
	items := s.snap.ServiceAccounts.Items
	start, end, links, ok := s.window(w, r, len(items), getPaging(r, nextFullURL, "", false))
	if !ok {
		return
	}
	delete(links, "self")
	data := []any{}
	for _, sa := range items[start:end] {
		item := map[string]any{"id": sa.ID}
		setText(item, "atlassianId", sa.AtlassianID)
		setText(item, "email", sa.Email)
		setText(item, "displayName", sa.DisplayName)
		setText(item, "status", sa.Status)
		setText(item, "createdById", sa.CreatedByID)
		setText(item, "description", sa.Description)
		setText(item, "container", sa.Container)
		setEpochMS(item, "updatedAt", sa.UpdatedAt)
		data = append(data, item)
	}
	s.writeJSON(w, map[string]any{"items": data, "links": links, "total": len(items)})
}

// serviceAccountTokens serves GET …/service-accounts/{id}/api-tokens for a
// service account the snapshot lists, with the tokens it records for it; a
// token list the snapshot records as not collected answers with its error.
func (s *Server) serviceAccountTokens(w http.ResponseWriter, r *http.Request) {
	if !onlyParams(w, r, "cursor", "pageSize") {
		return
	}
	id := r.PathValue("serviceAccountId")
	if !slices.ContainsFunc(s.snap.ServiceAccounts.Items, func(sa snapshot.ServiceAccount) bool { return sa.ID == id }) {
		writeError(w, r, http.StatusNotFound, codeUnknown, "no such service account")
		return
	}
	for _, l := range s.snap.ServiceAccountTokens.Accounts {
		if l.ServiceAccountID == id && !l.Collected && l.Error != nil {
			serveRecorded(w, r, l.Error)
			return
		}
	}
	var tokens []snapshot.ServiceAccountToken
	for _, t := range s.snap.ServiceAccountTokens.Items {
		if t.ServiceAccountID == id {
			tokens = append(tokens, t)
		}
	}
	start, end, links, ok := s.window(w, r, len(tokens), getPaging(r, nextCursor, "pageSize", true))
	if !ok {
		return
	}
	data := []any{}
	for _, t := range tokens[start:end] {
		data = append(data, tokenItem(t.ID, t.Label, t.Status, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastActiveAt))
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// oauthClients serves GET …/oauth-clients?pageSize&cursor: {data[{clientId,
// name, createdAt, updatedAt, status}], links{self, next, prev}} with epoch
// milliseconds, bare cursors, the page size repeated with every cursor.
func (s *Server) oauthClients(w http.ResponseWriter, r *http.Request) {
	if !onlyParams(w, r, "cursor", "pageSize") {
		return
	}
	items := s.snap.OAuthClients.Items
	start, end, links, ok := s.window(w, r, len(items), getPaging(r, nextCursor, "pageSize", true))
	if !ok {
		return
	}
	data := []any{}
	for _, c := range items[start:end] {
		item := map[string]any{"clientId": c.ClientID}
		setText(item, "name", c.Name)
		setText(item, "status", c.Status)
		setEpochMS(item, "createdAt", c.CreatedAt)
		setEpochMS(item, "updatedAt", c.UpdatedAt)
		data = append(data, item)
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links})
}

// setEpochMS sets m[k] to t in epoch milliseconds when t is not nil, as the
// API Access reference shows updatedAt and createdAt.
func setEpochMS(m map[string]any, k string, t *time.Time) {
	if t != nil {
		m[k] = t.UnixMilli()
	}
}
