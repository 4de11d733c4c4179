package config

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/schemagen"

	"gopkg.in/yaml.v3"
)

// validationError is a value out of range, with the YAML path that holds it.
type validationError struct {
	path []string
	msg  string
}

func (e *validationError) Error() string { return e.msg }

// siteHostPattern is a host name, or "*." and a domain.
var siteHostPattern = regexp.MustCompile(`^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)

func (c *Config) validate() error {
	p := c.Parameters
	if err := checkRanges(reflect.ValueOf(p), []string{"parameters"}); err != nil {
		return err
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
	for i, h := range c.SiteHosts {
		if !siteHostPattern.MatchString(h) {
			return &validationError{[]string{"site_hosts", fmt.Sprint(i)}, fmt.Sprintf("site_hosts: %q is not a host name such as jira.example.com or *.example.com (no scheme, port or path)", h)}
		}
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

// checkRanges checks every number below v against the minimum and maximum
// of its schema tags (parameters.go), in declaration order.
func checkRanges(v reflect.Value, path []string) error {
	for _, f := range schemagen.FieldsTagged(v.Type(), "yaml") {
		fv, p := v.FieldByIndex(f.Index), append(slices.Clone(path), f.Name)
		switch fv.Kind() {
		case reflect.Struct:
			if err := checkRanges(fv, p); err != nil {
				return err
			}
		case reflect.Int:
			if msg := outOfRange(int(fv.Int()), f.Tags); msg != "" {
				return &validationError{p, strings.Join(p, ".") + " must be " + msg}
			}
		case reflect.String:
			if len(f.Tags.Enum) > 0 && !slices.Contains(f.Tags.Enum, fv.String()) {
				return &validationError{p, fmt.Sprintf("%s must be one of %s, got %q", strings.Join(p, "."), enumText(f.Tags.Enum), fv.String())}
			}
		}
	}
	return nil
}

// enumText lists the allowed values, "" shown as (empty).
func enumText(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strconv.Quote(v)
	}
	return strings.Join(out, ", ")
}

// outOfRange says what n should be ("between 1 and 3650 days, got 0"), or
// "" when it is within the tags' bounds.
func outOfRange(n int, t schemagen.Tags) string {
	low, high := t.Minimum != nil && n < *t.Minimum, t.Maximum != nil && n > *t.Maximum
	unit := ""
	if t.Unit != "" {
		unit = " " + t.Unit
	}
	switch {
	case !low && !high:
		return ""
	case t.Minimum != nil && t.Maximum != nil:
		return fmt.Sprintf("between %d and %d%s, got %d", *t.Minimum, *t.Maximum, unit, n)
	case low:
		return fmt.Sprintf("at least %d%s, got %d", *t.Minimum, unit, n)
	}
	return fmt.Sprintf("at most %d%s, got %d", *t.Maximum, unit, n)
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
