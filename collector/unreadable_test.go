package collector

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// decodeAll runs raw items through an item set with decode and returns the
// readable ids and the unreadable items.
func decodeAll[T any](raws []string, decode decodeFunc[T], id func(T) string) ([]string, []snapshot.UnreadableItem) {
	set := newItemSet[T]()
	for _, r := range raws {
		set.add(json.RawMessage(r), decode)
	}
	items, bad := set.result()
	ids := []string{}
	for _, it := range items {
		ids = append(ids, id(it))
	}
	return ids, bad
}

// problemsOf renders unreadable items as "id field: reason" lines.
func problemsOf(bad []snapshot.UnreadableItem) []string {
	var out []string
	for _, u := range bad {
		for _, p := range u.Problems {
			out = append(out, strings.TrimSpace(fmt.Sprintf("%s %s: %s", u.ID, p.Field, p.Reason)))
		}
	}
	return out
}

// TestUnreadableItems: a value the collector cannot read is never read as
// the safe value. The item is kept raw with the field and the reason, the
// other items are read, and nothing disappears.
func TestUnreadableItems(t *testing.T) {
	key := func(k snapshot.APIKey) string { return k.ID }
	account := func(a snapshot.Account) string { return a.AccountID }
	domain := func(d domainSummary) string { return d.domain }
	policy := func(p snapshot.OrgPolicy) string { return p.ID }
	event := func(e snapshot.AuditEvent) string { return e.ID }
	events := func(raws ...string) func() ([]string, []snapshot.UnreadableItem) {
		return func() ([]string, []snapshot.UnreadableItem) {
			ok := `{"id":"ev-ok","attributes":{"time":"2026-11-19T10:00:00Z","action":"a1","actor":{"id":"u1"},"context":[]}}`
			return decodeAll(append(raws, ok), decodeEvent("org_admin_granted", "a1", map[string]string{}), event)
		}
	}
	tests := []struct {
		name     string
		ids      []string
		problems []string
		run      func() ([]string, []snapshot.UnreadableItem)
	}{
		{"an event without a time", []string{"ev-ok"}, []string{"ev-1 /attributes/time: the event has no time"},
			events(`{"id":"ev-1","attributes":{"action":"a1","actor":{"id":"u1"}}}`)},
		{"an event without an actor", []string{"ev-ok"}, []string{"ev-2 /attributes/actor: the event has no actor"},
			events(`{"id":"ev-2","attributes":{"time":"2026-11-19T10:00:00Z","action":"a1"}}`)},
		{"an event of another action than asked for", []string{"ev-ok"}, []string{`ev-3 /attributes/action: the event's action "a2" is not the one asked for ("a1")`},
			events(`{"id":"ev-3","attributes":{"time":"2026-11-19T10:00:00Z","action":"a2","actor":{"id":"u1"}}}`)},
		{"an event with an unknown authentication type", []string{"ev-ok"},
			[]string{"ev-4 /attributes/actor/auth/authType: unknown value \"basic\" (known: container-token, api-token, connect-token, auth-token-for-2LO, auth-token-for-3LO)"},
			events(`{"id":"ev-4","attributes":{"time":"2026-11-19T10:00:00Z","action":"a1","actor":{"id":"u1","auth":{"authType":"basic"}}}}`)},
		{"an event without attributes, or with a time of the wrong type", []string{"ev-ok"},
			[]string{"ev-5 /attributes: the event has no attributes", `ev-6 /attributes/time: want a timestamp, got a boolean true`},
			events(`{"id":"ev-5"}`, `{"id":"ev-6","attributes":{"time":true,"action":"a1","actor":{"id":"u1"}}}`)},
		{"wrong type: a boolean as a string", []string{"ok.example"}, []string{`yes.example /enabled: want true or false, got a string "yes"`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"domain":"yes.example","enabled":"yes"}`, `{"domain":"ok.example","enabled":true}`}, decodeDomainSummary, domain)
			}},
		{"wrong type: a string where a list belongs", []string{"k2"}, []string{`k1 /scopes: want a list of strings, got a string "read:all"`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"id":"k1","scopes":"read:all"}`, `{"id":"k2","scopes":[]}`}, decodeAPIKey, key)
			}},
		{"unknown status value", []string{"a2"}, []string{`a1 /status: unknown value "archived" (known: active, suspended, not_invited, deactivated, for_deletion)`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"accountId":"a1","status":"archived"}`, `{"accountId":"a2","status":"active"}`}, decodeAccount, account)
			}},
		{"an account without a status", []string{}, []string{`a1 /status: the account has no status`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"accountId":"a1","platformRoles":["atlassian/org-admin"]}`}, decodeAccount, account)
			}},
		{"org policies: no status, an unknown application status, no application status, an unknown policy status",
			[]string{"p-ok"}, []string{
				`p1 /attributes/status: the policy has no status`,
				`p2 /attributes/resources/0/applicationStatus: unknown value "paused" (known: applied, enabled, applying, removing, failed, scheduled, validating)`,
				`p3 /attributes/resources/0/applicationStatus: the resource has no applicationStatus`,
				`p4 /attributes/status: unknown value "draft" (known: enabled, disabled)`,
			},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{
					`{"id":"p1","attributes":{"type":"ip-allowlist","resources":[]}}`,
					`{"id":"p2","attributes":{"type":"ip-allowlist","status":"enabled","resources":[{"id":"r","applicationStatus":"paused"}]}}`,
					`{"id":"p3","attributes":{"type":"ip-allowlist","status":"enabled","resources":[{"id":"r"}]}}`,
					`{"id":"p4","attributes":{"type":"ip-allowlist","status":"draft"}}`,
					`{"id":"p-ok","attributes":{"type":"some-new-type","status":"DISABLED"}}`,
				}, decodeOrgPolicy, policy)
			}},
		{"a workspace whose hostUrl is no site address", []string{"w3#jira-software", "w4#confluence"}, []string{
			`w1#jira-software /attributes/hostUrl: not a site address: want a host (acme.atlassian.net) or an http(s) URL, got "ftp://files.example"`,
			`w2#confluence /attributes/hostUrl: not a site address: want a host (acme.atlassian.net) or an http(s) URL, got "https://"`},
			func() ([]string, []snapshot.UnreadableItem) {
				ws := func(w workspace) string { return w.id + "#" + w.typeKey }
				return decodeAll([]string{
					`{"id":"w1","attributes":{"typeKey":"jira-software","hostUrl":"ftp://files.example","status":"online"}}`,
					`{"id":"w2","attributes":{"typeKey":"confluence","hostUrl":"https://","status":"online"}}`,
					`{"id":"w3","attributes":{"typeKey":"jira-software","hostUrl":"HTTPS://acme.atlassian.net","status":"online"}}`,
					`{"id":"w4","attributes":{"typeKey":"confluence","hostUrl":null,"status":"online"}}`,
				}, decodeWorkspace, ws)
			}},
		{"an item missing its id", []string{"k2"}, []string{`/id: the item has no id`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"label":"no id","scopes":[]}`, `{"id":"k2"}`}, decodeAPIKey, key)
			}},
		{"an empty id", []string{}, []string{`/accountId: the item has no accountId`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"accountId":" ","status":"active"}`}, decodeAccount, account)
			}},
		{"a null item", []string{"k2"}, []string{`: the item is null, not an object`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`null`, `{"id":"k2"}`}, decodeAPIKey, key)
			}},
		{"a timestamp out of range", []string{}, []string{`k1 /expiresAt: timestamp "0001-01-01T00:00:00Z" is out of range (years 1970–9999)`,
			`k2 /createdAt: timestamp "-86400000" is out of range (years 1970–9999)`, `k3 /lastActiveAt: "2026-13-45T00:00:00Z" is not a timestamp`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"id":"k1","expiresAt":"0001-01-01T00:00:00Z"}`, `{"id":"k2","createdAt":-86400000}`,
					`{"id":"k3","lastActiveAt":"2026-13-45T00:00:00Z"}`}, decodeAPIKey, key)
			}},
		{"an item repeated with the same content", []string{"a1", "a2"}, nil,
			func() ([]string, []snapshot.UnreadableItem) {
				a1 := `{"accountId":"a1","status":"active"}`
				return decodeAll([]string{a1, `{"accountId":"a2","status":"active"}`, a1}, decodeAccount, account)
			}},
		{"an item repeated with different content", []string{"a2"}, []string{
			`a1 : the item is listed more than once with different content (this version as decoded)`,
			`a1 : the item is listed more than once with different content`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"accountId":"a1","status":"active","platformRoles":["atlassian/org-admin"]}`,
					`{"accountId":"a2","status":"active"}`, `{"accountId":"a1","status":"deactivated","platformRoles":["atlassian/org-admin"]}`}, decodeAccount, account)
			}},
		{"a readable copy after an unreadable one", []string{}, []string{`a1 /mfaEnabled: want true or false, got a number 1`,
			`a1 : the item is listed more than once with different content`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"accountId":"a1","status":"active","mfaEnabled":1}`, `{"accountId":"a1","status":"active"}`}, decodeAccount, account)
			}},
		{"an unreadable last activity keeps the account", []string{"a1", "a2"},
			[]string{`a1 /productAccess/1/lastActiveTimestamp: "yesterday" is not a timestamp`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"accountId":"a1","status":"active","productAccess":[{"key":"jira","lastActiveTimestamp":"2026-11-19T00:00:00Z"},{"key":"confluence","lastActiveTimestamp":"yesterday"}]}`,
					`{"accountId":"a2","status":"active"}`}, decodeAccount, account)
			}},
		{"an unreadable last activity repeated keeps the account once", []string{"a1"},
			[]string{`a1 /productAccess/0/lastActiveTimestamp: want a timestamp, got a boolean true`},
			func() ([]string, []snapshot.UnreadableItem) {
				a1 := `{"accountId":"a1","status":"active","productAccess":[{"key":"jira","lastActiveTimestamp":true}]}`
				return decodeAll([]string{a1, a1}, decodeAccount, account)
			}},
		{"an unreadable last activity and status", []string{"a2"}, []string{`a1 /status: unknown value "archived" (known: active, suspended, not_invited, deactivated, for_deletion)`,
			`a1 /productAccess/0/lastActiveTimestamp: "yesterday" is not a timestamp`},
			func() ([]string, []snapshot.UnreadableItem) {
				return decodeAll([]string{`{"accountId":"a1","status":"archived","productAccess":[{"key":"jira","lastActiveTimestamp":"yesterday"}]}`,
					`{"accountId":"a2","status":"active"}`}, decodeAccount, account)
			}},
		{"an unknown access mode", []string{}, []string{`acme.com /products/0/accessMode: unknown value "GUEST_ACCESS" (known: DIRECT_ACCESS, REQUEST_ACCESS, DENIED_ACCESS)`},
			func() ([]string, []snapshot.UnreadableItem) {
				return detail(`{"domain":"acme.com","products":[{"productId":"p","accessMode":"GUEST_ACCESS"}]}`)
			}},
		{"contradicting access fields", []string{}, []string{`acme.com /products/0/adminApprovalRequired: adminApprovalRequired false contradicts accessMode REQUEST_ACCESS`},
			func() ([]string, []snapshot.UnreadableItem) {
				return detail(`{"domain":"acme.com","products":[{"productId":"p","accessMode":"REQUEST_ACCESS","adminApprovalRequired":false}]}`)
			}},
		{"an unknown notifications value", []string{}, []string{`acme.com /adminNotifications: unknown value "NEVER" (known: true, false, ON_REQUEST)`},
			func() ([]string, []snapshot.UnreadableItem) {
				return detail(`{"domain":"acme.com","adminNotifications":"NEVER","products":[]}`)
			}},
		{"a product that is not an object", []string{}, []string{`acme.com /products/1: want an object, got a string "jira"`},
			func() ([]string, []snapshot.UnreadableItem) {
				return detail(`{"domain":"acme.com","products":[{"productId":"p"},"jira"]}`)
			}},
		{"nobody says whether the domain is enabled", []string{}, []string{`acme.com /enabled: neither the domain list nor the detail says whether the domain is enabled`},
			func() ([]string, []snapshot.UnreadableItem) {
				return detailOf(domainSummary{domain: "acme.com"}, `{"domain":"acme.com"}`)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, bad := tt.run()
			if fmt.Sprint(ids) != fmt.Sprint(tt.ids) {
				t.Errorf("readable: got %v, want %v", ids, tt.ids)
			}
			if got := problemsOf(bad); fmt.Sprint(got) != fmt.Sprint(tt.problems) {
				t.Errorf("unreadable:\ngot  %q\nwant %q", got, tt.problems)
			}
			for _, u := range bad {
				if len(u.Raw) == 0 || !json.Valid(u.Raw) {
					t.Errorf("unreadable %s kept no raw item", u.ID)
				}
			}
		})
	}
}

