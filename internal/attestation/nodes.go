package attestation

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/atlcheck/atlcheck/internal/suggest"
	"gopkg.in/yaml.v3"
)

// parser walks yaml.Node trees and reports errors with their position.
type parser struct {
	file string
}

// fieldSet maps the keys a mapping may have to the function that decodes each value.
type fieldSet map[string]func(v *yaml.Node) error

// errAt returns an *Error located at n.
func (p *parser) errAt(n *yaml.Node, format string, args ...any) *Error {
	return &Error{File: p.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// mapping checks that n is a mapping whose keys are all in fields, that every
// required key is present, and decodes each value with its field function.
func (p *parser) mapping(n *yaml.Node, what string, required []string, fields fieldSet) error {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, "%s must be a mapping, got %s", what, kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		decode, ok := fields[k.Value]
		if !ok {
			known := knownKeys(fields)
			return p.errAt(k, "unknown key %q in %s%s; known keys: %s", k.Value, what,
				suggest.Hint(k.Value, known, "%q"), strings.Join(known, ", "))
		}
		if seen[k.Value] {
			return p.errAt(k, "key %q is given twice in %s", k.Value, what)
		}
		seen[k.Value] = true
		if err := decode(v); err != nil {
			return err
		}
	}
	for _, key := range required {
		if !seen[key] {
			return p.errAt(n, "missing required key %q in %s", key, what)
		}
	}
	return nil
}

// knownKeys lists a field set's keys, sorted.
func knownKeys(fields fieldSet) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sequence checks that n is a list and returns its items.
func (p *parser) sequence(n *yaml.Node, what string) ([]*yaml.Node, error) {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		return nil, p.errAt(n, "%s must be a list, got %s", what, kindName(n))
	}
	return n.Content, nil
}

// text returns a non-empty scalar's value.
func (p *parser) text(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errAt(n, "%s must be a value, got %s", what, kindName(n))
	}
	s := strings.TrimSpace(n.Value)
	if s == "" {
		return "", p.errAt(n, "%s must not be empty", what)
	}
	return s, nil
}

// boolean returns a true/false scalar as a pointer.
func (p *parser) boolean(n *yaml.Node, what string) (*bool, error) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		return nil, p.errAt(n, "%s must be true or false, got %s", what, kindName(n))
	}
	return &b, nil
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// normalizeURL gives a site URL a scheme (https when it has none) and drops
// a trailing slash; ok is false when it is not an http(s) URL with a host.
func normalizeURL(s string) (string, bool) {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	return strings.TrimRight(s, "/"), true
}
