package attestation

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

var now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func orgSites() []snapshot.Site {
	return []snapshot.Site{
		{ID: "1", URL: "https://acme.atlassian.net"},
		{ID: "2", URL: "https://acme-sandbox.atlassian.net"},
	}
}

func TestCheckSites(t *testing.T) {
	f, err := Parse("att.yaml", []byte(head+"sites:\n  - url: ACME.atlassian.net/\n  - url: http://acme-sandbox.atlassian.net\n  - url: https://acme-labs.atlassian.net\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = f.CheckSites(orgSites())
	var ae *Error
	want := "att.yaml:6:10: site https://acme-labs.atlassian.net is not one of the organization's sites (https://acme.atlassian.net, https://acme-sandbox.atlassian.net)"
	if !errors.As(err, &ae) || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	f.Sites = f.Sites[:2]
	if err := f.CheckSites(orgSites()); err != nil {
		t.Errorf("scheme, case and trailing slash must not matter: %v", err)
	}
}

func TestApply(t *testing.T) {
	f, err := Load("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := &snapshot.Snapshot{Sites: snapshot.SitesArea{Items: orgSites()}}
	f.Apply(s, now)
	set := s.ConnectedApps.Settings
	if !set.Collected || set.Source != snapshot.SourceAttestation || set.AttestedBy != "jane.admin@acme.com" ||
		set.AttestedAt.Format(time.RFC3339) != "2026-11-20T00:00:00Z" || !set.CollectedAt.Equal(now) || set.Error != nil {
		t.Errorf("settings envelope: got %+v", set)
	}
	if len(set.Sites) != 2 || set.Sites[1].URL != "https://acme-sandbox.atlassian.net" || set.Sites[1].Apps == nil ||
		*set.Sites[1].BlockUserApps != true || set.Sites[0].Apps[1].InstalledBy != "acc-2" {
		t.Errorf("settings sites: got %+v", set.Sites)
	}
	eu := s.ExternalUsers
	if !eu.Collected || len(eu.Items) != 2 || eu.Items[0] != (snapshot.ExternalUserPolicy{Name: "External user policy", APITokenAccess: "allow"}) {
		t.Errorf("external users: got %+v", eu)
	}
}

func TestApplyWithoutBlocks(t *testing.T) {
	f, err := Parse("att.yaml", []byte(head))
	if err != nil {
		t.Fatal(err)
	}
	s := &snapshot.Snapshot{}
	f.Apply(s, now)
	for name, a := range map[string]snapshot.Area{"settings": s.ConnectedApps.Settings.Area, "external users": s.ExternalUsers.Area} {
		if a.Source != snapshot.SourceNone || a.Collected || a.Error == nil || a.Error.Message == "" {
			t.Errorf("%s: got %+v, want source none with a reason", name, a)
		}
	}
	if s.ConnectedApps.Settings.Sites == nil || s.ExternalUsers.Items == nil {
		t.Error("lists must be empty, not nil")
	}
}

func TestSiteKey(t *testing.T) {
	for _, u := range []string{"https://Acme.atlassian.net/", "acme.atlassian.net", "http://acme.atlassian.net"} {
		if got := SiteKey(u); got != "acme.atlassian.net" {
			t.Errorf("SiteKey(%q): got %q", u, got)
		}
	}
}

// TestApplyEmptySitesBlock: "sites: []" for an organization that has sites
// attests none of them, so the connected-app settings have no source (the
// APP policies are not evaluated); before, the area was attested with no
// site and ATL-APP-001/002/003/005 passed on no data. For an organization
// without sites (attest init drafts "sites: []" then) it stays attested.
func TestApplyEmptySitesBlock(t *testing.T) {
	f, err := Parse("att.yaml", []byte(head+"sites: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	withSites := &snapshot.Snapshot{Sites: snapshot.SitesArea{Items: []snapshot.Site{{URL: "https://a.atlassian.net"}, {URL: "https://b.atlassian.net"}}}}
	f.Apply(withSites, now)
	a := withSites.ConnectedApps.Settings.Area
	if a.Source != snapshot.SourceNone || a.Collected || a.Error == nil || !strings.Contains(a.Error.Message, "lists none of the organization's 2 sites") {
		t.Errorf("org with sites: got %+v, want no source saying the block lists none of the 2 sites", a)
	}
	noSites := &snapshot.Snapshot{}
	f.Apply(noSites, now)
	if a := noSites.ConnectedApps.Settings.Area; a.Source != snapshot.SourceAttestation || !a.Collected {
		t.Errorf("org without sites: got %+v, want attested", a)
	}
}
