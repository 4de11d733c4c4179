// Package schemagen derives a JSON Schema (draft-07) from Go types and their
// tags, so that a document's shape has one source: the Go types. The schema
// is written in the subset that both the validator and OPA's type checker
// read (no $ref with siblings, definitions under "definitions").
//
// Tags on struct fields:
//
//	json:"name,omitempty"   the property name (fields without one are skipped)
//	doc:"what it means"     the description, also used for generated docs
//	schema:"required,nullable,minLength=1,minItems=1,minimum=0,maximum=9,enum=a|b,const=1,format=date-time,unit=days"
//	pattern:"^https?://"    a regular expression the string (or each string of a list) must match
//	range:"…", usedby:"…"   free text for generated docs
//
// Embedded structs are flattened into their parent. A *T is T unless the
// field says nullable; a nullable slice or time also accepts null.
package schemagen

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Options say how the Go types map onto schema features that tags cannot
// express.
type Options struct {
	// Draft is the $schema URI; "" means draft-07.
	Draft string
	// Tag is the struct tag that names the properties; "" means json.
	Tag string
	// ID, Title and Description head the document.
	ID, Title, Description string
	// Inline reports whether a named struct type is written in place rather
	// than as a definition (#/definitions/<lowerCamel name>).
	Inline func(t reflect.Type) bool
	// Open reports whether objects of type t accept unknown properties.
	Open func(t reflect.Type) bool
	// Extend may add keywords to the object schema of type t.
	Extend func(t reflect.Type, s map[string]any)
	// Defaults, when set, is a value of the root type whose fields become
	// the "default" of each leaf property.
	Defaults any
}

// Field is one property of an object, for generated documentation.
type Field struct {
	Name     string // JSON name
	Doc      string
	Type     string // a short type phrase: string, boolean, RFC 3339 time, list of …
	Required bool
	Tags     Tags
	// GoType is the field's Go type, Index its index path in the struct.
	GoType reflect.Type
	Index  []int
}

// Tags are a field's parsed schema tags.
type Tags struct {
	Required, Nullable, Any     bool
	MinLength, Minimum, Maximum *int
	MinItems                    *int
	Enum                        []string
	Const, Format, Unit         string
	Pattern                     string
	// Range and UsedBy are free text for generated docs (range:"…", usedby:"…").
	Range, UsedBy string
}

// Generate returns the schema of root.
func Generate(root reflect.Type, opts Options) map[string]any {
	g := &gen{opts: opts, defs: map[string]any{}}
	var defaults reflect.Value
	if opts.Defaults != nil {
		defaults = reflect.ValueOf(opts.Defaults)
	}
	doc := g.object(root, defaults)
	head := map[string]any{"$schema": cmpOr(opts.Draft, "http://json-schema.org/draft-07/schema#")}
	for k, v := range map[string]string{"$id": opts.ID, "title": opts.Title, "description": opts.Description} {
		if v != "" {
			head[k] = v
		}
	}
	for k, v := range head {
		doc[k] = v
	}
	if len(g.defs) > 0 {
		doc["definitions"] = g.defs
	}
	return doc
}

// Marshal writes a schema as indented JSON with a final newline.
func Marshal(s map[string]any) ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

type gen struct {
	opts Options
	defs map[string]any
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// value is the schema of one value of type t with the field's tags; def is
// the default value (invalid when none).
func (g *gen) value(t reflect.Type, tags Tags, def reflect.Value) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
		if def.IsValid() && !def.IsNil() {
			def = def.Elem()
		} else {
			def = reflect.Value{}
		}
	}
	var s map[string]any
	switch {
	case tags.Any || t == rawType:
		return map[string]any{}
	case t == timeType:
		s = map[string]any{"type": "string", "format": "date-time"}
		if tags.Nullable {
			s["type"] = []any{"string", "null"}
		}
		return s
	case t.Kind() == reflect.String:
		s = map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		s = map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		s = map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice:
		// The constraints of a list's tags are those of its items, but minItems.
		item := tags
		item.Nullable, item.MinItems = false, nil
		s = map[string]any{"type": "array", "items": g.value(t.Elem(), item, reflect.Value{})}
		if tags.Nullable {
			s["type"] = []any{"array", "null"}
		}
		if tags.MinItems != nil {
			s["minItems"] = *tags.MinItems
		}
		tags = Tags{}
	case t.Kind() == reflect.Map:
		s = map[string]any{"type": "object", "additionalProperties": g.value(t.Elem(), Tags{}, reflect.Value{})}
	case t.Kind() == reflect.Struct:
		if t.Name() != "" && (g.opts.Inline == nil || !g.opts.Inline(t)) && !def.IsValid() {
			return g.ref(lowerCamel(t.Name()), func() map[string]any { return g.object(t, reflect.Value{}) })
		}
		return g.object(t, def)
	default:
		panic(fmt.Sprintf("schemagen: unsupported type %s", t))
	}
	tags.apply(s)
	if def.IsValid() && t.Kind() != reflect.Struct && !def.IsZero() {
		s["default"] = def.Interface()
	}
	return s
}

// ref returns a reference to the named definition, writing it first.
func (g *gen) ref(name string, build func() map[string]any) map[string]any {
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = nil // reserve against recursion
		g.defs[name] = build()
	}
	return map[string]any{"$ref": "#/definitions/" + name}
}

