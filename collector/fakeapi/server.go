// Package fakeapi serves a fake Atlassian admin API and fake site app APIs
// on loopback, built from a snapshot, with the response shapes and the
// pagination styles of the API contract. Tests and the demo collect from it;
// faults (rate limits, server errors, slow or broken bodies, pagination
// traps) can be injected per endpoint.
package fakeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// Default credentials the fake accepts when Options leaves them empty.
const (
	DefaultAPIKey    = "fake-admin-api-key"
	DefaultSiteEmail = "site-admin@example.com"
	DefaultSiteToken = "fake-site-api-token"
	// DefaultAPIHost is the admin API host that Transport sends to the fake.
	DefaultAPIHost = "api.atlassian.com"
)

// Options configure a fake.
type Options struct {
	// APIKey is the Bearer key accepted; "" means DefaultAPIKey.
	APIKey string
	// SiteEmail and SiteToken are the Basic credentials the sites accept.
	SiteEmail, SiteToken string
	// RealHosts serves workspaces with the snapshot's real site hosts
	// (acme.atlassian.net) instead of loopback URLs; use Transport to reach them.
	RealHosts bool
	// APIHost is the admin API host Transport routes here; "" means DefaultAPIHost.
	APIHost string
	// PageSize is the most items per page; 0 means 2.
	PageSize int
	// MaxLimit lowers the largest limit/pageSize every endpoint accepts (400
	// above); 0 keeps each endpoint's documented maximum (workspaces 1000,
	// the users search and app access 100, API Access 100).
	MaxLimit int
	// AppAccess selects how the app access settings routes answer: the
	// August 2026 detail shape (the default), the July 2026 shape, or the
	// routes removed (404 or 410), as Atlassian's published spec did between
	// 2026-08-17 and 2026-08-21 (contract Part C.1).
	AppAccess AppAccessVariant
	// ExtraOrgs are further organizations the key sees.
	ExtraOrgs []snapshot.Org
	// Faults are injected in order: every matching Slow fault delays a
	// request, then the first other matching fault answers it.
	Faults []Fault
	// Now is the clock for rate-limit headers; nil means time.Now.
	Now func() time.Time
	// RateLimit, when set, enforces a budget of requests per route.
	RateLimit RateLimitOptions
	// EventsRateLimit is the audit log's own budget, per path (the events
	// and the event actions): Atlassian documents 10 requests a minute
	// (swagger.v3.json, getEvents), which is the default; a Limit below 0
	// turns it off.
	EventsRateLimit RateLimitOptions
}

// AppAccessVariant is a shape of the app access settings API.
type AppAccessVariant int

// The app access variants.
const (
	// AppAccessAugust serves details as {domain, enabled, adminNotifications:
	// bool, products: [{productId, accessMode, defaultRole}]}.
	AppAccessAugust AppAccessVariant = iota
	// AppAccessJuly serves details as {domain, adminNotifications:
	// "ON_REQUEST", products: [{productId, adminApprovalRequired, role}]},
	// the spec's own example (its schema says adminNotifications is a boolean).
	AppAccessJuly
	// AppAccessRemoved answers 404 on both routes.
	AppAccessRemoved
	// AppAccessGone answers 410 on both routes.
	AppAccessGone
)

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string
	Query  string
	// Route names the endpoint: orgs, sites, verified_domains, app_access,
	// app_access.detail, api_keys, api_tokens, managed_accounts,
	// managed_accounts.count, service_accounts, service_account_tokens,
	// oauth_clients, org_policies, authentication_policy_members,
	// audit_log.actions, audit_log (the events) or site.
	Route string
	// Body is the request body (POST searches).
	Body string
	// Accept is the Accept header.
	Accept string
	// Site is the site URL for the site route.
	Site   string
	Status int
}

// Server is a running fake.
type Server struct {
	ts    *httptest.Server
	snap  *snapshot.Snapshot
	opts  Options
	sites []fakeSite

	mu       sync.Mutex
	requests []Request
	hits     []int // per fault, how often it applied
	inFlight int
	maxIn    int
	// userQueries caches the accounts each users search or count query picks.
	userQueries map[string][]snapshot.Account
	// userItems caches each account's rendering (by self link and expand).
	userItems map[string]json.RawMessage
	// budgets are the rate-limit windows per route (Options.RateLimit).
	budgets   map[string]*budget
	throttled int
}

