package policies

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

var update = flag.Bool("update", false, "rewrite the generated files")

// areasDataPath is the area registry as data for `opa test policies`; the
// binary hands the policies the registry itself (withAreas).
const areasDataPath = "atlcheck/areas/data.json"

// TestGeneratedAreasData fails when policies/atlcheck/areas/data.json is not
// the registry; `make generate` rewrites it.
func TestGeneratedAreasData(t *testing.T) {
	want, err := json.MarshalIndent(snapshot.RegistryData(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(areasDataPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(areasDataPath)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("policies/%s is stale: run `make generate`", areasDataPath)
	}
}
