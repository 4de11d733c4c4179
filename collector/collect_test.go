package collector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

func TestCollectOrgDiscovery(t *testing.T) {
	extra := []snapshot.Org{{ID: "org-2222", Name: "Beta"}, {ID: "org-3333"}}
	tests := []struct {
		name    string
		extra   []snapshot.Org
		orgID   string
		wantOrg string
		wantErr string
	}{
		{"the only org", nil, "", "org-1111", ""},
		{"the given org", extra, "org-1111", "org-1111", ""},
		{"several orgs, none given", extra, "", "",
			`the API key sees 3 organizations; choose one with --org: "org-1111" (Acme Test), "org-2222" (Beta), "org-3333"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, testOrg(t), fakeapi.Options{ExtraOrgs: tt.extra, PageSize: 2})
			opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
			opts.OrgID = tt.orgID
			snap, err := Collect(context.Background(), opts)
			if tt.wantErr != "" {
				var ce *ConfigError
				if !errors.As(err, &ce) || err.Error() != tt.wantErr {
					t.Fatalf("got %T %v, want a ConfigError %q", err, err, tt.wantErr)
				}
				return
			}
			if err != nil || snap.Org.ID != tt.wantOrg || snap.Org.Name != "Acme Test" {
				t.Fatalf("got %+v, %v; want org %s", snap, err, tt.wantOrg)
			}
		})
	}
}

func TestCollectOrgListRefusedWithGivenID(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{Faults: []fakeapi.Fault{{Route: "orgs", Kind: fakeapi.Forbidden}}})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.OrgID = "org-1111"
	snap, err := Collect(context.Background(), opts)
	if err != nil || snap.Org.ID != "org-1111" || !snap.APIKeys.Collected {
		t.Fatalf("got %v, want a collection of the given org", err)
	}
	opts.OrgID = ""
	var fe *FatalError
	if _, err := Collect(context.Background(), opts); !errors.As(err, &fe) {
		t.Fatalf("without an org id: got %v, want a FatalError", err)
	}
}

func TestCollectWithoutOptionalSources(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.SiteEmail, opts.SiteToken = "", ""
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	inst := snap.ConnectedApps.Installed
	if inst.Source != snapshot.SourceNone || inst.Collected || inst.Error == nil ||
		!strings.Contains(inst.Error.Message, "site credentials are not configured") || len(inst.Sites) != 0 || inst.Sites == nil {
		t.Errorf("installed apps: got %+v, want source none with the credentials message and no sites", inst)
	}
	if n := srv.Count("site"); n != 0 {
		t.Errorf("got %d site requests without site credentials, want 0", n)
	}
	for name, a := range map[string]snapshot.Area{"settings": snap.ConnectedApps.Settings.Area, "external_users": snap.ExternalUsers.Area} {
		if a.Source != snapshot.SourceNone || a.Collected || a.Error == nil || !strings.Contains(a.Error.Message, "no attestation file") {
			t.Errorf("%s: got %+v, want source none, not collected, no attestation file", name, a)
		}
	}
	if _, err := snapshot.Parse("collected", marshal(t, snap)); err != nil {
		t.Errorf("the snapshot does not validate: %v", err)
	}
}

func TestCollectAttestationWithoutExternalUsers(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{RealHosts: true})
	opts := realHostOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Attestation = mustParse(t, "attested_by: a@b.c\nattested_at: 2026-11-20T10:30:00+02:00\nsites:\n  - url: acme.atlassian.net\n")
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	set := snap.ConnectedApps.Settings
	if !set.Collected || set.Source != snapshot.SourceAttestation || set.AttestedAt.Format(time.RFC3339) != "2026-11-20T08:30:00Z" ||
		len(set.Sites) != 1 || set.Sites[0].URL != "https://acme.atlassian.net" {
		t.Errorf("settings: got %+v", set)
	}
	if eu := snap.ExternalUsers; eu.Source != snapshot.SourceNone || eu.Collected || eu.Items == nil {
		t.Errorf("external users: got %+v, want source none", eu)
	}
}

func TestCollectSitesNotCollected(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{Faults: []fakeapi.Fault{{Route: "sites", Kind: fakeapi.Forbidden}}})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Attestation = loadAttestation(t, "testdata/org.yaml")
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	inst := snap.ConnectedApps.Installed
	if inst.Collected || inst.Source != snapshot.SourceSiteAPI || !strings.Contains(inst.Error.Message, "sites were not collected: POST") {
		t.Errorf("installed apps: got %+v", inst.Area)
	}
	if !snap.ConnectedApps.Settings.Collected {
		t.Error("the attestation must still apply when the sites cannot be checked")
	}
}

// TestCollectRecordedErrors: areas and sites recorded as failed in the
// snapshot are served as that error, so collecting reproduces them.
func TestCollectRecordedErrors(t *testing.T) {
	org := testOrg(t)
	now := testNow
	org.APITokens = snapshot.APITokensArea{Items: []snapshot.APIToken{}, Area: snapshot.Area{
		Source: snapshot.SourceAPI, CollectedAt: &now, Error: &snapshot.AreaError{
			Status: 403, Code: "ADMIN-UAM-403-1", Endpoint: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens",
			Message: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens: 403 ADMIN-UAM-403-1 Forbidden",
		}}}
	srv := newFake(t, org, fakeapi.Options{RealHosts: true})
	opts := realHostOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Attestation = loadAttestation(t, "testdata/org.yaml")
	got, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, got, org)
}

func TestCollectConcurrency(t *testing.T) {
	for _, limit := range []int{1, 4} {
		srv := newFake(t, testOrg(t), fakeapi.Options{Faults: []fakeapi.Fault{{Route: "*", Kind: fakeapi.Slow, Delay: 20 * time.Millisecond}}})
		opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
		opts.Concurrency = limit
		if _, err := Collect(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		got := srv.MaxInFlight()
		if got > limit || (limit > 1 && got < 2) {
			t.Errorf("concurrency %d: got %d requests in flight at most, want between 2 and %d", limit, got, limit)
		}
	}
}

func TestCollectCancel(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{Faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.Slow, Delay: 5 * time.Second}}})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	var fe *FatalError
	if _, err := Collect(ctx, opts); !errors.As(err, &fe) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a FatalError for the deadline", err)
	}
}

func TestCollectPageSizes(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{MaxLimit: 50})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range areas(snap) {
		if !a.Collected {
			t.Errorf("%s: not collected (%v); want the page size to fall back", name, a.Error)
		}
	}
	var keys []string
	for _, r := range srv.Requests() {
		if r.Route == "api_keys" {
			keys = append(keys, fmt.Sprintf("%d %s", r.Status, strings.Split(r.Query, "cursor=")[0]))
		}
	}
	if want := "[400 pageSize=100 200  200 ]"; fmt.Sprint(keys) != want {
		t.Errorf("api keys requests: got %v, want %s", keys, want)
	}
}

func TestCollectLoopbackSites(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snap.Sites.Items {
		if !strings.HasPrefix(s.URL, srv.URL()+"/site/") {
			t.Errorf("site URL %s, want it under %s/site/", s.URL, srv.URL())
		}
	}
	if n := len(snap.ConnectedApps.Installed.Sites[0].Apps); n != 3 {
		t.Errorf("got %d apps on the first site, want 3", n)
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{"plugins":[]}`))
	}))
	defer srv.Close()
	c := testClient(t, srv.URL)
	c.siteEmail, c.siteToken, c.userAgent = "a@b.c", "site-secret", "atlcheck/1.2.3"
	for _, tt := range []struct {
		auth authKind
		want string
	}{{authAdmin, "Bearer k-secret"}, {authSite, "Basic YUBiLmM6c2l0ZS1zZWNyZXQ="}} {
		req, err := c.newRequest(context.Background(), call{method: "GET", endpoint: "/x", url: c.apiURL("/x"), auth: tt.auth})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.do(context.Background(), req, nil); err != nil {
			t.Fatal(err)
		}
		if got.Get("Authorization") != tt.want || got.Get("User-Agent") != "atlcheck/1.2.3" || got.Get("Accept") != "application/json" {
			t.Errorf("got headers %v, want Authorization %q, the User-Agent and Accept", got, tt.want)
		}
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			t.Error("the redirect was followed")
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	c := testClient(t, srv.URL)
	req, _ := c.newRequest(context.Background(), call{method: "GET", endpoint: "/x", url: c.apiURL("/x")})
	var ae *APIError
	if err := c.do(context.Background(), req, nil); !errors.As(err, &ae) || ae.Status != http.StatusFound {
		t.Errorf("got %v, want an APIError with status 302", err)
	}
}
