package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minimalVariant writes a copy of the minimal snapshot with old replaced by new.
func minimalVariant(t *testing.T, name, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(minimal)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.Contains(s, old) {
		t.Fatalf("minimal snapshot lacks %q", old)
	}
	return writeFile(t, name, strings.Replace(s, old, new, 1))
}

func TestDiffExitCodes(t *testing.T) {
	mfaOff := minimalVariant(t, "mfa-off.json", `"mfa_enabled": true`, `"mfa_enabled": false`)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"identical", []string{minimal, minimal}, exitOK, "\nNo changes.\n"},
		{"identical with --exit-code", []string{minimal, minimal, "--exit-code"}, exitOK, "\nNo changes.\n"},
		{"changed", []string{minimal, mfaOff}, exitOK, "MFA turned off. (risk increased)"},
		{"changed with --exit-code", []string{"--exit-code", minimal, mfaOff}, exitFindings, "MFA turned off"},
		{"json", []string{minimal, mfaOff, "--format", "json"}, exitOK, `"risk": "increased"`},
		{"markdown", []string{minimal, mfaOff, "--format", "markdown"}, exitOK, "| ✏️ changed | `a1` |"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := cli(t, append([]string{"diff"}, tt.args...)...)
			if code != tt.wantCode || stderr != "" {
				t.Fatalf("got exit %d and stderr %q, want exit %d and no stderr", code, stderr, tt.wantCode)
			}
			if !strings.Contains(stdout, tt.want) {
				t.Errorf("got stdout:\n%s\nwant it to contain %q", stdout, tt.want)
			}
		})
	}
}

func TestDiffWritesOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "drift.json")
	stdout, stderr, code := cli(t, "diff", minimal, minimal, "--format", "json", "-o", out)
	if code != exitOK || stdout != "" || stderr != "" {
		t.Fatalf("got exit %d, stdout %q, stderr %q, want exit 0 and no output", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		FormatVersion int   `json:"format_version"`
		Changes       []any `json:"changes"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.FormatVersion != 1 || doc.Changes == nil || len(doc.Changes) != 0 {
		t.Errorf("got %s (error %v), want format_version 1 and an empty changes array", b, err)
	}
}

func TestDiffBadInputs(t *testing.T) {
	otherOrg := minimalVariant(t, "other.json", `"id": "org-1"`, `"id": "org-2"`)
	badJSON := writeFile(t, "s.json", "{\n \"a\": 1,,\n}")
	badSchema := minimalVariant(t, "schema.json", `"collected": true, "items": []},
  "managed_accounts"`, `"collected": "yes", "items": []},
  "managed_accounts"`)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"old missing", []string{"nope.json", minimal}, []string{"read snapshot", "nope.json"}},
		{"new missing", []string{minimal, "gone.json"}, []string{"read snapshot", "gone.json"}},
		{"invalid json", []string{minimal, badJSON}, []string{"s.json:2:", "invalid JSON"}},
		{"schema violation", []string{badSchema, minimal}, []string{"schema.json:10:", "at /api_tokens/collected"}},
		{"different orgs", []string{minimal, otherOrg}, []string{"different organizations", "org-1", "org-2"}},
		{"one argument", []string{minimal}, []string{"want two snapshot files", "got 1"}},
		{"three arguments", []string{minimal, minimal, minimal}, []string{"got 3"}},
		{"unknown format", []string{minimal, minimal, "--format", "sarif"}, []string{`unknown --format "sarif"`, "markdown"}},
		{"unknown flag", []string{minimal, minimal, "--colour"}, []string{"unknown flag: --colour"}},
		{"output dir missing", []string{minimal, minimal, "-o", filepath.Join(t.TempDir(), "no", "d.md")}, []string{"does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantDiffUsageError(t, tt.args, tt.want) })
	}
}

// wantDiffUsageError runs diff and wants exit 2, each of want in stderr, no
// stdout and no output file.
func wantDiffUsageError(t *testing.T, args, want []string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "drift.txt")
	args = append([]string{"diff"}, args...)
	if !contains(args, "-o") {
		args = append(args, "-o", out)
	}
	stdout, stderr, code := cli(t, args...)
	if code != exitUsage || stdout != "" {
		t.Errorf("got exit %d and stdout %q, want exit %d and no stdout", code, stdout, exitUsage)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("got stderr %q, want it to contain %q", stderr, w)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("got an output file despite the error, want none")
	}
}

func TestDiffWarnsWhenOldIsNewer(t *testing.T) {
	earlier := minimalVariant(t, "earlier.json", `"collected_at": "2026-11-20T08:00:00Z"`, `"collected_at": "2026-11-01T08:00:00Z"`)
	_, stderr, code := cli(t, "diff", minimal, earlier)
	if code != exitOK || !strings.Contains(stderr, "warning") || !strings.Contains(stderr, "collected after") {
		t.Errorf("got exit %d and stderr %q, want exit 0 and a warning", code, stderr)
	}
}

func TestDiffHelp(t *testing.T) {
	stdout, stderr, code := cli(t, "diff", "--help")
	if code != exitOK || !strings.Contains(stdout+stderr, "--exit-code") {
		t.Errorf("got exit %d, output %q, want exit 0 and the flags", code, stdout+stderr)
	}
	if stdout, _, _ := cli(t, "help"); !strings.Contains(stdout, "diff") {
		t.Errorf("got help %q, want it to list diff", stdout)
	}
}
