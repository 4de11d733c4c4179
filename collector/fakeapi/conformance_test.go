package fakeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// send sends a request with the admin key (and an Accept header when given)
// and returns the status and the raw body.
func send(t *testing.T, method, url, body, accept string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if strings.Contains(url, "/site/") {
		req.SetBasicAuth(DefaultSiteEmail, DefaultSiteToken)
	} else {
		req.Header.Set("Authorization", bearer)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// TestRejectsWhatTheSpecForbids: the fake refuses the requests Atlassian's
// published spec forbids, in the endpoint's own error shape (contract Part C),
// so it cannot agree with a collector that sends them.
func TestRejectsWhatTheSpecForbids(t *testing.T) {
	s := New(org(), Options{PageSize: 1})
	defer s.Close()
	u := s.URL()
	_, first := send(t, "POST", u+"/admin/v2/orgs/o1/workspaces", `{"limit":20}`, "")
	var page struct {
		Links struct{ Next string } `json:"links"`
	}
	_ = json.Unmarshal([]byte(first), &page)
	cursor := page.Links.Next[strings.Index(page.Links.Next, "cursor=")+len("cursor="):]
	tests := []struct {
		name, method, path, body, accept string
		status                           int
		shape                            string // a fragment of the body
	}{
		{"workspaces: cursor with limit", "POST", "/admin/v2/orgs/o1/workspaces", `{"cursor":"` + cursor + `","limit":20}`, "", 400,
			`"code":"ADMIN-400-24","detail":"when a cursor is provided in the request body, no other properties may be present"`},
		{"workspaces: cursor alone", "POST", "/admin/v2/orgs/o1/workspaces", `{"cursor":"` + cursor + `"}`, "", 200, `"data":[`},
		{"workspaces: limit over 1000", "POST", "/admin/v2/orgs/o1/workspaces", `{"limit":1001}`, "", 400, `{"code":"ADMIN-400-24"`},
		{"workspaces: limit 1000", "POST", "/admin/v2/orgs/o1/workspaces", `{"limit":1000}`, "", 200, `"meta":{`},
		{"users search: limit over 100", "POST", "/admin/v2/orgs/o1/directories/-/users/search", `{"limit":101}`, "", 400,
			`{"errors":[{"code":"ADMIN-400-24","detail":"limit must be between 1 and 100"`},
		{"users search: unknown expand", "POST", "/admin/v2/orgs/o1/directories/-/users/search", `{"expand":["roles"]}`, "", 400, `expand: unknown value roles`},
		{"users search: searchTerm and emails", "POST", "/admin/v2/orgs/o1/directories/-/users/search", `{"searchTerm":"a","emails":["a@b.c"]}`, "", 400, `mutually exclusive`},
		{"users search: unknown status", "POST", "/admin/v2/orgs/o1/directories/-/users/search", `{"status":["gone"]}`, "", 400, `status: unknown value \"gone\"`},
		{"users search: five statuses", "POST", "/admin/v2/orgs/o1/directories/-/users/search",
			`{"status":["active","suspended","not_invited","deactivated","for_deletion"]}`, "", 400, `status takes 1 to 4 values`},
		{"app manager without its media type", "GET", "/site/acme/rest/plugins/1.0/", "", "application/json", 406,
			`{"message":"Not Acceptable: send Accept: application/vnd.atl.plugins.installed+json","status-code":406}`},
		{"app manager with its media type", "GET", "/site/acme/rest/plugins/1.0/", "", pluginsMediaType, 200, `"plugins":[`},
		{"Confluence's app manager under /wiki", "GET", "/site/acme/wiki/rest/plugins/1.0/", "", pluginsMediaType, 200, `"plugins":[]`},
		{"no Jira app manager on a Confluence-only site", "GET", "/site/labs/rest/plugins/1.0/", "", pluginsMediaType, 404, `"status-code":404`},
		{"app access limit over 100", "GET", "/admin/v2/orgs/o1/app-access-settings/domains?limit=101", "", "", 400, `{"errors":[`},
		{"unknown org", "GET", "/admin/v1/orgs/o2/domains", "", "", 404, `"code":"ADMIN-404-2"`},
		{"bulk fetch without accountIds", "POST", "/admin/control/v1/orgs/o1/users/auth-policies/bulk-fetch", `{}`, "", 400, `accountIds is required`},
		{"bulk fetch with no ids", "POST", "/admin/control/v1/orgs/o1/users/auth-policies/bulk-fetch", `{"accountIds":[]}`, "", 400, `accountIds is required`},
		{"bulk fetch with a number", "POST", "/admin/control/v1/orgs/o1/users/auth-policies/bulk-fetch", `{"accountIds":[1]}`, "", 400, `a list of strings`},
		{"bulk fetch", "POST", "/admin/control/v1/orgs/o1/users/auth-policies/bulk-fetch", `{"accountIds":["u1"]}`, "", 200, `[`},
		{"org policies: unknown type", "GET", "/admin/v1/orgs/o1/policies?type=ip-allowlist", "", "", 200, `"data":[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := send(t, tt.method, u+tt.path, tt.body, tt.accept)
			if code != tt.status || !strings.Contains(body, tt.shape) {
				t.Errorf("got %d %s, want %d with %s", code, body, tt.status, tt.shape)
			}
		})
	}
}

// TestErrorShapes: each endpoint family answers errors in its documented shape.
func TestErrorShapes(t *testing.T) {
	s := New(org(), Options{Faults: []Fault{
		{Route: "verified_domains", Kind: Forbidden},
		{Route: "api_keys", Kind: RateLimit},
		{Route: "managed_accounts", Kind: Unauthorized},
		{Route: "sites", Kind: Forbidden},
		{Route: "api_tokens", Kind: Forbidden},
	}})
	defer s.Close()
	for _, tt := range []struct {
		name, method, path string
		keys               []string // the top-level keys of the error body
	}{
		{"domains 403", "GET", "/admin/v1/orgs/o1/domains", []string{"error", "message", "path", "requestId", "status", "timestamp"}},
		{"gateway 429", "GET", "/admin/api-access/v1/orgs/o1/api-keys", []string{"code", "message"}},
		{"users search 401", "POST", "/admin/v2/orgs/o1/directories/-/users/search", []string{"errors"}},
		{"workspaces 403 is flat", "POST", "/admin/v2/orgs/o1/workspaces", []string{"code", "detail", "id", "status", "title"}},
		{"api tokens 403", "GET", "/admin/api-access/v1/orgs/o1/api-tokens", []string{"errors"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := send(t, tt.method, s.URL()+tt.path, "{}", "")
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			var keys []string
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if got, want := strings.Join(keys, ","), strings.Join(tt.keys, ","); got != want {
				t.Errorf("got keys %s, want %s (%s)", got, want, body)
			}
		})
	}
}

// TestAppAccessVariants serves the app access settings in each shape the
// spec published, and removed.
func TestAppAccessVariants(t *testing.T) {
	o := org()
	on, off := true, false
	o.AppAccess.Items = []snapshot.ApprovedDomain{{Domain: "acme.example", Enabled: true, AdminNotifications: &on, Products: []snapshot.DomainProduct{
		{ProductID: "ari:cloud:jira::app/all", AccessMode: "REQUEST_ACCESS", AdminApprovalRequired: &on, Role: "ari:cloud:jira::role/software/member"},
		{ProductID: "ari:cloud:confluence::app/all", AccessMode: "DENIED_ACCESS"},
		{ProductID: "ari:cloud:jira-servicedesk::app/all", AdminApprovalRequired: &off},
	}}}
	for _, tt := range []struct {
		variant AppAccessVariant
		status  int
		want    string
	}{
		{AppAccessAugust, 200, `{"adminNotifications":true,"domain":"acme.example","enabled":true,"products":[` +
			`{"accessMode":"REQUEST_ACCESS","defaultRole":"ari:cloud:jira::role/software/member","productId":"ari:cloud:jira::app/all"},` +
			`{"accessMode":"DENIED_ACCESS","productId":"ari:cloud:confluence::app/all"},` +
			`{"accessMode":"DIRECT_ACCESS","productId":"ari:cloud:jira-servicedesk::app/all"}]}`},
		{AppAccessJuly, 200, `{"adminNotifications":"ON_REQUEST","domain":"acme.example","products":[` +
			`{"adminApprovalRequired":true,"productId":"ari:cloud:jira::app/all","role":"ari:cloud:jira::role/software/member"},` +
			`{"adminApprovalRequired":false,"productId":"ari:cloud:jira-servicedesk::app/all"}]}`},
		{AppAccessRemoved, 404, `"code":"ADMIN-404-1"`},
		{AppAccessGone, 410, `"status":"410"`},
	} {
		s := New(o, Options{AppAccess: tt.variant})
		code, body := send(t, "GET", s.URL()+"/admin/v2/orgs/o1/app-access-settings/domains/acme.example", "", "")
		s.Close()
		if code != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("variant %d: got %d %s, want %d %s", tt.variant, code, body, tt.status, tt.want)
		}
	}
}

// TestDocumentedShapes: keys never carry keyType or status, users carry
// the expanded fields only when expanded, and the list paging follows Part C.
func TestDocumentedShapes(t *testing.T) {
	o := org()
	o.APIKeys.Items[0].KeyType, o.APIKeys.Items[0].Status = "UNSCOPED", "ACTIVE"
	o.ManagedAccounts.Items[0].ProductAccess = []snapshot.ProductAccess{{Key: "jira", ID: "ari:cloud:jira::site/c1"}}
	s := New(o, Options{PageSize: 5})
	defer s.Close()
	_, keys := send(t, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys", "", "")
	if strings.Contains(keys, "keyType") || strings.Contains(keys, `"status"`) || !strings.Contains(keys, `"orgId":"o1"`) {
		t.Errorf("api keys: got %s, want the documented shape", keys)
	}
	_, plain := send(t, "POST", s.URL()+"/admin/v2/orgs/o1/directories/-/users/search", `{}`, "")
	_, expanded := send(t, "POST", s.URL()+"/admin/v2/orgs/o1/directories/-/users/search", `{"expand":["productAccess","groups"]}`, "")
	if strings.Contains(plain, "productAccess") || !strings.Contains(expanded, `"productAccess":[{"id":"ari:cloud:jira::site/c1","key":"jira"}]`) ||
		!strings.Contains(expanded, `"groups":[]`) || strings.Contains(expanded, "deactivatedOn") {
		t.Errorf("users search: got %s and %s", plain, expanded)
	}
}

// TestUsersFiltersAndCount: the users search filters and the count endpoint
// agree, and a filter on mfaEnabled drops the accounts that lack the field.
func TestUsersFiltersAndCount(t *testing.T) {
	o := org()
	yes := true
	o.ManagedAccounts.Items = []snapshot.Account{
		{AccountID: "a1", Name: "Zed", Email: "z@acme.example", Status: "active", ClaimStatus: "managed", MFAEnabled: &yes, Roles: []string{"atlassian/org-admin"}},
		{AccountID: "a2", Name: "Amy", Email: "amy@gmail.com", Status: "suspended", ClaimStatus: "unmanaged", Roles: []string{}},
		{AccountID: "a3", Name: "Bo", Email: "bo@acme.example", Status: "active", ClaimStatus: "managed", Roles: []string{}},
	}
	s := New(o, Options{PageSize: 10})
	defer s.Close()
	for _, tt := range []struct{ body, query, want string }{
		{`{"status":["active"]}`, "status=active", "a1,a3"},
		{`{"claimStatus":"unmanaged"}`, "claimStatus=unmanaged", "a2"},
		{`{"roleIds":["atlassian/org-admin"]}`, "roleIds=atlassian/org-admin", "a1"},
		{`{"emailDomains":["acme.example"]}`, "emailDomains=acme.example", "a1,a3"},
		{`{"mfaEnabled":true}`, "mfaEnabled=true", "a1"},
		{`{"mfaEnabled":false}`, "mfaEnabled=false", ""},
		{`{"sortBy":[{"field":"nick_name","direction":"asc"}]}`, "", "a2,a3,a1"},
	} {
		_, body := send(t, "POST", s.URL()+"/admin/v2/orgs/o1/directories/-/users/search", tt.body, "")
		var page struct {
			Data []struct{ AccountID string } `json:"data"`
		}
		_ = json.Unmarshal([]byte(body), &page)
		var ids []string
		for _, d := range page.Data {
			ids = append(ids, d.AccountID)
		}
		if got := strings.Join(ids, ","); got != tt.want {
			t.Errorf("search %s: got %s, want %s", tt.body, got, tt.want)
		}
		_, count := send(t, "GET", s.URL()+"/admin/v2/orgs/o1/directories/-/users/count?"+tt.query, "", "")
		if want := `{"count":` + strconv.Itoa(len(ids)) + `}`; count != want {
			t.Errorf("count %s: got %s, want %s", tt.query, count, want)
		}
	}
}

// TestPageFaults: an expired cursor answers 404 after the first page; bad
// UTF-8 is put into the body.
func TestPageFaults(t *testing.T) {
	s := New(org(), Options{PageSize: 1, Faults: []Fault{{Route: "api_keys", Kind: ExpiredCursor}, {Route: "api_tokens", Kind: BadUTF8}}})
	defer s.Close()
	code, body := send(t, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys?pageSize=1", "", "")
	var page struct {
		Links struct{ Next string } `json:"links"`
	}
	_ = json.Unmarshal([]byte(body), &page)
	if code != 200 || page.Links.Next == "" {
		t.Fatalf("first page: got %d %s", code, body)
	}
	if code, body := send(t, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-keys?pageSize=1&cursor="+page.Links.Next, "", ""); code != 404 {
		t.Errorf("second page: got %d %s, want 404", code, body)
	}
	if _, body := send(t, "GET", s.URL()+"/admin/api-access/v1/orgs/o1/api-tokens", "", ""); utf8.ValidString(body) {
		t.Errorf("bad UTF-8: got a valid body %q", body)
	}
}
