package collector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The sites' app managers (Basic auth). No Atlassian specification covers
// them (contract Part C.8, low confidence); public clients report that they
// answer 406 unless Accept names their own media type, that the list may be
// paged (links.next), and that Confluence's lives under /wiki while Jira's is
// at the site root (github.com/craftamap/pluploader/issues/64,
// github.com/mattermost/mattermost-plugin-jira/issues/1352).
const (
	endpointPlugins           = "/rest/plugins/1.0/"
	endpointConfluencePlugins = "/wiki/rest/plugins/1.0/"
	pluginsMediaType          = "application/vnd.atl.plugins.installed+json"
)

// msgNoSiteCredentials is the reason installed apps have no source.
const msgNoSiteCredentials = "site credentials are not configured (ATLASSIAN_SITE_EMAIL and ATLASSIAN_SITE_API_TOKEN)"

// appManager is one product's app manager on a site.
type appManager struct {
	product  string // jira or confluence
	endpoint string
}

// appManagers returns the app managers to ask on a site: Jira's when it has
// a Jira product, Confluence's when it has Confluence; both when its
// products are not known.
func appManagers(products []string) []appManager {
	jira := appManager{"jira", endpointPlugins}
	confluence := appManager{"confluence", endpointConfluencePlugins}
	var out []appManager
	hasJira, hasConfluence := false, false
	for _, p := range products {
		p = strings.ToLower(p)
		hasJira = hasJira || strings.HasPrefix(p, "jira")
		hasConfluence = hasConfluence || strings.HasPrefix(p, "confluence")
	}
	if hasJira || !hasConfluence {
		out = append(out, jira)
	}
	if hasConfluence || !hasJira {
		out = append(out, confluence)
	}
	return out
}

// installedApps lists the apps of every site, overlapped. Each site records
// its own outcome; the area is collected when at least one site was (or the
// org has no site). Without site credentials the area has no source.
func (r *run) installedApps(ctx context.Context, sites snapshot.SitesArea) snapshot.InstalledAppsArea {
	ctx = withAreaBudget(ctx, r.opts.MaxAreaBytes)
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
	bad := make([][]snapshot.UnreadableItem, len(sites.Items))
	_ = forEach(ctx, len(sites.Items), r.opts.Concurrency, func(ctx context.Context, i int) error {
		out.Sites[i], bad[i] = r.c.siteApps(ctx, sites.Items[i])
		t.page(len(out.Sites[i].Apps))
		return nil
	})
	ok, apps := 0, 0
	var firstErr *snapshot.AreaError
	for i, s := range out.Sites {
		out.Unreadable = append(out.Unreadable, bad[i]...)
		if s.Collected {
			ok++
			apps += len(s.Apps)
		} else if firstErr == nil {
			firstErr = s.Error
		}
	}
	now = r.opts.Now().UTC()
	out.Area.Source, out.Area.Collected, out.Area.CollectedAt = snapshot.SourceSiteAPI, true, &now
	sum := Summary{Items: apps, Note: plural(len(out.Sites), "site"), Unreadable: len(out.Unreadable)}
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

// siteApps asks each app manager of one site for its apps. Every app is
// kept, with user_installed telling third-party apps apart; the policies
// filter. The site is collected when at least one app manager answered; an
// app manager that did not answer is named in the site's error.
func (c *client) siteApps(ctx context.Context, site snapshot.Site) (snapshot.SiteApps, []snapshot.UnreadableItem) {
	out := snapshot.SiteApps{URL: site.URL, Apps: []snapshot.App{}}
	base, err := checkBaseURL(site.URL)
	if err == nil {
		err = c.siteHostAllowed(base)
	}
	if err != nil {
		out.Error = &snapshot.AreaError{Message: fmt.Sprintf("site URL: %v", err)}
		return out, nil
	}
	var unreadable []snapshot.UnreadableItem
	var failed []string
	for _, m := range appManagers(site.Products) {
		apps, bad, err := c.managerApps(ctx, base, m)
		for i := range bad {
			bad[i].Site = site.URL
		}
		unreadable = append(unreadable, bad...)
		if err != nil {
			if out.Error == nil {
				out.Error = areaError(err)
			}
			failed = append(failed, m.product)
			continue
		}
		out.Collected = true
		out.Apps = append(out.Apps, apps...)
	}
	if out.Collected && out.Error != nil {
		out.Error.Message = fmt.Sprintf("the %s app manager did not answer: %s", strings.Join(failed, " and "), out.Error.Message)
	}
	return out, unreadable
}

// managerApps lists one app manager's apps, following its paging.
func (c *client) managerApps(ctx context.Context, base *url.URL, m appManager) ([]snapshot.App, []snapshot.UnreadableItem, error) {
	p := pager{
		method: http.MethodGet, endpoint: m.endpoint, url: joinURL(base, m.endpoint), auth: authSite,
		items: "plugins", accept: pluginsMediaType + ", application/json;q=0.9",
	}
	return collectList(ctx, c, p, nil, func(r *reader) (snapshot.App, string) {
		a, key := decodeApp(r)
		a.Product = m.product
		return a, key
	})
}

// decodeApp reads one app: key, name, version, enabled, userInstalled and
// vendor{name, url}. userInstalled must be there: read as absent it would
// hide a third-party app.
func decodeApp(r *reader) (snapshot.App, string) {
	app := snapshot.App{Key: r.id("key"), Name: r.str("name"), Version: r.str("version")}
	if b := r.boolPtr("enabled"); b != nil {
		app.Enabled = *b
	}
	if b := r.boolPtr("userInstalled"); b != nil {
		app.UserInstalled = *b
	} else if r.ok() {
		r.fail("userInstalled", "the app does not say whether a user installed it")
	}
	if v := r.obj("vendor"); v != nil {
		app.Vendor = &snapshot.Vendor{Name: v.str("name"), URL: v.str("url", "link", "marketplaceLink")}
	}
	return app, app.Key
}
