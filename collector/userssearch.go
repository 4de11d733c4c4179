package collector

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The users search is the one list whose length grows with the org (one page
// per 100 accounts; 10,000 pages at 1M accounts), so it is the only list
// split into concurrent chains. The plan (contract Part C.5):
//
//  1. GET users/count for the whole org and for each documented status
//     (active, suspended, not_invited, deactivated, for_deletion). Every
//     account has exactly one status, so the statuses are disjoint; they
//     cover the org only if their counts add up to the total, which is
//     checked: filtering on a value an account lacks silently drops it.
//  2. A status with more than its share of the pages is split by claimStatus
//     (managed, unmanaged) when those two counts add up to it.
//  3. A cell still larger than its share is read from both ends of the sort
//     (nick_name ascending and descending) at once; the two ends stop when
//     they have seen as many distinct accounts as the cell's count.
//
// Each chain is checked against its count (a plain chain must list exactly
// its count; both ends of a sort together must reach theirs), and the total
// is counted again at the end. Any mismatch throws the split away, and the
// search is run again as one chain, with a warning saying why. A split
// search lists its accounts sorted by account id (the order of one chain is
// the API's, which a split cannot reproduce).

// endpointUsersCount counts the users a search with the same filters lists
// (query parameters; arrays repeat the parameter).
const endpointUsersCount = "/admin/v2/orgs/{orgId}/directories/{directoryId}/users/count"

// Tuning of the split.
const (
	usersPageSize = 100
	// defaultSplitMin: an org of at most this many accounts (50 pages) is
	// read as one chain; the counts would cost more than they save.
	defaultSplitMin = 5000
	// splitShare: the plan aims at chains of at most 1/splitShare of the
	// accounts each.
	splitShare = 4
)

// userFilter is one filter of the search and the count.
type userFilter struct {
	name   string
	values []string
	single bool // a single value (claimStatus), not a list
}

// userCell is the set of accounts some filters pick, with its count.
type userCell struct {
	filters []userFilter
	count   int
}

// label names the cell in messages: "status=active claimStatus=managed".
func (c userCell) label() string {
	if len(c.filters) == 0 {
		return "all accounts"
	}
	parts := make([]string, len(c.filters))
	for i, f := range c.filters {
		parts[i] = f.name + "=" + strings.Join(f.values, ",")
	}
	return strings.Join(parts, " ")
}

// with returns the cell narrowed by one more filter (count unknown).
func (c userCell) with(f userFilter) userCell {
	return userCell{filters: append(slices.Clone(c.filters), f)}
}

// userChain is one cursor chain of the plan: a cell, read in the API's
// order, or one end of its sort.
type userChain struct {
	cell userCell
	sort string // "", "asc" or "desc"
	ends *bothEnds
}

// label names the chain in messages.
func (ch userChain) label() string {
	if ch.sort == "" {
		return ch.cell.label()
	}
	return ch.cell.label() + " sorted " + ch.sort
}

// bothEnds is shared by the two ends of a cell's sort: the distinct
// accounts seen so far.
type bothEnds struct {
	mu   sync.Mutex
	want int
	seen map[string]bool
}

// see records a page's accounts and reports whether the cell is complete.
func (b *bothEnds) see(ids []string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, id := range ids {
		b.seen[id] = true
	}
	return len(b.seen) >= b.want
}

// distinct is how many different accounts the two ends have seen.
func (b *bothEnds) distinct() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.seen)
}

// usersPlan is how the search will run.
type usersPlan struct {
	total  int // accounts the count gave; -1 when unknown
	chains []userChain
	// why says why the search is split less than planned ("" when it is
	// split as planned or too small to split).
	why string
}

// pages is how many pages of the search n accounts take.
func pages(n int) int { return max(1, (n+usersPageSize-1)/usersPageSize) }

// longest is the number of pages of the plan's longest chain (both ends of
// a sort count half their cell each), and all is the pages of every chain.
func (p usersPlan) longest() (longest, all int) {
	if p.total < 0 {
		return 0, 0
	}
	for _, ch := range p.chains {
		n := pages(ch.cell.count)
		if ch.ends != nil {
			n = (n + 1) / 2
		}
		longest, all = max(longest, n), all+n
	}
	return longest, all
}

// oneChain is the plan of a search run as one unfiltered chain.
func oneChain(total int, why string) usersPlan {
	return usersPlan{total: total, why: why, chains: []userChain{{cell: userCell{count: total}}}}
}

