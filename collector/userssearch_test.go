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
// then the active accounts by claim status, and reads the two large cells
// from both ends of the sort. The requests asserted are the plan's, not what
// the scheduling of the chains produces: every count once (the total twice),
// every plain chain exactly its pages, and each pair of ends at most what
// any interleaving of the two can cost. Where the ends meet decides how many
// accounts both read: at most the tie group of nick_name they meet in (ties
// keep one order in both directions), plus the pages a chain has on its way
// when its cell completes (paginate hands pages on one behind the requests:
// at the end that completes it, one waiting and one asked for; at the other,
// also the one being read).
func TestSplitUsersSearchPlan(t *testing.T) {
	org := splitOrg(t)
	_, srv, _ := collectAccounts(t, org, nil, 100)
	const size = 7 // the page size of collectAccounts
	pagesOf := func(n int) int { return max(1, (n+size-1)/size) }
	counts := map[string]int{}
	perChain := map[string]int{}
	for _, r := range srv.Requests() {
		switch r.Route {
		case "managed_accounts.count":
			counts[r.Query]++
		case "managed_accounts":
			var b map[string]any
			_ = json.Unmarshal([]byte(r.Body), &b)
			delete(b, "cursor")
			delete(b, "limit")
			delete(b, "expand")
			key, _ := json.Marshal(b)
			perChain[string(key)]++
		}
	}
	wantCounts := map[string]int{"": 2, "status=active": 1, "status=suspended": 1, "status=not_invited": 1,
		"status=deactivated": 1, "status=for_deletion": 1,
		"claimStatus=managed&status=active": 1, "claimStatus=unmanaged&status=active": 1}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("users counts asked: got %v, want %v", counts, wantCounts)
	}
	// cell returns the accounts a chain's filters pick and the largest group
	// of them sharing a nick_name.
	cell := func(status, claim string) (n, ties int) {
		names := map[string]int{}
		for _, a := range org.ManagedAccounts.Items {
			if a.Status == status && (claim == "" || a.ClaimStatus == claim) {
				n++
				names[strings.ToLower(a.Name)]++
				ties = max(ties, names[strings.ToLower(a.Name)])
			}
		}
		return n, ties
	}
	for _, status := range []string{"suspended", "not_invited", "deactivated", "for_deletion"} {
		key := `{"status":["` + status + `"]}`
		n, _ := cell(status, "")
		if got := perChain[key]; got != pagesOf(n) {
			t.Errorf("chain %s: %d pages, want %d (%d accounts)", key, got, pagesOf(n), n)
		}
		delete(perChain, key)
	}
	for _, claim := range []string{"managed", "unmanaged"} {
		n, ties := cell("active", claim)
		asc := `{"claimStatus":"` + claim + `","sortBy":[{"direction":"asc","field":"nick_name"}],"status":["active"]}`
		desc := strings.Replace(asc, `"asc"`, `"desc"`, 1)
		got := perChain[asc] + perChain[desc]
		most := pagesOf(n) + pagesOf(ties) + 1 + 2 + 3 // the last page read may straddle the tie group
		if perChain[asc] == 0 || perChain[desc] == 0 || got < pagesOf(n) || got > most {
			t.Errorf("active %s from both ends: %d + %d pages, want both ends and %d to %d pages in all (%d accounts, %d tied)",
				claim, perChain[asc], perChain[desc], pagesOf(n), most, n, ties)
		}
		delete(perChain, asc)
		delete(perChain, desc)
	}
	if len(perChain) > 0 {
		t.Errorf("chains not in the plan: %v", perChain)
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
