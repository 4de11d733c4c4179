package collector

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultAPIURL is the Atlassian admin API gateway.
const DefaultAPIURL = "https://api.atlassian.com"

// checkBaseURL parses a base URL and enforces the transport rule: https, or
// plain http for a loopback host only (tests, the demo). The error names the
// URL, without any user info.
func checkBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an http(s) URL with a host", redactURL(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%s: credentials in the URL are not allowed", u.Redacted())
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s: plain http:// is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost); use https://", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// redactURL hides user info in a URL that may not parse.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	if i := strings.LastIndex(raw, "@"); i >= 0 {
		return "…" + raw[i:]
	}
	return raw
}

// isLoopback reports whether host is localhost or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether u has the scheme, host and port of base.
func sameOrigin(base, u *url.URL) bool {
	return strings.EqualFold(base.Scheme, u.Scheme) && strings.EqualFold(hostPort(base), hostPort(u))
}

// hostPort returns host:port with the scheme's default port filled in.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
		if strings.EqualFold(u.Scheme, "http") {
			port = "80"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// siteURL turns a workspace hostUrl into a site base URL: a bare host means
// https://host; a full URL is kept, its scheme in lower case (schemes are
// case-insensitive, RFC 3986). A trailing slash is dropped. A value that is
// no http(s) address with a host gives "".
func siteURL(hostURL string) string {
	s := strings.TrimSpace(hostURL)
	if s == "" {
		return ""
	}
	scheme, rest, found := strings.Cut(s, "://")
	if !found {
		scheme, rest = "https", s
	}
	scheme = strings.ToLower(scheme)
	rest = strings.TrimRight(rest, "/")
	if (scheme != "https" && scheme != "http") || rest == "" || strings.HasPrefix(rest, "/") {
		return ""
	}
	return scheme + "://" + rest
}

// siteKey is the form in which two workspaces' host URLs are compared.
func siteKey(u string) string { return strings.ToLower(siteURL(u)) }
