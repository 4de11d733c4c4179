package fakeapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// routeKey carries the route name of a request in its context.
type routeKey struct{}

// routeOf returns the route name of a request ("" outside a route).
func routeOf(r *http.Request) string {
	route, _ := r.Context().Value(routeKey{}).(string)
	return route
}

// withRoute returns r carrying its route name.
func withRoute(r *http.Request, route string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), routeKey{}, route))
}

// Error codes of the Organizations API (contract Part C.6: ADMIN-<status>-<n>;
// the list is in swagger.v3.json's ApplicationError.code).
const (
	codeBadCursor   = "ADMIN-400-1"  // Invalid page cursor
	codeBadBody     = "ADMIN-400-24" // Invalid request body
	codeNotAllowed  = "ADMIN-403-3"  // Not allowed to manage the org
	codeUnknown     = "ADMIN-404-1"  // Unknown resource
	codeOrgNotFound = "ADMIN-404-2"  // Organization not found
	codeDomainGone  = "ADMIN-404-3"  // Domain not found
	codeInternal    = "ADMIN-500-1"  // Internal error
)

// writeError answers status in the error shape the request's endpoint
// documents (contract Part C.6, swagger.v3.json of 2026-06-11 to 2026-08-21):
//
//   - 401 and 429 from the gateway: {"code": <number>, "message"} (the users
//     search excepted, whose every error is the errors array);
//   - the workspaces search: a flat {code, detail, id, status, title};
//   - the domains 403: {error, message, path, requestId, status, timestamp};
//   - a site's own API: {"message", "status-code"};
//   - everything else: {"errors": [{id, status, code, title, detail}]}.
//
// No shape ever echoes a credential.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, detail string) {
	route := routeOf(r)
	title := http.StatusText(status)
	id := fmt.Sprintf("fake-%d-%s", status, route)
	var body any
	switch {
	case route == "site":
		body = map[string]any{"message": detail, "status-code": status}
	case (status == http.StatusUnauthorized || status == http.StatusTooManyRequests) &&
		route != "managed_accounts" && route != "managed_accounts.count":
		body = map[string]any{"code": status, "message": detail}
	case route == "sites":
		body = errorItem(id, status, code, title, detail)
	case route == "verified_domains" && status == http.StatusForbidden:
		body = map[string]any{"error": title, "message": detail, "path": r.URL.Path,
			"requestId": id, "status": status, "timestamp": time.Now().UTC().Format(time.RFC3339)}
	default:
		body = map[string]any{"errors": []any{errorItem(id, status, code, title, detail)}}
	}
	data, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// errorItem is one JSON:API-style error.
func errorItem(id string, status int, code, title, detail string) map[string]any {
	item := map[string]any{"id": id, "status": strconv.Itoa(status), "title": title}
	if code != "" {
		item["code"] = code
	}
	if detail != "" {
		item["detail"] = detail
	}
	return item
}
