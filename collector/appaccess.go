package collector

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// App access settings endpoints (Organizations API v2, experimental; removed
// from the published spec in August 2026, see removable).
const (
	endpointAppAccess       = "/admin/v2/orgs/{orgId}/app-access-settings/domains"
	endpointAppAccessDomain = "/admin/v2/orgs/{orgId}/app-access-settings/domains/{domain}"
)

// Access modes of the August 2026 detail shape (contract Part C.1).
const (
	accessDirect  = "DIRECT_ACCESS"  // joins without approval
	accessRequest = "REQUEST_ACCESS" // needs admin approval
	accessDenied  = "DENIED_ACCESS"  // no access
)

var accessModes = []string{accessDirect, accessRequest, accessDenied}

// domainSummary is one item of the domains list: {domain, enabled,
// numberOfProductsAppliesTo}.
type domainSummary struct {
	domain   string
	enabled  *bool
	products int
}

func decodeDomainSummary(r *reader) (domainSummary, string) {
	s := domainSummary{domain: r.id("domain"), enabled: r.boolPtr("enabled"), products: r.integer("numberOfProductsAppliesTo")}
	return s, s.domain
}

// listAppAccess lists the approved domains, then fetches every domain's
// detail (overlapped, bounded by the run's concurrency) and merges both.
func (r *run) listAppAccess(ctx context.Context, orgID string, t *tracker) ([]snapshot.ApprovedDomain, []snapshot.UnreadableItem, error) {
	c := r.c
	p := pager{
		method: http.MethodGet, endpoint: endpointAppAccess, url: c.apiURL(endpointAppAccess, orgID),
		sizeParam: "limit", size: 100,
	}
	summaries, unreadable, err := collectList(ctx, c, p, t, decodeDomainSummary)
	if err != nil {
		return nil, nil, err
	}
	domains := make([]snapshot.ApprovedDomain, len(summaries))
	bad := make([]*snapshot.UnreadableItem, len(summaries))
	err = forEach(ctx, len(summaries), r.opts.Concurrency, func(ctx context.Context, i int) error {
		var err error
		domains[i], bad[i], err = c.appAccessDetail(ctx, orgID, summaries[i])
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	out := make([]snapshot.ApprovedDomain, 0, len(domains))
	for i, d := range domains {
		if bad[i] != nil {
			unreadable = append(unreadable, *bad[i])
			continue
		}
		out = append(out, d)
	}
	return out, unreadable, nil
}

// appAccessDetail fetches one domain's detail and merges it with the list's
// summary, keeping the detail whole in Raw. A detail that cannot be read
// makes the domain unreadable.
func (c *client) appAccessDetail(ctx context.Context, orgID string, s domainSummary) (snapshot.ApprovedDomain, *snapshot.UnreadableItem, error) {
	req, err := c.newRequest(ctx, call{
		method: http.MethodGet, endpoint: endpointAppAccessDomain,
		url: c.apiURL(endpointAppAccessDomain, orgID, s.domain),
	})
	if err != nil {
		return snapshot.ApprovedDomain{}, nil, err
	}
	var raw json.RawMessage
	if err := c.do(ctx, req, &raw); err != nil {
		return snapshot.ApprovedDomain{}, nil, err
	}
	r, ok := newReader(raw)
	if inner := r.obj("data"); ok && inner != nil && r.raw("domain") == nil {
		r = inner // tolerate a {"data": {...}} wrapper
	}
	var d snapshot.ApprovedDomain
	if ok {
		d = decodeDomainDetail(r, s)
		d.Raw = raw
	}
	if !r.ok() {
		return d, &snapshot.UnreadableItem{ID: s.domain, Problems: *r.problems, Raw: raw}, nil
	}
	return d, nil, nil
}

// decodeDomainDetail reads a domain detail in either shape Atlassian
// published (contract Part C.1; swagger.v3.json copies of 2026-07-22 and
// 2026-08-17 in mondoohq/cnspec content/validation/):
//
//   - until mid-August 2026: {domain, adminNotifications, products: [{productId,
//     adminApprovalRequired, role}]}, where the spec's own example gives
//     adminNotifications as the string "ON_REQUEST" (notifications on);
//   - from 2026-08-17: {domain, enabled, adminNotifications: bool, products:
//     [{productId, accessMode, defaultRole}]}.
//
// When the detail has no enabled, the list's decides; when neither says, the
// domain is unreadable.
func decodeDomainDetail(r *reader, s domainSummary) snapshot.ApprovedDomain {
	d := snapshot.ApprovedDomain{Domain: s.domain, NumberOfProductsAppliesTo: s.products, Products: []snapshot.DomainProduct{}}
	if name := r.str("domain"); name != "" && !strings.EqualFold(name, s.domain) {
		r.fail("domain", "the detail asked for %q is about %q", s.domain, name)
	}
	enabled := r.boolPtr("enabled")
	if enabled == nil {
		enabled = s.enabled
	}
	if enabled == nil {
		r.fail("enabled", "neither the domain list nor the detail says whether the domain is enabled")
	} else {
		d.Enabled = *enabled
	}
	d.AdminNotifications = adminNotifications(r)
	for _, p := range r.list("products") {
		d.Products = append(d.Products, decodeDomainProduct(p))
	}
	return d
}

// adminNotifications reads adminNotifications: a boolean, or the July 2026
// example's string "ON_REQUEST", which means notifications are on.
func adminNotifications(r *reader) *bool {
	v, key := r.o.value("adminNotifications")
	var s string
	if v != nil && json.Unmarshal(v, &s) == nil {
		if strings.EqualFold(s, "ON_REQUEST") {
			on := true
			return &on
		}
		r.fail(key, "unknown value %q (known: true, false, ON_REQUEST)", s)
		return nil
	}
	return r.boolPtr("adminNotifications")
}

// decodeDomainProduct reads one product's access in either shape and writes
// both forms: accessMode and adminApprovalRequired. DIRECT_ACCESS is no
// approval, REQUEST_ACCESS approval, DENIED_ACCESS no access at all (no
// approval setting). adminApprovalRequired left out means false, its
// documented default ("When false (default), users gain direct access").
// defaultRole is the role.
func decodeDomainProduct(p *reader) snapshot.DomainProduct {
	dp := snapshot.DomainProduct{ProductID: p.id("productId"), Role: p.str("role")}
	if dp.Role == "" {
		dp.Role = p.str("defaultRole")
	}
	mode := strings.ToUpper(p.enum(accessModes, "accessMode"))
	approval := p.boolPtr("adminApprovalRequired")
	switch {
	case mode == "" && approval == nil:
		mode = accessDirect
	case mode == "":
		mode = map[bool]string{false: accessDirect, true: accessRequest}[*approval]
	case approval != nil && (mode == accessDenied || (mode == accessRequest) != *approval):
		_, key := p.o.value("adminApprovalRequired")
		p.fail(key, "adminApprovalRequired %v contradicts accessMode %s", *approval, mode)
	}
	if !p.ok() {
		return dp
	}
	dp.AccessMode = mode
	if mode != accessDenied {
		v := mode == accessRequest
		dp.AdminApprovalRequired = &v
	}
	return dp
}
