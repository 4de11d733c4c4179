package collector

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
)

// splitOrg is a 1,200-account synthetic org: every status, managed and
// unmanaged accounts, accounts without mfaEnabled, and names that tie.
func splitOrg(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	org := synthorg.Generate(synthorg.Options{Accounts: 1200, Seed: 1})
	for i := range org.ManagedAccounts.Items {
		if i%7 == 0 {
			org.ManagedAccounts.Items[i].Name = "Same Name" // ties in the sort
		}
		if i%3 == 0 {
			org.ManagedAccounts.Items[i].ClaimStatus = "unmanaged"
		}
	}
	return org
}

// collectAccounts collects org's accounts from a fake with pages of 7,
// splitting above 100 accounts.
func collectAccounts(t *testing.T, org *snapshot.Snapshot, faults []fakeapi.Fault, splitAbove int) (*snapshot.Snapshot, *fakeapi.Server, string) {
	t.Helper()
	srv := newFake(t, org, fakeapi.Options{PageSize: 7, Faults: faults})
	logs := &syncBuffer{}
	opts := fakeOptions(srv, logs, &sleeps{})
	opts.SplitAbove = splitAbove
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.ManagedAccounts.Collected {
		t.Fatalf("managed accounts not collected: %+v", snap.ManagedAccounts.Error)
	}
	return snap, srv, logs.String()
}

// accountIDs returns the ids of the accounts, readable and not, failing on
// a duplicate.
func accountIDs(t *testing.T, a snapshot.ManagedAccountsArea) []string {
	t.Helper()
	var ids []string
	for _, acc := range a.Items {
		ids = append(ids, acc.AccountID)
	}
	for _, u := range a.Unreadable {
		ids = append(ids, u.ID)
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Errorf("account %s listed twice", ids[i])
		}
	}
	return ids
}

// searchBodies returns the users search bodies the fake received.
func searchBodies(srv *fakeapi.Server) []map[string]any {
	var out []map[string]any
	for _, r := range srv.Requests() {
		if r.Route == "managed_accounts" {
			var b map[string]any
			_ = json.Unmarshal([]byte(r.Body), &b)
			out = append(out, b)
		}
	}
	return out
}

// TestSplitUsersSearch: the users search split into concurrent chains lists
// every account exactly once (counts equal, no duplicate), the same accounts
// as one chain, and falls back to one chain when a count does not add up.
func TestSplitUsersSearch(t *testing.T) {
	org := splitOrg(t)
	oneChain, _, _ := collectAccounts(t, org, nil, 1<<30)
	want := accountIDs(t, oneChain.ManagedAccounts)
	if len(want) != len(org.ManagedAccounts.Items) {
		t.Fatalf("one chain: %d accounts, want %d", len(want), len(org.ManagedAccounts.Items))
	}
	odd := splitOrg(t)
	odd.ManagedAccounts.Items[5].Status = "archived" // no status filter picks it

	tests := []struct {
		name      string
		org       *snapshot.Snapshot
		faults    []fakeapi.Fault
		split     bool   // sorted chains were asked for
		one       bool   // the result is that of one chain (after a fallback)
		warn      string // a warning the log must hold ("" none)
		wantIDs   []string
		sameItems bool // identical to the one-chain result, account for account
	}{
		{name: "split by status and claim, both ends of the large cells", org: org, split: true,
			wantIDs: want, sameItems: true},
		{name: "an account no status filter picks: both ends of the whole org", org: odd, split: true,
			warn: "the counts of all accounts by status add up to 1199, not 1200", wantIDs: want},
		{name: "a chain that does not match its count: read again as one chain", org: org,
			faults: []fakeapi.Fault{
				{Route: "managed_accounts.count", Kind: fakeapi.Miscount, Size: 1, Contains: "status=active"},
				{Route: "managed_accounts.count", Kind: fakeapi.Miscount, Size: -1, Contains: "status=deactivated"},
			},
			split: true, one: true, warn: "the split search did not add up", wantIDs: want, sameItems: true},
		{name: "no users count: one chain", org: org,
			faults: []fakeapi.Fault{{Route: "managed_accounts.count", Kind: fakeapi.Forbidden}},
			warn:   "the users count did not answer", wantIDs: want, sameItems: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, srv, logs := collectAccounts(t, tt.org, tt.faults, 100)
			got := accountIDs(t, snap.ManagedAccounts)
			if !reflect.DeepEqual(got, tt.wantIDs) {
				t.Fatalf("got %d accounts, want %d (or different ids)", len(got), len(tt.wantIDs))
			}
			sorted, filtered := 0, 0
			for _, b := range searchBodies(srv) {
				if b["sortBy"] != nil {
					sorted++
				}
				if b["status"] != nil {
					filtered++
				}
			}
			if tt.split != (sorted > 0) {
				t.Errorf("split: got %d sorted requests, want split=%t", sorted, tt.split)
			}
			if tt.warn == "" && strings.Contains(logs, `"level":"WARN"`) {
				t.Errorf("unexpected warning:\n%s", logs)
			}
			if tt.warn != "" && !strings.Contains(logs, tt.warn) {
				t.Errorf("the log does not say %q:\n%s", tt.warn, logs)
			}
			if tt.sameItems {
				items := slices.Clone(snap.ManagedAccounts.Items)
				ref := slices.Clone(oneChain.ManagedAccounts.Items)
				for _, l := range [][]snapshot.Account{items, ref} {
					slices.SortFunc(l, func(a, b snapshot.Account) int { return strings.Compare(a.AccountID, b.AccountID) })
				}
				if !reflect.DeepEqual(items, ref) {
					t.Error("the accounts differ from those of one chain")
				}
			}
			if tt.split && !tt.one && !slices.IsSortedFunc(snap.ManagedAccounts.Items, func(a, b snapshot.Account) int {
				return strings.Compare(a.AccountID, b.AccountID)
			}) {
				t.Error("a split search lists its accounts by account id")
			}
		})
	}
}

