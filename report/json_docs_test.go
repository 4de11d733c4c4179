package report

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestJSONFieldsDocumented: the JSON report's field names are a public
// interface (docs/reports.md, "json"), so every field it can write is in that
// section's table: a row of its top-level field names it, as `a.b`, `.b` or
// `b` in a code span (a field added to the report without a line in the docs
// fails here). The fields come from the report's own types, so a field that
// a given run leaves out (omitempty, null) is checked as well.
func TestJSONFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/reports.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(doc)
	start := strings.Index(section, "\n## json\n")
	if start < 0 {
		t.Fatal(`docs/reports.md has no "## json" section`)
	}
	section = section[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	// rows maps a top-level field to the text of the table rows about it.
	rows := map[string]string{}
	rowField := regexp.MustCompile("^\\| `([a-z_]+)")
	for _, line := range strings.Split(section, "\n") {
		if m := rowField.FindStringSubmatch(line); m != nil {
			rows[m[1]] += line + "\n"
		}
	}
	if len(rows) == 0 {
		t.Fatal("no field table found in the json section of docs/reports.md")
	}
	// A row may say its items have "the same fields as `findings[]`".
	same := regexp.MustCompile("same fields as `([a-z_]+)\\[\\]`")
	for top, text := range rows {
		if m := same.FindStringSubmatch(text); m != nil {
			rows[top] += rows[m[1]]
		}
	}
	codeSpan := regexp.MustCompile("`[^`]+`")
	for _, path := range jsonFieldPaths(reflect.TypeOf(jsonReport{}), "") {
		top, _, _ := strings.Cut(path, ".")
		top = strings.TrimSuffix(top, "[]")
		leaf := path[strings.LastIndexAny(path, ".]")+1:]
		word := regexp.MustCompile(`(^|[^a-z_])` + regexp.QuoteMeta(leaf) + `($|[^a-z_])`)
		found := false
		for _, span := range codeSpan.FindAllString(rows[top], -1) {
			found = found || word.MatchString(span)
		}
		if !found {
			t.Errorf("the JSON report's field %s is not in the field table of docs/reports.md (## json)", path)
		}
	}
}

// jsonFieldPaths lists the JSON field paths of t: "a", "a.b", "a[].b".
// A map or a time is a leaf.
func jsonFieldPaths(t reflect.Type, prefix string) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			prefix += "[]"
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeOf(time.Time{}) {
		return nil
	}
	var paths []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		paths = append(paths, path)
		paths = append(paths, jsonFieldPaths(f.Type, path)...)
	}
	return paths
}
