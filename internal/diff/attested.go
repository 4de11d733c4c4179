package diff

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// appSettings compares the attested connected-app settings by site URL, then
// by app key. The attestation's author and date are not compared. Settings
// attested for the first time (or no longer attested) are neutral: they
// record what an admin saw, not a change of the setting.
func (c *comparer) appSettings() {
	const area = snapshot.AreaAppSettings
	key := func(s snapshot.SiteAppSettings) string { return siteKey(s.URL) }
	for _, p := range match(c.old.ConnectedApps.Settings.Sites, c.new.ConnectedApps.Settings.Sites, key) {
		var oldApps, newApps []snapshot.AttestedAppState
		url := ""
		switch {
		case p.old == nil:
			url, newApps = p.new.URL, p.new.Apps
			c.added(area, url, fmt.Sprintf("Settings of site %s attested%s.", url, blockText(p.new.BlockUserApps)), RiskNeutral)
		case p.new == nil:
			url, oldApps = p.old.URL, p.old.Apps
			c.removed(area, url, fmt.Sprintf("Settings of site %s no longer attested.", url), RiskNeutral)
		default:
			url, oldApps, newApps = p.new.URL, p.old.Apps, p.new.Apps
			b := newBuilder(area, url, "Site "+url)
			b.boolField("block_user_apps", p.old.BlockUserApps, p.new.BlockUserApps, false,
				"users can no longer install apps", "users may install apps")
			c.emit(b.change())
		}
		c.attestedApps(url, oldApps, newApps)
	}
}

// attestedApps compares the attested state of the apps of one site.
func (c *comparer) attestedApps(url string, old, new []snapshot.AttestedAppState) {
	const area = snapshot.AreaAppSettings
	for _, p := range match(old, new, func(a snapshot.AttestedAppState) string { return a.Key }) {
		resource := url + "#" + p.key
		subject := "App " + p.key + " on " + url
		switch {
		case p.old == nil:
			c.added(area, resource, subject+" attested"+attestedFacts(*p.new)+".", RiskNeutral)
		case p.new == nil:
			c.removed(area, resource, subject+" no longer attested.", RiskNeutral)
		default:
			o, n := p.old, p.new
			b := newBuilder(area, resource, subject)
			b.boolField("vendor_log_access", o.VendorLogAccess, n.VendorLogAccess, true,
				"vendor can read its logs", "vendor can no longer read its logs")
			b.boolField("update_awaiting_approval", o.UpdateAwaitingApproval, n.UpdateAwaitingApproval, true,
				"an update awaits approval", "no update awaits approval")
			b.boolField("installed_by_admin", o.InstalledByAdmin, n.InstalledByAdmin, false,
				"attested as installed by an admin", "attested as not installed by an admin")
			if o.InstalledBy != n.InstalledBy {
				b.set("installed_by", statusValue(o.InstalledBy), statusValue(n.InstalledBy), RiskNeutral,
					fmt.Sprintf("installer %s → %s", cmp.Or(o.InstalledBy, "unknown"), cmp.Or(n.InstalledBy, "unknown")))
			}
			c.emit(b.change())
		}
	}
}

// externalUsers compares the attested external-user policies by name
// (case-insensitive). Allowing external users' API tokens raises risk.
func (c *comparer) externalUsers() {
	const area = snapshot.AreaExternalUsers
	key := func(p snapshot.ExternalUserPolicy) string { return foldKey(p.Name) }
	for _, p := range match(c.old.ExternalUsers.Items, c.new.ExternalUsers.Items, key) {
		switch {
		case p.old == nil:
			c.added(area, p.new.Name, fmt.Sprintf("External-user policy %s added: %s.", p.new.Name, tokenAccessText(p.new.APITokenAccess)),
				riskIf(allowsTokens(p.new.APITokenAccess), false))
		case p.new == nil:
			c.removed(area, p.old.Name, fmt.Sprintf("External-user policy %s removed.", p.old.Name),
				riskIf(false, allowsTokens(p.old.APITokenAccess)))
		case !strings.EqualFold(p.old.APITokenAccess, p.new.APITokenAccess):
			was, is := allowsTokens(p.old.APITokenAccess), allowsTokens(p.new.APITokenAccess)
			b := newBuilder(area, p.new.Name, "External-user policy "+p.new.Name)
			b.set("api_token_access", statusValue(p.old.APITokenAccess), statusValue(p.new.APITokenAccess),
				riskIf(is && !was, was && !is), tokenAccessText(p.new.APITokenAccess))
			c.emit(b.change())
		}
	}
}

func allowsTokens(access string) bool { return strings.EqualFold(access, "allow") }

// tokenAccessText says what an api_token_access value means.
func tokenAccessText(access string) string {
	switch strings.ToLower(access) {
	case "allow":
		return "external users may use API tokens"
	case "block":
		return "external users may not use API tokens"
	}
	return "API token access " + cmp.Or(access, "unknown")
}

// blockText describes an attested block_user_apps setting, "" when unknown.
func blockText(block *bool) string {
	switch {
	case block == nil:
		return ""
	case *block:
		return ": users may not install apps"
	}
	return ": users may install apps"
}

// attestedFacts lists the attested booleans of an app: ": vendor log access on, …".
func attestedFacts(a snapshot.AttestedAppState) string {
	var facts []string
	add := func(v *bool, yes, no string) {
		switch {
		case v == nil:
		case *v:
			facts = append(facts, yes)
		default:
			facts = append(facts, no)
		}
	}
	add(a.VendorLogAccess, "vendor log access on", "vendor log access off")
	add(a.UpdateAwaitingApproval, "update awaiting approval", "no update awaiting approval")
	add(a.InstalledByAdmin, "installed by an admin", "not installed by an admin")
	if len(facts) == 0 {
		return ""
	}
	return ": " + strings.Join(facts, ", ")
}
