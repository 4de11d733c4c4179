package attestation

import (
	"fmt"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// CheckSites returns an *Error naming the line of the first attested site
// that is not one of sites (the org's sites). URLs are compared without
// scheme, case or trailing slash.
func (f *File) CheckSites(sites []snapshot.Site) error {
	known := map[string]bool{}
	for _, s := range sites {
		known[SiteKey(s.URL)] = true
	}
	for _, s := range f.Sites {
		if !known[SiteKey(s.URL)] {
			return &Error{File: f.Name, Line: s.Line, Column: s.Column,
				Msg: fmt.Sprintf("site %s is not one of the organization's sites (%s)", s.URL, siteList(sites))}
		}
	}
	return nil
}

// siteList renders the org's site URLs for an error message.
func siteList(sites []snapshot.Site) string {
	if len(sites) == 0 {
		return "none"
	}
	s := ""
	for i, site := range sites {
		if i > 0 {
			s += ", "
		}
		s += site.URL
	}
	return s
}

// Apply fills the snapshot's attested areas, connected_apps.settings and
// external_users, with source "attestation", collected at now. An attested
// site URL that matches an org site is written in the org's form so that
// policies can join on it. A file without a sites (or external_users) block
// leaves that area with source "none". The approved_domains block covers
// app_access when its API did not answer, and is ignored (with a note)
// when it did. Without an authentication_policies block that area has
// source "none".
func (f *File) Apply(s *snapshot.Snapshot, now time.Time) {
	now = now.UTC()
	at := f.AttestedAt.UTC()
	att := snapshot.Attestation{AttestedBy: f.AttestedBy, AttestedAt: &at}
	collected := snapshot.Area{Source: snapshot.SourceAttestation, Collected: true, CollectedAt: &now}
	f.applyApprovedDomains(s, now, att)
	f.applyAuthPolicies(s, collected, att, now)

	switch {
	case f.HasSites && len(f.Sites) == 0 && len(s.Sites.Items) > 0:
		// "sites: []" attests none of the org's sites: no source, so the
		// policies are not evaluated rather than passed on no data.
		s.ConnectedApps.Settings = snapshot.AppSettingsArea{
			Area:  NotAttested(now, fmt.Sprintf("the attestation file's sites block lists none of the organization's %d sites", len(s.Sites.Items))),
			Sites: []snapshot.SiteAppSettings{},
		}
	case f.HasSites:
		canonical := map[string]string{}
		for _, site := range s.Sites.Items {
			canonical[SiteKey(site.URL)] = site.URL
		}
		sites := make([]snapshot.SiteAppSettings, 0, len(f.Sites))
		for _, site := range f.Sites {
			u := site.URL
			if c, ok := canonical[SiteKey(u)]; ok {
				u = c
			}
			sites = append(sites, snapshot.SiteAppSettings{URL: u, BlockUserApps: site.BlockUserApps, Apps: appStates(site.Apps)})
		}
		s.ConnectedApps.Settings = snapshot.AppSettingsArea{Area: collected, Attestation: att, Sites: sites}
	default:
		s.ConnectedApps.Settings = snapshot.AppSettingsArea{
			Area:  NotAttested(now, "the attestation file has no sites block"),
			Sites: []snapshot.SiteAppSettings{},
		}
	}

	if f.ExternalUsers != nil {
		items := make([]snapshot.ExternalUserPolicy, 0, len(f.ExternalUsers.Policies))
		for _, p := range f.ExternalUsers.Policies {
			items = append(items, snapshot.ExternalUserPolicy{Name: p.Name, APITokenAccess: p.APITokenAccess})
		}
		s.ExternalUsers = snapshot.ExternalUsersArea{Area: collected, Attestation: att, Items: items}
	} else {
		s.ExternalUsers = snapshot.ExternalUsersArea{
			Area:  NotAttested(now, "the attestation file has no external_users block"),
			Items: []snapshot.ExternalUserPolicy{},
		}
	}
}

// appStates converts attested apps to the snapshot's form.
func appStates(apps []App) []snapshot.AttestedAppState {
	out := make([]snapshot.AttestedAppState, 0, len(apps))
	for _, a := range apps {
		out = append(out, snapshot.AttestedAppState{
			Key:                    a.Key,
			VendorLogAccess:        a.VendorLogAccess,
			UpdateAwaitingApproval: a.UpdateAwaitingApproval,
			InstalledByAdmin:       a.InstalledByAdmin,
			InstalledBy:            a.InstalledBy,
		})
	}
	return out
}

// NotAttested is the envelope of an attested area that has no source: not
// collected, with msg as the reason.
func NotAttested(now time.Time, msg string) snapshot.Area {
	now = now.UTC()
	return snapshot.Area{
		Source:      snapshot.SourceNone,
		Collected:   false,
		CollectedAt: &now,
		Error:       &snapshot.AreaError{Message: msg},
	}
}
