package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck"
	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
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
	printError(&stderr, err)
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
	if code != exitUsage || !strings.Contains(stderr, "did not finish within --timeout (300ms): a custom policy may be too expensive") {
		t.Errorf("exit %d, stderr %q: want exit 2 naming --timeout", code, stderr)
	}
	if took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a report was written")
	}
	// Without custom policies, the hint is the time limit alone.
	if _, stderr, code := cli(t, "check", "--snapshot", minimal, "--timeout", "1ns"); code != exitUsage ||
		!strings.Contains(stderr, "did not finish within --timeout (1ns): raise --timeout") || strings.Contains(stderr, "custom policy") {
		t.Errorf("--timeout 1ns: exit %d, %q", code, stderr)
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

// allAreasRefused is the demo snapshot with every area refused (403).
func allAreasRefused(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(acmeSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, def := range snapshot.Registry {
		env := doc
		for _, key := range def.Path {
			env = env[key].(map[string]any)
		}
		env["source"], env["collected"] = "api", false
		env["error"] = map[string]any{"status": 403, "message": "Forbidden"}
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return writeFile(t, "refused.json", string(b))
}

// Rows 8 and 9: with every area refused, --fail-on critical fails the gate
// (the critical ATL-AAS-001 could not be evaluated), and an exception "?*"
// cannot switch ATL-COL-001 off without policy_wide. Before: "Gate passed",
// exit 0.
func TestGateWithEveryAreaRefused(t *testing.T) {
	refused := allAreasRefused(t)
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code := cli(t, "check", refused, "--fail-on", "critical", "--format", "json", "--output", out)
	if code != exitFindings || !strings.Contains(stderr, "gate failed: ") || !strings.Contains(stderr, "not evaluated (area failed) at or above critical") {
		t.Errorf("exit %d, stderr %q: want exit 1 naming the policies not evaluated", code, stderr)
	}
	var rep struct {
		Gate struct {
			Failed       bool `json:"failed"`
			NotEvaluated int  `json:"not_evaluated"`
		} `json:"gate"`
		Policies []struct {
			ID         string `json:"id"`
			AreaFailed bool   `json:"area_failed"`
		} `json:"policies"`
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Gate.Failed || rep.Gate.NotEvaluated == 0 {
		t.Errorf("gate %+v", rep.Gate)
	}
	for _, p := range rep.Policies {
		if p.ID == "ATL-AAS-001" && !p.AreaFailed {
			t.Errorf("ATL-AAS-001 not marked area_failed")
		}
	}
	cfg := writeFile(t, "c.yaml", "exceptions:\n  - policy: ATL-COL-001\n    resource: \"?*\"\n    reason: r\n    owner: o\n    expires: 2026-12-01\n")
	if _, stderr, code := cli(t, "check", refused, "--config", cfg, "--output", out+"2"); code != exitUsage || !strings.Contains(stderr, "c.yaml:3:15:") || !strings.Contains(stderr, "policy_wide") {
		t.Errorf("exception ?*: exit %d, %q", code, stderr)
	}
}

// Row 11: fingerprints in a baseline are recomputed, never trusted, and a
// baseline of no org is refused. Before, an entry carrying the critical
// finding's fingerprint hid it under --fail-on-new-only.
func TestBaselineIsNotTrusted(t *testing.T) {
	forged := map[string]any{
		"tool": map[string]any{"name": "atlcheck"}, "org_id": "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b", "snapshot": map[string]any{},
		"findings": []any{map[string]any{"policy_id": "ATL-KEY-005", "severity": "info", "resource": "harmless",
			"fingerprint": model.Fingerprint("ATL-AAS-001", "ANYONE")}},
	}
	b, _ := json.Marshal(forged)
	baseline := writeFile(t, "forged.json", string(b))
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code := cli(t, "check", acmeSnapshot, "--baseline", baseline, "--fail-on", "critical", "--fail-on-new-only", "--format", "json", "--output", out)
	if code != exitFindings {
		t.Errorf("exit %d (%s): the critical finding must stay new", code, stderr)
	}
	delete(forged, "org_id")
	b, _ = json.Marshal(forged)
	_, stderr, code = cli(t, "check", acmeSnapshot, "--baseline", writeFile(t, "noorg.json", string(b)), "--output", out+"2")
	if code != exitUsage || !strings.Contains(stderr, "names no org_id") {
		t.Errorf("baseline without org_id: exit %d, %q", code, stderr)
	}
}

// Row 15: dates are checked where they are read, with a location: a snapshot
// date OPA cannot compare, and an attestation file from the future.
func TestDatesCheckedAtLoad(t *testing.T) {
	raw, err := os.ReadFile(minimal)
	if err != nil {
		t.Fatal(err)
	}
	far := strings.Replace(string(raw), `"collected_at": "2026-11-20T08:00:00Z"`, `"collected_at": "2999-01-01T00:00:00Z"`, 1)
	_, stderr, code := cli(t, "check", writeFile(t, "far.json", far), "--output", filepath.Join(t.TempDir(), "r"))
	if code != exitUsage || !strings.Contains(stderr, "far.json:4:") || !strings.Contains(stderr, "outside the dates") || strings.Contains(stderr, ".rego") {
		t.Errorf("exit %d, %q: want a located snapshot error, not a policy error", code, stderr)
	}
	t.Setenv(envAPIKey, "test-key")
	future := writeFile(t, "att.yaml", "attested_by: x\nattested_at: 2099-01-01\n")
	_, stderr, code = cli(t, "collect", "--attestation", future, "--api-url", "http://127.0.0.1:9", "--quiet")
	if code != exitUsage || !strings.Contains(stderr, "att.yaml:2:14: attested_at 2099-01-01T00:00:00Z is in the future") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// zeroLink is a path that is a symlink to /dev/zero.
func zeroLink(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.Symlink("/dev/zero", p); err != nil {
		t.Fatal(err)
	}
	return p
}

// Row 12: Ctrl-C while reading a file that never ends exits 130 at once,
// in every command that reads files. Before, the read went on past 1.5 GB
// (check), and fleet report and history read with os.ReadFile.
func TestInterruptWhileReading(t *testing.T) {
	for _, tt := range []struct {
		name string
		args func(zero, out string) []string
	}{
		{"check", func(zero, out string) []string { return []string{"check", zero, "--output", out} }},
		{"fleet report", func(zero, out string) []string { return []string{"fleet", "report", zero, "--output", out} }},
		{"history add", func(zero, out string) []string { return []string{"history", "add", zero, "--to", out} }},
		{"history show", func(zero, out string) []string { return []string{"history", "show", zero, "--output", out} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "r.json")
			args := append(tt.args(zeroLink(t, "in.json"), out), "--max-input-size", "1000GiB")
			done := make(chan struct{})
			var code int
			var took time.Duration
			go func() {
				_, _, code, took = cliCtx(t, 200*time.Millisecond, args...)
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("%s still reading 30 s after Ctrl-C", tt.name)
			}
			if code != exitInterrupted || took > 10*time.Second {
				t.Errorf("exit %d after %v, want %d promptly", code, took, exitInterrupted)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("an output was written")
			}
		})
	}
}

// Row 13: every input file has a size cap; the error names the file, the
// limit and the flag that raises it. Before, --config on /dev/zero was read
// whole.
func TestInputSizeCap(t *testing.T) {
	t.Setenv(envAPIKey, "test-key")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"snapshot", []string{"check", zeroLink(t, "s.json")}, "snapshot "},
		{"config", []string{"check", minimal, "--config", zeroLink(t, "c.yaml")}, "config "},
		{"baseline", []string{"check", minimal, "--baseline", zeroLink(t, "b.json")}, "baseline "},
		{"policy file", []string{"check", minimal, "--policies", filepath.Dir(zeroLink(t, "p.rego"))}, "policy file "},
		{"attestation", []string{"collect", "--attestation", zeroLink(t, "a.yaml"), "--api-url", "http://127.0.0.1:9"}, "attestation file is "},
		{"diff", []string{"diff", minimal, zeroLink(t, "new.json")}, "snapshot "},
		{"fleet config", []string{"fleet", "matrix", "--config", zeroLink(t, "fleet.yaml")}, "config "},
		{"fleet index config", []string{"fleet", "index", "--config", zeroLink(t, "fleet.yaml"), "0"}, "config "},
		{"history report", []string{"history", "add", zeroLink(t, "r.json"), "--to", filepath.Join(t.TempDir(), "h.jsonl")}, "report "},
		{"history file", []string{"history", "show", zeroLink(t, "h.jsonl")}, "history "},
		// An unreadable report is a row of the fleet report (exit 1), named
		// with the reason on stderr.
		{"fleet report", []string{"fleet", "report", zeroLink(t, "r.json")}, "report "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(tt.args, "--max-input-size", "1MiB")
			_, stderr, code := cli(t, args...)
			want := exitUsage
			if tt.name == "fleet report" {
				want = exitFindings
			}
			if code != want || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "larger than 1 MiB, the size limit of an input file (--max-input-size raises it)") {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
	if _, stderr, code := cli(t, "check", minimal, "--max-input-size", "lots"); code != exitUsage || !strings.Contains(stderr, "256MiB") {
		t.Errorf("bad size: exit %d, %q", code, stderr)
	}
}

// sparseFile is a file of n zero bytes that takes no disk space.
func sparseFile(t *testing.T, name string, n int64) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err == nil {
		err = f.Truncate(n)
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The default caps: atlcheck reads what it writes. A snapshot (and a JSON
// report read as a baseline) follows the org's size, so its cap holds the
// snapshot of a 2,000,000-account org, as measured on a generated one; the
// files people write keep the smaller cap. Before, the one 256 MiB default
// refused atlcheck's own snapshot above about 420,000 accounts.
func TestInputSizeDefaults(t *testing.T) {
	perAccount := float64(len(synthorg.Bytes(synthorg.Options{Accounts: 2000, Seed: 1}))) / 2000
	if need := int64(perAccount * 2_000_000); need > inputfile.DefaultDataLimit {
		t.Errorf("a 2M-account snapshot is about %d bytes, over the default cap of %d", need, inputfile.DefaultDataLimit)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"snapshot over 2 GiB", []string{"check", sparseFile(t, "s.json", inputfile.DefaultDataLimit+1)},
			"snapshot %s is larger than 2 GiB, the size limit of an input file (--max-input-size raises it)"},
		{"baseline over 2 GiB", []string{"check", minimal, "--baseline", sparseFile(t, "b.json", inputfile.DefaultDataLimit+1)},
			"baseline %s is larger than 2 GiB"},
		// fleet report reads every report it can: an unreadable one is a
		// warning and fails the fleet gate (exit 1).
		{"fleet report input over 2 GiB", []string{"fleet", "report", sparseFile(t, "r.json", inputfile.DefaultDataLimit+1)},
			"warning: report %s is larger than 2 GiB"},
		{"config over 256 MiB", []string{"check", minimal, "--config", sparseFile(t, "c.yaml", inputfile.DefaultLimit+1)},
			"config %s is larger than 256 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := cli(t, tt.args...)
			want := fmt.Sprintf(tt.want, tt.args[len(tt.args)-1])
			if code == exitOK || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stderr %q, want a failure and %q", code, stderr, want)
			}
		})
	}
}

// Row 10: an output that names an input is refused before any work; a
// FIFO (like /dev/stdout or a device) is written through, not replaced.
func TestOutputNamesInput(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "s.json")
	raw, _ := os.ReadFile(minimal)
	os.WriteFile(snap, raw, 0o644)
	link := filepath.Join(dir, "link.json")
	os.Symlink(snap, link)
	cfg := writeFile(t, "c.yaml", "org_id: org-1\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"check --output = --snapshot", []string{"check", snap, "--output", snap}, "--output " + snap + " is the same file as --snapshot"},
		{"check --output = a link to the snapshot", []string{"check", "--snapshot", snap, "--output", link}, "is the same file as --snapshot"},
		{"check --output = --config", []string{"check", snap, "--config", cfg, "--output", cfg}, "is the same file as --config"},
		{"scan --output = --snapshot-out", []string{"scan", "--output", filepath.Join(dir, "x"), "--snapshot-out", filepath.Join(dir, "x")}, "--output " + filepath.Join(dir, "x") + " is the same file as --snapshot-out"},
		{"demo --snapshot-out = --config", []string{"demo", "--config", cfg, "--snapshot-out", cfg}, "--snapshot-out " + cfg + " is the same file as --config"},
		{"collect --output = --config", []string{"collect", "--config", cfg, "--output", cfg}, "is the same file as --config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := cli(t, tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q, want 2 and %q", code, stderr, tt.want)
			}
			if b, _ := os.ReadFile(snap); !bytes.Equal(b, raw) {
				t.Errorf("the snapshot was overwritten")
			}
		})
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	if _, stderr, code := cli(t, "check", snap, "--format", "json", "--fail-on", "none", "--output", fifo); code != exitOK {
		t.Fatalf("check --output FIFO: exit %d %s", code, stderr)
	}
	if b := <-got; !json.Valid(b) {
		t.Errorf("the FIFO's reader got %q", b)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced by a regular file")
	}
}

