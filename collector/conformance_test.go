package collector

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The tests of this file are the rows of issue 10's table: a scan against a
// server that answers exactly as Atlassian's published spec documents
// (contract Part C). Each fails if the collector goes back to what it did
// before.

// TestAppAccessRemoved: the app access settings routes answer 404 or 410
// (removed from the spec in August 2026). That area is not available (no
// source), never "wrong org id"; every other area is collected.
func TestAppAccessRemoved(t *testing.T) {
	for _, tt := range []struct {
		variant fakeapi.AppAccessVariant
		status  int
	}{{fakeapi.AppAccessRemoved, 404}, {fakeapi.AppAccessGone, 410}} {
		srv := newFake(t, testOrg(t), fakeapi.Options{AppAccess: tt.variant, RealHosts: true})
		snap, err := Collect(context.Background(), realHostOptions(srv, &syncBuffer{}, &sleeps{}))
		if err != nil {
			t.Fatalf("%d: got %v, want a snapshot", tt.status, err)
		}
		aa := snap.AppAccess
		if aa.Source != snapshot.SourceNone || aa.Collected || aa.Error == nil || aa.Error.Status != tt.status ||
			!strings.Contains(aa.Error.Message, "the app access settings API is not available") ||
			aa.Error.Endpoint != "GET /admin/v2/orgs/{orgId}/app-access-settings/domains" || len(aa.Items) != 0 {
			t.Errorf("%d: app_access: got %+v %+v, want not available", tt.status, aa.Area, aa.Error)
		}
		for name, a := range areas(snap) {
			if name != snapshot.AreaAppAccess && !a.Collected {
				t.Errorf("%d: %s not collected (%+v)", tt.status, name, a.Error)
			}
		}
		if n := srv.Count("app_access.detail"); n != 0 {
			t.Errorf("%d: got %d detail requests after the list was refused", tt.status, n)
		}
	}
}

// TestAppAccessShapes: the July 2026 and the August 2026 detail shapes both
// read to the same access: DIRECT_ACCESS joins without approval,
// REQUEST_ACCESS needs approval, DENIED_ACCESS gives none; "ON_REQUEST"
// means notifications on; defaultRole is the role.
func TestAppAccessShapes(t *testing.T) {
	on, off := true, false
	domains := []snapshot.ApprovedDomain{{Domain: "acme.com", Enabled: true, AdminNotifications: &on, NumberOfProductsAppliesTo: 3,
		Products: []snapshot.DomainProduct{
			{ProductID: "ari:cloud:jira::app/all", AccessMode: "DIRECT_ACCESS", AdminApprovalRequired: &off, Role: "ari:cloud:jira::role/software/member"},
			{ProductID: "ari:cloud:confluence::app/all", AccessMode: "REQUEST_ACCESS", AdminApprovalRequired: &on, Role: "ari:cloud:confluence::role/product/admin"},
			{ProductID: "ari:cloud:jira-servicedesk::app/all", AccessMode: "DENIED_ACCESS"},
		}}}
	for _, tt := range []struct {
		name    string
		variant fakeapi.AppAccessVariant
		want    []snapshot.DomainProduct
	}{
		{"August", fakeapi.AppAccessAugust, domains[0].Products},
		// The July shape cannot say "no access": the denied product is not listed.
		{"July", fakeapi.AppAccessJuly, domains[0].Products[:2]},
	} {
		org := testOrg(t)
		org.AppAccess.Items = domains
		srv := newFake(t, org, fakeapi.Options{AppAccess: tt.variant})
		snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
		if err != nil {
			t.Fatal(err)
		}
		got := snap.AppAccess.Items
		if len(got) != 1 || len(snap.AppAccess.Unreadable) != 0 {
			t.Fatalf("%s: got %+v, unreadable %+v", tt.name, got, snap.AppAccess.Unreadable)
		}
		d := got[0]
		d.Raw = nil
		want := domains[0]
		want.Products = tt.want
		if g, w := mustJSON(t, d), mustJSON(t, want); g != w {
			t.Errorf("%s shape:\ngot  %s\nwant %s", tt.name, g, w)
		}
	}
}