// detail decodes an approved domain's detail for a domain the list says is enabled.
func detail(raw string) ([]string, []snapshot.UnreadableItem) {
	yes := true
	return detailOf(domainSummary{domain: "acme.com", enabled: &yes}, raw)
}

func detailOf(s domainSummary, raw string) ([]string, []snapshot.UnreadableItem) {
	r, _ := newReader(json.RawMessage(raw))
	d := decodeDomainDetail(r, s)
	if !r.ok() {
		return []string{}, []snapshot.UnreadableItem{{ID: s.domain, Problems: *r.problems, Raw: json.RawMessage(raw)}}
	}
	return []string{d.Domain}, nil
}

// TestUnreadableThroughTheFake: items the API sends that cannot be read are
// kept in the area's unreadable list with their raw form; the area is still
// collected and the readable items are all there.
// TestUnreadableLastActivityIsMarked: an account kept with an unreadable
// last activity says so on that product (never a missing date, which reads
// as "never active"), and keeps the dates it could read.
func TestUnreadableLastActivityIsMarked(t *testing.T) {
	set := newItemSet[snapshot.Account]()
	set.add(json.RawMessage(`{"accountId":"a1","status":"active","productAccess":[{"key":"jira","lastActiveTimestamp":"2026-11-19T00:00:00Z"},{"key":"confluence","lastActiveTimestamp":"yesterday"}]}`), decodeAccount)
	items, bad := set.result()
	if len(items) != 1 || len(bad) != 1 || bad[0].ID != "a1" {
		t.Fatalf("items %+v, unreadable %+v; want a1 kept and listed as unreadable", items, bad)
	}
	pa := items[0].ProductAccess
	if len(pa) != 2 || pa[0].LastActiveAt == nil || pa[0].LastActiveUnreadable || pa[1].LastActiveAt != nil || !pa[1].LastActiveUnreadable {
		t.Errorf("product access %+v: want jira read, confluence marked last_active_unreadable", pa)
	}
}