// Row 14: --api-key-file holds the key on its first line; a second line, a
// byte-order mark and surrounding blanks are dropped; a key with a NUL or a
// control character is a clear error that does not show the key. Before, the
// whole file was sent (0 areas collected, exit 0).
func TestAPIKeyFile(t *testing.T) {
	srv := fakeOrg(t)
	t.Setenv(envAPIKey, "")
	good := []string{
		secretKey + "\nsecond line: a comment\n",
		"\uFEFF" + secretKey + "\n",
		"  " + secretKey + " \r\n",
	}
	for i, content := range good {
		key := writeFile(t, "key", content)
		out := filepath.Join(t.TempDir(), "s.json")
		_, stderr, code := cli(t, "collect", "--api-url", srv.URL(), "--api-key-file", key, "--quiet", "--output", out)
		if code != exitOK {
			t.Errorf("good key file %d: exit %d: %s", i, code, stderr)
			continue
		}
		doc, err := snapshot.Load(out)
		if err != nil || !doc.Header.APIKeys.Collected {
			t.Errorf("good key file %d: api_keys not collected (%v)", i, err)
		}
	}
	bad := map[string]string{
		"NUL":              secretKey[:5] + "\x00" + secretKey[5:],
		"control":          secretKey + "\x1b[2J",
		"space inside":     secretKey[:5] + " " + secretKey[5:],
		"empty first line": "\n" + secretKey + "\n",
		"Bearer prefix":    "Bearer " + secretKey + "\n",
	}
	for name, content := range bad {
		t.Run(name, func(t *testing.T) {
			key := writeFile(t, "key", content)
			_, stderr, code := cli(t, "collect", "--api-url", srv.URL(), "--api-key-file", key, "--quiet")
			if code != exitUsage || !strings.Contains(stderr, "--api-key-file "+key) {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			if strings.Contains(stderr, secretKey[:8]) || strings.Contains(stderr, secretKey[6:]) {
				t.Errorf("the error shows the key: %q", stderr)
			}
		})
	}
	t.Setenv(envAPIKey, "bearer "+secretKey) // the header's value pasted whole
	if _, stderr, code := cli(t, "collect", "--api-url", srv.URL(), "--quiet"); code != exitUsage ||
		!strings.Contains(stderr, "$"+envAPIKey+`: the API key starts with "Bearer ": give the API key alone`) || strings.Contains(stderr, secretKey[6:]) {
		t.Errorf("env key with a Bearer prefix: exit %d, %q", code, stderr)
	}
	t.Setenv(envAPIKey, secretKey+"\x01second")
	if _, stderr, code := cli(t, "collect", "--api-url", srv.URL(), "--quiet"); code != exitUsage || !strings.Contains(stderr, "$"+envAPIKey+": the API key holds a character") {
		t.Errorf("env key with a control character: exit %d, %q", code, stderr)
	}
}

// inertLog fails when stderr holds a control sequence or a line that starts
// a GitHub Actions workflow command.
func inertLog(t *testing.T, stderr string) {
	t.Helper()
	if strings.ContainsAny(stderr, "\x1b\x07\u202e\r") {
		t.Errorf("a raw control character on stderr: %q", stderr)
	}
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") {
			t.Errorf("a stderr line starts a workflow command: %q", line)
		}
	}
}

