package policies

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// customDir writes Rego files (path below the directory → text) into a
// fresh directory and returns it.
func customDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// customPolicy is a valid custom policy module in pkg with one deny rule
// whose body is body (the finding must be bound to `finding`).
func customPolicy(pkg, id, body string) string {
	return "package " + pkg + `

# METADATA
# title: A custom policy
# description: A custom policy for the sandbox tests.
# custom:
#   id: ` + id + `
#   severity: low
#   remediation: Fix it.
#   references: [https://example.com/policy]
#   tags: [security]
#   requires: [api_keys]
deny contains finding if {
` + body + `
}
`
}

const ownFinding = `	some key in input.api_keys.items
	finding := {"policy_id": "ACME-SBX-001", "resource": key.id, "path": "", "message": "m"}`

// Row 1 and 2 of issue 12: a custom file can never replace, extend or shadow
// a built-in module or package. Before the fix, a file at the built-in's own
// path replaced it (all ATL-AAS policies vanished) and a package
// atlcheck.parameters overrode every parameter.
func TestReservedPackages(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"built-in path and package, gutted", map[string]string{
			"policies/atlassian/app_access/app_access.rego": "package atlassian.app_access\n",
		}, "policies/atlassian/app_access/app_access.rego:1:1: package atlassian.app_access is reserved"},
		{"extends a built-in package", map[string]string{
			"extra.rego": customPolicy("atlassian.api_keys", "ACME-SBX-001", ownFinding),
		}, "package atlassian.api_keys is reserved"},
		{"parameters", map[string]string{
			"params.rego": "package atlcheck.parameters\n\napi_keys := {\"max_lifetime_days\": 100000}\n",
		}, "params.rego:1:1: package atlcheck.parameters is reserved"},
		{"atlcheck root", map[string]string{"a.rego": "package atlcheck\n\nx := 1\n"}, "package atlcheck is reserved"},
		{"lib helper", map[string]string{"lib.rego": "package lib.dates\n\nolder_than_days(_, _) := false\n"}, "package lib.dates is reserved"},
		{"built-in test package", map[string]string{"t_test.rego": "package atlassian.api_keys_test\n\ntest_x if true\n"}, "package atlassian.api_keys_test is reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := customDir(t, tt.files)
			t.Chdir(dir) // so the custom file's name is the built-in's own name, policies/…
			_, err := New(context.Background(), Options{CustomDirs: []string{"."}, Tests: true})
			if err == nil {
				t.Fatal("New accepted a custom file in a reserved package")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "atlassian.*, lib.*, atlcheck.*") {
				t.Errorf("error %q, want it to contain %q and name the reserved packages", err, tt.want)
			}
		})
	}
}

// A custom file whose path equals a built-in's (run from a directory holding
// a policies/ tree) is compiled beside the built-in, never instead of it.
func TestCustomFileNamedLikeBuiltin(t *testing.T) {
	dir := customDir(t, map[string]string{
		"policies/atlassian/app_access/app_access.rego": customPolicy("acme.sandbox", "ACME-SBX-001", ownFinding),
	})
	t.Chdir(dir)
	e, err := New(context.Background(), Options{CustomDirs: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"ATL-AAS-001", "ATL-AAS-006", "ACME-SBX-001"} {
		if _, ok := e.Policy(id); !ok {
			t.Errorf("policy %s is missing", id)
		}
	}
	if p, _ := e.Policy("ACME-SBX-001"); p.Builtin || p.File != "./policies/atlassian/app_access/app_access.rego" {
		t.Errorf("custom policy: builtin %v, file %q", p.Builtin, p.File)
	}
}

// Row 3: no network, process, clock or randomness builtins, with an error
// that names the builtin at its line.
func TestExcludedBuiltins(t *testing.T) {
	calls := map[string]string{
		"http.send":          `http.send({"method": "POST", "url": "http://127.0.0.1:9/", "body": input.managed_accounts.items})`,
		"net.lookup_ip_addr": `net.lookup_ip_addr("example.com")`,
		"time.now_ns":        `time.now_ns()`,
		"opa.runtime":        `opa.runtime()`,
		"rand.intn":          `rand.intn("x", 10)`,
		"uuid.rfc4122":       `uuid.rfc4122("x")`,
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			dir := customDir(t, map[string]string{"p.rego": customPolicy("acme.sandbox", "ACME-SBX-001",
				"\tsome key in input.api_keys.items\n\tx := "+call+"\n\tfinding := {\"policy_id\": \"ACME-SBX-001\", \"resource\": sprintf(\"%v\", [x]), \"path\": \"\", \"message\": \"m\"}")})
			_, err := New(context.Background(), Options{CustomDirs: []string{dir}})
			if err == nil {
				t.Fatalf("New accepted a policy calling %s", name)
			}
			want := filepath.Join(dir, "p.rego") + ":15:"
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), name+" is not allowed in atlcheck policies") {
				t.Errorf("error %q, want %q and %q", err, want, name+" is not allowed")
			}
		})
	}
	for _, name := range []string{"http.send", "net.lookup_ip_addr", "time.now_ns", "opa.runtime"} {
		if !slices.Contains(ExcludedBuiltins(), name) {
			t.Errorf("ExcludedBuiltins() lacks %s", name)
		}
	}
	// The built-in policies and the example compile under the same capabilities.
	if _, err := New(context.Background(), Options{CustomDirs: []string{"../examples/policies"}, Tests: true}); err != nil {
		t.Fatal(err)
	}
}

