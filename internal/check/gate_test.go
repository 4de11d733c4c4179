package check

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// acmeWith is the demo snapshot, edited as plain JSON.
func acmeWith(t *testing.T, edit func(doc map[string]any)) *snapshot.Document {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/snapshots/acme.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	data, _ := json.Marshal(doc)
	parsed, err := snapshot.Parse("acme.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

// envelope is the envelope of a registered area in a snapshot as plain JSON.
func envelope(doc map[string]any, def snapshot.AreaDef) map[string]any {
	env := doc
	for _, key := range def.Path {
		env = env[key].(map[string]any)
	}
	return env
}

// acmeWithAreas returns the demo snapshot with every area's envelope set by
// set (source, collected and error).
func acmeWithAreas(t *testing.T, set func(env map[string]any)) *snapshot.Document {
	t.Helper()
	return acmeWith(t, func(doc map[string]any) {
		for _, def := range snapshot.Registry {
			set(envelope(doc, def))
		}
	})
}

// Issue 12 row 9: a policy not evaluated because its area failed counts for
// the gate at its own severity; one whose area has no source does not.
// Before, every area refused and --fail-on critical gave "Gate passed", exit
// 0, with the critical ATL-AAS-001 not evaluated.
func TestGateCountsPoliciesWhoseAreaFailed(t *testing.T) {
	ctx := context.Background()
	engine, cfg := builtinPolicies(t)
	failed := acmeWithAreas(t, func(env map[string]any) {
		env["source"], env["collected"] = "api", false
		env["error"] = map[string]any{"status": 403, "code": "ADMIN-403", "message": "Forbidden"}
	})
	noSource := acmeWithAreas(t, func(env map[string]any) {
		env["source"], env["collected"] = "none", false
		env["error"] = map[string]any{"message": "no attestation file"}
	})
	critical := 0
	for _, p := range engine.Policies() {
		if p.Severity == model.SeverityCritical && len(p.Requires) > 0 {
			critical++
		}
	}
	tests := []struct {
		name       string
		doc        *snapshot.Document
		failOn     model.Severity
		wantFailed bool
		wantNotEv  int
	}{
		{"area failed, critical", failed, model.SeverityCritical, true, critical},
		{"area failed, none", failed, model.SeverityUnknown, false, 0},
		{"no source, critical", noSource, model.SeverityCritical, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, err := Evaluate(ctx, Input{Doc: tt.doc, Engine: engine, Config: cfg, Options: Options{FailOn: tt.failOn}})
			if err != nil {
				t.Fatal(err)
			}
			if run.Gate.Failed != tt.wantFailed || run.Gate.NotEvaluated != tt.wantNotEv || run.Gate.Count != 0 {
				t.Errorf("gate %+v, want failed %v with %d policies not evaluated and no findings at or above %s",
					run.Gate, tt.wantFailed, tt.wantNotEv, tt.failOn)
			}
			if want := map[bool]int{true: 1, false: 0}[tt.wantFailed]; run.ExitCode != want {
				t.Errorf("exit code %d, want %d", run.ExitCode, want)
			}
			for _, pr := range run.Policies {
				if pr.Status == model.StatusNotEvaluated && pr.AreaFailed != (tt.doc == failed) {
					t.Errorf("%s: area_failed %v", pr.Policy.ID, pr.AreaFailed)
				}
			}
		})
	}
	if critical == 0 {
		t.Fatal("no critical policy to test with")
	}
}

func TestGateCounts(t *testing.T) {
	tests := []struct {
		g    model.Gate
		want string
	}{
		{model.Gate{Count: 3}, "3 findings"},
		{model.Gate{Count: 1, NewOnly: true}, "1 new finding"},
		{model.Gate{NotEvaluated: 1}, "1 policy not evaluated (area failed)"},
		{model.Gate{Count: 2, NotEvaluated: 3}, "2 findings and 3 policies not evaluated (area failed)"},
	}
	for _, tt := range tests {
		if got := tt.g.Counts(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.g, got, tt.want)
		}
	}
}
