package policies

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/schemagen"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/open-policy-agent/opa/v1/ast"
)

// The policies are compiled against two schemas, so that a reference to a
// field that does not exist is a compile error with its file and line
// rather than an undefined value that silently switches a check off:
//
//   - input has the type of the snapshot schema (internal/snapshot/schema.json),
//     for every module;
//   - data.atlcheck has the type of what atlcheck provides there: the
//     parameters (config.Parameters), the exceptions (config.ExceptionData)
//     and the area registry (snapshot.AreaData per area). OPA types data
//     through schema annotations only, so every top-level package gets one
//     "subpackages" annotation naming it (added to the module's own when it
//     has one, else in a small generated module).

var (
	inputSchemaRef = ast.SchemaRootRef
	dataSchemaRef  = ast.MustParseRef("schema.atlcheck")
	atlcheckRef    = ast.MustParseRef("data.atlcheck")
)

// schemaSet holds both schemas.
var schemaSet = sync.OnceValue(func() *ast.SchemaSet {
	var input any
	if err := json.Unmarshal(snapshot.SchemaJSON, &input); err != nil {
		panic("embedded snapshot schema: " + err.Error())
	}
	ss := ast.NewSchemaSet()
	ss.Put(inputSchemaRef, input)
	ss.Put(dataSchemaRef, dataSchema())
	return ss
})

// dataSchema is the JSON Schema of data.atlcheck.
func dataSchema() map[string]any {
	gen := func(t reflect.Type) map[string]any {
		s := schemagen.Generate(t, schemagen.Options{Inline: func(reflect.Type) bool { return true }})
		delete(s, "$schema")
		return s
	}
	area := gen(reflect.TypeFor[snapshot.AreaData]())
	areas := map[string]any{}
	for _, name := range snapshot.Areas {
		areas[name] = area
	}
	return map[string]any{
		"$schema": "http://json-schema.org/draft-07/schema#",
		"type":    "object",
		"properties": map[string]any{
			"parameters": gen(reflect.TypeFor[config.Parameters]()),
			"exceptions": map[string]any{"type": "array", "items": gen(reflect.TypeFor[config.ExceptionData]())},
			"areas":      map[string]any{"type": "object", "properties": areas},
		},
	}
}

// typeDataAnnotation is the annotation that types data.atlcheck.
var typeDataAnnotation = &ast.SchemaAnnotation{Path: atlcheckRef, Schema: dataSchemaRef}

// withDataTypes types data.atlcheck in every package: it adds the schema to
// the "subpackages" annotation of each top-level package, writing a module
// with just that annotation where no module has one.
func withDataTypes(modules map[string]*ast.Module) error {
	covered := map[string]bool{}
	for _, m := range modules {
		for _, a := range m.Annotations {
			if a.Scope == "subpackages" && len(a.GetTargetPath()) == 2 {
				a.Schemas = append(a.Schemas, typeDataAnnotation)
				covered[a.GetTargetPath().String()] = true
			}
		}
	}
	var tops []string
	for _, m := range modules {
		if top := m.Package.Path[:2].String(); !covered[top] {
			covered[top] = true
			tops = append(tops, top)
		}
	}
	sort.Strings(tops)
	for _, top := range tops {
		name := "atlcheck-types:" + strings.TrimPrefix(top, "data.")
		src := "# METADATA\n# scope: subpackages\n# schemas:\n#   - data.atlcheck: schema.atlcheck\npackage " + strings.TrimPrefix(top, "data.") + "\n"
		m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		modules[name] = m
	}
	return nil
}

// ParameterUses maps each parameter (dotted, e.g. api_keys.unused_days, or
// a group such as admins when a rule passes on the whole group) to the ids
// of the policies whose rules read it, directly, through the rules they use,
// or through a rule that names a group (`_params := data.atlcheck.parameters.api_keys`).
func (e *Engine) ParameterUses() map[string][]string {
	prefix := atlcheckRef.Append(ast.StringTerm("parameters"))
	type alias struct{ rule, target ast.Ref }
	var aliases []alias // rules whose value is a parameter group
	isAlias := map[*ast.Rule]bool{}
	for _, m := range e.modules {
		for _, r := range m.Rules {
			if v := aliasTarget(r); v != nil && v.HasPrefix(prefix) {
				isAlias[r] = true
				aliases = append(aliases, alias{r.Ref().GroundPrefix(), v}) // compiled rules have full paths
			}
		}
	}
	out := map[string][]string{}
	for _, p := range e.policies {
		seen := map[string]bool{}
		for _, rule := range e.reachable(e.rules[p.ID]) {
			if isAlias[rule] {
				continue // counted where the alias is used, with the key used
			}
			ast.WalkRefs(rule, func(ref ast.Ref) bool {
				for _, a := range aliases {
					if ref.HasPrefix(a.rule) {
						ref = a.target.Concat(ref[len(a.rule):])
						break
					}
				}
				if !ref.HasPrefix(prefix) {
					return false
				}
				var path []string
				for _, t := range ref[len(prefix):] {
					s, ok := t.Value.(ast.String)
					if !ok {
						break
					}
					path = append(path, string(s))
				}
				if name := strings.Join(path, "."); !seen[name] {
					seen[name] = true
					out[name] = append(out[name], p.ID)
				}
				return false
			})
		}
	}
	return out
}

// aliasTarget is the ref a rule `x := <ref>` stands for, or nil. The
// compiler rewrites such a rule to `x := v if { v = <ref> }`.
func aliasTarget(r *ast.Rule) ast.Ref {
	if r.Head.Value == nil || len(r.Head.Args) > 0 || len(r.Body) != 1 {
		return nil
	}
	if ref, ok := r.Head.Value.Value.(ast.Ref); ok {
		return ref
	}
	v, isVar := r.Head.Value.Value.(ast.Var)
	terms, isCall := r.Body[0].Terms.([]*ast.Term)
	if !isVar || !isCall || len(terms) != 3 || !r.Body[0].IsEquality() {
		return nil
	}
	for i, t := range terms[1:] {
		if other := terms[2-i]; t.Value.Compare(v) == 0 {
			if ref, ok := other.Value.(ast.Ref); ok {
				return ref
			}
		}
	}
	return nil
}

// reachable lists rule and every rule it depends on, transitively.
func (e *Engine) reachable(rule *ast.Rule) []*ast.Rule {
	var out []*ast.Rule
	seen := map[*ast.Rule]bool{}
	var visit func(r *ast.Rule)
	visit = func(r *ast.Rule) {
		if r == nil || seen[r] {
			return
		}
		seen[r] = true
		out = append(out, r)
		for dep := range e.compiler.Graph.Dependencies(r) {
			if dr, ok := dep.(*ast.Rule); ok {
				visit(dr)
			}
		}
	}
	visit(rule)
	return out
}

// ParameterUsers lists the ids of the policies that read a parameter
// (dotted), or a group that holds it, sorted.
func (e *Engine) ParameterUsers(param string) []string {
	set := map[string]bool{}
	for used, ids := range e.ParameterUses() {
		if used == param || strings.HasPrefix(param, used+".") {
			for _, id := range ids {
				set[id] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
