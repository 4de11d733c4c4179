package attestation

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
	"gopkg.in/yaml.v3"
)

// ApprovedDomain is one approved domain as the admin saw it in
// admin.atlassian.com > Directory > User access settings > Approved domains.
// The app access settings API that reports them was removed from Atlassian's
// published spec in August 2026 (contract Part C.1): the attestation covers
// them when the API does not answer.
type ApprovedDomain struct {
	// Domain is the domain name in lower case, or ANYONE.
	Domain string
	// Enabled says whether the domain admits people.
	Enabled bool
	// AdminNotifications is nil when not attested.
	AdminNotifications *bool
	// Products is the access the domain gives, per product.
	Products []DomainProduct
	// Line is where the domain's entry starts.
	Line int
}

// DomainProduct is the access one approved domain gives to one product.
type DomainProduct struct {
	// Product identifies the product: its ARI, or its name as the console shows it.
	Product string
	// Access is direct (joins without approval), request (needs admin
	// approval) or denied (no access).
	Access string
	// Role is the role people get on joining ("" when not attested).
	Role string
}

// The attested access values and the API access modes they stand for.
var accessModes = map[string]string{
	"direct":  "DIRECT_ACCESS",
	"request": "REQUEST_ACCESS",
	"denied":  "DENIED_ACCESS",
}

// hostname is what an approved domain must look like: labels of letters,
// digits and hyphens, at least two of them.
var hostname = regexp.MustCompile(`^(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// approvedDomains parses the approved_domains list.
func (p *parser) approvedDomains(n *yaml.Node) ([]ApprovedDomain, error) {
	items, err := p.sequence(n, "approved_domains")
	if err != nil {
		return nil, err
	}
	out := []ApprovedDomain{}
	seen := map[string]int{}
	for _, item := range items {
		d := ApprovedDomain{Line: item.Line, Products: []DomainProduct{}}
		var domainNode *yaml.Node
		err := p.mapping(item, "an approved domain", []string{"domain", "enabled"}, fieldSet{
			"domain": func(v *yaml.Node) (err error) {
				domainNode = v
				d.Domain, err = p.domain(v)
				return err
			},
			"enabled": func(v *yaml.Node) error {
				b, err := p.boolean(v, "enabled")
				if err == nil {
					d.Enabled = *b
				}
				return err
			},
			"admin_notifications": func(v *yaml.Node) (err error) {
				d.AdminNotifications, err = p.boolean(v, "admin_notifications")
				return err
			},
			"products": func(v *yaml.Node) (err error) { d.Products, err = p.domainProducts(v); return err },
		})
		if err != nil {
			return nil, err
		}
		if first, dup := seen[d.Domain]; dup {
			return nil, p.errAt(domainNode, "approved domain %s is listed twice (first on line %d)", d.Domain, first)
		}
		seen[d.Domain] = domainNode.Line
		out = append(out, d)
	}
	return out, nil
}

// domain parses a domain name (lower-cased) or ANYONE (any case).
func (p *parser) domain(n *yaml.Node) (string, error) {
	s, err := p.text(n, "domain")
	if err != nil {
		return "", err
	}
	switch {
	case strings.EqualFold(s, "ANYONE"):
		return "ANYONE", nil
	case !hostname.MatchString(s):
		return "", p.errAt(n, "domain: %q is not a domain name such as acme.example (or ANYONE)", s)
	}
	return strings.ToLower(s), nil
}

// domainProducts parses one domain's products list.
func (p *parser) domainProducts(n *yaml.Node) ([]DomainProduct, error) {
	items, err := p.sequence(n, "products")
	if err != nil {
		return nil, err
	}
	out := []DomainProduct{}
	seen := map[string]int{}
	for _, item := range items {
		var dp DomainProduct
		var productNode *yaml.Node
		err := p.mapping(item, "a product", []string{"product", "access"}, fieldSet{
			"product": func(v *yaml.Node) (err error) { productNode = v; dp.Product, err = p.text(v, "product"); return err },
			"access": func(v *yaml.Node) error {
				s, err := p.text(v, "access")
				if err != nil {
					return err
				}
				dp.Access = strings.ToLower(s)
				if _, ok := accessModes[dp.Access]; !ok {
					return p.errAt(v, "access: %q must be direct, request or denied", s)
				}
				return nil
			},
			"role": func(v *yaml.Node) (err error) { dp.Role, err = p.text(v, "role"); return err },
		})
		if err != nil {
			return nil, err
		}
		if first, dup := seen[dp.Product]; dup {
			return nil, p.errAt(productNode, "product %s is listed twice for this domain (first on line %d)", dp.Product, first)
		}
		seen[dp.Product] = productNode.Line
		out = append(out, dp)
	}
	return out, nil
}

// applyApprovedDomains covers the app access area with the attested
// approved domains when the API did not answer; when it did, the API wins
// and the area's note says the block was ignored. now is the collection time.
func (f *File) applyApprovedDomains(s *snapshot.Snapshot, now time.Time, att snapshot.Attestation) {
	if f.ApprovedDomains == nil {
		return
	}
	who := fmt.Sprintf("attested by %s on %s", f.AttestedBy, f.AttestedAt.UTC().Format("2006-01-02"))
	if s.AppAccess.Collected {
		s.AppAccess.Note = "approved domains read from the API; the attestation file's approved_domains block (" + who + ") was ignored"
		return
	}
	why := "the app access settings API did not answer"
	if e := s.AppAccess.Error; e != nil {
		why += " (" + describe(e) + ")"
	}
	items := make([]snapshot.ApprovedDomain, 0, len(f.ApprovedDomains))
	for _, d := range f.ApprovedDomains {
		ad := snapshot.ApprovedDomain{Domain: d.Domain, Enabled: d.Enabled, AdminNotifications: d.AdminNotifications,
			NumberOfProductsAppliesTo: len(d.Products), Products: make([]snapshot.DomainProduct, 0, len(d.Products))}
		for _, p := range d.Products {
			dp := snapshot.DomainProduct{ProductID: p.Product, AccessMode: accessModes[p.Access], Role: p.Role}
			if p.Access != "denied" {
				v := p.Access == "request"
				dp.AdminApprovalRequired = &v
			}
			ad.Products = append(ad.Products, dp)
		}
		items = append(items, ad)
	}
	// The API's error stays in the envelope: the area is collected, from the
	// attestation, and the reader still sees what the API said.
	s.AppAccess = snapshot.AppAccessArea{
		Area: snapshot.Area{Source: snapshot.SourceAttestation, Collected: true, CollectedAt: &now, Error: s.AppAccess.Error,
			Note: "approved domains from the attestation file (" + who + "), because " + why},
		Attestation: att,
		Items:       items,
	}
}

// describe renders an area error in one line: status, code, message.
func describe(e *snapshot.AreaError) string {
	var parts []string
	if e.Status != 0 {
		parts = append(parts, fmt.Sprintf("HTTP %d", e.Status))
	}
	if e.Code != "" {
		parts = append(parts, e.Code)
	}
	head := strings.Join(parts, " ")
	if head != "" && e.Message != "" {
		return head + ": " + e.Message
	}
	return head + e.Message
}
