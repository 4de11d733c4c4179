package diff

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// verifiedDomains compares the claimed domains by name (case-insensitive).
// A domain that stops being verified raises risk (the org loses control of
// its accounts); one that becomes verified lowers it.
func (c *comparer) verifiedDomains() {
	const area = snapshot.AreaVerifiedDomains
	key := func(d snapshot.VerifiedDomain) string { return foldKey(d.Name) }
	for _, p := range match(c.old.VerifiedDomains.Items, c.new.VerifiedDomains.Items, key) {
		switch {
		case p.old == nil:
			c.added(area, p.new.Name, fmt.Sprintf("Domain %s claimed, status %s.", p.new.Name, p.new.Status),
				riskIf(false, isVerified(p.new.Status)))
		case p.new == nil:
			c.removed(area, p.old.Name, fmt.Sprintf("Domain %s (status %s) no longer claimed.", p.old.Name, p.old.Status),
				riskIf(isVerified(p.old.Status), false))
		case !strings.EqualFold(p.old.Status, p.new.Status):
			b := newBuilder(area, p.new.Name, "Domain "+p.new.Name)
			was, is := isVerified(p.old.Status), isVerified(p.new.Status)
			b.set("status", statusValue(p.old.Status), statusValue(p.new.Status), riskIf(was && !is, is && !was),
				fmt.Sprintf("status %s → %s", p.old.Status, p.new.Status))
			c.emit(b.change())
		}
	}
}

func isVerified(status string) bool { return strings.EqualFold(status, "VERIFIED") }

// approvedDomains compares the approved domains of app access by domain
// (case-insensitive), and their products by product id.
func (c *comparer) approvedDomains() {
	const area = snapshot.AreaAppAccess
	key := func(d snapshot.ApprovedDomain) string { return foldKey(d.Domain) }
	for _, p := range match(c.old.AppAccess.Items, c.new.AppAccess.Items, key) {
		switch {
		case p.old == nil:
			n := p.new
			var products []string
			for _, dp := range n.Products {
				products = append(products, c.productLabel(dp.ProductID)+" "+grantText(dp))
			}
			state := "disabled"
			if n.Enabled {
				state = "enabled"
			}
			c.added(area, n.Domain, fmt.Sprintf("%s added (%s) for %s.", domainSubject(n.Domain), state,
				cmpList(products, "no products")), riskIf(n.Enabled, false))
		case p.new == nil:
			c.removed(area, p.old.Domain, domainSubject(p.old.Domain)+" removed.", riskIf(false, p.old.Enabled))
		default:
			c.emit(c.domainChange(*p.old, *p.new))
		}
	}
}

func (c *comparer) domainChange(o, n snapshot.ApprovedDomain) *Change {
	b := newBuilder(snapshot.AreaAppAccess, n.Domain, domainSubject(n.Domain))
	if o.Enabled != n.Enabled {
		clause := "disabled"
		if n.Enabled {
			clause = "enabled"
			if isAnyone(n.Domain) {
				clause = "enabled: anyone with an Atlassian account can join"
			}
		}
		b.set("enabled", o.Enabled, n.Enabled, riskIf(n.Enabled, o.Enabled), clause)
	}
	b.boolField("admin_notifications", o.AdminNotifications, n.AdminNotifications, false,
		"admin notifications turned on", "admin notifications turned off")
	key := func(p snapshot.DomainProduct) string { return foldKey(p.ProductID) }
	for _, p := range match(o.Products, n.Products, key) {
		switch {
		case p.old == nil:
			b.set(productField(p.new.ProductID, ""), nil, grantValue(*p.new), RiskIncreased,
				"access to "+c.productLabel(p.new.ProductID)+" added "+grantText(*p.new))
		case p.new == nil:
			b.set(productField(p.old.ProductID, ""), grantValue(*p.old), nil, RiskDecreased,
				"access to "+c.productLabel(p.old.ProductID)+" removed")
		default:
			c.productChange(b, *p.old, *p.new)
		}
	}
	return b.change()
}

// productChange compares the role and admin approval one domain grants on one product.
func (c *comparer) productChange(b *builder, o, n snapshot.DomainProduct) {
	label := c.productLabel(n.ProductID)
	if o.Role != n.Role {
		was, is := isAdminRole(o.Role), isAdminRole(n.Role)
		b.set(productField(n.ProductID, "role"), statusValue(o.Role), statusValue(n.Role), riskIf(is && !was, was && !is),
			fmt.Sprintf("role on %s %s → %s", label, cmp.Or(lastSegment(o.Role), "none"), cmp.Or(lastSegment(n.Role), "none")))
	}
	b.boolField(productField(n.ProductID, "admin_approval_required"), o.AdminApprovalRequired, n.AdminApprovalRequired,
		false, "admin approval now required for "+label, "admin approval no longer required for "+label)
}

// grant is the value of a product access that was added or removed; the
// field name carries the product id.
type grant struct {
	Role                  string `json:"role"`
	AdminApprovalRequired *bool  `json:"admin_approval_required"`
}

func grantValue(p snapshot.DomainProduct) grant {
	return grant{Role: p.Role, AdminApprovalRequired: p.AdminApprovalRequired}
}

// grantText is "(role member, admin approval required)".
func grantText(p snapshot.DomainProduct) string {
	text := "(role " + cmp.Or(lastSegment(p.Role), "unknown")
	switch {
	case p.AdminApprovalRequired == nil:
	case *p.AdminApprovalRequired:
		text += ", admin approval required"
	default:
		text += ", no admin approval"
	}
	return text + ")"
}

// productField names a product's field: products[<product id>].role.
func productField(productID, field string) string {
	name := "products[" + productID + "]"
	if field != "" {
		name += "." + field
	}
	return name
}

// productLabel names a product ARI (ari:cloud:<product>::site/<cloud id>)
// as "<product> on <site host>", the site looked up in either snapshot.
func (c *comparer) productLabel(ari string) string {
	product, cloudID, ok := strings.Cut(strings.TrimPrefix(ari, "ari:cloud:"), "::site/")
	if !ok || product == "" {
		return ari
	}
	for _, sites := range [][]snapshot.Site{c.new.Sites.Items, c.old.Sites.Items} {
		for _, s := range sites {
			if s.ID == cloudID && s.URL != "" {
				return product + " on " + strings.TrimPrefix(strings.TrimPrefix(s.URL, "https://"), "http://")
			}
		}
	}
	return product + " on site " + cloudID
}

func isAnyone(domain string) bool { return strings.EqualFold(domain, "ANYONE") }

// domainSubject is "ANYONE domain" or "Approved domain x".
func domainSubject(domain string) string {
	if isAnyone(domain) {
		return "ANYONE domain"
	}
	return "Approved domain " + domain
}

// cmpList is quoteList(values), or def for no values.
func cmpList(values []string, def string) string {
	if len(values) == 0 {
		return def
	}
	return quoteList(values)
}
