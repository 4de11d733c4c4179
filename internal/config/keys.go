package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/suggest"
	"gopkg.in/yaml.v3"
)

// shapeError is an unknown key or a value of the wrong kind, at its node.
type shapeError struct {
	msg          string
	line, column int
}

// checkShape walks the YAML tree against the Go type it decodes into and
// returns the first unknown key or value of the wrong kind, located at that
// key or value and described in the file's own words ("parameters.api_keys"),
// never in Go's ("field x not found in type config.APIKeyParams"). The known
// keys come from the yaml tags of the types, so a new setting needs no entry
// here.
func checkShape(root *yaml.Node, t reflect.Type) *shapeError {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	return shapeOf(n, t, nil)
}

// shapeOf checks node n against type t; path is n's place in the file.
func shapeOf(n *yaml.Node, t reflect.Type, path []string) *shapeError {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if isNull(n) {
		if len(path) > 0 && !isIndex(path[len(path)-1]) {
			return &shapeError{msg: dotted(path) + " has no value: give one, or remove the key to keep the default", line: n.Line, column: n.Column}
		}
		return nil // a null list item decodes to its zero value, which validation rejects
	}
	switch t.Kind() {
	case reflect.Struct:
		return structShape(n, t, path)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return wrongKind(n, path, "a mapping of names to values")
		}
		if err := givenTwice(n, path, "name"); err != nil {
			return err
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := shapeOf(n.Content[i+1], t.Elem(), append(path, n.Content[i].Value)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return wrongKind(n, path, "a list")
		}
		for i, item := range n.Content {
			if err := shapeOf(item, t.Elem(), append(path, strconv.Itoa(i))); err != nil {
				return err
			}
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		var v int64
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
			return wrongKind(n, path, "a whole number")
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return wrongKind(n, path, "true or false")
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return wrongKind(n, path, "a single value")
		}
	}
	return nil
}

// structShape checks a mapping against the yaml keys of a struct.
func structShape(n *yaml.Node, t reflect.Type, path []string) *shapeError {
	if n.Kind != yaml.MappingNode {
		return wrongKind(n, path, "a mapping of settings")
	}
	if err := givenTwice(n, path, "setting"); err != nil {
		return err
	}
	fields := yamlFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ft, ok := fields[k.Value]
		if !ok {
			return unknownKey(k, path, fields)
		}
		if err := shapeOf(n.Content[i+1], ft, append(path, k.Value)); err != nil {
			return err
		}
	}
	return nil
}

// givenTwice reports the second of two equal keys of mapping n, at that
// key (yaml.v3 reports it at column 1 of its line, in its own words).
func givenTwice(n *yaml.Node, path []string, what string) *shapeError {
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if line, dup := first[k.Value]; dup {
			where := "at the top level"
			if len(path) > 0 {
				where = "in " + dotted(path)
			}
			return &shapeError{msg: fmt.Sprintf("%s %q is given twice %s (first on line %d): keep one", what, k.Value, where, line),
				line: k.Line, column: k.Column}
		}
		first[k.Value] = k.Line
	}
	return nil
}

// yamlFields maps a struct's yaml keys to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// unknownKey reports key k, which is not one of fields, with the closest
// known key and the full list.
func unknownKey(k *yaml.Node, path []string, fields map[string]reflect.Type) *shapeError {
	known := make([]string, 0, len(fields))
	for name := range fields {
		known = append(known, name)
	}
	sort.Strings(known)
	where := "at the top level"
	if len(path) > 0 {
		where = "in " + dotted(path)
	}
	msg := fmt.Sprintf("unknown setting %q %s%s; known settings there: %s",
		k.Value, where, suggest.Hint(k.Value, known, "%q"), strings.Join(known, ", "))
	return &shapeError{msg: msg, line: k.Line, column: k.Column}
}

// wrongKind reports a value that is not of the kind its setting takes.
func wrongKind(n *yaml.Node, path []string, want string) *shapeError {
	got := "a list"
	switch n.Kind {
	case yaml.MappingNode:
		got = "a mapping"
	case yaml.ScalarNode:
		got = strconv.Quote(n.Value)
	}
	what := dotted(path)
	if what == "" {
		what = "the config file"
	}
	return &shapeError{msg: fmt.Sprintf("%s must be %s, got %s", what, want, got), line: n.Line, column: n.Column}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func isIndex(p string) bool { _, err := strconv.Atoi(p); return err == nil }

// dotted writes a YAML path as the docs do: parameters.api_keys.unused_days,
// exceptions[2].owner (list items counted from 1, as people count them).
func dotted(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if i, err := strconv.Atoi(p); err == nil {
			fmt.Fprintf(&b, "[%d]", i+1)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}