// TestSplitUsersSearchPlan: at 1,200 accounts the plan splits by status,
// then the active accounts by claim status, reads the large cells from both
// ends, and costs few requests beyond the pages.
func TestSplitUsersSearchPlan(t *testing.T) {
	org := splitOrg(t)
	_, srv, _ := collectAccounts(t, org, nil, 100)
	chains := map[string]bool{}
	for _, b := range searchBodies(srv) {
		delete(b, "cursor")
		delete(b, "limit")
		delete(b, "expand")
		key, _ := json.Marshal(b)
		chains[string(key)] = true
	}
	for _, want := range []string{
		`{"claimStatus":"managed","sortBy":[{"direction":"asc","field":"nick_name"}],"status":["active"]}`,
		`{"claimStatus":"managed","sortBy":[{"direction":"desc","field":"nick_name"}],"status":["active"]}`,
		`{"status":["deactivated"]}`,
	} {
		if !chains[want] {
			t.Errorf("no chain %s; chains: %v", want, slices.Sorted(mapsKeys(chains)))
		}
	}
	// The fewest pages, plus at most: 17 counts (total, 5 statuses, 2 claims
	// per status, the total again) and a part-filled last page per chain
	// and for each pair where its two ends meet.
	minimum := (len(org.ManagedAccounts.Items) + 6) / 7
	extra := 17 + 2*len(chains)
	got := srv.Count("managed_accounts") + srv.Count("managed_accounts.count")
	if got > minimum+extra {
		t.Errorf("%d requests, want at most %d pages + %d", got, minimum, extra)
	}
	t.Logf("%d requests for %d pages in %d chains", got, minimum, len(chains))
}

// mapsKeys lists a set's keys.
func mapsKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestRateLimitedCollection: against an API allowing 30 requests per route
// every 200 ms, the collection paces itself by X-RateLimit-Remaining and
// -Reset, completes, and is refused rarely.
func TestRateLimitedCollection(t *testing.T) {
	org := splitOrg(t)
	srv := newFake(t, org, fakeapi.Options{PageSize: 20, RateLimit: fakeapi.RateLimitOptions{Limit: 30, Window: 200 * time.Millisecond}})
	logs := &syncBuffer{}
	opts := fakeOptions(srv, logs, &sleeps{})
	opts.Now, opts.Sleep = nil, nil // real time: the fake's windows are real
	opts.SplitAbove = 100
	snap, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range areas(snap) {
		if a.Source == snapshot.SourceAPI && !a.Collected {
			t.Errorf("%s not collected: %+v", name, a.Error)
		}
	}
	if got := accountIDs(t, snap.ManagedAccounts); len(got) != len(org.ManagedAccounts.Items) {
		t.Errorf("got %d accounts, want %d", len(got), len(org.ManagedAccounts.Items))
	}
	requests := len(srv.Requests())
	if n := srv.Throttled(); n > requests/10 {
		t.Errorf("%d of %d requests refused with 429: the pace does not follow the headers", n, requests)
	}
	t.Logf("%d requests, %d refused", requests, srv.Throttled())
}
