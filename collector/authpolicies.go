package collector

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointAuthPolicyMembers returns the authentication policy of each of a
// list of managed accounts (Admin Control API, "Get policy information for
// managed users"; developer.atlassian.com/cloud/admin/control/rest/
// api-group-authentication-policies/). A read-only POST.
const endpointAuthPolicyMembers = "/admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch"

// Batch sizes of the bulk fetch. The reference documents the body
// {"accountIds": [...]} and no maximum; 100 is the largest page the
// organization APIs take elsewhere (users search, API Access). A first
// batch refused with 400 is sent again in batches of membersFallback.
const (
	membersBatch    = 100
	membersFallback = 20
)

// membersAsked picks the accounts whose policy matters to the policies: the
// active managed accounts (or of unknown claim) whose two-step verification
// is not known to be on, and every active one holding an admin role.
// Authentication policies apply to managed accounts only.
func membersAsked(accounts []snapshot.Account) []snapshot.Account {
	var out []snapshot.Account
	for _, a := range accounts {
		if !strings.EqualFold(a.Status, "active") || strings.EqualFold(a.ClaimStatus, "unmanaged") {
			continue
		}
		admin := slices.ContainsFunc(a.Roles, func(r string) bool { return strings.HasSuffix(strings.ToLower(r), "admin") })
		if admin || a.MFAEnabled == nil || !*a.MFAEnabled {
			out = append(out, a)
		}
	}
	return out
}

// authPolicyMembers asks which authentication policy each account of
// membersAsked is in, once the accounts are known. It is not collected when
// the accounts were not.
func (r *run) authPolicyMembers(ctx context.Context, accounts snapshot.ManagedAccountsArea) snapshot.AuthPolicyMembersArea {
	const area = snapshot.AreaAuthPolicyMembers
	out := snapshot.AuthPolicyMembersArea{Items: []snapshot.AuthPolicyMember{}}
	now := r.opts.Now().UTC()
	if ctx.Err() != nil { // the run is stopping; this snapshot will not be written
		out.Area = notCollected(snapshot.SourceAPI, now, ctx.Err())
		return out
	}
	if !accounts.Collected {
		out.Area = r.notCollectedFor(area, accounts.Area, "the managed accounts", now)
		return out
	}
	asked := membersAsked(accounts.Items)
	out.Area, out.Items = runArea(ctx, r, area, func(ctx context.Context, orgID string, t *tracker) ([]snapshot.AuthPolicyMember, []snapshot.UnreadableItem, error) {
		return r.c.listAuthPolicyMembers(ctx, orgID, asked, r.opts.Concurrency, t)
	})
	if out.Collected {
		answered := map[string]bool{}
		for _, m := range out.Items {
			answered[m.AccountID] = true
		}
		for _, u := range out.Unreadable {
			answered[u.ID] = true
		}
		for _, a := range asked {
			if !answered[a.AccountID] {
				out.Unanswered = append(out.Unanswered, a.AccountID)
			}
		}
	}
	return out
}

