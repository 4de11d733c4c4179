package snapshot

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/atlcheck/atlcheck/internal/schemagen"
)

var update = flag.Bool("update", false, "rewrite the generated files")

// TestGeneratedSchema fails when schema.json is not the schema of the Go
// types; `make generate` rewrites it.
func TestGeneratedSchema(t *testing.T) {
	want, err := schemagen.Marshal(generateSchema())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("schema.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(SchemaJSON, want) {
		t.Errorf("internal/snapshot/schema.json is stale: run `make generate`")
	}
}
