package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The CLI side of issue 12: hostile custom policies, files and signals never
// silence a policy, leak a secret or break the runner.

// slowPolicy is a custom policy that evaluates for minutes.
const slowPolicy = `package acme.slow

# METADATA
# title: A slow custom policy
# description: Counts to 3e8.
# custom:
#   id: ACME-SLOW-001
#   severity: low
#   remediation: Do not.
#   references: [https://example.com/policy]
#   tags: [security]
#   requires: [api_keys]
deny contains finding if {
	n := count([x | some x in numbers.range(1, 300000000); x % 7 == 0])
	finding := {"policy_id": "ACME-SLOW-001", "resource": sprintf("%d", [n]), "path": "", "message": "m"}
}
`

// policyDir writes one custom policy file into a fresh directory.
func policyDir(t *testing.T, name, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// cliCtx is cli with a context that is cancelled after delay, as Ctrl-C
// would; it also returns how long the command took.
func cliCtx(t *testing.T, delay time.Duration, args ...string) (string, string, int, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timer := time.AfterFunc(delay, cancel)
	defer timer.Stop()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	err := run(ctx, args, &stdout, &stderr)
	took := time.Since(start)
	if printable(err) {
		stderr.WriteString("atlcheck: " + err.Error() + "\n")
	}
	return stdout.String(), stderr.String(), exitCode(err), took
}

// Row 1 and 2: a custom file in a reserved package is an input error.
func TestCLIReservedPackage(t *testing.T) {
	dir := policyDir(t, "p.rego", "package atlcheck.parameters\n\napi_keys := {\"max_lifetime_days\": 100000}\n")
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code := cli(t, "check", "--snapshot", minimal, "--policies", dir, "--output", out)
	if code != exitUsage || !strings.Contains(stderr, "p.rego:1:1: package atlcheck.parameters is reserved") {
		t.Errorf("exit %d, stderr %q: want exit 2 naming the reserved package", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a report was written")
	}
}

// Row 1: every report names the custom policies' digest beside the built-in one.
func TestCustomPolicyDigestInReports(t *testing.T) {
	custom := "../../examples/policies"
	for _, format := range []string{"text", "json", "sarif", "markdown", "junit"} {
		t.Run(format, func(t *testing.T) {
			stdout, stderr, code := cli(t, "check", "--snapshot", minimal, "--policies", custom, "--format", format, "--fail-on", "none")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			want := "sha256:"
			switch format {
			case "json":
				var r struct {
					Tool struct {
						Custom string `json:"custom_policy_digest"`
					} `json:"tool"`
				}
				if err := json.Unmarshal([]byte(stdout), &r); err != nil || !strings.HasPrefix(r.Tool.Custom, want) {
					t.Errorf("tool.custom_policy_digest = %q (%v)", r.Tool.Custom, err)
				}
			case "sarif":
				if !strings.Contains(stdout, `"customPolicyDigest": "sha256:`) {
					t.Errorf("no customPolicyDigest in the driver's properties")
				}
			case "junit":
				if !strings.Contains(stdout, `name="custom_policy_digest" value="sha256:`) {
					t.Errorf("no custom_policy_digest property")
				}
			default:
				if !strings.Contains(stdout, "custom policies sha256:") {
					t.Errorf("no custom policies digest in the header:\n%s", stdout)
				}
			}
			builtinOnly, _, _ := cli(t, "check", "--snapshot", minimal, "--format", format, "--fail-on", "none")
			if strings.Contains(builtinOnly, "ustom") && strings.Contains(builtinOnly, "igest") {
				t.Errorf("a run without custom policies names a custom digest")
			}
		})
	}
}

// Row 3: check has --timeout; a runaway custom policy stops there with exit 2
// and no report.
func TestCheckTimeout(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code, took := cliCtx(t, time.Hour, "check", "--snapshot", minimal, "--policies", policyDir(t, "slow.rego", slowPolicy),
		"--timeout", "300ms", "--output", out)
	if code != exitUsage || !strings.Contains(stderr, "did not finish within --timeout") {
		t.Errorf("exit %d, stderr %q: want exit 2 naming --timeout", code, stderr)
	}
	if took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a report was written")
	}
	if _, stderr, code := cli(t, "check", "--snapshot", minimal, "--timeout", "0s"); code != exitUsage || !strings.Contains(stderr, "--timeout must be positive") {
		t.Errorf("--timeout 0: exit %d, %q", code, stderr)
	}
}

// Row 12: Ctrl-C during evaluation exits 130 promptly, with no report.
func TestInterruptDuringEvaluation(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code, took := cliCtx(t, 300*time.Millisecond, "check", "--snapshot", minimal,
		"--policies", policyDir(t, "slow.rego", slowPolicy), "--output", out)
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr %q", code, exitInterrupted, stderr)
	}
	if took > 20*time.Second {
		t.Errorf("took %v to stop", took)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a report was written")
	}
}
