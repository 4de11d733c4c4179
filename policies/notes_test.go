package policies

import (
	"context"
	"strings"
	"testing"
)

// TestNotesNotEvaluated: a policy may say it cannot be evaluated with a note
// {"status": "not_evaluated", "reason", "area_failed"}; any other status, or
// area_failed on a plain note or not a boolean, is refused.
func TestNotesNotEvaluated(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, note string
		want       NotEvaluated
		plain      string
		err        string
	}{
		{"not evaluated, area failed", `{"policy_id": "ACME-SBX-001", "status": "not_evaluated", "reason": "read in part", "area_failed": true}`,
			NotEvaluated{Reason: "read in part", AreaFailed: true}, "", ""},
		{"not evaluated, no source", `{"policy_id": "ACME-SBX-001", "status": "not_evaluated", "reason": "no action"}`,
			NotEvaluated{Reason: "no action"}, "", ""},
		{"a plain note", `{"policy_id": "ACME-SBX-001", "reason": "fine"}`, NotEvaluated{}, "fine", ""},
		{"another status", `{"policy_id": "ACME-SBX-001", "status": "pass", "reason": "x"}`, NotEvaluated{}, "",
			`note for ACME-SBX-001 has status pass: the only status a note may give is "not_evaluated"`},
		{"area_failed without a status", `{"policy_id": "ACME-SBX-001", "reason": "x", "area_failed": true}`, NotEvaluated{}, "",
			`area_failed must be true or false, on a note with status "not_evaluated"`},
		{"area_failed not a boolean", `{"policy_id": "ACME-SBX-001", "status": "not_evaluated", "reason": "x", "area_failed": "yes"}`, NotEvaluated{}, "",
			`area_failed must be true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := customDir(t, map[string]string{"p.rego": customPolicy("acme.sandbox", "ACME-SBX-001", ownFinding) + "\nnotes contains " + tt.note + "\n"})
			e, err := New(ctx, Options{CustomDirs: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.Prepare(ctx, map[string]any{"parameters": map[string]any{}})
			if err != nil {
				t.Fatal(err)
			}
			input, _ := ToInput(map[string]any{"api_keys": map[string]any{"items": []any{}}})
			res, err := p.Eval(ctx, input)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Eval: %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := res.NotEvaluated["ACME-SBX-001"]; got != tt.want || res.Notes["ACME-SBX-001"] != tt.plain {
				t.Errorf("got not evaluated %+v and note %q, want %+v and %q", got, res.Notes["ACME-SBX-001"], tt.want, tt.plain)
			}
		})
	}
}