// Row 3: evaluation stops at the context's deadline, even inside a
// comprehension over 3e8 numbers.
func TestEvalTimeLimit(t *testing.T) {
	dir := customDir(t, map[string]string{"slow.rego": customPolicy("acme.sandbox", "ACME-SBX-001",
		"\tn := count([x | some x in numbers.range(1, 300000000); x % 7 == 0])\n\tfinding := {\"policy_id\": \"ACME-SBX-001\", \"resource\": sprintf(\"%d\", [n]), \"path\": \"\", \"message\": \"m\"}")})
	ctx := context.Background()
	e, err := New(ctx, Options{CustomDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Prepare(ctx, map[string]any{"parameters": map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	input, err := ToInput(map[string]any{"api_keys": map[string]any{"items": []any{}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.Eval(ctx, input)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Eval: %v, want the deadline", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("Eval returned after %v, long past its deadline", d)
	}
}

// Row 4: a custom package may report findings and notes for its own policy
// ids only, never a built-in's.
func TestOnlyOwnPolicyIDs(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"finding for a built-in", customPolicy("acme.sandbox", "ACME-SBX-001",
			"\tsome key in input.api_keys.items\n\tfinding := {\"policy_id\": \"ATL-KEY-001\", \"resource\": key.id, \"path\": \"\", \"message\": \"forged\"}"),
			"data.acme.sandbox.deny: finding for ATL-KEY-001, which this package does not define"},
		{"note for a built-in", customPolicy("acme.sandbox", "ACME-SBX-001", ownFinding) +
			"\nnotes contains {\"policy_id\": \"ATL-AAS-001\", \"reason\": \"accepted by the board\"}\n",
			"data.acme.sandbox.notes: note for ATL-AAS-001, which this package does not define"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := customDir(t, map[string]string{"p.rego": tt.text})
			ctx := context.Background()
			e, err := New(ctx, Options{CustomDirs: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.Prepare(ctx, map[string]any{"parameters": map[string]any{}})
			if err != nil {
				t.Fatal(err)
			}
			input, _ := ToInput(map[string]any{"api_keys": map[string]any{"items": []any{map[string]any{"id": "k1"}}}})
			_, err = p.Eval(ctx, input)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Eval: %v, want %q", err, tt.want)
			}
		})
	}
}

// Row 1: custom policies carry their own digest, which follows their content.
func TestCustomDigest(t *testing.T) {
	ctx := context.Background()
	builtinOnly, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := builtinOnly.CustomDigest(); d != "" {
		t.Errorf("built-ins only: custom digest %q, want none", d)
	}
	digest := func(text string) string {
		dir := customDir(t, map[string]string{"acme/p.rego": text, "acme/p_test.rego": "package acme.sandbox_test\n\ntest_x if true\n"})
		e, err := New(ctx, Options{CustomDirs: []string{dir}})
		if err != nil {
			t.Fatal(err)
		}
		return e.CustomDigest()
	}
	a, b := digest(customPolicy("acme.sandbox", "ACME-SBX-001", ownFinding)), digest(customPolicy("acme.sandbox", "ACME-SBX-001", ownFinding))
	c := digest(customPolicy("acme.sandbox", "ACME-SBX-002", strings.ReplaceAll(ownFinding, "001", "002")))
	if !strings.HasPrefix(a, "sha256:") || len(a) != 71 || a != b || a == c {
		t.Errorf("digests %q, %q (same policies in other directories), %q (changed policy): want equal, then different", a, b, c)
	}
}
