package check

import (
	"context"
	"slices"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestEveryAreaFailureIsNotEvaluated fails an area at a time in the demo
// snapshot: every policy that requires it must be not_evaluated, never a
// pass on data that was not collected, and ATL-COL-001 must name the area.
func TestEveryAreaFailureIsNotEvaluated(t *testing.T) {
	ctx := context.Background()
	engine, cfg := builtinPolicies(t)
	for _, def := range snapshot.Registry {
		t.Run(def.Name, func(t *testing.T) {
			parsed := acmeWith(t, func(doc map[string]any) {
				env := envelope(doc, def)
				env["collected"] = false
				env["error"] = map[string]any{"status": 403, "message": "Forbidden"}
			})
			run, err := Evaluate(ctx, Input{Doc: parsed, Engine: engine, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			required := 0
			for _, pr := range run.Policies {
				if slices.Contains(pr.Policy.Requires, def.Name) {
					required++
					if pr.Status != model.StatusNotEvaluated {
						t.Errorf("%s requires %s: got %s, want not_evaluated", pr.Policy.ID, def.Name, pr.Status)
					}
				}
			}
			if required == 0 && def.Name != snapshot.AreaSites {
				t.Errorf("no policy requires %s", def.Name)
			}
			if !slices.ContainsFunc(run.Findings, func(f model.Finding) bool {
				return f.PolicyID == "ATL-COL-001" && f.Resource == def.Name && f.Path == def.Pointer()
			}) {
				t.Errorf("no ATL-COL-001 finding for %s at %s", def.Name, def.Pointer())
			}
		})
	}
}