// object is the schema of struct type t, fields flattened.
func (g *gen) object(t reflect.Type, def reflect.Value) map[string]any {
	props := map[string]any{}
	var required []any
	for _, f := range FieldsTagged(t, cmpOr(g.opts.Tag, "json")) {
		var fdef reflect.Value
		if def.IsValid() {
			fdef = def.FieldByIndex(f.Index)
		}
		p := g.value(f.GoType, f.Tags, fdef)
		// A $ref takes no siblings (draft-07): its definition says what it is.
		if _, isRef := p["$ref"]; !isRef && f.Doc != "" {
			p["description"] = f.Doc
		}
		props[f.Name] = p
		if f.Required {
			required = append(required, f.Name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	if g.opts.Open == nil || !g.opts.Open(t) {
		s["additionalProperties"] = false
	}
	if g.opts.Extend != nil {
		g.opts.Extend(t, s)
	}
	return s
}

// Fields lists the JSON properties of struct type t in declaration order,
// embedded structs flattened.
func Fields(t reflect.Type) []Field { return FieldsTagged(t, "json") }

// FieldsTagged is Fields with the names from another tag (e.g. yaml).
func FieldsTagged(t reflect.Type, tag string) []Field {
	var out []Field
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
		if name == "" || name == "-" {
			continue
		}
		tags := parseTags(f)
		out = append(out, Field{Name: name, Doc: f.Tag.Get("doc"), Type: typePhrase(f.Type, tags),
			Required: tags.Required, Tags: tags, GoType: f.Type, Index: f.Index})
	}
	return out
}

func parseTags(f reflect.StructField) Tags {
	var t Tags
	t.Pattern, t.Range, t.UsedBy = f.Tag.Get("pattern"), f.Tag.Get("range"), f.Tag.Get("usedby")
	for _, part := range strings.Split(f.Tag.Get("schema"), ",") {
		key, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		num := func() *int {
			n, err := strconv.Atoi(val)
			if err != nil {
				panic(fmt.Sprintf("schemagen: field %s: %s=%q is not a number", f.Name, key, val))
			}
			return &n
		}
		switch key {
		case "":
		case "required":
			t.Required = true
		case "nullable":
			t.Nullable = true
		case "any":
			t.Any = true
		case "minLength":
			t.MinLength = num()
		case "minItems":
			t.MinItems = num()
		case "minimum":
			t.Minimum = num()
		case "maximum":
			t.Maximum = num()
		case "enum":
			t.Enum = strings.Split(val, "|")
		case "const":
			t.Const = val
		case "format":
			t.Format = val
		case "unit":
			t.Unit = val
		default:
			panic(fmt.Sprintf("schemagen: field %s: unknown schema tag %q", f.Name, key))
		}
	}
	return t
}

// apply writes the constraints of the tags into s.
func (t Tags) apply(s map[string]any) {
	if t.MinLength != nil {
		s["minLength"] = *t.MinLength
	}
	if t.Minimum != nil {
		s["minimum"] = *t.Minimum
	}
	if t.Maximum != nil {
		s["maximum"] = *t.Maximum
	}
	if t.Pattern != "" {
		s["pattern"] = t.Pattern
	}
	if t.Format != "" {
		s["format"] = t.Format
	}
	if len(t.Enum) > 0 {
		enum := make([]any, len(t.Enum))
		for i, e := range t.Enum {
			enum[i] = e
		}
		s["enum"] = enum
	}
	if t.Const != "" {
		var v any = t.Const
		if n, err := strconv.Atoi(t.Const); err == nil {
			v = n
		}
		s["const"] = v
	}
}

// typePhrase describes a field's type in a few words for the docs.
func typePhrase(t reflect.Type, tags Tags) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var s string
	switch {
	case tags.Any || t == rawType:
		s = "any"
	case t == timeType:
		s = "RFC 3339 time"
	case len(tags.Enum) > 0:
		s = "`" + strings.Join(tags.Enum, "` \\| `") + "`"
	case tags.Const != "":
		s = "`" + tags.Const + "`"
	case t.Kind() == reflect.String && tags.Pattern != "":
		s = "string matching `" + tags.Pattern + "`"
	case t.Kind() == reflect.String && tags.MinLength != nil && *tags.MinLength > 0:
		s = "non-empty string"
	case t.Kind() == reflect.String:
		s = "string"
	case t.Kind() == reflect.Bool:
		s = "boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		s = "integer"
	case t.Kind() == reflect.Slice:
		item := tags
		item.Nullable = false
		s = "list of " + typePhrase(t.Elem(), item)
	case t.Kind() == reflect.Map:
		s = "map of " + typePhrase(t.Elem(), Tags{})
	case t.Kind() == reflect.Struct:
		s = "object"
	default:
		s = t.Kind().String()
	}
	if tags.Nullable && (t == timeType || t.Kind() == reflect.Slice) {
		s += " or null"
	}
	return s
}

// lowerCamel turns a Go type name into a definition name: APIKey → apiKey.
func lowerCamel(name string) string {
	r := []rune(name)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) {
		n-- // keep the capital that starts the next word
	}
	return strings.ToLower(string(r[:n])) + string(r[n:])
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
