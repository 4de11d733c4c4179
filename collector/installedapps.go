package collector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointPlugins is a site's app manager REST API (Basic auth).
const endpointPlugins = "/rest/plugins/1.0/"

// msgNoSiteCredentials is the reason installed apps have no source.
const msgNoSiteCredentials = "site credentials are not configured (ATLASSIAN_SITE_EMAIL and ATLASSIAN_SITE_API_TOKEN)"

// errNoPlugins is a site answer without a plugins list.
var errNoPlugins = errors.New("response has no plugins list")

// installedApps lists the apps of every site, overlapped. Each site records
// its own outcome; the area is collected when at least one site was (or the
// org has no site). Without site credentials the area has no source.
func (r *run) installedApps(ctx context.Context, sites snapshot.SitesArea) snapshot.InstalledAppsArea {
	area := snapshot.AreaInstalledApps
	out := snapshot.InstalledAppsArea{Sites: []snapshot.SiteApps{}}
	now := r.opts.Now().UTC()
	switch {
	case ctx.Err() != nil: // the run is stopping; this snapshot will not be written
		out.Area = notCollected(snapshot.SourceSiteAPI, now, ctx.Err())
		return out
	case r.c.siteEmail == "" || r.c.siteToken == "":
		out.Area = snapshot.Area{Source: snapshot.SourceNone, CollectedAt: &now,
			Error: &snapshot.AreaError{Message: msgNoSiteCredentials}}
		r.progress.AreaDone(area, Summary{Err: errors.New(msgNoSiteCredentials)})
		return out
	case !sites.Collected:
		msg := "the organization's sites were not collected"
		if sites.Error != nil {
			msg += ": " + sites.Error.Message
		}
		out.Area = snapshot.Area{Source: snapshot.SourceSiteAPI, CollectedAt: &now, Error: &snapshot.AreaError{Message: msg}}
		r.progress.AreaDone(area, Summary{Err: errors.New(msg)})
		return out
	}

	r.progress.AreaStarted(area)
	t := &tracker{area: area, progress: r.progress}
	out.Sites = make([]snapshot.SiteApps, len(sites.Items))
	_ = forEach(ctx, len(sites.Items), r.opts.Concurrency, func(ctx context.Context, i int) error {
		out.Sites[i] = r.c.siteApps(ctx, sites.Items[i].URL)
		t.page(len(out.Sites[i].Apps))
		return nil
	})
	ok, apps := 0, 0
	var firstErr *snapshot.AreaError
	for _, s := range out.Sites {
		if s.Collected {
			ok++
			apps += len(s.Apps)
		} else if firstErr == nil {
			firstErr = s.Error
		}
	}
	now = r.opts.Now().UTC()
	out.Area = snapshot.Area{Source: snapshot.SourceSiteAPI, Collected: true, CollectedAt: &now}
	sum := Summary{Items: apps, Note: plural(len(out.Sites), "site")}
	if ok < len(out.Sites) {
		sum.Note += fmt.Sprintf(", %d not collected", len(out.Sites)-ok)
	}
	if ok == 0 && firstErr != nil {
		e := *firstErr
		e.Message = "no site's apps could be collected: " + e.Message
		out.Area.Collected, out.Area.Error = false, &e
		sum.Err = errors.New(e.Message)
	}
	r.progress.AreaDone(area, sum)
	return out
}

// siteApps asks one site's app manager for its apps. Every app is kept, with
// user_installed telling third-party apps apart; the policies filter.
func (c *client) siteApps(ctx context.Context, site string) snapshot.SiteApps {
	out := snapshot.SiteApps{URL: site, Apps: []snapshot.App{}}
	base, err := checkBaseURL(site)
	if err != nil {
		out.Error = &snapshot.AreaError{Message: fmt.Sprintf("site URL: %v", err)}
		return out
	}
	req, err := c.newRequest(ctx, call{
		method: http.MethodGet, endpoint: endpointPlugins, url: joinURL(base, endpointPlugins), auth: authSite,
	})
	if err == nil {
		var body object
		if err = c.do(ctx, req, &body); err == nil && body.value("plugins") == nil {
			err = &RequestError{Method: http.MethodGet, Endpoint: endpointPlugins, Status: http.StatusOK, Err: errNoPlugins}
		}
		if err == nil {
			out.Apps = decodeApps(body)
		}
	}
	if err != nil {
		out.Error = areaError(err)
		return out
	}
	out.Collected = true
	return out
}

// decodeApps reads the plugins list of an app manager response.
func decodeApps(body object) []snapshot.App {
	var plugins []object
	_ = json.Unmarshal(body.value("plugins"), &plugins)
	apps := make([]snapshot.App, 0, len(plugins))
	for _, p := range plugins {
		app := snapshot.App{
			Key: p.str("key"), Name: p.str("name"), Version: p.str("version"),
			Enabled: p.boolean("enabled"), UserInstalled: p.boolean("userInstalled"),
		}
		if v := p.obj("vendor"); v != nil {
			app.Vendor = &snapshot.Vendor{Name: v.str("name"), URL: v.str("url", "link", "marketplaceLink")}
		}
		apps = append(apps, app)
	}
	return apps
}