// planUsers counts the org's accounts and splits the search (see above).
// Only the end of ctx is an error: a count that fails or does not add up
// leaves that part of the search unsplit, and says why.
func (c *client) planUsers(ctx context.Context, orgID string) (usersPlan, error) {
	total, err := c.countUsers(ctx, orgID, nil)
	if err != nil {
		if ctx.Err() != nil {
			return usersPlan{}, err
		}
		return oneChain(-1, "the users count did not answer: "+err.Error()), nil
	}
	if total <= c.splitMin {
		return oneChain(total, ""), nil
	}
	share := total / splitShare
	status := make([]userCell, len(userStatuses))
	for i, s := range userStatuses {
		status[i] = userCell{}.with(userFilter{name: "status", values: []string{s}})
	}
	cells, why, err := c.split(ctx, orgID, userCell{count: total}, status)
	if err != nil {
		return usersPlan{}, err
	}
	plan := usersPlan{total: total, why: why}
	for _, cell := range cells {
		if cell.count > share && len(cell.filters) > 0 {
			claims := []userCell{
				cell.with(userFilter{name: "claimStatus", values: []string{"managed"}, single: true}),
				cell.with(userFilter{name: "claimStatus", values: []string{"unmanaged"}, single: true}),
			}
			sub, _, err := c.split(ctx, orgID, cell, claims)
			if err != nil {
				return usersPlan{}, err
			}
			plan.chains = append(plan.chains, chainsOf(sub, share)...)
			continue
		}
		plan.chains = append(plan.chains, chainsOf([]userCell{cell}, share)...)
	}
	return plan, nil
}

// split counts the parts of parent concurrently. It returns the non-empty
// parts when their counts add up to parent's, else parent alone and why not.
func (c *client) split(ctx context.Context, orgID string, parent userCell, parts []userCell) ([]userCell, string, error) {
	err := forEach(ctx, len(parts), len(parts), func(ctx context.Context, i int) error {
		n, err := c.countUsers(ctx, orgID, parts[i].filters)
		parts[i].count = n
		return err
	})
	if ctx.Err() != nil {
		return nil, "", ctx.Err()
	}
	if err != nil {
		return []userCell{parent}, "a users count did not answer: " + err.Error(), nil
	}
	sum := 0
	var out []userCell
	for _, p := range parts {
		sum += p.count
		if p.count > 0 {
			out = append(out, p)
		}
	}
	if sum != parent.count {
		return []userCell{parent}, fmt.Sprintf("the counts of %s by %s add up to %d, not %d",
			parent.label(), parts[0].filters[len(parts[0].filters)-1].name, sum, parent.count), nil
	}
	return out, "", nil
}

// chainsOf turns cells into chains: a cell of more than share accounts is
// read from both ends of the sort, any other as one chain.
func chainsOf(cells []userCell, share int) []userChain {
	var out []userChain
	for _, cell := range cells {
		if cell.count <= share || cell.count < 2 {
			out = append(out, userChain{cell: cell})
			continue
		}
		ends := &bothEnds{want: cell.count, seen: map[string]bool{}}
		out = append(out, userChain{cell: cell, sort: "asc", ends: ends}, userChain{cell: cell, sort: "desc", ends: ends})
	}
	return out
}

// countUsers asks users/count how many accounts the filters pick. The answer
// is {"count": n} (also accepted inside "data"); anything else is an error,
// never read as zero.
func (c *client) countUsers(ctx context.Context, orgID string, filters []userFilter) (int, error) {
	u := c.apiURL(endpointUsersCount, orgID, "-")
	q := u.Query()
	for _, f := range filters {
		for _, v := range f.values {
			q.Add(f.name, v)
		}
	}
	u.RawQuery = q.Encode()
	req, err := c.newRequest(ctx, call{method: http.MethodGet, endpoint: endpointUsersCount, url: u})
	if err != nil {
		return 0, err
	}
	var body struct {
		Count *int64 `json:"count"`
		Data  *struct {
			Count *int64 `json:"count"`
		} `json:"data"`
	}
	if err := c.do(ctx, req, &body); err != nil {
		return 0, err
	}
	n := body.Count
	if n == nil && body.Data != nil {
		n = body.Data.Count
	}
	if n == nil || *n < 0 || *n > maxCount {
		return 0, &RequestError{Method: http.MethodGet, Endpoint: endpointUsersCount, Status: http.StatusOK,
			Err: errors.New("the answer holds no count")}
	}
	return int(*n), nil
}

// maxCount is the largest count believed (100M accounts): a hostile or
// broken answer cannot raise the page cap or the deadline further.
const maxCount = 100_000_000

// errEnough stops a chain whose cell is complete.
var errEnough = errors.New("cell complete")

