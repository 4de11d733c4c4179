package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/atlcheck/atlcheck/internal/schemagen"
)

var update = flag.Bool("update", false, "rewrite the generated files")

// generated maps each file generated from this package's types to its
// content: the config JSON Schema and the parameter defaults that `opa test
// policies` loads.
func generated(t *testing.T) map[string][]byte {
	t.Helper()
	schema, err := schemagen.Marshal(JSONSchema())
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := json.MarshalIndent(defaultParameters(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"../../docs/config.schema.json":                schema,
		"../../policies/atlcheck/parameters/data.json": append(defaults, '\n'),
	}
}

// TestGeneratedConfigFiles fails when a file generated from the parameter
// definitions is stale; `make generate` rewrites them.
func TestGeneratedConfigFiles(t *testing.T) {
	for path, want := range generated(t) {
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `make generate`", path[len("../../"):])
		}
	}
}

// TestDefaultsAreValid keeps the built-in defaults within their own ranges.
func TestDefaultsAreValid(t *testing.T) {
	c := &Config{Parameters: defaultParameters()}
	if err := c.validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
}
