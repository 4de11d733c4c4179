package snapshot

import (
	"fmt"
	"reflect"
)

// fillMissingAreas gives every registered area that the document lacks an
// envelope with no source, in both the policy input (obj, the decoded
// document) and the typed snapshot. Areas added to schema v1 after its first
// release are optional in the schema, so that snapshots written by an older
// atlcheck still load; such an area is read as "no source" (its policies are
// not evaluated and ATL-COL-002 names it), never as empty or compliant.
func fillMissingAreas(obj map[string]any, snap *Snapshot) {
	for _, def := range Registry {
		parent, ok := obj, true
		for _, key := range def.Path[:len(def.Path)-1] {
			if parent, ok = parent[key].(map[string]any); !ok {
				break
			}
		}
		if !ok {
			continue // a required parent is missing: the schema said so already
		}
		last := def.Path[len(def.Path)-1]
		if _, present := parent[last]; present {
			continue
		}
		msg := fmt.Sprintf("this snapshot has no %s area: it was written by an atlcheck version that did not collect it", def.Name)
		parent[last] = map[string]any{
			"source": SourceNone, "collected": false,
			"error":   map[string]any{"message": msg},
			def.Items: []any{},
		}
		*def.Envelope(snap) = Area{Source: SourceNone, Error: &AreaError{Message: msg}}
		list := reflect.ValueOf(snap).Elem().FieldByIndex(def.list)
		list.Set(reflect.MakeSlice(list.Type(), 0, 0))
	}
}

// fillMissingTyped gives every area of the typed document s that the file
// lacked the envelope Parse filled in (from its header) and an empty list.
func fillMissingTyped(s, header *Snapshot) {
	for _, def := range Registry {
		if def.Envelope(s).Source != "" {
			continue
		}
		*def.Envelope(s) = *def.Envelope(header)
		if list := reflect.ValueOf(s).Elem().FieldByIndex(def.list); list.IsNil() {
			list.Set(reflect.MakeSlice(list.Type(), 0, 0))
		}
	}
}
