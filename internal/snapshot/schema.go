package snapshot

import (
	"reflect"

	"github.com/atlcheck/atlcheck/internal/schemagen"
)

// generateSchema derives the snapshot's JSON Schema from the Go types: the
// document, its envelopes and the error object are strict (an unknown key is
// a typo), the items of the areas accept extra fields (new API fields must
// not break older atlcheck versions), and an area that is not collected must
// say why. schema.json is this schema, kept current by TestGeneratedSchema.
func generateSchema() map[string]any {
	open := itemTypes()
	return schemagen.Generate(reflect.TypeFor[Snapshot](), schemagen.Options{
		ID:          schemaURL,
		Title:       "atlcheck snapshot v1",
		Description: "An Atlassian Cloud organization's admin settings, as collected by atlcheck. Generated from the Go types in internal/snapshot (make generate). Envelopes are strict; items accept extra fields so that new API fields do not break old snapshots.",
		Inline: func(t reflect.Type) bool {
			_, envelope := embeddedArea(t)
			return envelope || t == reflect.TypeFor[ConnectedApps]() || t == reflect.TypeFor[Org]()
		},
		Open: func(t reflect.Type) bool { return open[t] },
		Extend: func(t reflect.Type, s map[string]any) {
			if _, envelope := embeddedArea(t); envelope {
				s["if"] = map[string]any{"properties": map[string]any{"collected": map[string]any{"const": false}}}
				s["then"] = map[string]any{"required": []any{"error"}}
			}
		},
	})
}

// itemTypes is the set of struct types that hold API items: the element
// types of every registered area's list and the types below them, except the
// error object, which atlcheck itself writes.
func itemTypes() map[reflect.Type]bool {
	out := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || out[t] || t == reflect.TypeFor[AreaError]() || t.PkgPath() != areaType.PkgPath() {
			return
		}
		out[t] = true
		for _, f := range schemagen.Fields(t) {
			walk(f.GoType)
		}
	}
	root := reflect.TypeFor[Snapshot]()
	for _, d := range Registry {
		walk(root.FieldByIndex(d.list).Type)
	}
	return out
}
