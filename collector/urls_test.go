package collector

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		raw     string
		wantErr string
	}{
		{"https://api.atlassian.com", ""},
		{"https://api.atlassian.com/", ""},
		{"http://127.0.0.1:8080", ""},
		{"http://127.9.9.9", ""},
		{"http://localhost:1234", ""},
		{"http://[::1]:1234", ""},
		{"http://api.atlassian.com", `http://api.atlassian.com: plain http:// is only allowed for loopback hosts`},
		{"http://10.0.0.5", `http://10.0.0.5: plain http:// is only allowed`},
		{"http://127.0.0.1.evil.example", `plain http:// is only allowed`},
		{"ftp://api.atlassian.com", `"ftp://api.atlassian.com" is not an http(s) URL with a host`},
		{"api.atlassian.com", `is not an http(s) URL with a host`},
		{"https://user:secret@api.atlassian.com", `https://user:xxxxx@api.atlassian.com: credentials in the URL are not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := checkBaseURL(tt.raw)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), "secret"):
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func TestSameOrigin(t *testing.T) {
	base, _ := url.Parse("https://api.atlassian.com")
	tests := []struct {
		next string
		want bool
	}{
		{"https://api.atlassian.com/admin/v1/orgs?cursor=x", true},
		{"https://API.atlassian.com:443/admin", true},
		{"http://api.atlassian.com/admin", false},
		{"https://api.atlassian.com:8443/admin", false},
		{"https://evil.example.com/admin", false},
		{"https://api.atlassian.com.evil.example/admin", false},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.next)
		if got := sameOrigin(base, u); got != tt.want {
			t.Errorf("sameOrigin(%s): got %v, want %v", tt.next, got, tt.want)
		}
	}
}

func TestSiteURL(t *testing.T) {
	tests := map[string]string{
		"acme.atlassian.net":            "https://acme.atlassian.net",
		" acme.atlassian.net/ ":         "https://acme.atlassian.net",
		"https://acme.atlassian.net":    "https://acme.atlassian.net",
		"http://127.0.0.1:9/site/acme/": "http://127.0.0.1:9/site/acme",
		"":                              "",
		// The scheme is case-insensitive; another scheme or no host is no
		// site (the workspace is unreadable, not a snapshot that fails its
		// schema).
		"HTTPS://Acme.atlassian.net/": "https://Acme.atlassian.net",
		"ftp://files.example":         "",
		"https://":                    "",
		"https:///path":               "",
	}
	for in, want := range tests {
		if got := siteURL(in); got != want {
			t.Errorf("siteURL(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestExpand(t *testing.T) {
	got := expand(endpointAppAccessDomain, "org 1", "a/b.com")
	if want := "/admin/v2/orgs/org%201/app-access-settings/domains/a%2Fb.com"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
