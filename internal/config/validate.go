package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// validationError is a value out of range, with the YAML path that holds it.
type validationError struct {
	path []string
	msg  string
}

func (e *validationError) Error() string { return e.msg }

// maxDays bounds every day count: ten years is beyond any sane policy.
const maxDays = 3650

func (c *Config) validate() error {
	p := c.Parameters
	days := []struct {
		path []string
		v    int
	}{
		{[]string{"parameters", "api_keys", "max_lifetime_days"}, p.APIKeys.MaxLifetimeDays},
		{[]string{"parameters", "api_keys", "unused_days"}, p.APIKeys.UnusedDays},
		{[]string{"parameters", "api_keys", "expiry_warning_days"}, p.APIKeys.ExpiryWarningDays},
		{[]string{"parameters", "api_tokens", "max_lifetime_days"}, p.APITokens.MaxLifetimeDays},
		{[]string{"parameters", "api_tokens", "unused_days"}, p.APITokens.UnusedDays},
		{[]string{"parameters", "attestation", "max_age_days"}, p.Attestation.MaxAgeDays},
		{[]string{"parameters", "exceptions", "max_days"}, p.Exceptions.MaxDays},
		{[]string{"parameters", "exceptions", "expiry_warning_days"}, p.Exceptions.ExpiryWarningDays},
	}
	for _, d := range days {
		if d.v < 1 || d.v > maxDays {
			return &validationError{d.path, fmt.Sprintf("%s must be between 1 and %d days, got %d", strings.Join(d.path, "."), maxDays, d.v)}
		}
	}
	if p.Admins.Min < 1 {
		return &validationError{[]string{"parameters", "admins", "min"}, fmt.Sprintf("parameters.admins.min must be at least 1, got %d", p.Admins.Min)}
	}
	if p.Admins.Max < p.Admins.Min {
		return &validationError{[]string{"parameters", "admins", "max"}, fmt.Sprintf("parameters.admins.max (%d) must be at least admins.min (%d)", p.Admins.Max, p.Admins.Min)}
	}
	for i, d := range p.AppAccess.PublicEmailDomains {
		if strings.TrimSpace(d) == "" || strings.ContainsAny(d, " /@") {
			return &validationError{[]string{"parameters", "app_access", "public_email_domains", fmt.Sprint(i)}, fmt.Sprintf("public_email_domains: %q is not a domain name", d)}
		}
		p.AppAccess.PublicEmailDomains[i] = strings.ToLower(d)
	}
	if err := c.validateExceptions(); err != nil {
		return err
	}
	if err := c.validateFleet(); err != nil {
		return err
	}
	for i, k := range p.Apps.Allowed {
		if strings.TrimSpace(k) == "" {
			return &validationError{[]string{"parameters", "apps", "allowed", fmt.Sprint(i)}, "apps.allowed: app keys must not be empty"}
		}
	}
	return nil
}

// nodePosition finds the line and column of the value at a YAML mapping path
// (sequence indexes as decimal strings), or of its deepest existing parent.
func nodePosition(root *yaml.Node, path []string) (int, int) {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line, col := n.Line, n.Column
	for _, key := range path {
		next := child(n, key)
		if next == nil {
			break
		}
		n = next
		line, col = n.Line, n.Column
	}
	return line, col
}

func child(n *yaml.Node, key string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
	case yaml.SequenceNode:
		var idx int
		if _, err := fmt.Sscan(key, &idx); err == nil && idx >= 0 && idx < len(n.Content) {
			return n.Content[idx]
		}
	}
	return nil
}

// firstNull finds the first mapping key whose value is null ("key:" with
// nothing after it). Decoding would turn it into a zero value silently, e.g.
// an empty public_email_domains list that disables ATL-AAS-002; it returns
// the key's node.
func firstNull(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := n.Content[i+1]; v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				return n.Content[i]
			}
		}
	}
	for _, c := range n.Content {
		if found := firstNull(c); found != nil {
			return found
		}
	}
	return nil
}
