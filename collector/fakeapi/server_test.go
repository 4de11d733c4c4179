package fakeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// org is a small organization for the fake's own tests.
func org() *snapshot.Snapshot {
	s := &snapshot.Snapshot{SchemaVersion: 1, Org: snapshot.Org{ID: "o1", Name: "Org One"}}
	s.Sites.Items = []snapshot.Site{
		{ID: "c1", Name: "acme", URL: "https://acme.atlassian.net", Products: []string{"jira-software", "confluence"}},
		{ID: "c2", Name: "labs", URL: "https://labs.atlassian.net", Products: []string{"confluence"}},
	}
	for _, id := range []string{"k1", "k2", "k3"} {
		s.APIKeys.Items = append(s.APIKeys.Items, snapshot.APIKey{ID: id, Scopes: []string{}})
	}
	s.ManagedAccounts.Items = []snapshot.Account{{AccountID: "a1", Status: "active", Roles: []string{"atlassian/org-admin"}}}
	s.ConnectedApps.Installed.Sites = []snapshot.SiteApps{{URL: "https://acme.atlassian.net", Collected: true,
		Apps: []snapshot.App{{Key: "com.x", UserInstalled: true, Vendor: &snapshot.Vendor{Name: "X"}}}}}
	return s
}

// get sends a request and decodes the JSON answer.
func get(t *testing.T, c *http.Client, method, url, auth, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	return resp.StatusCode, m, resp.Header
}

const bearer = "Bearer " + DefaultAPIKey

func TestAuth(t *testing.T) {
	s := New(org(), Options{})
	defer s.Close()
	c := http.DefaultClient
	code, body, _ := get(t, c, "GET", s.URL()+"/admin/v1/orgs", "Bearer wrong-key-123", "")
	raw, _ := json.Marshal(body)
	if code != 401 || string(raw) != `{"code":401,"message":"Unauthorized"}` {
		t.Errorf("wrong key: got %d %s, want 401 in the gateway's shape without the key", code, raw)
	}
	if code, _, _ := get(t, c, "GET", s.URL()+"/site/acme/rest/plugins/1.0/", bearer, ""); code != 401 {
		t.Errorf("site with a Bearer key: got %d, want 401", code)
	}
	req, _ := http.NewRequest("GET", s.URL()+"/site/acme/rest/plugins/1.0/", nil)
	req.SetBasicAuth(DefaultSiteEmail, DefaultSiteToken)
	req.Header.Set("Accept", pluginsMediaType)
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("site with Basic auth: got %v, %v", resp, err)
	}
	resp.Body.Close()
	if code, _, _ := get(t, c, "GET", s.URL()+"/admin/v1/orgs/other/domains", bearer, ""); code != 404 {
		t.Errorf("another org: got %d, want 404", code)
	}
}

