package attestation

import (
	"encoding/json"
	"testing"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

const domainsDoc = head + `approved_domains:
  - domain: Acme.Example
    enabled: true
    admin_notifications: false
    products:
      - product: ari:cloud:jira::app/all
        access: Direct
        role: ari:cloud:jira::role/software/member
      - product: Confluence on acme.atlassian.net
        access: request
      - product: ari:cloud:jira-servicedesk::app/all
        access: denied
  - domain: anyone
    enabled: false
  - domain: oldpartner.example
    enabled: true
    products: []
`

func TestParseApprovedDomains(t *testing.T) {
	f, err := Parse("a.yaml", []byte(domainsDoc))
	if err != nil {
		t.Fatal(err)
	}
	want := []ApprovedDomain{
		{Domain: "acme.example", Enabled: true, AdminNotifications: new(bool), Line: 4, Products: []DomainProduct{
			{Product: "ari:cloud:jira::app/all", Access: "direct", Role: "ari:cloud:jira::role/software/member"},
			{Product: "Confluence on acme.atlassian.net", Access: "request"},
			{Product: "ari:cloud:jira-servicedesk::app/all", Access: "denied"}}},
		{Domain: "ANYONE", Line: 15, Products: []DomainProduct{}},
		{Domain: "oldpartner.example", Enabled: true, Line: 17, Products: []DomainProduct{}},
	}
	if g, w := jsonOf(f.ApprovedDomains), jsonOf(want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
	if f, _ := Parse("a.yaml", []byte(head)); f.ApprovedDomains != nil {
		t.Error("a file without the block must leave ApprovedDomains nil")
	}
}

func TestParseApprovedDomainsErrors(t *testing.T) {
	d := head + "approved_domains:\n"
	tests := []parseErrorCase{
		{"not a list", head + "approved_domains: acme.example\n", `a.yaml:3:19: approved_domains must be a list, got "acme.example"`},
		{"missing enabled", d + "  - domain: acme.example\n", `a.yaml:4:5: missing required key "enabled" in an approved domain`},
		{"missing domain", d + "  - enabled: true\n", `a.yaml:4:5: missing required key "domain" in an approved domain`},
		{"not a domain", d + "  - domain: https://acme.example\n    enabled: true\n", `a.yaml:4:13: domain: "https://acme.example" is not a domain name such as acme.example (or ANYONE)`},
		{"an email", d + "  - domain: jane@acme.example\n    enabled: true\n", `a.yaml:4:13: domain: "jane@acme.example" is not a domain name`},
		{"yes is not a boolean", d + "  - domain: acme.example\n    enabled: yes\n", `a.yaml:5:14: enabled must be true or false, got "yes"`},
		{"unknown key", d + "  - domain: acme.example\n    enabled: true\n    notify: true\n",
			`a.yaml:6:5: unknown key "notify" in an approved domain; known keys: admin_notifications, domain, enabled, products`},
		{"duplicate domain", d + "  - domain: acme.example\n    enabled: true\n  - domain: ACME.example\n    enabled: false\n",
			"a.yaml:6:13: approved domain acme.example is listed twice (first on line 4)"},
		{"bad access", d + "  - domain: acme.example\n    enabled: true\n    products:\n      - product: Jira\n        access: open\n",
			`a.yaml:8:17: access: "open" must be direct, request or denied`},
		{"missing access", d + "  - domain: acme.example\n    enabled: true\n    products:\n      - product: Jira\n",
			`a.yaml:7:9: missing required key "access" in a product`},
		{"unknown product key", d + "  - domain: acme.example\n    enabled: true\n    products:\n      - product: Jira\n        access: direct\n        approval: false\n",
			`a.yaml:9:9: unknown key "approval" in a product; known keys: access, product, role`},
		{"duplicate product", d + "  - domain: acme.example\n    enabled: true\n    products:\n      - product: Jira\n        access: direct\n      - product: Jira\n        access: denied\n",
			"a.yaml:9:18: product Jira is listed twice for this domain (first on line 7)"},
	}
	checkParseErrors(t, tests)
}

// TestApplyApprovedDomains: the attested approved domains cover app_access
// when its API did not answer; when it answered, the API wins and the
// area's note says the block was ignored.
func TestApplyApprovedDomains(t *testing.T) {
	f, err := Parse("a.yaml", []byte(domainsDoc))
	if err != nil {
		t.Fatal(err)
	}
	notAvailable := &snapshot.AreaError{Status: 404, Code: "ADMIN-404-1", Endpoint: "GET /admin/v2/orgs/{orgId}/app-access-settings/domains",
		Message: "the app access settings API is not available"}
	s := &snapshot.Snapshot{AppAccess: snapshot.AppAccessArea{Area: snapshot.Area{Source: snapshot.SourceNone, Error: notAvailable},
		Items: []snapshot.ApprovedDomain{}}}
	f.Apply(s, now)
	aa := s.AppAccess
	if !aa.Collected || aa.Source != snapshot.SourceAttestation || aa.AttestedBy != "jane" || aa.AttestedAt == nil || aa.Error != notAvailable ||
		aa.Note != "approved domains from the attestation file (attested by jane on 2026-11-20), because the app access settings API did not answer "+
			"(HTTP 404 ADMIN-404-1: the app access settings API is not available)" {
		t.Errorf("envelope: got %+v", aa)
	}
	yes, no := true, false
	want := []snapshot.ApprovedDomain{
		{Domain: "acme.example", Enabled: true, AdminNotifications: &no, NumberOfProductsAppliesTo: 3, Products: []snapshot.DomainProduct{
			{ProductID: "ari:cloud:jira::app/all", AccessMode: "DIRECT_ACCESS", AdminApprovalRequired: &no, Role: "ari:cloud:jira::role/software/member"},
			{ProductID: "Confluence on acme.atlassian.net", AccessMode: "REQUEST_ACCESS", AdminApprovalRequired: &yes},
			{ProductID: "ari:cloud:jira-servicedesk::app/all", AccessMode: "DENIED_ACCESS"}}},
		{Domain: "ANYONE", Products: []snapshot.DomainProduct{}},
		{Domain: "oldpartner.example", Enabled: true, Products: []snapshot.DomainProduct{}},
	}
	if g, w := jsonOf(aa.Items), jsonOf(want); g != w {
		t.Errorf("items:\ngot  %s\nwant %s", g, w)
	}

	api := snapshot.AppAccessArea{Area: snapshot.Area{Source: snapshot.SourceAPI, Collected: true},
		Items: []snapshot.ApprovedDomain{{Domain: "api.example", Enabled: true, Products: []snapshot.DomainProduct{}}}}
	s = &snapshot.Snapshot{AppAccess: api}
	f.Apply(s, now)
	if aa := s.AppAccess; aa.Source != snapshot.SourceAPI || len(aa.Items) != 1 || aa.Items[0].Domain != "api.example" || aa.AttestedBy != "" ||
		aa.Note != "approved domains read from the API; the attestation file's approved_domains block (attested by jane on 2026-11-20) was ignored" {
		t.Errorf("API answered: got %+v", aa)
	}

	f.ApprovedDomains = nil
	s = &snapshot.Snapshot{AppAccess: snapshot.AppAccessArea{Area: snapshot.Area{Source: snapshot.SourceNone, Error: notAvailable}}}
	f.Apply(s, now)
	if aa := s.AppAccess; aa.Source != snapshot.SourceNone || aa.Note != "" {
		t.Errorf("no block: got %+v, want the area left as it was", aa)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