// Row 7: untrusted text printed on stderr (an error title from the API, an
// org name, a custom policy's file name) is neutralised. Before, it reached
// stderr raw, where the Actions runner reads workflow commands.
func TestStderrIsInert(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "x\n::error file=a::pwned\x1b]0;owned\x07.rego")
	if err := os.WriteFile(name, []byte("package acme.x\n\ndeny contains x if {\n"), 0o644); err != nil {
		t.Skipf("file name not allowed here: %v", err)
	}
	_, stderr, code := cli(t, "check", minimal, "--policies", dir)
	if code != exitUsage || !strings.Contains(stderr, `\x3a:error file=a::pwned\x1b]0;owned\a.rego`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	inertLog(t, stderr)

	srv := hostileAPI(t, secretKey, "t\n::error file=a::pwned \x1b[31mred\x07", "Acme\n::error::org\x1b]0;owned\x07")
	t.Setenv(envAPIKey, secretKey)
	_, stderr, _ = cli(t, "scan", "--api-url", srv, "--format", "json", "--output", filepath.Join(t.TempDir(), "r.json"), "--fail-on", "critical", "--verbose")
	if !strings.Contains(stderr, "api_keys: not collected") {
		t.Errorf("the refused area is not reported: %q", stderr)
	}
	inertLog(t, stderr)
}

