package fakeapi

import (
	"bytes"
	"crypto/subtle"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// routes registers every endpoint the collector calls. The app managers are
// served under /site/{slug}: Jira's at the site root, Confluence's under /wiki.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.handle(mux, "GET /admin/v1/orgs", "orgs", s.orgs)
	s.handle(mux, "POST /admin/v2/orgs/{orgId}/workspaces", "sites", s.workspaces)
	s.handle(mux, "GET /admin/v1/orgs/{orgId}/domains", "verified_domains", s.domains)
	s.handle(mux, "GET /admin/v2/orgs/{orgId}/app-access-settings/domains", "app_access", s.appAccess)
	s.handle(mux, "GET /admin/v2/orgs/{orgId}/app-access-settings/domains/{domain}", "app_access.detail", s.appAccessDetail)
	s.handle(mux, "GET /admin/api-access/v1/orgs/{orgId}/api-keys", "api_keys", s.apiKeys)
	s.handle(mux, "GET /admin/api-access/v1/orgs/{orgId}/api-tokens", "api_tokens", s.apiTokens)
	s.handle(mux, "POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search", "managed_accounts", s.usersSearch)
	s.handle(mux, "GET /admin/v2/orgs/{orgId}/directories/{directoryId}/users/count", "managed_accounts.count", s.usersCount)
	s.handle(mux, "GET /admin/api-access/v1/orgs/{orgId}/service-accounts", "service_accounts", s.serviceAccounts)
	s.handle(mux, "GET /admin/api-access/v1/orgs/{orgId}/service-accounts/{serviceAccountId}/api-tokens", "service_account_tokens", s.serviceAccountTokens)
	s.handle(mux, "GET /admin/api-access/v1/orgs/{orgId}/oauth-clients", "oauth_clients", s.oauthClients)
	s.handle(mux, "GET /admin/v1/orgs/{orgId}/policies", "org_policies", s.orgPolicies)
	s.handle(mux, "POST /admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch", "authentication_policy_members", s.authPolicyMembers)
	s.handle(mux, "GET /admin/v1/orgs/{orgId}/event-actions", "audit_log.actions", s.eventActions)
	s.handle(mux, "GET /admin/v1/orgs/{orgId}/events", "audit_log", s.events)
	s.handle(mux, "GET /site/{slug}/rest/plugins/1.0/{$}", "site", s.plugins("jira"))
	s.handle(mux, "GET /site/{slug}/wiki/rest/plugins/1.0/{$}", "site", s.plugins("confluence"))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, codeUnknown, "no such endpoint")
	})
	return mux
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and writes it.
func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap returns the underlying writer, for http.ResponseController
// (flushing, hijacking).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// handle wraps an endpoint with the request log, authentication, the org
// check, injected faults and the errors recorded in the snapshot.
func (s *Server) handle(mux *http.ServeMux, pattern, route string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.enter()
		r = withRoute(r, route)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Route: route, Accept: r.Header.Get("Accept")}
		if r.Body != nil && r.Method == http.MethodPost {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			rec.Body = string(body)
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		var site *fakeSite
		if route == "site" {
			site = s.siteBySlug(r.PathValue("slug"))
			if site != nil {
				rec.Site = site.site.URL
			}
		}
		defer func() { rec.Status = sw.status; s.leave(rec) }()

		switch {
		case !s.authorized(r, route == "site"):
			writeError(sw, r, http.StatusUnauthorized, "", unauthorizedMessage(route == "site"))
			return
		case route == "site" && site == nil:
			writeError(sw, r, http.StatusNotFound, "", "no such site")
			return
		case r.PathValue("orgId") != "" && r.PathValue("orgId") != s.snap.Org.ID:
			writeError(sw, r, http.StatusNotFound, codeOrgNotFound, "organization not found")
			return
		}
		limits, ok := s.spend(route)
		for k, v := range limits {
			sw.Header()[k] = v
		}
		if !ok {
			writeError(sw, r, http.StatusTooManyRequests, "", "Rate limit exceeded")
			return
		}
		delay, f := s.fault(route, rec.Site, rec.Query+" "+rec.Body)
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if f != nil {
			var done bool
			if done, r = s.applyFault(sw, r, f, h); done {
				return
			}
		}
		if e := s.recordedError(route, rec.Site); e != nil {
			serveRecorded(sw, r, e)
			return
		}
		h(sw, r)
	})
}

// enter counts a request in flight.
func (s *Server) enter() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
}

// leave records a finished request.
func (s *Server) leave(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
	s.requests = append(s.requests, r)
}

// siteBySlug finds a site by its path slug.
func (s *Server) siteBySlug(slug string) *fakeSite {
	for i := range s.sites {
		if s.sites[i].slug == slug {
			return &s.sites[i]
		}
	}
	return nil
}

// authorized checks the Bearer key (admin API) or the Basic credentials (sites).
func (s *Server) authorized(r *http.Request, site bool) bool {
	if site {
		user, pass, ok := r.BasicAuth()
		return ok && equal(user, s.opts.SiteEmail) && equal(pass, s.opts.SiteToken)
	}
	return equal(r.Header.Get("Authorization"), "Bearer "+s.opts.APIKey)
}

// equal compares secrets in constant time.
func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// unauthorizedMessage is the 401 text; it never echoes what was sent.
func unauthorizedMessage(site bool) string {
	if site {
		return "Client must be authenticated to access this resource."
	}
	return "Unauthorized"
}

// recordedError returns the error the snapshot records for a route (or a
// site), so that collecting from the fake reproduces the snapshot.
func (s *Server) recordedError(route, site string) *snapshot.AreaError {
	failed := func(a snapshot.Area) *snapshot.AreaError {
		if a.Collected || a.Error == nil || a.Source != snapshot.SourceAPI {
			return nil
		}
		return a.Error
	}
	var e *snapshot.AreaError
	switch route {
	case "app_access", "app_access.detail":
		e = failed(s.snap.AppAccess.Area)
		if e != nil && strings.Contains(e.Endpoint, "{domain}") != (route == "app_access.detail") {
			e = nil
		}
	case "managed_accounts.count":
		e = failed(s.snap.ManagedAccounts.Area)
	case "audit_log.actions":
		e = failed(s.snap.AuditLog.Area)
	case "site":
		for _, sa := range s.snap.ConnectedApps.Installed.Sites {
			if sameSite(sa.URL, site) && !sa.Collected && sa.Error != nil {
				e = sa.Error
			}
		}
	default: // the other routes are named after their area
		if def, ok := snapshot.LookupArea(route); ok {
			e = failed(*def.Envelope(s.snap))
		}
	}
	return e
}

// serveRecorded answers a recorded error: its status and code (429 and 5xx
// with Retry-After: 0 so retries do not wait), or a malformed body when no
// status was recorded.
func serveRecorded(w http.ResponseWriter, r *http.Request, e *snapshot.AreaError) {
	if e.Status < 400 {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data": [ oops`))
		return
	}
	if e.Status == http.StatusTooManyRequests || e.Status >= 500 {
		w.Header().Set("Retry-After", "0")
	}
	writeError(w, r, e.Status, e.Code, "")
}
