package collector

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestServiceAccountTokenLists: each service account's token list has its
// own outcome; the area fails only when no list could be read, and a 401 on
// one stops the run. An empty list is recorded as read with 0 reported.
func TestServiceAccountTokenLists(t *testing.T) {
	tests := []struct {
		name      string
		faults    []fakeapi.Fault
		fatal     string
		collected bool
		lists     map[string]string // service account → "ok N" or the error's status
		areaErr   string
	}{
		{name: "every list read; an empty one is none reported", collected: true,
			lists: map[string]string{"sa-1": "ok 3", "sa-2": "ok 1", "sa-3": "ok 0"}},
		{name: "one list refused", collected: true,
			faults: []fakeapi.Fault{{Route: "service_account_tokens", Kind: fakeapi.Forbidden, Times: 1}},
			lists:  map[string]string{"403": "1"}},
		{name: "every list refused: the area is not collected",
			faults:  []fakeapi.Fault{{Route: "service_account_tokens", Kind: fakeapi.Forbidden}},
			lists:   map[string]string{"403": "3"},
			areaErr: "no service account's API tokens could be listed: GET /admin/api-access/v1/orgs/{orgId}/service-accounts/{serviceAccountId}/api-tokens: 403 ADMIN-403-3"},
		{name: "the service accounts not listed: no token list is asked for",
			faults:  []fakeapi.Fault{{Route: "service_accounts", Kind: fakeapi.Forbidden}},
			areaErr: "the service accounts were not collected: GET /admin/api-access/v1/orgs/{orgId}/service-accounts: 403 ADMIN-403-3"},
		{name: "401 on a token list is fatal",
			faults: []fakeapi.Fault{{Route: "service_account_tokens", Kind: fakeapi.Unauthorized, Times: 1}},
			fatal:  "the admin API refused the API key (invalid or expired): service_account_tokens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, testOrg(t), fakeapi.Options{Faults: tt.faults})
			snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
			if tt.fatal != "" {
				var fe *FatalError
				if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.fatal) {
					t.Fatalf("got %v, want a fatal error with %q", err, tt.fatal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			area := snap.ServiceAccountTokens
			if area.Collected != tt.collected || area.Source != snapshot.SourceAPI {
				t.Errorf("collected %v source %s, want %v api", area.Collected, area.Source, tt.collected)
			}
			if tt.areaErr != "" && (area.Error == nil || !strings.HasPrefix(area.Error.Message, tt.areaErr)) {
				t.Errorf("area error %+v, want %q", area.Error, tt.areaErr)
			}
			got := map[string]string{}
			refused := 0
			for _, l := range area.Accounts {
				switch {
				case l.Collected:
					got[l.ServiceAccountID] = "ok " + string(rune('0'+l.Reported))
				case l.Error != nil && l.Error.Status == 403:
					refused++
				default:
					t.Errorf("list %+v: neither read nor refused", l)
				}
			}
			if want, ok := tt.lists["403"]; ok && string(rune('0'+refused)) != want {
				t.Errorf("%d lists refused, want %s", refused, want)
			}
			for id, want := range tt.lists {
				if id != "403" && got[id] != want {
					t.Errorf("%s: got %q, want %q", id, got[id], want)
				}
			}
		})
	}
}
