package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck"
	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// scanResult is what a scan against the fake left: the exit code, stderr,
// the JSON report's policies and findings and the snapshot written.
type scanResult struct {
	code     int
	stderr   string
	policies map[string]struct{ Status, Reason string }
	findings []struct{ PolicyID, Resource, Message string }
	snap     *snapshot.Snapshot
}

// scanFake runs scan --format json against the demo org served by a fake
// with opts (the secret key set), writing the snapshot too.
func scanFake(t *testing.T, opts fakeapi.Options, args ...string) scanResult {
	t.Helper()
	var org snapshot.Snapshot
	if err := json.Unmarshal(atlcheck.DemoSnapshot, &org); err != nil {
		t.Fatal(err)
	}
	opts.APIKey = secretKey
	if opts.EventsRateLimit.Limit == 0 {
		opts.EventsRateLimit = roomyEvents
	}
	srv := fakeapi.New(&org, opts)
	t.Cleanup(srv.Close)
	t.Setenv(envAPIKey, secretKey)
	t.Setenv(envOrgID, "")
	t.Setenv(envSiteEmail, fakeapi.DefaultSiteEmail)
	t.Setenv(envSiteToken, fakeapi.DefaultSiteToken)
	dir := t.TempDir()
	out, snapOut := filepath.Join(dir, "r.json"), filepath.Join(dir, "s.json")
	_, stderr, code := cli(t, append([]string{"scan", "--api-url", srv.URL(), "--format", "json", "--output", out,
		"--snapshot-out", snapOut, "--quiet"}, args...)...)
	res := scanResult{code: code, stderr: stderr, policies: map[string]struct{ Status, Reason string }{}}
	if strings.Contains(stderr, secretKey) {
		t.Error("the API key leaked into stderr")
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return res
	}
	var rep struct {
		Policies []struct{ ID, Status, Reason string } `json:"policies"`
		Findings []struct {
			PolicyID string `json:"policy_id"`
			Resource string `json:"resource"`
			Message  string `json:"message"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Policies {
		res.policies[p.ID] = struct{ Status, Reason string }{p.Status, p.Reason}
	}
	for _, f := range rep.Findings {
		res.findings = append(res.findings, struct{ PolicyID, Resource, Message string }{f.PolicyID, f.Resource, f.Message})
	}
	doc, err := snapshot.Load(snapOut)
	if err != nil {
		t.Fatalf("the written snapshot: %v", err)
	}
	if res.snap, err = doc.Full(); err != nil {
		t.Fatal(err)
	}
	return res
}

// found returns the findings of a policy as "resource: message".
func (r scanResult) found(policy string) []string {
	var out []string
	for _, f := range r.findings {
		if f.PolicyID == policy {
			out = append(out, f.Resource+": "+f.Message)
		}
	}
	sort.Strings(out)
	return out
}

// TestScanConformsToPartC runs the rows of issue 10's table through the CLI:
// scan against a fake that answers as Atlassian's published spec does.
func TestScanConformsToPartC(t *testing.T) {
	t.Run("app access removed: the area is not available, everything else collected", func(t *testing.T) {
		for _, variant := range []fakeapi.AppAccessVariant{fakeapi.AppAccessRemoved, fakeapi.AppAccessGone} {
			r := scanFake(t, fakeapi.Options{AppAccess: variant, PageSize: 5}, "--fail-on", "none", "--config", acmeConfig)
			if r.code != exitOK {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if aa := r.snap.AppAccess; aa.Source != snapshot.SourceNone || aa.Error == nil || !strings.Contains(aa.Error.Message, "not available") {
				t.Errorf("app_access: got %+v %+v", aa.Area, aa.Error)
			}
			for _, id := range []string{"ATL-AAS-001", "ATL-AAS-003", "ATL-AAS-006"} {
				if p := r.policies[id]; p.Status != "not_evaluated" || !strings.Contains(p.Reason, "app_access has no data source: ") ||
					!strings.Contains(p.Reason, "the app access settings API is not available") {
					t.Errorf("%s = %+v, want not_evaluated: not available", id, p)
				}
			}
			if got := r.found("ATL-COL-001"); len(got) != 1 || !strings.Contains(got[0], "/site/acme-labs: ") {
				t.Errorf("ATL-COL-001 = %q, want only the demo's refused site", got)
			}
			if got := r.found("ATL-COL-002"); len(got) != 4 || !strings.HasPrefix(got[0], "app_access: Area app_access has no data source: HTTP 4") ||
				!strings.Contains(got[0], "the app access settings API is not available") {
				t.Errorf("ATL-COL-002 = %q", got)
			}
			for _, id := range []string{"ATL-KEY-001", "ATL-TOK-002", "ATL-ACC-001", "ATL-APP-004"} {
				if r.policies[id].Status != "fail" {
					t.Errorf("%s = %+v, want evaluated (fail)", id, r.policies[id])
				}
			}
		}
	})
	t.Run("workspaces over three pages: every site collected", func(t *testing.T) {
		r := scanFake(t, fakeapi.Options{PageSize: 1}, "--fail-on", "none", "--config", acmeConfig)
		if r.code != exitOK || !r.snap.Sites.Collected || len(r.snap.Sites.Items) != 3 {
			t.Fatalf("exit %d, sites %+v: %s", r.code, r.snap.Sites, r.stderr)
		}
		if p := r.policies["ATL-APP-004"]; p.Status != "fail" {
			t.Errorf("ATL-APP-004 = %+v, want evaluated on the sites' apps", p)
		}
	})
	t.Run("app managers: media type, paging, Jira and Confluence", func(t *testing.T) {
		r := scanFake(t, fakeapi.Options{PageSize: 1}, "--fail-on", "none")
		main := r.snap.ConnectedApps.Installed.Sites[0]
		products := map[string]int{}
		for _, a := range main.Apps {
			products[a.Product]++
		}
		if !main.Collected || products["jira"] != 3 || products["confluence"] != 2 {
			t.Errorf("acme.atlassian.net: got %+v, want 3 Jira and 2 Confluence apps", main)
		}
	})
	t.Run("July and August detail shapes give the same findings", func(t *testing.T) {
		july := scanFake(t, fakeapi.Options{AppAccess: fakeapi.AppAccessJuly, PageSize: 5}, "--fail-on", "none")
		august := scanFake(t, fakeapi.Options{AppAccess: fakeapi.AppAccessAugust, PageSize: 5}, "--fail-on", "none")
		for _, id := range []string{"ATL-AAS-001", "ATL-AAS-002", "ATL-AAS-003", "ATL-AAS-004", "ATL-AAS-005", "ATL-AAS-006"} {
			if j, a := july.found(id), august.found(id); strings.Join(j, "\n") != strings.Join(a, "\n") {
				t.Errorf("%s: July %q, August %q", id, j, a)
			}
		}
		if got := august.found("ATL-AAS-005"); len(got) == 0 {
			t.Error("no ATL-AAS-005 finding: the demo's direct access was not read")
		}
		if got := july.found("ATL-AAS-006"); len(got) != 1 || !strings.HasPrefix(got[0], "gmail.com: ") {
			t.Errorf("ATL-AAS-006 (July: ON_REQUEST means on) = %q, want only the demo's enabled domain with notifications off", got)
		}
	})
	t.Run("error bodies: code and message from the flat workspaces shape", func(t *testing.T) {
		r := scanFake(t, fakeapi.Options{Faults: []fakeapi.Fault{{Route: "sites", Kind: fakeapi.Forbidden}}}, "--fail-on", "none")
		want := "sites: Area sites could not be collected: HTTP 403 ADMIN-403-3: POST /admin/v2/orgs/{orgId}/workspaces: 403 ADMIN-403-3 Forbidden: the API key lacks a scope for this resource (POST /admin/v2/orgs/{orgId}/workspaces)"
		if got := r.found("ATL-COL-001"); len(got) != 2 || got[1] != want {
			t.Errorf("ATL-COL-001 = %q, want %q", got, want)
		}
	})
	t.Run("admin API keys: the documented fields, no keyType or status", func(t *testing.T) {
		r := scanFake(t, fakeapi.Options{}, "--fail-on", "none")
		for _, k := range r.snap.APIKeys.Items {
			if k.KeyType != "" || k.Status != "" {
				t.Errorf("key %s: key_type %q status %q, want neither", k.ID, k.KeyType, k.Status)
			}
		}
		if p := r.policies["ATL-KEY-001"]; p.Status != "fail" {
			t.Errorf("ATL-KEY-001 = %+v, want the unscoped key found from its scopes", p)
		}
	})
	t.Run("app access removed, approved domains attested: evaluated from the attestation", func(t *testing.T) {
		// scan collects at the test clock: attest relative to it.
		fresh, old := daysAgo(2), daysAgo(200)
		att := writeFile(t, "att.yaml", attestedDomains(fresh))
		r := scanFake(t, fakeapi.Options{AppAccess: fakeapi.AppAccessRemoved, PageSize: 5}, "--fail-on", "none", "--attestation", att)
		if r.code != exitOK || r.snap.AppAccess.Source != snapshot.SourceAttestation {
			t.Fatalf("exit %d, app access %+v: %s", r.code, r.snap.AppAccess.Area, r.stderr)
		}
		if got := r.found("ATL-AAS-001"); len(got) != 1 || !strings.HasPrefix(got[0], "ANYONE: ") {
			t.Errorf("ATL-AAS-001 = %q, want the attested ANYONE", got)
		}
		if p := r.policies["ATL-AAS-002"]; p.Status != "pass" || !strings.HasPrefix(p.Reason, "approved domains from the attestation file (attested by jane.admin@acme.example on "+fresh+")") {
			t.Errorf("ATL-AAS-002 = %+v, want pass with the attestation named", p)
		}
		if got := r.found("ATL-COL-002"); strings.Contains(strings.Join(got, "\n"), "app_access") {
			t.Errorf("ATL-COL-002 = %q: the attested area has a source", got)
		}
		stale := scanFake(t, fakeapi.Options{AppAccess: fakeapi.AppAccessRemoved, PageSize: 5}, "--fail-on", "none",
			"--attestation", writeFile(t, "old.yaml", attestedDomains(old)))
		if got := stale.found("ATL-COL-002"); !strings.Contains(strings.Join(got, "\n"), "app_access: The attestation of app_access dates from "+old) {
			t.Errorf("stale: ATL-COL-002 = %q, want the approved domains' attestation stale", got)
		}
	})
	t.Run("API answering, approved domains attested: the API wins, with a note", func(t *testing.T) {
		att := writeFile(t, "att.yaml", attestedDomains(daysAgo(2)))
		r := scanFake(t, fakeapi.Options{PageSize: 5}, "--fail-on", "none", "--attestation", att)
		if r.snap.AppAccess.Source != snapshot.SourceAPI || len(r.snap.AppAccess.Items) != 6 {
			t.Fatalf("app access: got %+v", r.snap.AppAccess.Area)
		}
		if p := r.policies["ATL-AAS-001"]; p.Status != "fail" || !strings.Contains(p.Reason, "approved_domains block (attested by jane.admin@acme.example on "+daysAgo(2)+") was ignored") {
			t.Errorf("ATL-AAS-001 = %+v, want the note that the attestation was ignored", p)
		}
	})
	t.Run("404 on page 2: that area only", func(t *testing.T) {
		r := scanFake(t, fakeapi.Options{PageSize: 5, Faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.ExpiredCursor}}}, "--fail-on", "none")
		if r.code != exitOK {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if a := r.snap.ManagedAccounts; a.Collected || a.Error == nil || a.Error.Status != 404 || !strings.Contains(a.Error.Message, "(page 2)") {
			t.Errorf("managed_accounts: got %+v", a.Error)
		}
		if p := r.policies["ATL-ACC-001"]; p.Status != "not_evaluated" {
			t.Errorf("ATL-ACC-001 = %+v", p)
		}
		if !r.snap.APIKeys.Collected || !r.snap.Sites.Collected {
			t.Error("other areas were not collected")
		}
	})
}

// attestedDomains is an attestation of the demo org's approved domains only.
func attestedDomains(at string) string {
	return "attested_by: jane.admin@acme.example\nattested_at: " + at + "\napproved_domains:\n" +
		"  - domain: ANYONE\n    enabled: true\n    admin_notifications: true\n    products:\n" +
		"      - product: ari:cloud:jira-servicedesk::app/all\n        access: request\n        role: member\n" +
		"  - domain: acme.example\n    enabled: true\n    admin_notifications: true\n    products: []\n"
}

// daysAgo is the UTC date n days before the time scan collects at.
func daysAgo(n int) string { return clock().UTC().AddDate(0, 0, -n).Format("2006-01-02") }