// listAccounts returns every account of the organization with its platform
// roles, product access and groups, from the users search on directory "-",
// split into concurrent chains when the org is large (see above). Org
// admins are the accounts holding atlassian/org-admin.
func (c *client) listAccounts(ctx context.Context, orgID string, t *tracker) ([]snapshot.Account, []snapshot.UnreadableItem, error) {
	plan, err := c.planUsers(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	if plan.why != "" {
		c.logger.Warn("users search: split less than planned", "chains", len(plan.chains), "reason", plan.why)
	}
	set, mismatch, err := c.searchUsers(ctx, orgID, plan, t)
	if err != nil {
		return nil, nil, err
	}
	if mismatch != "" && len(plan.chains) > 1 {
		why := "the split search did not add up (" + mismatch + "); read again as one chain"
		c.logger.Warn("users search: "+why, "chains", len(plan.chains))
		t.restart()
		plan = oneChain(plan.total, why)
		if set, mismatch, err = c.searchUsers(ctx, orgID, plan, t); err != nil {
			return nil, nil, err
		}
	}
	if mismatch != "" {
		c.logger.Warn("users search: the accounts listed differ from the users count", "detail", mismatch)
		plan.why = cmp.Or(plan.why, mismatch)
	}
	items, unreadable := set.result()
	if len(plan.chains) > 1 {
		slices.SortStableFunc(items, func(a, b snapshot.Account) int { return strings.Compare(a.AccountID, b.AccountID) })
		slices.SortStableFunc(unreadable, func(a, b snapshot.UnreadableItem) int { return strings.Compare(a.ID, b.ID) })
		t.note = fmt.Sprintf("%d chains", len(plan.chains))
	}
	if plan.why != "" {
		t.note = strings.TrimPrefix(t.note+"; "+plan.why, "; ")
	}
	return items, unreadable, nil
}

// searchUsers runs the plan's chains concurrently into one item set. It
// returns the set, what did not add up ("" when every chain matched its
// count and the total did not change), and the first error.
func (c *client) searchUsers(ctx context.Context, orgID string, plan usersPlan, t *tracker) (*itemSet[snapshot.Account], string, error) {
	set := newItemSet[snapshot.Account]()
	longest, all := plan.longest()
	t.expect(longest, all, plan.total)
	var mu sync.Mutex
	listed := make([]int, len(plan.chains))
	err := forEach(ctx, len(plan.chains), len(plan.chains), func(ctx context.Context, i int) error {
		ch := plan.chains[i]
		_, err := paginate(ctx, c, c.usersPager(orgID, ch), func(items []json.RawMessage) error {
			t.page(len(items))
			mu.Lock()
			ids := make([]string, len(items))
			for j, raw := range items {
				ids[j] = set.add(raw, decodeAccount)
			}
			mu.Unlock()
			listed[i] += len(items)
			if ch.ends != nil && ch.ends.see(ids) {
				return errEnough
			}
			return nil
		})
		if errors.Is(err, errEnough) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if plan.total < 0 {
		return set, "", nil
	}
	var off []string
	for i, ch := range plan.chains {
		switch {
		case ch.ends != nil && ch.sort == "asc" && ch.ends.distinct() != ch.cell.count:
			off = append(off, fmt.Sprintf("%s: %d of %d accounts from both ends", ch.cell.label(), ch.ends.distinct(), ch.cell.count))
		case ch.ends == nil && listed[i] != ch.cell.count:
			off = append(off, fmt.Sprintf("%s: %d listed, the count said %d", ch.label(), listed[i], ch.cell.count))
		}
	}
	if len(off) == 0 && len(plan.chains) > 1 {
		// The org may have changed while the chains ran: count again.
		if now, err := c.countUsers(ctx, orgID, nil); err != nil || now != plan.total {
			off = append(off, fmt.Sprintf("the total changed from %d to %s while the search ran", plan.total, countText(now, err)))
		}
	}
	return set, strings.Join(off, "; "), nil
}

// countText renders a count or why there is none.
func countText(n int, err error) string {
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return fmt.Sprint(n)
}

// usersPager is the pager of one chain: its filters and sort in the body
// with the expansions, the page cap derived from its count.
func (c *client) usersPager(orgID string, ch userChain) pager {
	body := map[string]any{"expand": usersExpand}
	for _, f := range ch.cell.filters {
		if f.single {
			body[f.name] = f.values[0]
		} else {
			body[f.name] = f.values
		}
	}
	if ch.sort != "" {
		body["sortBy"] = []map[string]string{{"field": "nick_name", "direction": ch.sort}}
	}
	p := pager{
		method: http.MethodPost, endpoint: endpointUsersSearch, url: c.apiURL(endpointUsersSearch, orgID, "-"),
		body: body, sizeParam: "limit", size: usersPageSize, fallback: 50,
	}
	p.counted, p.expect = ch.cell.count >= 0, ch.cell.count
	if p.counted {
		p.chainPages = pages(ch.cell.count)
		if ch.ends != nil {
			p.chainPages = (p.chainPages + 1) / 2
		}
	}
	return p
}
