package collector

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestAuthPolicyMembersAsked: only the accounts whose policy matters are
// sent, in batches of 100, and a first batch the API refuses with 400 is
// sent again in batches of 20.
func TestAuthPolicyMembersAsked(t *testing.T) {
	org := testOrg(t)
	for i := range 230 {
		id := fmt.Sprintf("bulk-%03d", i)
		org.ManagedAccounts.Items = append(org.ManagedAccounts.Items, snapshot.Account{AccountID: id, Status: "active",
			ClaimStatus: "managed", MFAEnabled: no(), Roles: []string{}})
		org.AuthPolicyMembers.Items = append(org.AuthPolicyMembers.Items, snapshot.AuthPolicyMember{AccountID: id, PolicyName: "Default policy"})
	}
	for _, tt := range []struct {
		name     string
		maxLimit int
		batches  []int
	}{
		{"batches of 100", 0, []int{100, 100, 32}},
		{"400 on the first batch: batches of 20", 50, []int{100, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 12}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, org, fakeapi.Options{PageSize: 100, MaxLimit: tt.maxLimit})
			snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			asked := map[string]bool{}
			for _, r := range srv.Requests() {
				if r.Route != "authentication_policy_members" {
					continue
				}
				var body struct{ AccountIDs []string }
				if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
					t.Fatal(err)
				}
				sizes = append(sizes, len(body.AccountIDs))
				if r.Status == http.StatusOK {
					for _, id := range body.AccountIDs {
						asked[id] = true
					}
				}
			}
			slices.Sort(sizes[1:]) // the batches after the first run concurrently
			slices.Reverse(sizes[1:])
			if !slices.Equal(sizes, tt.batches) {
				t.Errorf("got batches %v, want %v", sizes, tt.batches)
			}
			// acc-1 (admin), acc-2 (2SV off); not acc-3 (unmanaged), acc-4 (suspended), acc-5 (for deletion).
			for id, want := range map[string]bool{"acc-1": true, "acc-2": true, "acc-3": false, "acc-4": false, "acc-5": false, "bulk-229": true} {
				if asked[id] != want {
					t.Errorf("%s asked: %v, want %v", id, asked[id], want)
				}
			}
			m := snap.AuthPolicyMembers
			if !m.Collected || len(m.Items) != 231 || !slices.Equal(m.Unanswered, []string{"acc-2"}) {
				t.Errorf("got %d members, unanswered %v, error %+v", len(m.Items), m.Unanswered, m.Error)
			}
		})
	}
}

// TestAuthPolicyMemberShapes reads each shape the answer may take (the
// reference shows only an array of items starting with email): an item is
// unreadable when it names no account asked about, no policy, or several.
func TestAuthPolicyMemberShapes(t *testing.T) {
	accounts := []snapshot.Account{{AccountID: "a1", Email: "Ann@acme.example"}, {AccountID: "a2"}, {AccountID: "a3"}}
	tests := []struct {
		name, body string
		want       []snapshot.AuthPolicyMember
		problems   []string
		err        string
	}{
		{name: "flat ids and names", body: `[{"email":"x@acme.example","accountId":"a2","policyId":"p1","policyName":"Admins"}]`,
			want: []snapshot.AuthPolicyMember{{AccountID: "a2", Email: "x@acme.example", PolicyID: "p1", PolicyName: "Admins"}}},
		{name: "an email and a nested policy, in data", body: `{"data":[{"email":"ann@ACME.example","authPolicy":{"id":"p2","name":"Default"}}]}`,
			want: []snapshot.AuthPolicyMember{{AccountID: "a1", Email: "ann@ACME.example", PolicyID: "p2", PolicyName: "Default"}}},
		{name: "a one-element policies list", body: `[{"userId":"a3","policies":[{"policyId":"p3"}]}]`,
			want: []snapshot.AuthPolicyMember{{AccountID: "a3", PolicyID: "p3"}}},
		{name: "unreadable items", body: `[{"accountId":"a1","policies":[{"id":"p1"},{"id":"p2"}]},{"accountId":"a2"},{"email":"who@else.example","policyId":"p1"},{"accountId":"a3","policy":"Admins"}]`,
			want: []snapshot.AuthPolicyMember{}, problems: []string{
				"a1 /policies: the account is listed in 2 policies; an account is in one",
				"a2 /policyId: the item names no authentication policy",
				"/accountId: the item names no account atlcheck asked about",
				`a3 /policy: want an object, got a string "Admins"`,
			}},
		{name: "not a list", body: `{"users":[]}`, err: "response is an object, not a list of users' policies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, err := newClient(withDefaults(Options{APIURL: srv.URL, APIKey: "k", Sleep: (&sleeps{}).sleep}))
			if err != nil {
				t.Fatal(err)
			}
			items, bad, err := c.listAuthPolicyMembers(context.Background(), "org-1", accounts, 2, nil)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an error with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sameFields(t, "", items, tt.want)
			if got := problemsOf(bad); !slices.Equal(got, tt.problems) {
				t.Errorf("got problems %q, want %q", got, tt.problems)
			}
		})
	}
}
