package config

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/dates"
	"gopkg.in/yaml.v3"
)

// Exception is an accepted risk: findings of Policy whose resource matches
// Resource are suppressed (still reported, marked suppressed) until Expires.
type Exception struct {
	Policy          string `yaml:"policy" json:"policy" schema:"required" pattern:"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$" doc:"a known policy id"`
	Resource        string `yaml:"resource" json:"resource" schema:"required,minLength=1" doc:"exact resource id or a glob (* any characters, ? one character); a pattern of wildcards only (*, ?*) needs policy_wide: true"`
	Reason          string `yaml:"reason" json:"reason" schema:"required,minLength=1" doc:"why the risk is accepted"`
	Owner           string `yaml:"owner" json:"owner" schema:"required,minLength=1" doc:"who answers for it"`
	Ticket          string `yaml:"ticket" json:"ticket,omitempty" doc:"where the decision is recorded"`
	Expires         string `yaml:"expires" json:"expires" schema:"required" pattern:"^\\d{4}-\\d{2}-\\d{2}" doc:"last day the exception applies (YYYY-MM-DD, UTC)"`
	PolicyWide      bool   `yaml:"policy_wide" json:"policy_wide,omitempty" doc:"allows a resource of wildcards only, such as * or ?* (every resource of the policy)"`
	PolicyWideAlias bool   `yaml:"policy-wide" json:"-" doc:"alias of policy_wide"`

	// Line and Column locate the exception in the config file.
	Line   int `yaml:"-" json:"line"`
	Column int `yaml:"-" json:"-"`

	expires time.Time
	match   *regexp.Regexp
}

// ExpiresAt is the first instant the exception no longer applies: the day
// after Expires, at 00:00 UTC.
func (e *Exception) ExpiresAt() time.Time { return e.expires.AddDate(0, 0, 1) }

// Matches reports whether the exception covers a finding.
func (e *Exception) Matches(policyID, resource string) bool {
	return e.Policy == policyID && e.match != nil && e.match.MatchString(resource)
}

// validateExceptions checks what needs no policy list and no clock.
func (c *Config) validateExceptions() error {
	for i := range c.Exceptions {
		e := &c.Exceptions[i]
		at := func(field, format string, args ...any) error {
			path := []string{"exceptions", fmt.Sprint(i)}
			if field != "" {
				path = append(path, field)
			}
			return &validationError{path, fmt.Sprintf("exception %d: ", i+1) + fmt.Sprintf(format, args...)}
		}
		e.PolicyWide = e.PolicyWide || e.PolicyWideAlias
		for _, req := range []struct{ name, v string }{{"policy", e.Policy}, {"resource", e.Resource}, {"reason", e.Reason}, {"owner", e.Owner}, {"expires", e.Expires}} {
			if strings.TrimSpace(req.v) == "" {
				return at("", "%s is required (every exception needs policy, resource, reason, owner and expires)", req.name)
			}
		}
		t, err := parseDate(e.Expires)
		if err != nil {
			return at("expires", "expires %q is not a date (YYYY-MM-DD)", e.Expires)
		}
		if err := dates.Check(t); err != nil {
			return at("expires", "expires: %v", err)
		}
		e.expires = t
		// Only wildcards ("*", "?*", "*?*"…) match every resource (every
		// resource is non-empty): that is policy-wide, whatever the spelling.
		if strings.Trim(e.Resource, "*?") == "" && strings.Contains(e.Resource, "*") && !e.PolicyWide {
			return at("resource", `resource %q matches every resource: set policy_wide: true to accept that`, e.Resource)
		}
		e.match = globRegexp(e.Resource)
	}
	return nil
}

// CheckExceptions validates what needs the policy catalog and the snapshot
// time ("now"): a known policy id, and an expiry at most
// parameters.exceptions.max_days ahead.
func (c *Config) CheckExceptions(known func(id string) bool, now time.Time) error {
	limit := now.AddDate(0, 0, c.Parameters.Exceptions.MaxDays)
	for _, e := range c.Exceptions {
		if !known(e.Policy) {
			return &Error{File: c.file, Line: e.Line, Column: e.Column, Msg: fmt.Sprintf("exception for unknown policy id %q (see `atlcheck policies`)", e.Policy)}
		}
		if e.expires.After(limit) {
			return &Error{File: c.file, Line: e.Line, Column: e.Column, Msg: fmt.Sprintf("exception for %s %s expires %s, more than %d days after the snapshot (%s); renew it closer to the date instead",
				e.Policy, e.Resource, e.Expires, c.Parameters.Exceptions.MaxDays, now.UTC().Format("2006-01-02"))}
		}
	}
	return nil
}

// PolicyData is data.atlcheck for the policies: the parameters and the
// exceptions (for the ATL-EXC policies).
func (c *Config) PolicyData() map[string]any {
	exc := make([]ExceptionData, 0, len(c.Exceptions))
	for _, e := range c.Exceptions {
		exc = append(exc, ExceptionData{Policy: e.Policy, Resource: e.Resource, Owner: e.Owner, Reason: e.Reason,
			Ticket: e.Ticket, Expires: e.Expires, ExpiresAt: e.ExpiresAt().Format(time.RFC3339), Line: e.Line})
	}
	return map[string]any{"parameters": c.ParameterMap(), "exceptions": plainJSON(exc)}
}

// ExceptionData is one exception as the policies see it, in
// data.atlcheck.exceptions.
type ExceptionData struct {
	Policy    string `json:"policy"`
	Resource  string `json:"resource"`
	Owner     string `json:"owner"`
	Reason    string `json:"reason"`
	Ticket    string `json:"ticket"`
	Expires   string `json:"expires" doc:"the last day it applies, as written"`
	ExpiresAt string `json:"expires_at" doc:"the first instant it no longer applies (RFC 3339)"`
	Line      int    `json:"line" doc:"its line in the config file"`
}

// plainJSON converts v to the plain values (maps, slices, strings, float64)
// that JSON decodes into, the form the policy engine's store takes.
func plainJSON(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
}

// globRegexp compiles a glob where * matches any run of characters
// (including / and #) and ? one character.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// setExceptionPositions records where each exception starts in the file.
func setExceptionPositions(root *yaml.Node, exc []Exception) {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	seq := child(n, "exceptions")
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for i := range exc {
		if i < len(seq.Content) {
			exc[i].Line, exc[i].Column = seq.Content[i].Line, seq.Content[i].Column
		}
	}
}
