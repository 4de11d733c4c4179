package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/report"
)

const minimal = "../../internal/snapshot/testdata/minimal.json"

// cli runs atlcheck in process and returns stdout, stderr and the exit code.
func cli(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	printError(&stderr, err)
	return stdout.String(), stderr.String(), exitCode(err)
}

// writeFile writes a fixture into a temp dir and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadInputs(t *testing.T) {
	valid, err := os.ReadFile(minimal)
	if err != nil {
		t.Fatal(err)
	}
	schemaBad := strings.Replace(string(valid), `"collected": true, "items": []},
  "managed_accounts"`, `"collected": "yes", "items": []},
  "managed_accounts"`, 1)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"no command", nil, []string{"no command given"}},
		{"unknown command", []string{"chekc"}, []string{`unknown command "chekc"`}},
		{"snapshot flag missing", []string{"check"}, []string{"name the snapshot file", "--snapshot FILE"}},
		{"snapshot missing", []string{"check", "--snapshot", "nope.json"}, []string{"read snapshot", "nope.json"}},
		{"snapshot unreadable", []string{"check", "--snapshot", t.TempDir()}, []string{"read snapshot"}},
		{"invalid json", []string{"check", "--snapshot", writeFile(t, "s.json", "{\n \"a\": 1,,\n}")}, []string{"s.json:2:", "invalid JSON"}},
		{"schema violation", []string{"check", "--snapshot", writeFile(t, "s.json", schemaBad)}, []string{"s.json:10:", "at /api_tokens/collected", "want boolean"}},
		{"unknown schema version", []string{"check", "--snapshot", writeFile(t, "s.json", strings.Replace(string(valid), `"schema_version": 1`, `"schema_version": 2`, 1))}, []string{"s.json:2:", "unsupported schema_version 2"}},
		{"custom policy syntax error", []string{"check", "--snapshot", minimal, "--policies", "../../testdata/policies/syntax_error"}, []string{"broken.rego:", "unexpected"}},
		{"custom policy without metadata", []string{"check", "--snapshot", minimal, "--policies", "../../testdata/policies/no_metadata"}, []string{"nometa.rego:3:1:", "no METADATA block"}},
		{"duplicate policy id", []string{"check", "--snapshot", minimal, "--policies", "../../testdata/policies/duplicate_id"}, []string{"dup.rego:13:1:", "duplicate policy id ATL-KEY-001"}},
		{"policy dir missing", []string{"check", "--snapshot", minimal, "--policies", "no/such/dir"}, []string{"policy directory no/such/dir does not exist", "--policies"}},
		{"unknown format", []string{"check", "--snapshot", minimal, "--format", "pdf"}, []string{`unknown --format "pdf"`, "sarif"}},
		{"unknown fail-on", []string{"check", "--snapshot", minimal, "--fail-on", "severe"}, []string{`unknown --fail-on "severe"`}},
		{"unknown flag", []string{"check", "--snapshot", minimal, "--colour"}, []string{"unknown flag: --colour"}},
		{"stray argument", []string{"check", minimal, "extra"}, []string{"want one snapshot file, got 2 arguments"}},
		{"snapshot twice", []string{"check", "--snapshot", minimal, "extra"}, []string{"as --snapshot or as an argument, not both"}},
		{"output dir missing", []string{"check", "--snapshot", minimal, "--output", filepath.Join(t.TempDir(), "missing", "r.sarif")}, []string{"does not exist"}},
		{"bad config", []string{"check", "--snapshot", minimal, "--config", writeFile(t, "c.yaml", "parameters:\n  api_keys:\n    unused_days: -1\n")}, []string{"c.yaml:3:", "between 1 and 3650"}},
		{"config unknown key", []string{"check", "--snapshot", minimal, "--config", writeFile(t, "c.yaml", "paramters: {}\n")}, []string{"c.yaml:1:", "paramters"}},
		{"policies bad format", []string{"policies", "--format", "xml"}, []string{`unknown --format "xml"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.out")
			args := tt.args
			if len(args) > 0 && args[0] == "check" && !contains(args, "--output") {
				args = append(args, "--output", out)
			}
			stdout, stderr, code := cli(t, args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("an output file was written despite the error")
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestCheckWritesEveryFormat(t *testing.T) {
	for _, format := range report.Formats {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report")
			stdout, stderr, code := cli(t, "check", "--snapshot", minimal, "--format", format, "--output", out, "--fail-on", "none")
			if code != exitOK || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if format == "json" || format == "sarif" {
				var v map[string]any
				if err := json.Unmarshal(b, &v); err != nil {
					t.Fatalf("%s report is not JSON: %v", format, err)
				}
			}
			if format != "github" && len(b) == 0 {
				t.Fatalf("empty %s report", format)
			}
		})
	}
}

func TestStepSummary(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("previous step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	_, stderr, code := cli(t, "check", "--snapshot", minimal, "--format", "json", "--fail-on", "none", "--output", filepath.Join(t.TempDir(), "r.json"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(summary)
	if !strings.HasPrefix(string(b), "previous step\n") || !strings.Contains(string(b), "org-1") || !strings.Contains(string(b), "ATL-KEY-001") {
		t.Fatalf("step summary = %q, want the previous content followed by the Markdown report", b)
	}
	before := len(b)
	cli(t, "check", "--snapshot", minimal, "--no-step-summary", "--output", filepath.Join(t.TempDir(), "r.txt"))
	if b, _ := os.ReadFile(summary); len(b) != before {
		t.Fatalf("--no-step-summary still appended")
	}
}

func TestHelpAndVersion(t *testing.T) {
	stdout, _, code := cli(t, "help")
	if code != 0 || !strings.Contains(stdout, "check") || !strings.Contains(stdout, "Exit codes") {
		t.Fatalf("help: %d %q", code, stdout)
	}
	stdout, stderr, code := cli(t, "check", "--help")
	if code != 0 || !strings.Contains(stderr+stdout, "--fail-on") {
		t.Fatalf("check --help: %d %q %q", code, stdout, stderr)
	}
	stdout, _, code = cli(t, "version")
	if code != 0 || !strings.Contains(stdout, "policies: sha256:") {
		t.Fatalf("version: %d %q", code, stdout)
	}
}

func TestRegoTestCommand(t *testing.T) {
	stdout, stderr, code := cli(t, "test", "--coverage", "--policies", "../../examples/policies")
	if code != exitOK || !strings.Contains(stdout, " passed, 0 failed") || !strings.Contains(stdout, "every policy id has a failing-case test") {
		t.Fatalf("built-in tests: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, _, code = cli(t, "test", "--coverage", "--policies", "../../testdata/policies/failing_test")
	if code != exitFindings {
		t.Errorf("exit %d, want %d for a failing test", code, exitFindings)
	}
	for _, want := range []string{"FAIL ../../testdata/policies/failing_test/ok_test.rego:6: custom.failing_test.test_pass_wrong", "no test_fail_* test for CUST-KEY-001", ", 1 failed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestGateFailureMessage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.sarif")
	_, stderr, code := cli(t, "check", "--snapshot", acmeSnapshot, "--format", "sarif", "--output", out)
	if code != exitFindings || !strings.Contains(stderr, "gate failed: ") || !strings.Contains(stderr, "findings at or above high") {
		t.Fatalf("exit %d, stderr %q: want exit 1 and the gate verdict on stderr", code, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("report not written on a failed gate: %v", err)
	}
}
