package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/schemagen"
)

const (
	snapshotDocPath = "../../docs/snapshot.md"
	fieldsStart     = "<!-- fields:start (generated from internal/snapshot by make generate) -->\n"
	fieldsEnd       = "<!-- fields:end -->"
)

// TestGeneratedFieldTables fails when the field tables of docs/snapshot.md
// are not those of the Go types and the registry; `make generate` rewrites them.
func TestGeneratedFieldTables(t *testing.T) {
	doc, err := os.ReadFile(snapshotDocPath)
	if err != nil {
		t.Fatal(err)
	}
	start, end := bytes.Index(doc, []byte(fieldsStart)), bytes.Index(doc, []byte(fieldsEnd))
	if start < 0 || end < start {
		t.Fatalf("docs/snapshot.md lacks the %q … %q markers", strings.TrimSpace(fieldsStart), fieldsEnd)
	}
	want := string(doc[:start+len(fieldsStart)]) + fieldTables() + string(doc[end:])
	if *update {
		if err := os.WriteFile(snapshotDocPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(doc) != want {
		t.Errorf("docs/snapshot.md's field tables are stale: run `make generate`")
	}
}

// fieldTables renders the top level, the envelope and every area's items.
func fieldTables() string {
	var b strings.Builder
	b.WriteString("## Top level\n\n")
	table(&b, reflect.TypeFor[Snapshot](), "", func(f schemagen.Field) string {
		if def, ok := areaAt(f.Name); ok {
			return "area: " + def.Title + " ([below](#" + anchor(def.Name) + "))"
		}
		return f.Doc
	})
	b.WriteString("\n## The area envelope\n\nEvery area carries these fields; a list area adds its list (`items`, or `sites` for the two\n`connected_apps` areas), an array that is never `null`.\n\n")
	table(&b, areaType, "", nil)
	b.WriteString("\n## Areas and their items\n\nPolicy metadata names areas in `custom.requires` with these names. The registry in\n[`internal/snapshot/registry.go`](../internal/snapshot/registry.go) lists them; the policies read it as\n`data.atlcheck.areas`.\n\n")
	b.WriteString("| area (`requires` name) | envelope | source | attestable | holds |\n|---|---|---|---|---|\n")
	for _, d := range Registry {
		fmt.Fprintf(&b, "| [`%s`](#%s) | `%s` | %s | %s | %s |\n", d.Name, anchor(d.Name), d.Pointer(), d.Source, yesNo(d.Attestable), d.Title)
	}
	root := reflect.TypeFor[Snapshot]()
	for _, d := range Registry {
		env := root.FieldByIndex(d.field[:len(d.field)-1]).Type
		item := root.FieldByIndex(d.list).Type.Elem()
		fmt.Fprintf(&b, "\n### %s\n\n%s: `%s/%s[]`, identified by `%s`.", d.Name, strings.ToUpper(d.Title[:1])+d.Title[1:], d.Pointer(), d.Items, d.Key)
		var extra []string
		for _, f := range schemagen.Fields(env) {
			if _, inArea := fieldByJSON(areaType, f.Name); !inArea && f.Name != d.Items {
				extra = append(extra, "`"+f.Name+"` ("+f.Doc+")")
			}
		}
		if len(extra) > 0 {
			fmt.Fprintf(&b, " The envelope also holds %s.", strings.Join(extra, ", "))
		}
		b.WriteString("\n\n")
		table(&b, item, "", nil)
	}
	return b.String()
}

// table writes the fields of struct type t, nested objects and lists of
// objects as dotted rows (created_by.id, products[].role).
func table(b *strings.Builder, t reflect.Type, prefix string, meaning func(schemagen.Field) string) {
	if prefix == "" {
		b.WriteString("| field | type | required | meaning |\n|---|---|---|---|\n")
	}
	for _, f := range schemagen.Fields(t) {
		doc := f.Doc
		if meaning != nil {
			doc = meaning(f)
		}
		fmt.Fprintf(b, "| `%s%s` | %s | %s | %s |\n", prefix, f.Name, f.Type, yesNo(f.Required), doc)
		if _, ok := areaAt(f.Name); ok && prefix == "" && meaning != nil {
			continue // areas have their own section
		}
		inner := f.GoType
		suffix := "."
		for inner.Kind() == reflect.Pointer || inner.Kind() == reflect.Slice {
			if inner.Kind() == reflect.Slice {
				suffix = "[]."
			}
			inner = inner.Elem()
		}
		if inner.Kind() == reflect.Struct && inner.PkgPath() == areaType.PkgPath() && inner != reflect.TypeFor[ConnectedApps]() {
			table(b, inner, prefix+f.Name+suffix, nil)
		}
	}
}

func areaAt(name string) (AreaDef, bool) {
	for _, d := range Registry {
		if d.Path[0] == name && len(d.Path) == 1 {
			return d, true
		}
	}
	return AreaDef{}, false
}

func anchor(name string) string { return strings.ReplaceAll(name, ".", "") }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// TestDocsNameEveryArea: the prose lists of areas in docs/collector.md (which
// source fills each area) and docs/snapshot.md (the areas an older snapshot
// may lack) name exactly the registry's areas, so an area added to the
// registry without its docs fails here.
func TestDocsNameEveryArea(t *testing.T) {
	collectorDoc, err := os.ReadFile("../../docs/collector.md")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]string{}
	var attestable []string
	for _, def := range Registry {
		sources[def.Source] = append(sources[def.Source], def.Name)
		if def.Attestable && def.Source != SourceAttestation {
			attestable = append(attestable, def.Name)
		}
	}
	// The rows of the table of sources, by the start of their first cell.
	rows := []struct {
		prefix string
		want   []string
	}{
		{"| the organization admin APIs", sources[SourceAPI]},
		{"| each site's app manager API", sources[SourceSiteAPI]},
		{"| an attestation file", append(slices.Clone(sources[SourceAttestation]), attestable...)},
	}
	for _, row := range rows {
		line := lineStarting(string(collectorDoc), row.prefix)
		if line == "" {
			t.Errorf("docs/collector.md: no table row starting %q", row.prefix)
			continue
		}
		cells := strings.Split(line, "|")
		if got := codeSpans(cells[len(cells)-2]); !sameSet(got, row.want) {
			t.Errorf("docs/collector.md, row %q, names the areas %v; the registry's are %v", row.prefix, got, row.want)
		}
	}

	snapshotDoc, err := os.ReadFile(snapshotDocPath)
	if err != nil {
		t.Fatal(err)
	}
	const lead = "Areas added to schema v1 after its first\n  release ("
	text := string(snapshotDoc)
	i := strings.Index(text, lead)
	if i < 0 {
		t.Fatalf("docs/snapshot.md lacks %q", lead)
	}
	listed, _, _ := strings.Cut(text[i+len(lead):], ")")
	var schema struct {
		Required   []string `json:"required"`
		Properties map[string]struct {
			Required []string `json:"required"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(SchemaJSON, &schema); err != nil {
		t.Fatal(err)
	}
	var optional []string
	for _, def := range Registry {
		required := schema.Required
		if len(def.Path) == 2 {
			required = schema.Properties[def.Path[0]].Required
		}
		if !slices.Contains(required, def.Path[len(def.Path)-1]) {
			optional = append(optional, def.Name)
		}
	}
	if got := codeSpans(listed); !sameSet(got, optional) {
		t.Errorf("docs/snapshot.md names %v as the areas an older snapshot may lack; the schema's optional areas are %v", got, optional)
	}
}

func lineStarting(text, prefix string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return ""
}

// codeSpans returns the text of each `code span` of s.
func codeSpans(s string) []string {
	var out []string
	for {
		_, rest, ok := strings.Cut(s, "`")
		if !ok {
			return out
		}
		span, after, ok := strings.Cut(rest, "`")
		if !ok {
			return out
		}
		out = append(out, span)
		s = after
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
