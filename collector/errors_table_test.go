package collector

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestErrorShapes serves every error body shape Atlassian documents
// (testdata/api/errors, contract Part C.6) on the endpoint that documents
// it, over the recorded org, and checks the message and code the snapshot
// keeps and what the run does: stop (exit 3), the area not collected, the
// area not available, or one site not collected.
func TestErrorShapes(t *testing.T) {
	const (
		orgs      = "/admin/v1/orgs"
		v2        = "/admin/v2/orgs/" + recordedOrg
		apiAccess = "/admin/api-access/v1/orgs/" + recordedOrg
	)
	tests := []struct {
		name   string
		path   string // the request path that gets the error ("" = a site)
		host   string // the site host, for site errors
		status int
		file   string
		orgID  string // given org id (with the orgs list refused)
		// one of: fatal error text; area (+ status, code, message); site
		fatal   string
		area    string
		source  string // the area's source afterwards (default api)
		code    string
		message string
	}{
		{name: "gateway 401 {code, message}", path: orgs, status: 401, file: "errors/orgs-401-gateway.json",
			fatal: "the admin API refused the API key (invalid or expired): orgs: GET /admin/v1/orgs: 401 Unauthorized"},
		{name: "gateway 429 {code, message} past the retries", path: apiAccess + "/api-keys", status: 429, file: "errors/gateway-429.json",
			area: snapshot.AreaAPIKeys, message: "GET /admin/api-access/v1/orgs/{orgId}/api-keys: 429 Too Many Requests: Rate limit exceeded, retry after the reset time (gave up after 5 attempts)"},
		{name: "domains 403 {error, message, path, requestId, status, timestamp}", path: "/admin/v1/orgs/" + recordedOrg + "/domains", status: 403,
			file: "errors/domains-403.json", area: snapshot.AreaVerifiedDomains,
			message: "GET /admin/v1/orgs/{orgId}/domains: 403 Forbidden: The API key does not have the read:domains:admin scope"},
		{name: "errors array 400 (invalid cursor)", path: "/admin/v1/orgs/" + recordedOrg + "/domains", status: 400, file: "errors/domains-400-cursor.json",
			area: snapshot.AreaVerifiedDomains, code: "ADMIN-400-1",
			message: "GET /admin/v1/orgs/{orgId}/domains: 400 ADMIN-400-1 Invalid page cursor: The cursor is malformed or has expired"},
		{name: "workspaces flat 400", path: v2 + "/workspaces", status: 400, file: "errors/workspaces-400-flat.json", area: snapshot.AreaSites, code: "ADMIN-400-24",
			message: "POST /admin/v2/orgs/{orgId}/workspaces: 400 ADMIN-400-24 Invalid request body: When a cursor is provided in the request body, no other properties may be present"},
		{name: "workspaces flat 403", path: v2 + "/workspaces", status: 403, file: "errors/workspaces-403-flat.json", area: snapshot.AreaSites, code: "ADMIN-403-3",
			message: "POST /admin/v2/orgs/{orgId}/workspaces: 403 ADMIN-403-3 Not allowed to manage the org: The API key does not have the read:workspaces:admin scope"},
		{name: "users search errors array 403", path: v2 + "/directories/-/users/search", status: 403, file: "errors/users-search-403.json",
			area: snapshot.AreaManagedAccounts, code: "ADMIN-403-3",
			message: "POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search: 403 ADMIN-403-3 Forbidden: You're not allowed to perform this request."},
		{name: "users search errors array 400 (limit), also after the fallback", path: v2 + "/directories/-/users/search", status: 400,
			file: "errors/users-search-400-limit.json", area: snapshot.AreaManagedAccounts, code: "ADMIN-400-24",
			message: "POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search: 400 ADMIN-400-24 Bad Request: limit must be between 1 and 100"},
		{name: "404 organization not found on an area, org listed", path: apiAccess + "/api-keys", status: 404, file: "errors/org-404.json",
			area: snapshot.AreaAPIKeys, code: "ADMIN-404-2",
			message: "GET /admin/api-access/v1/orgs/{orgId}/api-keys: 404 ADMIN-404-2 Organization not found: No organization with this id"},
		{name: "404 organization not found, org not listed", path: apiAccess + "/api-keys", status: 404, file: "errors/org-404.json", orgID: recordedOrg,
			fatal: "organization not found (wrong org id?): api_keys: GET /admin/api-access/v1/orgs/{orgId}/api-keys: 404 ADMIN-404-2"},
		{name: "app access 404: not available", path: v2 + "/app-access-settings/domains", status: 404, file: "errors/app-access-404-removed.json",
			area: snapshot.AreaAppAccess, source: snapshot.SourceNone, code: "ADMIN-404-1", message: whyAppAccess},
		{name: "app access 410 {code, message}: not available", path: v2 + "/app-access-settings/domains", status: 410, file: "errors/app-access-410.json",
			area: snapshot.AreaAppAccess, source: snapshot.SourceNone, message: whyAppAccess},
		{name: "app access 404, org not listed: still not available", path: v2 + "/app-access-settings/domains", status: 404,
			file: "errors/app-access-404-removed.json", orgID: recordedOrg, area: snapshot.AreaAppAccess, source: snapshot.SourceNone, code: "ADMIN-404-1",
			message: whyAppAccess},
		{name: "API Access errors array 403", path: apiAccess + "/api-keys", status: 403, file: "errors/api-keys-403.json", area: snapshot.AreaAPIKeys, code: "ADMIN-403-3",
			message: "GET /admin/api-access/v1/orgs/{orgId}/api-keys: 403 ADMIN-403-3 Forbidden: The API key does not have the read:keys:admin scope"},
		{name: "errors array 500 past the retries", path: apiAccess + "/api-tokens", status: 500, file: "errors/api-tokens-500.json", area: snapshot.AreaAPITokens,
			code: "ADMIN-500-1", message: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens: 500 ADMIN-500-1 Internal error: An unexpected error occurred (gave up after 5 attempts)"},
		{name: "audit log 403 (scope or plan): the area not collected, with what it needs", path: "/admin/v1/orgs/" + recordedOrg + "/event-actions",
			status: 403, file: "errors/events-403.json", area: snapshot.AreaAuditLog, code: "ADMIN-403-3",
			message: "GET /admin/v1/orgs/{orgId}/event-actions: 403 ADMIN-403-3 Forbidden: The API key does not have the scope read:events:admin; " + hintAuditLog403},
		{name: "audit log 429 {code, message} past the retries", path: "/admin/v1/orgs/" + recordedOrg + "/event-actions", status: 429,
			file: "errors/gateway-429.json", area: snapshot.AreaAuditLog,
			message: "GET /admin/v1/orgs/{orgId}/event-actions: 429 Too Many Requests: Rate limit exceeded, retry after the reset time (gave up after 5 attempts)"},
		{name: "{key}", path: apiAccess + "/api-tokens", status: 403, file: "errors/user-management-403-key.json", area: snapshot.AreaAPITokens, code: "forbidden",
			message: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens: 403 forbidden Forbidden"},
		{name: "org policies 403 naming the plan: not available on this plan", path: "/admin/v1/orgs/" + recordedOrg + "/policies", status: 403,
			file: "errors/org-policies-403-plan.json", area: snapshot.AreaOrgPolicies, source: snapshot.SourceNone, code: "ADMIN-403-3",
			message: PlanUnavailable + " (" + planGated[endpointOrgPolicies] + `); the API said: "IP allowlists are only available for organizations with products on a Premium or Enterprise plan"`},
		{name: "org policies 402: not available on this plan", path: "/admin/v1/orgs/" + recordedOrg + "/policies", status: 402,
			file: "errors/org-policies-402.json", area: snapshot.AreaOrgPolicies, source: snapshot.SourceNone, code: "ADMIN-402-1",
			message: PlanUnavailable + " (" + planGated[endpointOrgPolicies] + ")"},
		{name: "org policies 403 for a scope: the area failed", path: "/admin/v1/orgs/" + recordedOrg + "/policies", status: 403,
			file: "errors/org-policies-403-scope.json", area: snapshot.AreaOrgPolicies, code: "ADMIN-403-3",
			message: "GET /admin/v1/orgs/{orgId}/policies: 403 ADMIN-403-3 Not allowed to manage the org: The API key does not have the read:policies:admin scope"},
		{name: "org policies 404: not available", path: "/admin/v1/orgs/" + recordedOrg + "/policies", status: 404,
			file: "errors/app-access-404-removed.json", area: snapshot.AreaOrgPolicies, source: snapshot.SourceNone, code: "ADMIN-404-1",
			message: whyOrgPolicies},
		{name: "auth policy members 403 for a scope: the area failed", path: "/admin/control/v1/orgs/" + recordedOrg + "/users/auth-policies/bulk-fetch",
			status: 403, file: "errors/auth-policies-403.json", area: snapshot.AreaAuthPolicyMembers, code: "ADMIN-403-3",
			message: "POST /admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch: 403 ADMIN-403-3 Forbidden: The API key does not have the read:policies:admin scope"},
		{name: "auth policy members 402: not available on this plan", path: "/admin/control/v1/orgs/" + recordedOrg + "/users/auth-policies/bulk-fetch",
			status: 402, file: "errors/org-policies-402.json", area: snapshot.AreaAuthPolicyMembers, source: snapshot.SourceNone, code: "ADMIN-402-1",
			message: PlanUnavailable + " (" + planGated[endpointAuthPolicyMembers] + ")"},
		{name: "site {message, status-code} 406", host: "acme-labs.atlassian.net", status: 406, file: "errors/site-406.json",
			message: "GET /rest/plugins/1.0/: 406 Not Acceptable"},
		{name: "site {message, status-code} 401", host: "acme-support.atlassian.net", status: 401, file: "errors/site-401.json",
			message: "GET /rest/plugins/1.0/: 401 Unauthorized: Client must be authenticated to access this resource."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := recordedRoutes("august")
			rt := &recorded{t: t, route: func(r *http.Request, body map[string]any) answer {
				switch {
				case tt.orgID != "" && r.URL.Path == orgs:
					return answer{403, "errors/users-search-403.json"}
				case tt.path != "" && r.URL.Path == tt.path, tt.host != "" && r.URL.Host == tt.host:
					return answer{tt.status, tt.file}
				}
				return base(r, body)
			}}
			snap, err := collectRecorded(t, rt, func(o *Options) { o.OrgID = tt.orgID })
			if tt.fatal != "" {
				var fe *FatalError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.fatal) || snap != nil {
					t.Fatalf("got %v, want a stop with %q", err, tt.fatal)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want a snapshot", err)
			}
			if tt.host != "" {
				for _, s := range snap.ConnectedApps.Installed.Sites {
					if strings.Contains(s.URL, tt.host) {
						if s.Collected || s.Error == nil || s.Error.Status != tt.status || s.Error.Message != tt.message {
							t.Errorf("site %s: got %+v, want not collected with %q", s.URL, s.Error, tt.message)
						}
					} else if !s.Collected && !strings.Contains(s.URL, "acme-support") {
						t.Errorf("site %s not collected: %+v", s.URL, s.Error)
					}
				}
				return
			}
			for name, a := range areas(snap) {
				if name != tt.area {
					if !a.Collected && !(tt.area == snapshot.AreaSites && name == snapshot.AreaInstalledApps) && dependsOn[name] != tt.area {
						t.Errorf("%s: not collected (%+v), want only %s to fail", name, a.Error, tt.area)
					}
					continue
				}
				source := tt.source
				if source == "" {
					source = snapshot.SourceAPI
				}
				e := a.Error
				if a.Collected || e == nil || a.Source != source || e.Status != tt.status || e.Code != tt.code || e.Message != tt.message {
					t.Errorf("%s: got source %s collected %v error %+v\nwant source %s status %d code %q message %q",
						name, a.Source, a.Collected, e, source, tt.status, tt.code, tt.message)
				}
			}
		})
	}
}