// TestPolicyTableIsInert: 'atlcheck policies --policies DIR' prints a custom
// policy's title with its control characters as escapes (an ESC sequence or a
// line break in a METADATA title reached the terminal raw), in one row.
func TestPolicyTableIsInert(t *testing.T) {
	dir := t.TempDir()
	policy := `package acme.ctl

import rego.v1

# METADATA
# title: "Evil \x1b[31mred\x1b[0m\ttitle\n::error::second line"
# description: d
# custom:
#   id: ACME-CTL-001
#   severity: low
#   remediation: r
#   references: [https://example.com]
#   requires: [api_keys]
#   tags: [security]
deny contains f if {
	some k in input.api_keys.items
	k.id == "never"
	f := {"policy_id": "ACME-CTL-001", "resource": k.id}
}
`
	if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("COLUMNS", "300") // the title on one line: wrapping is TestPolicyTableFitsTheWidth's
	stdout, stderr, code := cli(t, "policies", "--policies", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	inertLog(t, stdout)
	var row string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "ACME-CTL-001") {
			row = line
		}
	}
	if !strings.Contains(row, `Evil \x1b[31mred\x1b[0m\ttitle\n::error::second line`) {
		t.Errorf("the custom policy's row is %q, want its title with escapes on one line", row)
	}
}

