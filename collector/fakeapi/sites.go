package fakeapi

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// pluginsMediaType is the app managers' own media type: they answer 406
// unless Accept names it (contract Part C.8).
const pluginsMediaType = "application/vnd.atl.plugins.installed+json"

// plugins serves one product's app manager on a site: Jira's at
// <site>/rest/plugins/1.0/, Confluence's at <site>/wiki/rest/plugins/1.0/,
// each only when the site has that product (any, when its products are not
// known), with the apps the snapshot records for it. The list is paged
// (PageSize apps, links.next a full URL).
func (s *Server) plugins(product string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		site := s.siteBySlug(r.PathValue("slug"))
		if !slices.Contains(siteManagers(site.site.Products), product) {
			writeError(w, r, http.StatusNotFound, "", "Not Found")
			return
		}
		if !strings.Contains(r.Header.Get("Accept"), pluginsMediaType) {
			writeError(w, r, http.StatusNotAcceptable, "", "Not Acceptable: send Accept: "+pluginsMediaType)
			return
		}
		var plugins []any
		for _, sa := range s.snap.ConnectedApps.Installed.Sites {
			if !sameSite(sa.URL, site.site.URL) {
				continue
			}
			for _, a := range sa.Apps {
				if cmp.Or(a.Product, siteManagers(site.site.Products)[0]) == product {
					plugins = append(plugins, pluginItem(a))
				}
			}
		}
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		offset = min(max(offset, 0), len(plugins))
		end := min(offset+s.opts.PageSize, len(plugins))
		path := strings.TrimPrefix(r.URL.Path, r.Header.Get("X-Forwarded-Prefix"))
		links := map[string]any{"self": origin(r) + path}
		if end < len(plugins) {
			links["next"] = origin(r) + path + "?offset=" + strconv.Itoa(end)
		}
		page := append([]any{}, plugins[offset:end]...)
		w.Header().Set("Content-Type", pluginsMediaType)
		s.writeJSON(w, map[string]any{"plugins": page, "links": links})
	}
}

// siteManagers lists the app managers a site has, by its products: jira,
// confluence, or both when its products are not known.
func siteManagers(products []string) []string {
	var out []string
	for _, m := range []string{"jira", "confluence"} {
		if slices.ContainsFunc(products, func(p string) bool { return strings.HasPrefix(strings.ToLower(p), m) }) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		out = []string{"jira", "confluence"}
	}
	return out
}

// pluginItem renders one app as the app manager lists it.
func pluginItem(a snapshot.App) map[string]any {
	p := map[string]any{"key": a.Key, "enabled": a.Enabled, "userInstalled": a.UserInstalled}
	setText(p, "name", a.Name)
	setText(p, "version", a.Version)
	if a.Vendor != nil {
		v := map[string]any{}
		setText(v, "name", a.Vendor.Name)
		setText(v, "url", a.Vendor.URL)
		p["vendor"] = v
	}
	return p
}

// Transport returns an http.RoundTripper that sends requests for the admin
// API host (Options.APIHost) and for the snapshot's site hosts to the fake,
// whatever their scheme, and refuses every other host: nothing leaves
// loopback. The original host and scheme are kept in the Host header and
// X-Forwarded-Proto, so the fake's next links use them.
func (s *Server) Transport() http.RoundTripper {
	listener, _ := url.Parse(s.ts.URL)
	return &routeTransport{s: s, listener: listener, base: s.ts.Client().Transport}
}

// HTTPClient returns a client whose transport is Transport.
func (s *Server) HTTPClient() *http.Client { return &http.Client{Transport: s.Transport()} }

// routeTransport is Transport's implementation.
type routeTransport struct {
	s        *Server
	listener *url.URL
	base     http.RoundTripper
}

// RoundTrip rewrites the request to the fake's listener, or refuses it.
func (t *routeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	host := strings.ToLower(req.URL.Hostname())
	r := req.Clone(req.Context())
	switch {
	case req.URL.Host == t.listener.Host:
		return t.base.RoundTrip(r)
	case host == strings.ToLower(t.s.opts.APIHost):
	default:
		site := t.s.siteByHost(host)
		if site == nil {
			return nil, fmt.Errorf("fakeapi: refusing request to %s: not a host of the fake", req.URL.Host)
		}
		r.URL.Path = "/site/" + site.slug + req.URL.Path
		r.URL.RawPath = ""
		r.Header.Set("X-Forwarded-Prefix", "/site/"+site.slug)
	}
	r.Host = req.URL.Host
	r.Header.Set("X-Forwarded-Proto", req.URL.Scheme)
	r.URL.Scheme, r.URL.Host = t.listener.Scheme, t.listener.Host
	return t.base.RoundTrip(r)
}

// siteByHost finds a site by its real host.
func (s *Server) siteByHost(host string) *fakeSite {
	for i := range s.sites {
		if s.sites[i].host == host {
			return &s.sites[i]
		}
	}
	return nil
}