func TestPagingStyles(t *testing.T) {
	s := New(org(), Options{PageSize: 1, ExtraOrgs: []snapshot.Org{{ID: "o2"}}})
	defer s.Close()
	c := http.DefaultClient
	_, orgs, _ := get(t, c, "GET", s.URL()+"/admin/v1/orgs", bearer, "")
	if next, _ := orgs["links"].(map[string]any)["next"].(string); !strings.HasPrefix(next, s.URL()+"/admin/v1/orgs?cursor=") {
		t.Errorf("orgs: got next %q, want a full URL", next)
	}
	_, keys, _ := get(t, c, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys?pageSize=100", bearer, "")
	next, _ := keys["links"].(map[string]any)["next"].(string)
	if next == "" || strings.Contains(next, "/") {
		t.Fatalf("api keys: got next %q, want a bare cursor", next)
	}
	if code, _, _ := get(t, c, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys?cursor="+next, bearer, ""); code != 400 {
		t.Errorf("api keys cursor without the filters: got %d, want 400", code)
	}
	if code, _, _ := get(t, c, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys?pageSize=100&cursor="+next, bearer, ""); code != 200 {
		t.Errorf("api keys cursor with the filters: got %d, want 200", code)
	}
	_, ws, _ := get(t, c, "POST", s.URL()+"/admin/v2/orgs/o1/workspaces", bearer, `{"limit":100}`)
	attrs := ws["data"].([]any)[0].(map[string]any)["attributes"].(map[string]any)
	if attrs["hostUrl"] != s.URL()+"/site/acme" || attrs["typeKey"] != "jira-software" {
		t.Errorf("workspaces: got %v", attrs)
	}
	for _, tt := range []struct {
		body  string
		roles bool
	}{{`{}`, false}, {`{"expand":["platformRoles"]}`, true}} {
		_, users, _ := get(t, c, "POST", s.URL()+"/admin/v2/orgs/o1/directories/-/users/search", bearer, tt.body)
		_, has := users["data"].([]any)[0].(map[string]any)["platformRoles"]
		if has != tt.roles {
			t.Errorf("users search %s: platformRoles present=%v, want %v", tt.body, has, tt.roles)
		}
	}
}

func TestTransport(t *testing.T) {
	s := New(org(), Options{RealHosts: true, PageSize: 1, ExtraOrgs: []snapshot.Org{{ID: "o2"}}})
	defer s.Close()
	c := s.HTTPClient()
	_, orgs, _ := get(t, c, "GET", "https://api.atlassian.com/admin/v1/orgs", bearer, "")
	if next, _ := orgs["links"].(map[string]any)["next"].(string); !strings.HasPrefix(next, "https://api.atlassian.com/admin/v1/orgs?cursor=") {
		t.Errorf("next through the transport: got %q, want the API host", next)
	}
	_, ws, _ := get(t, c, "POST", "https://api.atlassian.com/admin/v2/orgs/o1/workspaces", bearer, `{}`)
	if h := ws["data"].([]any)[0].(map[string]any)["attributes"].(map[string]any)["hostUrl"]; h != "acme.atlassian.net" {
		t.Errorf("hostUrl with RealHosts: got %v", h)
	}
	req, _ := http.NewRequest("GET", "https://acme.atlassian.net/rest/plugins/1.0/", nil)
	req.SetBasicAuth(DefaultSiteEmail, DefaultSiteToken)
	req.Header.Set("Accept", pluginsMediaType)
	resp, err := c.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("site through the transport: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, err := c.Get("https://example.com/"); err == nil || !strings.Contains(err.Error(), "not a host of the fake") {
		t.Errorf("unknown host: got %v, want a refusal", err)
	}
	if got := s.Requests(); len(got) != 3 || got[2].Route != "site" || got[2].Site != "https://acme.atlassian.net" {
		t.Errorf("requests: got %+v", got)
	}
}

func TestFaults(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := New(org(), Options{Now: func() time.Time { return now }, Faults: []Fault{
		{Route: "api_keys", Kind: RateLimitDate, Times: 1},
		{Route: "api_keys", Kind: Truncated, Times: 1},
		{Route: "sites", Kind: Huge, Size: 1 << 20},
	}})
	defer s.Close()
	c := http.DefaultClient
	code, _, h := get(t, c, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys", bearer, "")
	if code != 429 || h.Get("Retry-After") != "Tue, 01 Dec 2026 09:00:02 GMT" {
		t.Errorf("rate limit: got %d Retry-After %q", code, h.Get("Retry-After"))
	}
	req, _ := http.NewRequest("GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys", nil)
	req.Header.Set("Authorization", bearer)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("truncated: the body read completely")
	}
	resp.Body.Close()
	if code, _, _ := get(t, c, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys", bearer, ""); code != 200 {
		t.Errorf("after the faults: got %d, want 200", code)
	}
	req, _ = http.NewRequest("POST", s.URL()+"/admin/v2/orgs/o1/workspaces", strings.NewReader("{}"))
	req.Header.Set("Authorization", bearer)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if n < 1<<20 {
		t.Errorf("huge: got %d bytes, want at least 1 MiB", n)
	}
	if s.Count("api_keys") != 3 || s.MaxInFlight() != 1 {
		t.Errorf("got %d api_keys requests, %d in flight; want 3 and 1", s.Count("api_keys"), s.MaxInFlight())
	}
}

func TestSlowThenFault(t *testing.T) {
	s := New(org(), Options{Faults: []Fault{
		{Route: "*", Kind: Slow, Delay: 20 * time.Millisecond},
		{Route: "api_tokens", Kind: Forbidden},
	}})
	defer s.Close()
	start := time.Now()
	code, _, _ := get(t, http.DefaultClient, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-tokens", bearer, "")
	if code != 403 || time.Since(start) < 20*time.Millisecond {
		t.Errorf("got %d after %s, want 403 after the delay", code, time.Since(start))
	}
	if code, _, _ := get(t, http.DefaultClient, "GET", s.URL()+"/admin/v1/orgs", bearer, ""); code != 200 {
		t.Errorf("another route: got %d, want 200", code)
	}
}