// TestWorkspacesPaging: with more than three pages of workspaces, page 2 on
// sends {"cursor": …} alone (the fake refuses anything else) and every site
// of every page is collected, with its status and sandbox.
func TestWorkspacesPaging(t *testing.T) {
	org := testOrg(t)
	srv := newFake(t, org, fakeapi.Options{PageSize: 1})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, r := range srv.Requests() {
		if r.Route == "sites" {
			bodies = append(bodies, r.Body)
		}
	}
	if len(bodies) < 4 || bodies[0] != `{"limit":100}` {
		t.Fatalf("got workspace requests %q, want more than three pages starting with the limit", bodies)
	}
	for _, b := range bodies[1:] {
		var m map[string]any
		if json.Unmarshal([]byte(b), &m) != nil || len(m) != 1 || m["cursor"] == nil {
			t.Errorf("a later page sent %s, want {\"cursor\": …} alone", b)
		}
	}
	if !snap.Sites.Collected || len(snap.Sites.Items) != len(org.Sites.Items) {
		t.Fatalf("sites: got %+v", snap.Sites)
	}
	if s := snap.Sites.Items[1]; s.Status != "online" || s.Sandbox != "CHILD" || s.Products[0] != "jira-servicedesk" {
		t.Errorf("sandbox site: got %+v", s)
	}
	if !snap.ConnectedApps.Installed.Collected {
		t.Errorf("installed apps: got %+v, want collected", snap.ConnectedApps.Installed.Area)
	}
}

// TestAppManagers: the sites' app managers get their own media type, their
// paging is followed, Jira's and Confluence's paths are asked by the
// products on the site, and a site answering neither is not collected with
// the reason.
func TestAppManagers(t *testing.T) {
	org := testOrg(t)
	org.ConnectedApps.Installed.Sites[0].Apps = append(org.ConnectedApps.Installed.Sites[0].Apps,
		snapshot.App{Key: "com.gliffy.confluence", Product: "confluence", Name: "Gliffy", Enabled: true, UserInstalled: true})
	srv := newFake(t, org, fakeapi.Options{PageSize: 1, Faults: []fakeapi.Fault{
		{Route: "site:https://acme-old.atlassian.net", Kind: fakeapi.Forbidden},
	}})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]int{}
	for _, r := range srv.Requests() {
		if r.Route != "site" {
			continue
		}
		if !strings.HasPrefix(r.Accept, "application/vnd.atl.plugins.installed+json") {
			t.Errorf("site request with Accept %q, want the app manager's media type", r.Accept)
		}
		paths[r.Site+" "+r.Path[strings.Index(r.Path, "/rest")-5:]]++
	}
	sites := snap.ConnectedApps.Installed.Sites
	main := sites[0]
	if !main.Collected || len(main.Apps) != 4 || main.Apps[3].Key != "com.gliffy.confluence" || main.Apps[3].Product != "confluence" {
		t.Errorf("acme: got %+v, want its 3 Jira apps over 3 pages and its Confluence app", main)
	}
	if old := sites[2]; old.Collected || old.Error == nil || old.Error.Status != 403 || old.Error.Endpoint != "GET /wiki/rest/plugins/1.0/" {
		t.Errorf("acme-old (Confluence only, refused): got %+v", old)
	}
	for _, r := range srv.Requests() {
		if r.Route == "site" && r.Site == "https://acme-old.atlassian.net" && !strings.Contains(r.Path, "/wiki/rest/plugins/1.0/") {
			t.Errorf("a Confluence-only site was asked for Jira's app manager: %s", r.Path)
		}
	}
}

// TestSiteAnsweringOneManager: a site with Jira and Confluence whose
// Confluence app manager refuses is collected for Jira, with the reason for
// the rest.
func TestSiteAnsweringOneManager(t *testing.T) {
	// Jira's manager is asked first: the one refusal goes to it.
	srv := newFake(t, testOrg(t), fakeapi.Options{Faults: []fakeapi.Fault{
		{Route: "site:https://acme.atlassian.net", Kind: fakeapi.Forbidden, Times: 1},
	}})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	s := snap.ConnectedApps.Installed.Sites[0]
	if !s.Collected || s.Error == nil || s.Error.Status != 403 ||
		!strings.HasPrefix(s.Error.Message, "the jira app manager did not answer: GET /rest/plugins/1.0/: 403") {
		t.Errorf("one manager refusing: got %+v %+v", s, s.Error)
	}
}

// TestAPIKeysDocumentedShape: keys carry no keyType and no status; the
// snapshot keeps the documented fields.
func TestAPIKeysDocumentedShape(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	k := snap.APIKeys.Items[0]
	if k.KeyType != "" || k.Status != "" || k.SystemAccountID != "712020:5d0c6b1e-key-1" ||
		string(k.Resource) != `"ari:cloud:platform::org/org-1111"` || string(k.TargetResources) != `["ari:cloud:jira::site/cloud-1"]` {
		t.Errorf("got %+v", k)
	}
}