// TestRegoTestOutputIsInert: 'atlcheck test' names each failing test by
// its file, which a custom policy directory names: a line break or an ESC
// sequence in the file name is printed as an escape (a new line of the CI log
// could start "::error::").
func TestRegoTestOutputIsInert(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"p.rego":                             "package acme.inert\n\nimport rego.v1\n\nx := 1\n",
		"t\n::error::pwned\x1b[2J_test.rego": "package acme.inert_test\n\nimport rego.v1\n\ntest_x if {\n\tdata.acme.inert.x == 2\n}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Skipf("file name not allowed here: %v", err)
		}
	}
	stdout, stderr, code := cli(t, "test", "--policies", dir, "-v")
	if code != exitFindings || !strings.Contains(stdout, `t\n::error::pwned\x1b[2J_test.rego:5:`) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and the file name with escapes", code, stdout, stderr)
	}
	inertLog(t, stdout)
}

// hostileAPI serves the demo org named orgName from the fake admin API (which
// takes key), but answers the API keys list with a 403 whose title is title
// and whose detail echoes the Authorization header it was sent, and echoes
// that header, raw and \u-escaped, in the first label of every other list
// and in the name of every app. The sites take the site credentials of the
// environment.
func hostileAPI(t *testing.T, key, title, orgName string) string {
	t.Helper()
	var org snapshot.Snapshot
	if err := json.Unmarshal(atlcheck.DemoSnapshot, &org); err != nil {
		t.Fatal(err)
	}
	org.Org.Name = orgName
	fake := fakeapi.New(&org, fakeapi.Options{APIKey: key, SiteEmail: os.Getenv(envSiteEmail), SiteToken: os.Getenv(envSiteToken)})
	t.Cleanup(fake.Close)
	u, _ := url.Parse(fake.URL())
	proxy := httputil.NewSingleHostReverseProxy(u)
	echo := regexp.MustCompile(`"(label|name)":\s*"`)
	var self string
	proxy.ModifyResponse = func(resp *http.Response) error {
		auth := resp.Request.Header.Get("Authorization")
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		escaped := strings.ReplaceAll(strings.ReplaceAll(auth, "e", `\u0065`), "_", `\u005f`)
		b = bytes.ReplaceAll(b, []byte(fake.URL()), []byte(self)) // the sites too are reached through here
		b = []byte(echo.ReplaceAllStringFunc(string(b), func(m string) string { return m + auth + " / " + escaped + " / " }))
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", fmt.Sprint(len(b)))
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/api-keys") {
			body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"code": "ADMIN-403-3", "title": title,
				"detail": "you sent " + r.Header.Get("Authorization")}}})
			w.WriteHeader(http.StatusForbidden)
			w.Write(body)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	self = srv.URL
	return srv.URL
}

