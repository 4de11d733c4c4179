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
)

// TestParseAPIError reads code and message from every error shape Atlassian
// documents (contract Part C.6).
func TestParseAPIError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   APIError
		text   string
	}{
		{
			"organizations errors array", 403,
			`{"errors":[{"id":"x","status":"403","code":"ADMIN-403-3","title":"Forbidden","detail":"Not allowed to manage the org"}]}`,
			APIError{Status: 403, Code: "ADMIN-403-3", Title: "Forbidden", Detail: "Not allowed to manage the org"},
			"GET /admin/v1/orgs/{orgId}/domains: 403 ADMIN-403-3 Forbidden: Not allowed to manage the org",
		},
		{
			"numeric status in the item", 404,
			`{"errors":[{"status":404,"code":"ADMIN-404-2","title":"Not Found"}]}`,
			APIError{Status: 404, Code: "ADMIN-404-2", Title: "Not Found"},
			"GET /admin/v1/orgs/{orgId}/domains: 404 ADMIN-404-2 Not Found",
		},
		{
			"user management key shape", 403, `{"key":"forbidden"}`,
			APIError{Status: 403, Code: "forbidden", Title: "Forbidden"},
			"GET /admin/v1/orgs/{orgId}/domains: 403 forbidden Forbidden",
		},
		{
			"site message shape", 401, `{"message":"Client must be authenticated","status-code":401}`,
			APIError{Status: 401, Title: "Unauthorized", Detail: "Client must be authenticated"},
			"GET /admin/v1/orgs/{orgId}/domains: 401 Unauthorized: Client must be authenticated",
		},
		{
			"control characters and long text are tamed", 400,
			`{"errors":[{"code":"ADMIN-400-24","title":"Bad\nRequest","detail":"line1\r\nline2\u001b[31m` + strings.Repeat("x", 400) + `"}]}`,
			APIError{Status: 400, Code: "ADMIN-400-24", Title: "Bad Request", Detail: "line1 line2 [31m" + strings.Repeat("x", 283) + "…"},
			"GET /admin/v1/orgs/{orgId}/domains: 400 ADMIN-400-24 Bad Request: line1 line2 [31m" + strings.Repeat("x", 283) + "…",
		},
		{
			"not JSON", 502, `<html>bad gateway</html>`,
			APIError{Status: 502, Title: "Bad Gateway"},
			"GET /admin/v1/orgs/{orgId}/domains: 502 Bad Gateway",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseAPIError("GET", "/admin/v1/orgs/{orgId}/domains", tt.status, []byte(tt.body))
			tt.want.Method, tt.want.Endpoint = "GET", "/admin/v1/orgs/{orgId}/domains"
			if *got != tt.want {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
			if got.Error() != tt.text {
				t.Errorf("Error(): got %q, want %q", got.Error(), tt.text)
			}
		})
	}
}

func TestAPIErrorAttempts(t *testing.T) {
	e := &APIError{Method: "GET", Endpoint: "/x", Status: 503, Title: "Service Unavailable", Attempts: 5}
	if got, want := e.Error(), "GET /x: 503 Service Unavailable (gave up after 5 attempts)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestErrorsAs(t *testing.T) {
	api := &APIError{Method: "GET", Endpoint: "/x", Status: 403}
	req := &RequestError{Method: "GET", Endpoint: "/y", Err: ErrCursorLoop}
	fatal := &FatalError{Err: fmt.Errorf("stop: %w", api)}
	var ae *APIError
	var re *RequestError
	var fe *FatalError
	if !errors.As(fmt.Errorf("wrapped: %w", fatal), &fe) || !errors.As(fatal, &ae) || ae.Status != 403 {
		t.Error("a FatalError must be found by errors.As and expose its APIError")
	}
	if !errors.As(req, &re) || !errors.Is(req, ErrCursorLoop) {
		t.Error("a RequestError must be found by errors.As and unwrap to its sentinel")
	}
	if got := areaError(req); got.Endpoint != "GET /y" || got.Message != "GET /y: "+ErrCursorLoop.Error() {
		t.Errorf("areaError: got %+v", got)
	}
	if got := areaError(api); got.Status != 403 || got.Endpoint != "GET /x" {
		t.Errorf("areaError: got %+v", got)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	tests := []struct {
		name   string
		parse  func(string, time.Time) (time.Duration, bool)
		header string
		want   time.Duration
		ok     bool
	}{
		{"retry-after seconds", retryAfter, "30", 30 * time.Second, true},
		{"retry-after fraction", retryAfter, "1.5", 1500 * time.Millisecond, true},
		{"retry-after date", retryAfter, testNow.Add(time.Minute).Format(http.TimeFormat), time.Minute, true},
		{"retry-after junk", retryAfter, "soon", 0, false},
		{"retry-after empty", retryAfter, "", 0, false},
		{"reset epoch seconds", rateLimitReset, "1796115610", time.Unix(1796115610, 0).Sub(testNow), true},
		{"reset epoch millis", rateLimitReset, "1796115610000", time.Unix(1796115610, 0).Sub(testNow), true},
		{"reset iso", rateLimitReset, "2026-12-01T09:00:20Z", 20 * time.Second, true},
		{"reset iso with offset", rateLimitReset, "2026-12-01T10:00:20+01:00", 20 * time.Second, true},
		{"reset delta", rateLimitReset, "15", 15 * time.Second, true},
		{"reset junk", rateLimitReset, "later", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.parse(tt.header, testNow)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %s, %v; want %s, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestErrorTextNeverEchoesACredential: the error detail reaches messages, so
// a server that echoes the key or the site credentials is scrubbed.
func TestErrorTextNeverEchoesACredential(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		fmt.Fprintf(w, `{"errors":[{"code":"ADMIN-403-3","title":"%s","detail":"you sent %s and %s"}]}`,
			r.Header.Get("Authorization"), "site-secret-42", "YUBiLmM6c2l0ZS1zZWNyZXQtNDI=")
	}))
	defer srv.Close()
	c := testClient(t, srv.URL)
	c.siteEmail, c.siteToken = "a@b.c", "site-secret-42"
	c.redact.AddBasic(c.siteEmail, c.siteToken) // what Collect does with the options' site credentials
	req, _ := c.newRequest(context.Background(), call{method: "GET", endpoint: "/x", url: c.apiURL("/x")})
	err := c.do(context.Background(), req, nil)
	if err == nil || strings.Contains(err.Error(), "k-secret") || strings.Contains(err.Error(), "site-secret-42") ||
		strings.Contains(err.Error(), "YUBiLmM6c2l0ZS1zZWNyZXQtNDI=") || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("got %v, want the credentials scrubbed", err)
	}
}
