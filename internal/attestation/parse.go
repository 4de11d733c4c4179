package attestation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/dates"
	"github.com/atlcheck/atlcheck/internal/fileerr"
	"gopkg.in/yaml.v3"
)

// Parse decodes an attestation file strictly: unknown keys, missing required
// keys and values of the wrong kind are errors located by line and column.
// name is used in error messages. Every error it returns is an *Error.
func Parse(name string, data []byte) (*File, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Msg: "attestation file is empty"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, fileerr.YAML(name, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{File: name, Line: extra.Line, Column: extra.Column, Msg: "only one YAML document is allowed"}
	} else if !errors.Is(err, io.EOF) {
		return nil, fileerr.YAML(name, data, err)
	}
	if err := unfilled(name, &doc); err != nil {
		return nil, err
	}
	p := &parser{file: name}
	f := &File{Name: name}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	err := p.mapping(root, "the attestation file", []string{"attested_by", "attested_at"}, fieldSet{
		"attested_by": func(v *yaml.Node) (err error) { f.AttestedBy, err = p.text(v, "attested_by"); return err },
		"attested_at": func(v *yaml.Node) (err error) {
			f.atLine, f.atColumn = v.Line, v.Column
			f.AttestedAt, err = p.when(v)
			return err
		},
		"sites": func(v *yaml.Node) (err error) {
			f.HasSites = true
			f.Sites, err = p.sites(v)
			return err
		},
		"external_users":   func(v *yaml.Node) (err error) { f.ExternalUsers, err = p.externalUsers(v); return err },
		"approved_domains": func(v *yaml.Node) (err error) { f.ApprovedDomains, err = p.approvedDomains(v); return err },
		"authentication_policies": func(v *yaml.Node) (err error) {
			f.AuthPolicies, err = p.authPolicies(v)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// dateLayouts are the forms accepted for attested_at, most common first.
var dateLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
}

// when parses attested_at: a YAML date or date-time, returned in UTC.
func (p *parser) when(n *yaml.Node) (time.Time, error) {
	s, err := p.text(n, "attested_at")
	if err != nil {
		return time.Time{}, err
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if err := dates.Check(t); err != nil {
				return time.Time{}, p.errAt(n, "attested_at: %v", err)
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, p.errAt(n, "attested_at: %q is not a date (2026-11-20) or a date-time (2026-11-20T09:30:00Z)", s)
}

// sites parses the sites list.
func (p *parser) sites(n *yaml.Node) ([]Site, error) {
	items, err := p.sequence(n, "sites")
	if err != nil {
		return nil, err
	}
	sites := []Site{}
	seen := map[string]int{}
	for _, item := range items {
		var s Site
		var urlNode *yaml.Node
		err := p.mapping(item, "a site", []string{"url"}, fieldSet{
			"url": func(v *yaml.Node) (err error) {
				urlNode = v
				s.URL, err = p.siteURL(v)
				return err
			},
			"block_user_apps": func(v *yaml.Node) (err error) { s.BlockUserApps, err = p.boolean(v, "block_user_apps"); return err },
			"apps":            func(v *yaml.Node) (err error) { s.Apps, err = p.apps(v); return err },
		})
		if err != nil {
			return nil, err
		}
		s.Line, s.Column = urlNode.Line, urlNode.Column
		if first, dup := seen[SiteKey(s.URL)]; dup {
			return nil, p.errAt(urlNode, "site %s is listed twice (first on line %d)", s.URL, first)
		}
		seen[SiteKey(s.URL)] = urlNode.Line
		if s.Apps == nil {
			s.Apps = []App{}
		}
		sites = append(sites, s)
	}
	return sites, nil
}

// siteURL parses a site URL; a bare host means https.
func (p *parser) siteURL(n *yaml.Node) (string, error) {
	s, err := p.text(n, "url")
	if err != nil {
		return "", err
	}
	u, ok := normalizeURL(s)
	if !ok {
		return "", p.errAt(n, "url: %q is not a site URL such as https://acme.atlassian.net", s)
	}
	return u, nil
}

// apps parses one site's apps list.
func (p *parser) apps(n *yaml.Node) ([]App, error) {
	items, err := p.sequence(n, "apps")
	if err != nil {
		return nil, err
	}
	apps := []App{}
	seen := map[string]int{}
	for _, item := range items {
		a := App{Line: item.Line}
		var keyNode *yaml.Node
		err := p.mapping(item, "an app", []string{"key"}, fieldSet{
			"key": func(v *yaml.Node) (err error) { keyNode = v; a.Key, err = p.text(v, "key"); return err },
			"vendor_log_access": func(v *yaml.Node) (err error) {
				a.VendorLogAccess, err = p.boolean(v, "vendor_log_access")
				return err
			},
			"update_awaiting_approval": func(v *yaml.Node) (err error) {
				a.UpdateAwaitingApproval, err = p.boolean(v, "update_awaiting_approval")
				return err
			},
			"installed_by_admin": func(v *yaml.Node) (err error) {
				a.InstalledByAdmin, err = p.boolean(v, "installed_by_admin")
				return err
			},
			"installed_by": func(v *yaml.Node) (err error) { a.InstalledBy, err = p.text(v, "installed_by"); return err },
		})
		if err != nil {
			return nil, err
		}
		if first, dup := seen[a.Key]; dup {
			return nil, p.errAt(keyNode, "app %s is listed twice for this site (first on line %d)", a.Key, first)
		}
		seen[a.Key] = keyNode.Line
		apps = append(apps, a)
	}
	return apps, nil
}

// externalUsers parses the external_users block.
func (p *parser) externalUsers(n *yaml.Node) (*ExternalUsers, error) {
	eu := &ExternalUsers{Policies: []Policy{}}
	err := p.mapping(n, "external_users", []string{"policies"}, fieldSet{
		"policies": func(v *yaml.Node) error {
			items, err := p.sequence(v, "policies")
			if err != nil {
				return err
			}
			if len(items) == 0 {
				// An empty list would attest an organization without its
				// default policy: ATL-EXT-001 would pass on no data.
				return p.errAt(v, "external_users.policies is empty: every organization has the default External user policy; list it and the others, or leave the external_users block out")
			}
			seen := map[string]int{}
			for _, item := range items {
				pol, nameNode, err := p.policy(item)
				if err != nil {
					return err
				}
				if first, dup := seen[pol.Name]; dup {
					return p.errAt(nameNode, "policy %q is listed twice (first on line %d)", pol.Name, first)
				}
				seen[pol.Name] = nameNode.Line
				eu.Policies = append(eu.Policies, pol)
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return eu, nil
}

// policy parses one external-user policy.
func (p *parser) policy(n *yaml.Node) (Policy, *yaml.Node, error) {
	pol := Policy{Line: n.Line}
	var nameNode *yaml.Node
	err := p.mapping(n, "a policy", []string{"name", "api_token_access"}, fieldSet{
		"name": func(v *yaml.Node) (err error) { nameNode = v; pol.Name, err = p.text(v, "name"); return err },
		"api_token_access": func(v *yaml.Node) error {
			s, err := p.text(v, "api_token_access")
			if err != nil {
				return err
			}
			pol.APITokenAccess = strings.ToLower(s)
			if pol.APITokenAccess != "allow" && pol.APITokenAccess != "block" {
				return p.errAt(v, "api_token_access: %q must be allow or block", s)
			}
			return nil
		},
	})
	return pol, nameNode, err
}

// kindName describes a node for error messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an alias"
}