// Row 6: a server that echoes the API key ("Bearer <key>") or the site Basic
// value, raw or \u-escaped, in errors, items and app names gets it masked
// in the snapshot, every report format, stderr and the step summary. Before,
// the key was copied everywhere, backslash-escaped in Markdown so that exact
// log masking missed it.
func TestSecretsNeverEchoed(t *testing.T) {
	const key = "atl_SECRET*key_4f9a1c" // Markdown escapes _ and *
	const email, token = "site.admin@example.com", "site_TOKEN*9b8a7c"
	t.Setenv(envAPIKey, key)
	t.Setenv(envSiteEmail, email)
	t.Setenv(envSiteToken, token)
	srv := hostileAPI(t, key, "Forbidden for Bearer "+key, "Acme")
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	snap := filepath.Join(dir, "s.json")
	outputs := map[string]string{}
	_, stderr, code := cli(t, "scan", "--api-url", srv, "--format", "markdown", "--output", filepath.Join(dir, "r.md"),
		"--snapshot-out", snap, "--verbose", "--fail-on", "none")
	if code != exitOK {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	outputs["scan stderr"] = stderr
	for _, format := range []string{"text", "json", "sarif", "markdown", "junit", "github", "csv", "html"} {
		stdout, stderr, _ := cli(t, "check", snap, "--format", format, "--fail-on", "none", "--no-step-summary")
		outputs[format] = stdout + stderr
	}
	for _, f := range []string{snap, filepath.Join(dir, "r.md"), summary} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(f)] = string(b)
	}
	basic := base64.StdEncoding.EncodeToString([]byte(email + ":" + token))
	forms := []string{key, token, basic, `atl\_SECRET\*key\_4f9a1c`, `site\_TOKEN\*9b8a7c`, "SECRET*key", "TOKEN*9b8a7c"}
	for name, out := range outputs {
		for _, f := range forms {
			if strings.Contains(out, f) {
				t.Errorf("%s holds the secret form %q", name, f)
			}
		}
	}
	if !strings.Contains(outputs["s.json"], "Bearer [redacted]") || !strings.Contains(outputs["s.json"], "Basic [redacted]") {
		t.Errorf("the snapshot shows no masked echo of the key and the Basic value")
	}
}

// Row 13: --max-area-size bounds each area's answers in all; the area past it
// is not collected, and the message names the flag.
func TestMaxAreaSize(t *testing.T) {
	srv := fakeOrg(t)
	t.Setenv(envAPIKey, secretKey)
	out := filepath.Join(t.TempDir(), "s.json")
	_, stderr, code := cli(t, "collect", "--api-url", srv.URL(), "--max-area-size", "2KiB", "--output", out)
	if code != exitOK || !strings.Contains(stderr, "add up to more than 2048 bytes (--max-area-size raises the limit)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	doc, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	full, err := doc.Full()
	if err != nil {
		t.Fatal(err)
	}
	if full.ManagedAccounts.Collected {
		t.Errorf("managed_accounts collected past the area cap")
	}
}
