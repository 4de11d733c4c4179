package policies

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/open-policy-agent/opa/v1/ast"
)

// idPattern is the shape of a policy id: ATL-KEY-001, ACME-APP-7, …
var idPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// loadMetadata reads the METADATA of every deny rule, checks the contract and
// records which packages to query.
func (e *Engine) loadMetadata(builtin map[string]bool) error {
	annotations := e.compiler.GetAnnotationSet()
	names := make([]string, 0, len(e.modules))
	for name := range e.modules {
		names = append(names, name)
	}
	// Built-ins first, so a custom policy that reuses an id is the one blamed.
	sort.Slice(names, func(i, j int) bool {
		if builtin[names[i]] != builtin[names[j]] {
			return builtin[names[i]]
		}
		return names[i] < names[j]
	})
	var errs Errors
	seen := map[string]*Error{}
	pkgs := map[string]*pkgRules{}
	for _, name := range names {
		m := e.modules[name]
		for _, rule := range m.Rules {
			switch ruleName(rule) {
			case "deny":
			case "notes":
				pkgRulesFor(pkgs, m).hasNotes = true
				continue
			default:
				continue
			}
			pkgRulesFor(pkgs, m)
			p, err := policyFromRule(name, rule, annotations.GetRuleScope(rule))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if first, dup := seen[p.ID]; dup {
				errs = append(errs, &Error{File: name, Line: rule.Location.Row, Column: rule.Location.Col,
					Msg: fmt.Sprintf("duplicate policy id %s (first defined at %s:%d)", p.ID, first.File, first.Line)})
				continue
			}
			seen[p.ID] = &Error{File: name, Line: rule.Location.Row}
			p.Package = strings.TrimPrefix(m.Package.Path.String(), "data.")
			p.Builtin = builtin[name]
			e.policies = append(e.policies, p)
			e.byID[p.ID] = p
			e.rules[p.ID] = rule
		}
	}
	if len(errs) > 0 {
		return errs
	}
	sort.Slice(e.policies, func(i, j int) bool { return e.policies[i].ID < e.policies[j].ID })
	for _, p := range pkgs {
		e.packages = append(e.packages, *p)
	}
	sort.Slice(e.packages, func(i, j int) bool { return e.packages[i].path < e.packages[j].path })
	return nil
}

func pkgRulesFor(pkgs map[string]*pkgRules, m *ast.Module) *pkgRules {
	path := m.Package.Path.String()
	if pkgs[path] == nil {
		pkgs[path] = &pkgRules{path: path}
	}
	return pkgs[path]
}

func ruleName(r *ast.Rule) string {
	ref := r.Head.Ref()
	if len(ref) == 0 {
		return ""
	}
	if v, ok := ref[0].Value.(ast.Var); ok {
		return string(v)
	}
	return ""
}

// policyFromRule checks one deny rule's METADATA against the contract.
func policyFromRule(file string, rule *ast.Rule, anns []*ast.Annotations) (model.Policy, *Error) {
	loc := &Error{File: file, Line: rule.Location.Row, Column: rule.Location.Col}
	fail := func(format string, args ...any) (model.Policy, *Error) {
		loc.Msg = fmt.Sprintf(format, args...)
		return model.Policy{}, loc
	}
	var a *ast.Annotations
	for _, cand := range anns {
		if cand.Scope == "rule" {
			a = cand
		}
	}
	if a == nil {
		return fail("deny rule has no METADATA block: every policy needs title, description and custom id, severity, remediation, references, tags, requires")
	}
	p := model.Policy{Title: strings.TrimSpace(a.Title), Description: strings.TrimSpace(a.Description), File: file}
	if p.Title == "" || p.Description == "" {
		return fail("policy METADATA needs a title and a description")
	}
	c := a.Custom
	var ok bool
	if p.ID, ok = c["id"].(string); !ok || !idPattern.MatchString(p.ID) {
		return fail("policy METADATA custom.id must be an id like ATL-KEY-001, got %v", c["id"])
	}
	sev, _ := c["severity"].(string)
	var err error
	if p.Severity, err = model.ParseSeverity(sev); err != nil {
		return fail("policy %s: custom.severity: %v", p.ID, err)
	}
	if p.Remediation, _ = c["remediation"].(string); strings.TrimSpace(p.Remediation) == "" {
		return fail("policy %s: custom.remediation is required", p.ID)
	}
	p.Remediation = strings.TrimSpace(p.Remediation)
	if p.References, err = stringList(c, "references"); err != nil || len(p.References) == 0 {
		return fail("policy %s: custom.references must be a non-empty list of URLs", p.ID)
	}
	for _, r := range p.References {
		if !strings.HasPrefix(r, "https://") {
			return fail("policy %s: custom.references: %q is not an https URL", p.ID, r)
		}
	}
	if p.Tags, err = stringList(c, "tags"); err != nil {
		return fail("policy %s: custom.tags must be a list of strings", p.ID)
	}
	if p.Requires, err = stringList(c, "requires"); err != nil {
		return fail("policy %s: custom.requires must be a list of snapshot areas (%s)", p.ID, strings.Join(snapshot.Areas, ", "))
	}
	for _, area := range p.Requires {
		if !slices.Contains(snapshot.Areas, area) {
			return fail("policy %s: custom.requires: unknown area %q (known: %s)", p.ID, area, strings.Join(snapshot.Areas, ", "))
		}
	}
	p.SARIFGroup = snapshot.SARIFGroupOf(p.Requires)
	return p, nil
}

// stringList reads a required list of strings from custom metadata.
func stringList(c map[string]any, key string) ([]string, error) {
	raw, ok := c[key]
	if !ok {
		return nil, fmt.Errorf("missing")
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("not a list")
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("not a string")
		}
		out = append(out, s)
	}
	return out, nil
}