// listAuthPolicyMembers sends the accounts in batches (the first alone, to
// learn the batch size the API takes; the rest concurrently) and reads each
// answer. Any batch that fails fails the area: a membership list with holes
// would say some accounts are in no policy.
func (c *client) listAuthPolicyMembers(ctx context.Context, orgID string, accounts []snapshot.Account, concurrency int, t *tracker) ([]snapshot.AuthPolicyMember, []snapshot.UnreadableItem, error) {
	set := newItemSet[snapshot.AuthPolicyMember]()
	if len(accounts) == 0 {
		items, bad := set.result()
		return items, bad, nil
	}
	byEmail := map[string]string{}
	ids := make([]string, len(accounts))
	for i, a := range accounts {
		ids[i] = a.AccountID
		if a.Email != "" {
			byEmail[strings.ToLower(a.Email)] = a.AccountID
		}
	}
	decode := decodeAuthPolicyMember(byEmail)
	size := membersBatch
	first, err := c.bulkFetchMembers(ctx, orgID, ids[:min(size, len(ids))])
	if statusOf(err) == http.StatusBadRequest && len(ids) > membersFallback {
		c.logger.Debug("batch refused, retrying in smaller batches", "endpoint", endpointAuthPolicyMembers, "size", size)
		size = membersFallback
		first, err = c.bulkFetchMembers(ctx, orgID, ids[:size])
	}
	if err != nil {
		return nil, nil, err
	}
	batches := [][]json.RawMessage{first}
	var rest [][]string
	for i := size; i < len(ids); i += size {
		rest = append(rest, ids[i:min(i+size, len(ids))])
	}
	answers := make([][]json.RawMessage, len(rest))
	err = forEach(ctx, len(rest), concurrency, func(ctx context.Context, i int) error {
		var err error
		answers[i], err = c.bulkFetchMembers(ctx, orgID, rest[i])
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for _, b := range append(batches, answers...) {
		if t != nil {
			t.page(len(b))
		}
		for _, raw := range b {
			set.add(raw, decode)
		}
	}
	items, bad := set.result()
	return items, bad, nil
}

// bulkFetchMembers asks for one batch. The reference gives the answer as an
// array of Models.UserPolicyInfo; an object holding the array under data is
// read too. Anything else is malformed, never an empty answer.
func (c *client) bulkFetchMembers(ctx context.Context, orgID string, ids []string) ([]json.RawMessage, error) {
	req, err := c.newRequest(ctx, call{
		method: http.MethodPost, endpoint: endpointAuthPolicyMembers, url: c.apiURL(endpointAuthPolicyMembers, orgID),
		body: map[string]any{"accountIds": ids}, readOnly: true,
	})
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := c.do(ctx, req, &raw); err != nil {
		return nil, err
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil && list != nil {
		return list, nil
	}
	var wrapped struct {
		Data []json.RawMessage `json:"data"`
	}
	if json.Unmarshal(raw, &wrapped) == nil && wrapped.Data != nil {
		return wrapped.Data, nil
	}
	return nil, &RequestError{Method: http.MethodPost, Endpoint: endpointAuthPolicyMembers, Status: http.StatusOK,
		Err: fmt.Errorf("response is %s, not a list of users' policies", kindOf(raw))}
}

// decodeAuthPolicyMember reads one Models.UserPolicyInfo. The reference
// shows the item starting with email; the rest of its fields are not in any
// public copy we could read, so the account is read from accountId (or
// userId), else from the email of an account the batch asked about, and the
// policy from policyId/policyName, authPolicyId/authPolicyName, or a nested
// policy (authPolicy, authenticationPolicy) {id, name}, or a one-element
// policies list. An item naming no account asked about, or no policy, or
// several policies, is unreadable.
func decodeAuthPolicyMember(byEmail map[string]string) decodeFunc[snapshot.AuthPolicyMember] {
	return func(r *reader) (snapshot.AuthPolicyMember, string) {
		m := snapshot.AuthPolicyMember{AccountID: r.str("accountId", "userId"), Email: r.str("email")}
		if m.AccountID == "" && m.Email != "" {
			m.AccountID = byEmail[strings.ToLower(m.Email)]
		}
		if m.AccountID == "" {
			r.fail("accountId", "the item names no account atlcheck asked about")
		}
		m.PolicyID, m.PolicyName = r.str("policyId", "authPolicyId"), r.str("policyName", "authPolicyName")
		if p := r.obj("policy", "authPolicy", "authenticationPolicy"); p != nil {
			m.PolicyID, m.PolicyName = firstOf(m.PolicyID, p.str("id", "policyId")), firstOf(m.PolicyName, p.str("name", "policyName"))
		}
		if list := r.list("policies", "authPolicies"); len(list) == 1 {
			m.PolicyID, m.PolicyName = firstOf(m.PolicyID, list[0].str("id", "policyId")), firstOf(m.PolicyName, list[0].str("name", "policyName"))
		} else if len(list) > 1 {
			r.fail("policies", "the account is listed in %d policies; an account is in one", len(list))
		}
		if m.PolicyID == "" && m.PolicyName == "" && r.ok() {
			r.fail("policyId", "the item names no authentication policy")
		}
		return m, m.AccountID
	}
}

// firstOf returns a unless it is empty, else b.
func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
