package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/policies"
)

var update = flag.Bool("update", false, "rewrite generated docs and golden files")

const (
	readmePath  = "../../README.md"
	catalogPath = "../../docs/policies.md"
	configPath  = "../../docs/config.md"
	tableStart  = "<!-- policies:start -->\n"
	tableEnd    = "<!-- policies:end -->"
)

// TestGeneratedDocs fails when docs/policies.md, the README's policy table
// or the parameter tables of docs/config.md no longer match the policies'
// metadata and the parameter definitions; `make generate` rewrites them.
func TestGeneratedDocs(t *testing.T) {
	engine, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Default(policies.DefaultParametersJSON())
	if err != nil {
		t.Fatal(err)
	}
	regions := []struct{ name, content string }{
		{"parameters", parameterTable(engine, cfg.Parameters, true, "exceptions")},
		{"exception-parameters", parameterTable(engine, cfg.Parameters, false, "exceptions")},
	}
	for _, r := range regions {
		replaceRegion(t, configPath, r.name, r.content)
	}
	var catalog bytes.Buffer
	if err := policyMarkdown(&catalog, engine.Policies()); err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(readme, []byte(tableStart))
	end := bytes.Index(readme, []byte(tableEnd))
	if start < 0 || end < start {
		t.Fatalf("README.md lacks the %q … %q markers", strings.TrimSpace(tableStart), tableEnd)
	}
	wantReadme := string(readme[:start+len(tableStart)]) + policyIndex(engine.Policies(), "docs/policies.md#") + string(readme[end:])
	if *update {
		if err := os.WriteFile(catalogPath, catalog.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readmePath, []byte(wantReadme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(catalogPath)
	if err != nil || !bytes.Equal(got, catalog.Bytes()) {
		t.Errorf("docs/policies.md is stale: run `make docs`")
	}
	if string(readme) != wantReadme {
		t.Errorf("README.md's policy table is stale: run `make docs`")
	}
}

// replaceRegion checks (or with -update rewrites) the text between
// "<!-- name:start -->" and "<!-- name:end -->" in a generated doc.
func replaceRegion(t *testing.T, path, name, content string) {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	open, end := "<!-- "+name+":start -->\n", "<!-- "+name+":end -->"
	i, j := strings.Index(string(doc), open), strings.Index(string(doc), end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the %q … %q markers", path, strings.TrimSpace(open), end)
	}
	want := string(doc[:i+len(open)]) + content + string(doc[j:])
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(doc) != want {
		t.Errorf("%s (%s) is stale: run `make generate`", strings.TrimPrefix(path, "../../"), name)
	}
}
