package collector

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// App access settings endpoints (Organizations API v2, experimental).
const (
	endpointAppAccess       = "/admin/v2/orgs/{orgId}/app-access-settings/domains"
	endpointAppAccessDomain = "/admin/v2/orgs/{orgId}/app-access-settings/domains/{domain}"
)

// listAppAccess lists the approved domains, then fetches every domain's
// detail (overlapped, bounded by the run's concurrency) and merges both.
func (r *run) listAppAccess(ctx context.Context, orgID string, t *tracker) ([]snapshot.ApprovedDomain, error) {
	c := r.c
	p := pager{
		method: http.MethodGet, endpoint: endpointAppAccess, url: c.apiURL(endpointAppAccess, orgID),
		sizeParam: "limit", size: 100,
	}
	domains := []snapshot.ApprovedDomain{}
	_, err := paginate(ctx, c, p, func(items []object) error {
		t.page(len(items))
		for _, it := range items {
			domains = append(domains, snapshot.ApprovedDomain{
				Domain:                    it.str("domain", "name"),
				Enabled:                   it.boolean("enabled"),
				NumberOfProductsAppliesTo: it.integer("numberOfProductsAppliesTo"),
				Products:                  []snapshot.DomainProduct{},
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = forEach(ctx, len(domains), r.opts.Concurrency, func(ctx context.Context, i int) error {
		return c.appAccessDetail(ctx, orgID, &domains[i])
	})
	if err != nil {
		return nil, err
	}
	return domains, nil
}

// appAccessDetail fetches one domain's detail into d, keeping it whole in d.Raw.
func (c *client) appAccessDetail(ctx context.Context, orgID string, d *snapshot.ApprovedDomain) error {
	req, err := c.newRequest(ctx, call{
		method: http.MethodGet, endpoint: endpointAppAccessDomain,
		url: c.apiURL(endpointAppAccessDomain, orgID, d.Domain),
	})
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := c.do(ctx, req, &raw); err != nil {
		return err
	}
	var detail object
	if err := json.Unmarshal(raw, &detail); err != nil || detail == nil {
		return &RequestError{Method: http.MethodGet, Endpoint: endpointAppAccessDomain,
			Status: http.StatusOK, Err: errNotObject}
	}
	if inner := detail.obj("data"); inner != nil && detail.value("domain") == nil {
		detail = inner // tolerate a {"data": {...}} wrapper
	}
	d.Raw = raw
	if b := detail.boolPtr("enabled"); b != nil {
		d.Enabled = *b
	}
	d.AdminNotifications = detail.boolPtr("adminNotifications")
	var products []object
	_ = json.Unmarshal(detail.value("products"), &products)
	for _, p := range products {
		d.Products = append(d.Products, snapshot.DomainProduct{
			ProductID:             p.str("productId", "resourceId", "id"),
			AdminApprovalRequired: approvalRequired(p),
			Role:                  p.str("role", "defaultRole"),
		})
	}
	return nil
}

// approvalRequired reads adminApprovalRequired, or the unverified accessMode
// variant (a mode naming approval means true, direct access false).
func approvalRequired(p object) *bool {
	if b := p.boolPtr("adminApprovalRequired"); b != nil {
		return b
	}
	mode := strings.ToUpper(p.str("accessMode"))
	switch {
	case strings.Contains(mode, "APPROVAL"):
		v := true
		return &v
	case strings.Contains(mode, "DIRECT"):
		v := false
		return &v
	}
	return nil
}
