package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/schemagen"
	"github.com/atlcheck/atlcheck/policies"
)

// parameterTable renders the parameters of docs/config.md from their one
// definition (internal/config/parameters.go): the default, the range, the
// policies that read each one and what it means. groups selects the
// parameter groups (api_keys, …); exclude inverts the selection.
func parameterTable(engine *policies.Engine, defaults config.Parameters, exclude bool, groups ...string) string {
	var b strings.Builder
	b.WriteString("| parameter | default | range | used by | meaning |\n|---|---|---|---|---|\n")
	pv := reflect.ValueOf(defaults)
	for _, g := range schemagen.FieldsTagged(pv.Type(), "yaml") {
		selected := false
		for _, name := range groups {
			selected = selected || name == g.Name
		}
		if selected == exclude {
			continue
		}
		gv := pv.FieldByIndex(g.Index)
		for _, f := range schemagen.FieldsTagged(gv.Type(), "yaml") {
			name := g.Name + "." + f.Name
			users := engine.ParameterUsers(name)
			used := f.Tags.UsedBy
			if len(users) > 0 {
				used = strings.Join(users, ", ")
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", name, defaultText(gv.FieldByIndex(f.Index)), rangeText(f.Tags), used, f.Doc)
		}
	}
	return b.String()
}

func defaultText(v reflect.Value) string {
	if v.Kind() != reflect.Slice {
		return fmt.Sprint(v.Interface())
	}
	switch n := v.Len(); {
	case n == 0:
		return "`[]`"
	case n > 3:
		return fmt.Sprintf("%d entries ([list](../policies/atlcheck/parameters/data.json))", n)
	}
	return fmt.Sprintf("`%v`", v.Interface())
}

func rangeText(t schemagen.Tags) string {
	unit := ""
	if t.Unit != "" {
		unit = " " + t.Unit
	}
	switch {
	case t.Range != "":
		return t.Range
	case t.Minimum != nil && t.Maximum != nil:
		return fmt.Sprintf("%d–%d%s", *t.Minimum, *t.Maximum, unit)
	case t.Minimum != nil:
		return fmt.Sprintf("≥ %d%s", *t.Minimum, unit)
	}
	return ""
}
