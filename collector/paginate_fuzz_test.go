package collector

// Fuzz tests for the paginator's handling of next links. `go test` runs the
// seeds (testdata/fuzz/Fuzz*/ and the f.Add calls); `make fuzz` explores.

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzNextLink checks that reading links.next / meta.next from any page body
// never panics and yields a trimmed link.
func FuzzNextLink(f *testing.F) {
	for _, s := range []string{
		`{"data": [], "links": {"next": "abc"}}`,
		`{"data": [], "links": {"next": {"href": "https://api.atlassian.com/x?cursor=1"}}}`,
		`{"data": [], "meta": {"next": "  spaced  "}}`,
		`{"data": [], "links": {"next": null}, "meta": {"next": 7}}`,
		`{"data": [], "links": {"next": ""}}`,
		`{"links": {"next": {"href": ""}}}`,
		`{"links": []}`, `[]`, `"x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var env envelope[json.RawMessage]
		if json.Unmarshal(body, &env) != nil {
			return
		}
		next := env.nextLink()
		if next != strings.TrimSpace(next) && !strings.Contains(string(env.Links.Next)+string(env.Meta.Next), "href") {
			t.Fatalf("next %q is not trimmed", next)
		}
	})
}

// FuzzResolveNext checks the SEMANTICS rules for any next value: a GET never
// follows a link to another scheme, host or port; a bare cursor goes back
// unchanged as the cursor parameter with the original filters; a POST only
// ever takes a cursor; every refusal is a *RequestError of the list.
func FuzzResolveNext(f *testing.F) {
	for _, s := range []string{
		"abc", "c2VhcmNoOjEwMA==", "https://api.atlassian.com/admin/v1/orgs/o/users?cursor=2",
		"HTTPS://API.ATLASSIAN.COM/admin/v1/orgs/o/users?cursor=3", "http://api.atlassian.com/x",
		"https://api.atlassian.com:8443/x", "https://evil.example/x?cursor=1", "//evil.example/x",
		"/admin/v1/orgs/o/users?cursor=4", "https://api.atlassian.com@evil.example/", "https://api.atlassian.com.evil.example/",
		"https://[::1]:80/", "https://api.atlassian.com/%zz", "cursor with spaces&and=amps#frag", "\x00", "",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	base, err := url.Parse("https://api.atlassian.com/admin/v1/orgs/o/users?status=active")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string, post bool) {
		p := pager{method: http.MethodGet, endpoint: "GET /admin/v1/orgs/{orgId}/users", url: base, sizeParam: "limit", size: 100}
		if post {
			p.method, p.body = http.MethodPost, map[string]any{"expand": []string{"platformRoles"}}
		}
		next, cursor, err := p.resolveNext(raw)
		if err != nil {
			var re *RequestError
			if !errors.As(err, &re) || re.Method != p.method {
				t.Fatalf("refusal %T %v is not a *RequestError of the list", err, err)
			}
			return
		}
		if next != nil {
			if post {
				t.Fatalf("POST followed a URL %v", next)
			}
			if !sameOrigin(base, next) {
				t.Fatalf("GET follows %q to another origin: %v", raw, next)
			}
			if got := p.call(next, "", 100).url; got.String() != next.String() {
				t.Fatalf("GET next fetched as %v, want %v as-is", got, next)
			}
			return
		}
		lower := strings.ToLower(raw)
		if !post && !strings.HasPrefix(lower, "http") && !strings.HasPrefix(raw, "/") && cursor != raw {
			t.Fatalf("bare cursor %q came back as %q", raw, cursor)
		}
		c := p.call(nil, cursor, 100)
		if post {
			body, _ := c.body.(map[string]any)
			if cursor != "" && body["cursor"] != cursor {
				t.Fatalf("POST body cursor = %v, want %q", body["cursor"], cursor)
			}
			if body["expand"] == nil {
				t.Fatal("POST lost its filters")
			}
			return
		}
		q := c.url.Query()
		if cursor != "" && q.Get("cursor") != cursor {
			t.Fatalf("GET cursor parameter = %q, want %q", q.Get("cursor"), cursor)
		}
		if q.Get("status") != "active" || c.url.Host != base.Host || c.url.Path != base.Path {
			t.Fatalf("GET with cursor lost the filters or the endpoint: %v", c.url)
		}
	})
}
