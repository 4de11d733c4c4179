package fakeapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// plugins serves a site's app manager, GET <site>/rest/plugins/1.0/, with
// the apps the snapshot records for that site (none when it records none).
func (s *Server) plugins(w http.ResponseWriter, r *http.Request) {
	site := s.siteBySlug(r.PathValue("slug"))
	plugins := []any{}
	for _, sa := range s.snap.ConnectedApps.Installed.Sites {
		if !sameSite(sa.URL, site.site.URL) {
			continue
		}
		for _, a := range sa.Apps {
			p := map[string]any{"key": a.Key, "enabled": a.Enabled, "userInstalled": a.UserInstalled}
			setText(p, "name", a.Name)
			setText(p, "version", a.Version)
			if a.Vendor != nil {
				v := map[string]any{}
				setText(v, "name", a.Vendor.Name)
				setText(v, "url", a.Vendor.URL)
				p["vendor"] = v
			}
			plugins = append(plugins, p)
		}
	}
	s.writeJSON(w, map[string]any{"plugins": plugins, "links": map[string]any{"self": origin(r) + r.URL.Path}})
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
