package collector

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The recorded org serves every endpoint from the bodies under
// testdata/api (written from the contract's Part C), through an
// http.RoundTripper: no socket, no fake, only the files.
const recordedOrg = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"

// answer is a recorded response: a status and a body file under testdata/api.
type answer struct {
	status int
	file   string
}

// recorded is a RoundTripper answering each request with route(req, body).
// It records the requests it saw.
type recorded struct {
	t     *testing.T
	route func(r *http.Request, body map[string]any) answer
	mu    sync.Mutex
	seen  []string // "METHOD host path?query body"
}

func (rt *recorded) RoundTrip(r *http.Request) (*http.Response, error) {
	var raw []byte
	if r.Body != nil {
		raw, _ = io.ReadAll(r.Body)
	}
	body := map[string]any{}
	_ = json.Unmarshal(raw, &body)
	rt.mu.Lock()
	rt.seen = append(rt.seen, strings.TrimSpace(r.Method+" "+r.URL.Host+" "+r.URL.RequestURI()+" "+string(raw)))
	rt.mu.Unlock()
	a := rt.route(r, body)
	data, err := os.ReadFile(filepath.Join("testdata", "api", a.file))
	if err != nil {
		rt.t.Errorf("recorded body %s: %v", a.file, err)
		a.status, data = http.StatusInternalServerError, []byte(`{}`)
	}
	return &http.Response{StatusCode: a.status, Status: http.StatusText(a.status), Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data))}, nil
}

// requests returns the requests seen so far.
func (rt *recorded) requests() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.seen...)
}

// recordedRoutes answers as Atlassian's spec documents, from the recorded
// bodies; variant picks the app access detail shape ("july" or "august").
func recordedRoutes(variant string) func(r *http.Request, body map[string]any) answer {
	return func(r *http.Request, body map[string]any) answer {
		p, q := r.URL.Path, r.URL.Query()
		org := "/admin/v2/orgs/" + recordedOrg
		apiAccess := "/admin/api-access/v1/orgs/" + recordedOrg
		switch {
		case r.URL.Host != "api.atlassian.com":
			return sitePlugins(r)
		case p == "/admin/v1/orgs":
			return answer{200, "orgs/list.json"}
		case p == org+"/workspaces":
			_, hasCursor := body["cursor"]
			switch {
			case hasCursor && len(body) > 1:
				return answer{400, "errors/workspaces-400-flat.json"}
			case hasCursor:
				return answer{200, "workspaces/last.json"}
			}
			return answer{200, "workspaces/page1.json"}
		case p == "/admin/v1/orgs/"+recordedOrg+"/domains":
			return answer{200, "domains/list.json"}
		case p == org+"/app-access-settings/domains":
			if q.Get("cursor") != "" {
				return answer{200, "app-access/list-last.json"}
			}
			return answer{200, "app-access/list.json"}
		case strings.HasPrefix(p, org+"/app-access-settings/domains/"):
			switch strings.TrimPrefix(p, org+"/app-access-settings/domains/") {
			case "ANYONE":
				return answer{200, "app-access/detail-" + variant + "-anyone.json"}
			case "acme.example":
				return answer{200, "app-access/detail-" + variant + ".json"}
			}
			return answer{200, "app-access/detail-" + variant + "-empty.json"}
		case p == "/admin/api-access/v1/orgs/"+recordedOrg+"/api-keys":
			return answer{200, "api-keys/list.json"}
		case p == "/admin/api-access/v1/orgs/"+recordedOrg+"/api-tokens":
			return answer{200, "api-tokens/list.json"}
		case p == apiAccess+"/service-accounts":
			if q.Get("cursor") == "c2EtcGFnZS0y" {
				return answer{200, "service-accounts/list-last.json"}
			}
			return answer{200, "service-accounts/list.json"}
		case p == apiAccess+"/service-accounts/2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e01/api-tokens":
			return answer{200, "service-account-tokens/data.json"}
		case p == apiAccess+"/service-accounts/2f1e6d5c-8b7a-4c3d-9e0f-1a2b3c4d5e03/api-tokens":
			return answer{200, "service-account-tokens/items-empty.json"}
		case p == apiAccess+"/oauth-clients":
			return answer{200, "oauth-clients/list.json"}
		case p == "/admin/control/v1/orgs/"+recordedOrg+"/users/auth-policies/bulk-fetch":
			return answer{200, "auth-policies/bulk-fetch.json"}
		case p == "/admin/v1/orgs/"+recordedOrg+"/policies":
			if q.Get("cursor") == "cG9saWN5OjM" {
				return answer{200, "org-policies/last.json"}
			}
			return answer{200, "org-policies/page1.json"}
		case p == "/admin/v1/orgs/"+recordedOrg+"/event-actions":
			return answer{200, "event-actions/list.json"}
		case p == "/admin/v1/orgs/"+recordedOrg+"/events":
			switch {
			case q.Get("action") == "org_admin_role_granted" && q.Get("cursor") == "":
				return answer{200, "events/org-admin-page1.json"}
			case q.Get("action") == "org_admin_role_granted":
				return answer{200, "events/empty.json"}
			case q.Get("action") == "user_granted_role":
				return answer{200, "events/org-admin-last.json"}
			case q.Get("action") == "api_key_created":
				return answer{200, "events/api-key.json"}
			}
			return answer{200, "events/empty.json"}
		case p == org+"/directories/-/users/search":
			if body["cursor"] != nil {
				return answer{200, "users-search/plain.json"}
			}
			return answer{200, "users-search/expanded.json"}
		}
		return answer{404, "errors/app-access-404-removed.json"}
	}
}

// sitePlugins answers the sites' app managers: acme.atlassian.net has Jira
// (two pages) and Confluence, acme-labs has no app; acme-support refuses the
// credentials. Each answers 406 unless Accept names the app managers' type.
func sitePlugins(r *http.Request) answer {
	if !strings.Contains(r.Header.Get("Accept"), "application/vnd.atl.plugins.installed+json") {
		return answer{406, "errors/site-406.json"}
	}
	switch r.URL.Host + r.URL.Path {
	case "acme.atlassian.net/rest/plugins/1.0/":
		if r.URL.Query().Get("offset") == "2" {
			return answer{200, "plugins/jira-page2.json"}
		}
		return answer{200, "plugins/jira-page1.json"}
	case "acme.atlassian.net/wiki/rest/plugins/1.0/":
		return answer{200, "plugins/confluence.json"}
	case "acme-labs.atlassian.net/rest/plugins/1.0/":
		return answer{200, "plugins/empty.json"}
	}
	return answer{401, "errors/site-401.json"}
}

// collectRecorded collects the recorded org through rt, the options
// changed by change.
func collectRecorded(t *testing.T, rt *recorded, change ...func(*Options)) (*snapshot.Snapshot, error) {
	t.Helper()
	opts := Options{
		APIKey: "recorded-key", SiteEmail: "site-admin@acme.example", SiteToken: "recorded-site-token",
		HTTPClient: &http.Client{Transport: rt}, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.DiscardHandler), Sleep: (&sleeps{}).sleep, ToolVersion: "test",
	}
	for _, c := range change {
		c(&opts)
	}
	return Collect(context.Background(), opts)
}