// TestInvalidUTF8: invalid UTF-8 from the API reaches the snapshot as
// U+FFFD, raw items included, so the snapshot is valid UTF-8 JSON.
func TestInvalidUTF8(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{Faults: []fakeapi.Fault{
		{Route: "api_keys", Kind: fakeapi.BadUTF8, Times: 1}, {Route: "api_tokens", Kind: fakeapi.BadUTF8, Times: 1},
	}})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	data := marshal(t, snap)
	if !utf8.Valid(data) {
		t.Fatal("the snapshot is not valid UTF-8")
	}
	if !strings.HasPrefix(snap.APIKeys.Items[0].ID, "\uFFFD") || !strings.Contains(string(snap.APIKeys.Items[0].Raw), "\uFFFD") {
		t.Errorf("got key %q (raw %s), want U+FFFD in place of the bad bytes", snap.APIKeys.Items[0].ID, snap.APIKeys.Items[0].Raw)
	}
	// The bad bytes landed in the first token's createdAt: not a timestamp, so
	// that token is unreadable, kept raw, never dropped.
	bad := snap.APITokens.Unreadable
	if len(bad) != 1 || bad[0].ID != "tok-1" || bad[0].Problems[0].Field != "/createdAt" ||
		!strings.Contains(bad[0].Problems[0].Reason, "\uFFFD") || len(snap.APITokens.Items) != 4 {
		t.Errorf("tokens: got unreadable %+v and %d items", bad, len(snap.APITokens.Items))
	}
	if _, err := snapshot.Parse("collected", data); err != nil {
		t.Errorf("the snapshot does not validate: %v", err)
	}
}

// mustJSON renders v as JSON.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestApprovedDomainsAttested: with the app access routes removed, the
// attestation file's approved_domains block covers the area; with the API
// answering, the API wins and the block is ignored with a note.
func TestApprovedDomainsAttested(t *testing.T) {
	att := mustParse(t, "attested_by: jane@acme.com\nattested_at: 2026-11-20\napproved_domains:\n"+
		"  - domain: ANYONE\n    enabled: true\n    products:\n      - product: ari:cloud:jira::app/all\n        access: direct\n")
	srv := newFake(t, testOrg(t), fakeapi.Options{AppAccess: fakeapi.AppAccessRemoved})
	logs := &syncBuffer{}
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Attestation, opts.Progress = att, NewProgress(logs, false)
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	aa := snap.AppAccess
	if !aa.Collected || aa.Source != snapshot.SourceAttestation || aa.AttestedBy != "jane@acme.com" || len(aa.Items) != 1 ||
		aa.Items[0].Products[0].AccessMode != "DIRECT_ACCESS" || aa.Error == nil || aa.Error.Status != 404 ||
		!strings.HasPrefix(aa.Note, "approved domains from the attestation file (attested by jane@acme.com on 2026-11-20), because the app access settings API did not answer (HTTP 404") {
		t.Errorf("app access: got %+v", aa)
	}
	if !strings.Contains(logs.String(), "app_access: 1 item (attestation)") {
		t.Errorf("progress does not say the area came from the attestation:\n%s", logs)
	}
	if _, err := snapshot.Parse("collected", marshal(t, snap)); err != nil {
		t.Errorf("the snapshot does not validate: %v", err)
	}

	srv = newFake(t, testOrg(t), fakeapi.Options{})
	opts = fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Attestation = att
	if snap, err = Collect(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if aa := snap.AppAccess; aa.Source != snapshot.SourceAPI || len(aa.Items) != 3 || !strings.Contains(aa.Note, "approved_domains block (attested by jane@acme.com on 2026-11-20) was ignored") {
		t.Errorf("API answering: got %+v", aa.Area)
	}
}

// TestOrgPoliciesRequests: the policies list is asked for every type (no
// type filter) and with no page size, which the spec does not document;
// later pages carry the cursor alone.
func TestOrgPoliciesRequests(t *testing.T) {
	org := testOrg(t)
	srv := newFake(t, org, fakeapi.Options{})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, r := range srv.Requests() {
		if r.Route == "org_policies" {
			queries = append(queries, r.Query)
		}
	}
	if len(queries) != 2 || queries[0] != "" || !strings.HasPrefix(queries[1], "cursor=") || strings.Contains(queries[1], "&") {
		t.Errorf("got queries %q, want no parameters, then the cursor alone", queries)
	}
	if got := len(snap.OrgPolicies.Items); got != len(org.OrgPolicies.Items) {
		t.Errorf("got %d policies, want %d", got, len(org.OrgPolicies.Items))
	}
}
