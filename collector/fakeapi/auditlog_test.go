package fakeapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// auditOrg is org() with one signal and two events of its action.
func auditOrg() *snapshot.Snapshot {
	s := org()
	s.AuditLog.Signals = []snapshot.AuditSignal{{ID: "api_key_created", Complete: true,
		Actions: []snapshot.EventAction{{ID: "api_key_created", DisplayName: "Created API key", Group: "Organization"}}}}
	for i, at := range []string{"2026-11-19T10:00:00Z", "2026-11-19T12:00:00Z"} {
		tm, _ := time.Parse(time.RFC3339, at)
		s.AuditLog.Items = append(s.AuditLog.Items, snapshot.AuditEvent{ID: []string{"ev-1", "ev-2"}[i], Signal: "api_key_created",
			Action: "api_key_created", Time: tm, Actor: &snapshot.AuditActor{ID: "a1", AuthType: "api-token", TokenID: "t1"},
			Targets: []snapshot.AuditObject{{ID: "k1", Type: "api-key", Name: "ci"}}})
	}
	return s
}

// TestAuditLogEndpoints: the event actions and the events in the
// Organizations API's shapes; the events filtered by action and epoch
// milliseconds, newest first, paged with a full-URL next and the cursor in
// meta; what the spec forbids refused in its error shape.
func TestAuditLogEndpoints(t *testing.T) {
	s := New(auditOrg(), Options{PageSize: 1, EventsRateLimit: RateLimitOptions{Limit: -1}})
	defer s.Close()
	const ev = "/admin/v1/orgs/o1/events"
	tests := []struct {
		name, path string
		status     int
		shape      string
	}{
		{"event actions: the signals' and others", "/admin/v1/orgs/o1/event-actions", 200,
			`{"data":[{"attributes":{"displayName":"Created API key","groupDisplayName":"Organization"},"id":"api_key_created","type":"event-actions"},{"attributes":{"displayName":"Logged in to account"`},
		{"events: newest first, a page, next a full URL and meta.next", ev + "?action=api_key_created&from=0&to=1795161600000&limit=1", 200,
			`"id":"ev-2","links":{"self":`},
		{"events: the time filter", ev + "?action=api_key_created&from=1795078800000&to=1795086000000", 200, `"id":"ev-1"`},
		{"events: another action", ev + "?action=policy_disabled", 200, `{"data":[],`},
		{"events: the actor's token", ev + "?action=api_key_created&from=1795078800000&to=1795086000000", 200,
			`"actor":{"auth":{"authType":"api-token","tokenId":"t1"},"id":"a1"}`},
		{"events: limit over 500", ev + "?limit=501", 400, `"code":"ADMIN-400-24"`},
		{"events: from not epoch milliseconds", ev + "?from=2026-11-19", 400, `"code":"ADMIN-400-3"`},
		{"events: from after to", ev + "?from=20&to=10", 400, `"code":"ADMIN-400-3"`},
		{"events: an undocumented parameter", ev + "?sortOrder=asc", 400, `unknown query parameter sortOrder`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := send(t, "GET", s.URL()+tt.path, "", "")
			if code != tt.status || !strings.Contains(body, tt.shape) {
				t.Errorf("got %d %s, want %d with %s", code, body, tt.status, tt.shape)
			}
		})
	}
	_, page := send(t, "GET", s.URL()+ev+"?action=api_key_created&limit=1", "", "")
	if !strings.Contains(page, `"next":"http`) || !strings.Contains(page, `"meta":{"next":"`) || !strings.Contains(page, `"page_size":1`) {
		t.Errorf("first page %s, want links.next a URL and meta.next the cursor", page)
	}
}

// TestEventsRateLimit: the documented 10 requests a minute per path, then
// 429 {code, message} with X-RateLimit-Limit, -Remaining 0 and -Reset (ISO
// 8601), no Retry-After; the event actions path has its own budget.
func TestEventsRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	s := New(auditOrg(), Options{Now: func() time.Time { return now }})
	defer s.Close()
	get := func(path string) (int, http.Header, string) {
		req, _ := http.NewRequest("GET", s.URL()+path, nil)
		req.Header.Set("Authorization", bearer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := make([]byte, 4096)
		n, _ := resp.Body.Read(b)
		return resp.StatusCode, resp.Header, string(b[:n])
	}
	for i := range 10 {
		code, h, _ := get("/admin/v1/orgs/o1/events")
		if code != 200 || h.Get("X-RateLimit-Limit") != "10" || h.Get("X-RateLimit-Remaining") != []string{"9", "8", "7", "6", "5", "4", "3", "2", "1", "0"}[i] {
			t.Fatalf("request %d: %d, headers %v", i+1, code, h)
		}
	}
	code, h, body := get("/admin/v1/orgs/o1/events")
	if code != 429 || body != `{"code":429,"message":"Rate limit exceeded"}` || h.Get("Retry-After") != "" ||
		h.Get("X-RateLimit-Remaining") != "0" || h.Get("X-RateLimit-Reset") != "2026-11-20T08:01:00Z" {
		t.Errorf("11th request: %d %s %v, want 429 with the reset and no Retry-After", code, body, h)
	}
	if code, _, _ := get("/admin/v1/orgs/o1/event-actions"); code != 200 {
		t.Errorf("event actions: %d, want its own budget", code)
	}
	now = now.Add(time.Minute)
	if code, _, _ := get("/admin/v1/orgs/o1/events"); code != 200 || s.Throttled() != 1 {
		t.Errorf("after the reset: %d, throttled %d", code, s.Throttled())
	}
}
