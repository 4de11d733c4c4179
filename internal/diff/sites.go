package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// sites compares the sites by URL: added, removed, products changed.
// Sites change the attack surface but not a setting, so they are neutral.
func (c *comparer) sites() {
	const area = snapshot.AreaSites
	key := func(s snapshot.Site) string { return siteKey(s.URL) }
	for _, p := range match(c.old.Sites.Items, c.new.Sites.Items, key) {
		switch {
		case p.old == nil:
			c.added(area, p.new.URL, fmt.Sprintf("Site %s added with %s.",
				nameAndID(p.new.Name, p.new.URL), plural("product", p.new.Products)), RiskNeutral)
		case p.new == nil:
			c.removed(area, p.old.URL, fmt.Sprintf("Site %s removed.", nameAndID(p.old.Name, p.old.URL)), RiskNeutral)
		default:
			b := newBuilder(area, p.new.URL, "Site "+nameAndID(p.new.Name, p.new.URL))
			o, n := sortedSet(p.old.Products), sortedSet(p.new.Products)
			if !slices.Equal(o, n) {
				gained, lost := setDelta(o, n)
				b.set("products", o, n, RiskNeutral, deltaClause("product", gained, lost))
			}
			c.emit(b.change())
		}
	}
}

// installedApps compares the apps of each site, matched by site URL then app
// key. A site whose apps were collected on one side only is reported once
// and its apps are not compared; a site listed on one side only counts as a
// site without apps on the other.
func (c *comparer) installedApps() {
	const area = snapshot.AreaInstalledApps
	key := func(s snapshot.SiteApps) string { return siteKey(s.URL) }
	for _, p := range match(c.old.ConnectedApps.Installed.Sites, c.new.ConnectedApps.Installed.Sites, key) {
		o, n := p.old, p.new
		switch {
		case (o == nil || o.Collected) && (n == nil || n.Collected):
			var oldApps, newApps []snapshot.App
			url := ""
			if o != nil {
				oldApps, url = o.Apps, o.URL
			}
			if n != nil {
				newApps, url = n.Apps, n.URL
			}
			c.siteApps(url, oldApps, newApps)
		case o == nil:
			c.notCompared = append(c.notCompared, NotCompared{Area: area, Resource: n.URL,
				Reason: "new site, not collected" + because(c.nm.siteErrors[siteKey(n.URL)])})
		case n == nil:
			c.notCompared = append(c.notCompared, NotCompared{Area: area, Resource: o.URL,
				Reason: "not listed in the new snapshot, not collected in the old one" + because(c.om.siteErrors[siteKey(o.URL)])})
		default:
			c.siteCollection(o, n)
		}
	}
}

// siteCollection notes a site whose apps were not collected on both sides.
func (c *comparer) siteCollection(o, n *snapshot.SiteApps) {
	const area = snapshot.AreaInstalledApps
	reason := collectionReason(o.Collected, n.Collected, c.om.siteErrors[siteKey(o.URL)], c.nm.siteErrors[siteKey(n.URL)])
	c.notCompared = append(c.notCompared, NotCompared{Area: area, Resource: n.URL, Reason: reason})
	if o.Collected != n.Collected {
		b := newBuilder(area, n.URL, "Installed apps of "+n.URL)
		b.set("collected", o.Collected, n.Collected, RiskNeutral, reason+"; its apps are not compared")
		c.emit(b.change())
	}
}

// siteApps compares the apps of one site. Third-party (user-installed) apps
// that are enabled carry risk; Atlassian's own apps are neutral.
func (c *comparer) siteApps(url string, old, new []snapshot.App) {
	const area = snapshot.AreaInstalledApps
	for _, p := range match(old, new, func(a snapshot.App) string { return a.Key }) {
		resource := url + "#" + p.key
		switch {
		case p.old == nil:
			c.added(area, resource, fmt.Sprintf("%s installed on %s%s.", appLabel(*p.new), url, disabledNote(p.new.Enabled)),
				riskIf(p.new.UserInstalled && p.new.Enabled, false))
		case p.new == nil:
			c.removed(area, resource, fmt.Sprintf("%s removed from %s.", appLabel(*p.old), url),
				riskIf(false, p.old.UserInstalled && p.old.Enabled))
		default:
			c.emit(appChange(resource, url, *p.old, *p.new))
		}
	}
}

func appChange(resource, url string, o, n snapshot.App) *Change {
	b := newBuilder(snapshot.AreaInstalledApps, resource, appLabel(n)+" on "+url)
	if o.Enabled != n.Enabled {
		clause := "disabled"
		if n.Enabled {
			clause = "enabled"
		}
		b.set("enabled", o.Enabled, n.Enabled, riskIf(n.UserInstalled && n.Enabled, n.UserInstalled && !n.Enabled), clause)
	}
	if o.Version != n.Version {
		b.set("version", statusValue(o.Version), statusValue(n.Version), RiskNeutral,
			fmt.Sprintf("version %s → %s", cmp.Or(o.Version, "unknown"), cmp.Or(n.Version, "unknown")))
	}
	return b.change()
}

// appLabel is "Third-party app Name (key)" or "App Name (key)".
func appLabel(a snapshot.App) string {
	kind := "App "
	if a.UserInstalled {
		kind = "Third-party app "
	}
	return kind + nameAndID(a.Name, a.Key)
}

func disabledNote(enabled bool) string {
	if enabled {
		return ""
	}
	return " (disabled)"
}

// deltaClause says which values were added and removed: "product x added,
// products y and z removed".
func deltaClause(noun string, gained, lost []string) string {
	var parts []string
	if len(gained) > 0 {
		parts = append(parts, plural(noun, gained)+" added")
	}
	if len(lost) > 0 {
		parts = append(parts, plural(noun, lost)+" removed")
	}
	return strings.Join(parts, ", ")
}

// plural is "product x", "products x and y" or "no products".
func plural(noun string, values []string) string {
	switch len(values) {
	case 0:
		return "no " + noun + "s"
	case 1:
		return noun + " " + values[0]
	}
	return noun + "s " + quoteList(values)
}