// fakeSite is one site of the snapshot with its path slug.
type fakeSite struct {
	site snapshot.Site
	slug string
	host string
}

// New starts a fake serving org (which it copies).
func New(org *snapshot.Snapshot, opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.SiteEmail == "" && opts.SiteToken == "" {
		opts.SiteEmail, opts.SiteToken = DefaultSiteEmail, DefaultSiteToken
	}
	if opts.APIHost == "" {
		opts.APIHost = DefaultAPIHost
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 2
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	switch {
	case opts.EventsRateLimit.Limit == 0:
		opts.EventsRateLimit = RateLimitOptions{Limit: 10, Window: time.Minute}
	case opts.EventsRateLimit.Limit > 0 && opts.EventsRateLimit.Window <= 0:
		opts.EventsRateLimit.Window = time.Minute
	}
	s := &Server{snap: clone(org), opts: opts, hits: make([]int, len(opts.Faults))}
	seen := map[string]bool{}
	for _, site := range s.snap.Sites.Items {
		u, _ := url.Parse(site.URL)
		host := strings.ToLower(u.Hostname())
		slug := strings.SplitN(host, ".", 2)[0]
		for base, n := slug, 2; seen[slug] || slug == ""; n++ {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		seen[slug] = true
		s.sites = append(s.sites, fakeSite{site: site, slug: slug, host: host})
	}
	s.ts = httptest.NewServer(s.routes())
	return s
}

// clone deep-copies a snapshot so the caller may keep changing theirs.
func clone(in *snapshot.Snapshot) *snapshot.Snapshot {
	data, err := json.Marshal(in)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: snapshot does not marshal: %v", err))
	}
	out := &snapshot.Snapshot{}
	if err := json.Unmarshal(data, out); err != nil {
		panic(fmt.Sprintf("fakeapi: snapshot does not unmarshal: %v", err))
	}
	return out
}

// URL is the fake's base URL (http://127.0.0.1:port), the admin API base.
func (s *Server) URL() string { return s.ts.URL }

// Close stops the fake.
func (s *Server) Close() { s.ts.Close() }

// SiteURL is where the fake serves the site with the snapshot URL u: the
// loopback URL by default, u itself with RealHosts.
func (s *Server) SiteURL(u string) string {
	for _, fs := range s.sites {
		if sameSite(fs.site.URL, u) {
			if s.opts.RealHosts {
				return fs.site.URL
			}
			return s.ts.URL + "/site/" + fs.slug
		}
	}
	return ""
}

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests a route received.
func (s *Server) Count(route string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Route == route {
			n++
		}
	}
	return n
}

// MaxInFlight is the largest number of requests that were served at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxIn
}

// sameSite compares site URLs without scheme, case or trailing slash.
func sameSite(a, b string) bool { return siteKey(a) == siteKey(b) }

// siteKey is the comparable form of a site URL.
func siteKey(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	return strings.TrimRight(u, "/")
}

// RateLimitOptions make the fake enforce a rate limit per route, as
// Atlassian documents on every endpoint (contract Part C.6): at most Limit
// requests per Window, announced on every answer with X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (an ISO-8601 UTC time), and a
// 429 carrying the same headers (no Retry-After, which Atlassian does not
// document) once the window's budget is spent.
type RateLimitOptions struct {
	Limit  int
	Window time.Duration
}

// budget is one route's rate-limit window.
type budget struct {
	reset time.Time
	used  int
}

// spend counts a request of route against its budget. It returns the
// headers to answer with and false when the budget is spent (answer 429).
func (s *Server) spend(route string) (http.Header, bool) {
	rl := s.opts.RateLimit
	if strings.HasPrefix(route, "audit_log") {
		rl = s.opts.EventsRateLimit
	}
	h := http.Header{}
	if rl.Limit <= 0 || rl.Window <= 0 {
		return h, true
	}
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.budgets == nil {
		s.budgets = map[string]*budget{}
	}
	b := s.budgets[route]
	if b == nil || !now.Before(b.reset) {
		b = &budget{reset: now.Add(rl.Window)}
		s.budgets[route] = b
	}
	ok := b.used < rl.Limit
	if ok {
		b.used++
	} else {
		s.throttled++
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(rl.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rl.Limit-b.used))
	h.Set("X-RateLimit-Reset", b.reset.UTC().Format(time.RFC3339Nano))
	return h, ok
}

// Throttled is how many requests the rate limit answered with 429.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}
