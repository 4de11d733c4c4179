package collector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// Service accounts and their API tokens (API Access API, marked
// experimental; contract Part C.7). The list is documented on
// developer.atlassian.com/cloud/admin/api-access/rest/api-group-service-account/
// (scope read:service-accounts:admin): {items[{id, atlassianId, email,
// displayName, picture, container, updatedAt (epoch ms), status,
// createdById, description}], links{next, prev}, total}, with no query
// parameter but the org id. The token list's path is the one
// atlassian-python-api calls (get_service_account_api_tokens; scope
// read:service-accounts-tokens:admin per its reference); its body is not
// published, so it is read like the user API tokens list (contract Part
// C.4), under data or items.
const (
	endpointServiceAccounts      = "/admin/api-access/v1/orgs/{orgId}/service-accounts"
	endpointServiceAccountTokens = "/admin/api-access/v1/orgs/{orgId}/service-accounts/{serviceAccountId}/api-tokens"
)

// decodeServiceAccount reads one service account. Its status is kept as
// sent: its values are not documented (the policies count any value they do
// not know as active).
func decodeServiceAccount(r *reader) (snapshot.ServiceAccount, string) {
	sa := snapshot.ServiceAccount{
		ID:          r.id("id"),
		AtlassianID: r.str("atlassianId"),
		Email:       r.str("email"),
		DisplayName: r.str("displayName"),
		Status:      r.str("status"),
		CreatedByID: r.str("createdById"),
		Description: r.str("description"),
		Container:   r.str("container"),
		UpdatedAt:   r.time("updatedAt"),
	}
	return sa, sa.ID
}

// decodeServiceAccountToken reads one token of the service account saID.
// The body is not published: the user API token's names are read first,
// then the names other Atlassian token lists use (name, lastAccess, expiry).
func decodeServiceAccountToken(saID string) decodeFunc[snapshot.ServiceAccountToken] {
	return func(r *reader) (snapshot.ServiceAccountToken, string) {
		tok := snapshot.ServiceAccountToken{
			ID:               r.id("id"),
			ServiceAccountID: saID,
			Label:            r.str("label", "name"),
			Status:           r.str("status"),
			Scopes:           r.strs("scopes"),
			CreatedAt:        r.time("createdAt"),
			ExpiresAt:        r.time("expiresAt", "expiry"),
			LastActiveAt:     r.time("lastActiveAt", "lastAccess", "lastUsedAt"),
		}
		return tok, tok.ID
	}
}

// listServiceAccounts returns the org's service accounts. The list takes no
// page size; links.next is followed as the pagination helper does.
func (c *client) listServiceAccounts(ctx context.Context, orgID string, t *tracker) ([]snapshot.ServiceAccount, []snapshot.UnreadableItem, error) {
	p := pager{method: http.MethodGet, endpoint: endpointServiceAccounts, url: c.apiURL(endpointServiceAccounts, orgID), items: "items"}
	return collectList(ctx, c, p, t, decodeServiceAccount)
}

// tokenPage is the raw token list of one service account.
type tokenPage struct {
	list  snapshot.TokenList
	items []json.RawMessage
}

// serviceAccountTokens lists the API tokens of every service account the
// list named (also those that could not be read but have an id),
// overlapped. Each account records its own outcome and how many tokens the
// API reported; the area is collected when at least one account's list was
// read (or there is no service account).
func (r *run) serviceAccountTokens(ctx context.Context, sas snapshot.ServiceAccountsArea) snapshot.ServiceAccountTokensArea {
	ctx = withAreaBudget(ctx, r.opts.MaxAreaBytes)
	const area = snapshot.AreaServiceAccountTokens
	out := snapshot.ServiceAccountTokensArea{Accounts: []snapshot.TokenList{}, Items: []snapshot.ServiceAccountToken{}}
	now := r.opts.Now().UTC()
	if ctx.Err() != nil { // the run is stopping; this snapshot will not be written
		out.Area = notCollected(snapshot.SourceAPI, now, ctx.Err())
		return out
	}
	if !sas.Collected {
		out.Area = r.notCollectedFor(area, sas.Area, "the service accounts", now)
		return out
	}

	r.progress.AreaStarted(area)
	t := &tracker{area: area, progress: r.progress}
	ids := make([]string, 0, len(sas.Items)+len(sas.Unreadable))
	for _, sa := range sas.Items {
		ids = append(ids, sa.ID)
	}
	for _, u := range sas.Unreadable {
		if u.ID != "" {
			ids = append(ids, u.ID)
		}
	}
	pages := make([]tokenPage, len(ids))
	_ = forEach(ctx, len(ids), r.opts.Concurrency, func(ctx context.Context, i int) error {
		pages[i] = r.accountTokens(ctx, ids[i], t)
		return nil
	})
	set := newItemSet[snapshot.ServiceAccountToken]()
	ok := 0
	var firstErr *snapshot.AreaError
	for _, pg := range pages {
		out.Accounts = append(out.Accounts, pg.list)
		if !pg.list.Collected {
			if firstErr == nil {
				firstErr = pg.list.Error
			}
			continue
		}
		ok++
		for _, raw := range pg.items {
			set.add(raw, decodeServiceAccountToken(pg.list.ServiceAccountID))
		}
	}
	out.Items, out.Unreadable = set.result()
	now = r.opts.Now().UTC()
	out.Area.Source, out.Area.Collected, out.Area.CollectedAt = snapshot.SourceAPI, true, &now
	sum := Summary{Items: len(out.Items), Pages: t.pages, Note: plural(len(ids), "service account"), Unreadable: len(out.Unreadable)}
	if ok < len(ids) {
		sum.Note += fmt.Sprintf(", %d not collected", len(ids)-ok)
	}
	if ok == 0 && firstErr != nil {
		e := *firstErr
		e.Message = "no service account's API tokens could be listed: " + e.Message
		out.Area.Collected, out.Area.Error = false, &e
		sum.Err = errors.New(e.Message)
	}
	if ctx.Err() == nil {
		r.progress.AreaDone(area, sum)
	}
	return out
}

// accountTokens reads one service account's token list, raw. A fatal error
// (401) stops the run.
func (r *run) accountTokens(ctx context.Context, saID string, t *tracker) tokenPage {
	c := r.c
	p := pager{
		method: http.MethodGet, endpoint: endpointServiceAccountTokens,
		url: c.apiURL(endpointServiceAccountTokens, r.orgID, saID), items: "data|items",
	}
	out := tokenPage{list: snapshot.TokenList{ServiceAccountID: saID}}
	_, err := paginate(ctx, c, p, func(items []json.RawMessage) error {
		t.page(len(items))
		out.items = append(out.items, items...)
		return nil
	})
	if err != nil {
		r.checkFatal(snapshot.AreaServiceAccountTokens, err)
		out.list.Error, out.items = areaError(err), nil
		return out
	}
	out.list.Collected, out.list.Reported = true, len(out.items)
	return out
}