func TestUnreadableThroughTheFake(t *testing.T) {
	org := testOrg(t)
	org.APIKeys.Items = append(org.APIKeys.Items,
		snapshot.APIKey{ID: "key-bad", Raw: json.RawMessage(`{"id":"key-bad","scopes":"read:keys:admin","expiresAt":"2027-02-30T00:00:00Z"}`)},
		snapshot.APIKey{ID: "null", Raw: json.RawMessage(`null`)})
	org.AppAccess.Items[1].Raw = json.RawMessage(`{"domain":"acme.com","enabled":"yes","products":[]}`)
	srv := newFake(t, org, fakeapi.Options{})
	snap, err := Collect(context.Background(), fakeOptions(srv, &syncBuffer{}, &sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	keys := snap.APIKeys
	if !keys.Collected || len(keys.Items) != 4 || len(keys.Unreadable) != 2 || keys.Unreadable[0].ID != "key-bad" ||
		fmt.Sprint(problemsOf(keys.Unreadable)) != `[key-bad /scopes: want a list of strings, got a string "read:keys:admin" `+
			`key-bad /expiresAt: "2027-02-30T00:00:00Z" is not a timestamp : the item is null, not an object]` ||
		string(keys.Unreadable[1].Raw) != "null" {
		t.Errorf("api keys: got %d items, unreadable %+v", len(keys.Items), keys.Unreadable)
	}
	aa := snap.AppAccess
	if !aa.Collected || len(aa.Items) != 2 || len(aa.Unreadable) != 1 || aa.Unreadable[0].ID != "acme.com" {
		t.Errorf("app access: got %d items, unreadable %+v", len(aa.Items), aa.Unreadable)
	}
	if _, err := snapshot.Parse("collected", marshal(t, snap)); err != nil {
		t.Errorf("the snapshot does not validate: %v", err)
	}
}
