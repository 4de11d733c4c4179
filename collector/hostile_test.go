package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// Issue 12 row 5: site credentials go only over https to Atlassian site
// hosts (*.atlassian.net and the hosts the config lists), or to loopback
// when the admin API is loopback. Before, a workspace hostUrl on another host
// received the site email and token as Basic auth.
func TestSiteCredentialsOnlyToSiteHosts(t *testing.T) {
	org := testOrg(t)
	org.Sites.Items[1].URL = "https://evil.example"      // a forged hostUrl
	org.Sites.Items[2].URL = "https://jira.corp.example" // listed in SiteHosts
	for i := range org.ConnectedApps.Installed.Sites {
		org.ConnectedApps.Installed.Sites[i].URL = org.Sites.Items[i].URL
	}
	srv := newFake(t, org, fakeapi.Options{RealHosts: true})
	opts := realHostOptions(srv, &syncBuffer{}, &sleeps{})
	opts.SiteHosts = []string{"*.corp.example"}
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	bySite := map[string]snapshot.SiteApps{}
	for _, s := range snap.ConnectedApps.Installed.Sites {
		bySite[s.URL] = s
	}
	evil := bySite["https://evil.example"]
	if evil.Collected || evil.Error == nil || !strings.Contains(evil.Error.Message, "site credentials are sent only over https to Atlassian site hosts") {
		t.Errorf("evil.example: %+v, want not collected with the reason", evil)
	}
	if !bySite["https://acme.atlassian.net"].Collected || !bySite["https://jira.corp.example"].Collected {
		t.Errorf("the Atlassian and the listed site must be collected: %+v", bySite)
	}
	for _, r := range srv.Requests() {
		if r.Route == "site" && strings.Contains(r.Site, "evil.example") {
			t.Errorf("a request went to %s", r.Site)
		}
	}
}

func TestSiteHostAllowed(t *testing.T) {
	tests := []struct {
		api, site string
		hosts     []string
		ok        bool
	}{
		{"https://api.atlassian.com", "https://acme.atlassian.net", nil, true},
		{"https://api.atlassian.com", "https://acme.atlassian.net.", nil, true},
		{"https://api.atlassian.com", "https://evilatlassian.net", nil, false},
		{"https://api.atlassian.com", "https://atlassian.net.evil.example", nil, false},
		{"https://api.atlassian.com", "https://acme.atlassian.net.evil.example", nil, false},
		{"https://api.atlassian.com", "https://10.0.0.5", nil, false},
		{"https://api.atlassian.com", "http://127.0.0.1:8080", nil, false}, // loopback only with a loopback API
		{"http://127.0.0.1:9000", "http://127.0.0.1:8080", nil, true},
		{"http://127.0.0.1:9000", "https://evil.example", nil, false},
		{"https://api.atlassian.com", "https://jira.corp.example", []string{"jira.corp.example"}, true},
		{"https://api.atlassian.com", "https://x.jira.corp.example", []string{"jira.corp.example"}, false},
		{"https://api.atlassian.com", "https://a.corp.example", []string{"*.corp.example"}, true},
		{"https://api.atlassian.com", "https://corp.example", []string{"*.corp.example"}, false},
	}
	for _, tt := range tests {
		api, _ := checkBaseURL(tt.api)
		site, err := checkBaseURL(tt.site)
		if err != nil {
			t.Fatal(err)
		}
		c := &client{api: api, siteHosts: tt.hosts}
		if got := c.siteHostAllowed(site) == nil; got != tt.ok {
			t.Errorf("API %s, site %s, hosts %v: allowed %v, want %v", tt.api, tt.site, tt.hosts, got, tt.ok)
		}
	}
}

// Issue 12 row 13: an area's answers are bounded in all, not only page by
// page: past Options.MaxAreaBytes the area is not collected, and the error
// names the limit and the flag that raises it.
func TestAreaTotalCap(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{PageSize: 1})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.MaxAreaBytes = 600
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	tokens := snap.APITokens
	if tokens.Collected || tokens.Error == nil || !strings.Contains(tokens.Error.Message, "add up to more than 600 bytes (--max-area-size raises the limit)") {
		t.Errorf("api_tokens: %+v, want not collected past the area cap", tokens.Area)
	}
	if err := spend(withAreaBudget(context.Background(), 10), 11); !errors.Is(err, ErrAreaTooLarge) {
		t.Errorf("spend: %v", err)
	}
}

// Issue 12 row 6: every secret the collector holds is masked in every string
// from the APIs before it is stored, in whatever form the server echoes it
// (raw, Bearer, the Basic value, \u-escaped JSON).
func TestSecretsMaskedInTheSnapshot(t *testing.T) {
	org := testOrg(t)
	basic := "c2l0ZS1hZG1pbkBleGFtcGxlLmNvbTpmYWtlLXNpdGUtYXBpLXRva2Vu" // site-admin@example.com:fake-site-api-token
	escaped := strings.ReplaceAll(fakeapi.DefaultAPIKey, "a", `\u0061`)
	org.APITokens.Items[0].Label = "Bearer " + fakeapi.DefaultAPIKey + " " + basic
	org.ConnectedApps.Installed.Sites[0].Apps[0].Name = "Basic " + basic + " and " + fakeapi.DefaultSiteToken
	srv := newFake(t, org, fakeapi.Options{})
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(snap)
	for _, secret := range []string{fakeapi.DefaultAPIKey, fakeapi.DefaultSiteToken, basic} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the snapshot holds %q", secret)
		}
	}
	if !strings.Contains(string(data), "Bearer [redacted]") || !strings.Contains(string(data), "Basic [redacted]") {
		t.Errorf("no masked value in the snapshot")
	}
	// A \u-escaped echo reads as the key once decoded: masked too.
	red, err := redactSnapshot(&snapshot.Snapshot{Org: snapshot.Org{ID: "o", Name: mustDecode(t, `"`+escaped+`"`)}}, opts2(t).Redactor)
	if err != nil || red.Org.Name != "[redacted]" {
		t.Errorf("decoded echo: %+v %v", red, err)
	}
}

func mustDecode(t *testing.T, js string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// opts2 are default options for the fake's credentials.
func opts2(t *testing.T) Options {
	t.Helper()
	return withDefaults(Options{APIKey: fakeapi.DefaultAPIKey, SiteEmail: fakeapi.DefaultSiteEmail, SiteToken: fakeapi.DefaultSiteToken})
}

// A defence that held before issue 12, kept by a test: a gzip bomb (a small
// compressed body that inflates far past the body cap) is cut off at the
// cap, after decompression, and the request fails as too large.
func TestGzipBombCutOff(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write([]byte(`{"data":[`))
	spaces := bytes.Repeat([]byte(" "), 1<<20)
	for range 64 { // 64 MiB inflated, about 64 KiB on the wire
		zw.Write(spaces)
	}
	zw.Write([]byte(`]}`))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/json")
		w.Write(bomb.Bytes())
	}))
	defer srv.Close()
	c := testClient(t, srv.URL)
	c.maxBody = 1 << 20
	req, _ := c.newRequest(context.Background(), call{method: "GET", endpoint: "/x", url: c.apiURL("/x")})
	var v any
	if err := c.do(context.Background(), req, &v); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("got %v, want the body cut off as too large", err)
	}
	if bomb.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes compressed: not a bomb", bomb.Len())
	}
}
