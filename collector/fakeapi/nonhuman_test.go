package fakeapi

import (
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// nonHumanOrg is org() with service accounts, their tokens and OAuth clients.
func nonHumanOrg() *snapshot.Snapshot {
	s := org()
	up := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s.ServiceAccounts.Items = []snapshot.ServiceAccount{
		{ID: "sa-1", DisplayName: "bot", Status: "ACTIVE", CreatedByID: "a1", UpdatedAt: &up},
		{ID: "sa-2", DisplayName: "broken"},
	}
	s.ServiceAccountTokens.Accounts = []snapshot.TokenList{
		{ServiceAccountID: "sa-1", Collected: true, Reported: 1},
		{ServiceAccountID: "sa-2", Error: &snapshot.AreaError{Status: 403, Code: "ADMIN-403-3", Message: "Forbidden"}},
	}
	s.ServiceAccountTokens.Items = []snapshot.ServiceAccountToken{{ID: "t1", ServiceAccountID: "sa-1", Label: "ci"}}
	s.OAuthClients.Items = []snapshot.OAuthClient{{ClientID: "oc-1", Name: "sync", Status: "ACTIVE", UpdatedAt: &up}}
	return s
}

// TestNonHumanEndpoints: the service accounts, their tokens and the OAuth
// clients are served in the API Access reference's shapes, and a query
// parameter an endpoint does not document is refused.
func TestNonHumanEndpoints(t *testing.T) {
	s := New(nonHumanOrg(), Options{})
	defer s.Close()
	const api = "/admin/api-access/v1/orgs/o1"
	tests := []struct {
		name, path string
		status     int
		shape      string
	}{
		{"service accounts: items, links, total, epoch ms", api + "/service-accounts", 200,
			`{"items":[{"createdById":"a1","displayName":"bot","id":"sa-1","status":"ACTIVE","updatedAt":1772352000000},{"displayName":"broken","id":"sa-2"}],"links":{"next":null,"prev":null},"total":2}`},
		{"service accounts: no page size documented", api + "/service-accounts?pageSize=100", 400,
			`"detail":"unknown query parameter pageSize (this endpoint takes cursor)"`},
		{"tokens of a service account", api + "/service-accounts/sa-1/api-tokens", 200, `{"data":[{"id":"t1","label":"ci"}],"links":{`},
		{"tokens: a recorded refusal", api + "/service-accounts/sa-2/api-tokens", 403, `"code":"ADMIN-403-3"`},
		{"tokens: unknown service account", api + "/service-accounts/sa-9/api-tokens", 404, `"code":"ADMIN-404-1"`},
		{"tokens: unknown parameter", api + "/service-accounts/sa-1/api-tokens?status=ACTIVE", 400, `unknown query parameter status`},
		{"OAuth clients", api + "/oauth-clients?pageSize=50", 200, `{"data":[{"clientId":"oc-1","name":"sync","status":"ACTIVE","updatedAt":1772352000000}],"links":{`},
		{"OAuth clients: page size over 100", api + "/oauth-clients?pageSize=101", 400, `pageSize must be between 1 and 100`},
		{"OAuth clients: unknown parameter", api + "/oauth-clients?limit=5", 400, `unknown query parameter limit (this endpoint takes cursor, pageSize)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := send(t, "GET", s.URL()+tt.path, "", "")
			if code != tt.status || !strings.Contains(body, tt.shape) {
				t.Errorf("got %d %s, want %d with %s", code, body, tt.status, tt.shape)
			}
		})
	}
}
