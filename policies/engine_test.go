package policies

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestMetadataContract checks every built-in policy and the example custom
// policy against the metadata contract, beyond what New enforces.
func TestMetadataContract(t *testing.T) {
	e, err := New(context.Background(), Options{CustomDirs: []string{"../examples/policies"}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if len(e.Policies()) < 7 {
		t.Fatalf("got %d policies, want the built-in catalog", len(e.Policies()))
	}
	atlID := regexp.MustCompile(`^ATL-[A-Z]{3}-\d{3}$`)
	seen := map[string]bool{}
	for _, p := range e.Policies() {
		t.Run(p.ID, func(t *testing.T) {
			if seen[p.ID] {
				t.Errorf("duplicate id")
			}
			seen[p.ID] = true
			if p.Builtin && !atlID.MatchString(p.ID) {
				t.Errorf("built-in id %q is not ATL-XXX-000", p.ID)
			}
			if p.Severity == model.SeverityUnknown || p.Title == "" || p.Description == "" || p.Remediation == "" {
				t.Errorf("incomplete metadata: %+v", p)
			}
			if len(p.References) == 0 || !slices.Contains(p.Tags, "security") {
				t.Errorf("references %v, tags %v: want references and the security tag", p.References, p.Tags)
			}
			for _, a := range p.Requires {
				if !slices.Contains(snapshot.Areas, a) {
					t.Errorf("requires unknown area %q", a)
				}
			}
			if strings.HasSuffix(p.Title, ".") {
				t.Errorf("title %q ends with a period", p.Title)
			}
		})
	}
	if !seen["ACME-KEY-100"] {
		t.Errorf("the example custom policy was not loaded")
	}
}

func TestBadCustomPolicies(t *testing.T) {
	tests := []struct {
		dir  string
		want []string
	}{
		{"syntax_error", []string{"testdata/policies/syntax_error/broken.rego:", "unexpected"}},
		{"no_metadata", []string{"testdata/policies/no_metadata/nometa.rego:3:1:", "no METADATA block"}},
		{"duplicate_id", []string{"testdata/policies/duplicate_id/dup.rego:13:1:", "duplicate policy id ATL-KEY-001", "policies/atlassian/api_keys/"}},
		{"bad_severity", []string{"testdata/policies/bad_severity/sev.rego:13:1:", "unknown severity \"urgent\""}},
		{"does_not_exist", []string{"does_not_exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := New(context.Background(), Options{CustomDirs: []string{"../testdata/policies/" + tt.dir}})
			if err == nil {
				t.Fatal("New succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestEvalFindingsAndNotes(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{CustomDirs: []string{"../examples/policies"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Prepare(ctx, map[string]any{"parameters": map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	input, err := ToInput(map[string]any{
		"collected_at": "2026-11-20T08:00:00Z",
		"api_keys":     map[string]any{"items": []any{map[string]any{"id": "k1", "label": "Bad Label"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Eval(ctx, input)
	if err != nil {
		t.Fatal(err)
	}
	want := model.Finding{PolicyID: "ACME-KEY-100", Resource: "k1", Path: "/api_keys/items/0",
		Message:     `Admin API key k1 has label "Bad Label", which does not name a team and purpose`,
		Fingerprint: model.Fingerprint("ACME-KEY-100", "k1")}
	if !slices.ContainsFunc(res.Findings, func(f model.Finding) bool {
		return f.PolicyID == want.PolicyID && f.Resource == want.Resource && f.Path == want.Path &&
			f.Message == want.Message && f.Severity != model.SeverityUnknown && f.Title != "" && f.Fingerprint == want.Fingerprint
	}) {
		t.Fatalf("findings %+v do not contain %+v", res.Findings, want)
	}
}

func TestDigestStable(t *testing.T) {
	if d := Digest(); !strings.HasPrefix(d, "sha256:") || len(d) != 71 || d != Digest() {
		t.Fatalf("Digest() = %q", d)
	}
}

func TestErrorsFormat(t *testing.T) {
	err := error(Errors{{File: "a.rego", Line: 3, Column: 2, Msg: "bad"}, {File: "b.rego", Msg: "worse"}})
	if got, want := err.Error(), "a.rego:3:2: bad\nb.rego: worse"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	var es Errors
	if !errors.As(err, &es) || len(es) != 2 {
		t.Fatal("errors.As failed")
	}
}
