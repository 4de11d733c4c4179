package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/policies"
)

var update = flag.Bool("update", false, "rewrite generated docs and golden files")

const (
	readmePath  = "../../README.md"
	catalogPath = "../../docs/policies.md"
	tableStart  = "<!-- policies:start -->\n"
	tableEnd    = "<!-- policies:end -->"
)

// TestGeneratedDocs fails when docs/policies.md or the README's policy table
// no longer match the policies' metadata; `make docs` (go test -update) rewrites them.
func TestGeneratedDocs(t *testing.T) {
	engine, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
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
