package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestVersionFlagIsVersionCommand(t *testing.T) {
	want, _, code := cli(t, "version")
	if code != 0 {
		t.Fatalf("version: exit %d", code)
	}
	got, stderr, code := cli(t, "--version")
	if code != 0 || got != want {
		t.Errorf("--version: exit %d, stdout %q (stderr %q), want %q", code, got, stderr, want)
	}
}

func TestHelpForms(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "Commands:"},
		{[]string{"--help"}, "Commands:"},
		{[]string{"-h"}, "Commands:"},
		{[]string{"help", "--help"}, "Usage: atlcheck help [command [subcommand]]"},
		{[]string{"help", "-h"}, "Usage: atlcheck help"},
		{[]string{"help", "check"}, "--min-severity"},
		{[]string{"help", "attest"}, "init"},
		{[]string{"help", "attest", "init"}, "FILL_IN"},
		{[]string{"help", "completion"}, "source <(atlcheck completion bash)"},
		{[]string{"attest", "--help"}, "init"},
	}
	for _, tt := range tests {
		stdout, stderr, code := cli(t, tt.args...)
		if code != 0 || !strings.Contains(stdout, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 0 and %q on stdout", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

// TestHelpFlagWritesToStdout: the help a user asks for with --help or -h is
// the command's output, on stdout (so 'atlcheck scan --help | grep timeout'
// works), the same text as 'atlcheck help <command>', for every command and
// subcommand; a command without flags prints no empty "Flags:" heading.
func TestHelpFlagWritesToStdout(t *testing.T) {
	var paths [][]string
	for _, c := range commands() {
		if c.hidden || c.name == "help" {
			continue
		}
		paths = append(paths, []string{c.name})
		if c.subs != nil {
			for _, sub := range c.subs() {
				paths = append(paths, []string{c.name, sub.name})
			}
		}
	}
	for _, path := range paths {
		want, _, _ := cli(t, append([]string{"help"}, path...)...)
		for _, flag := range []string{"--help", "-h"} {
			args := append(slices.Clone(path), flag)
			stdout, stderr, code := cli(t, args...)
			if code != 0 || stderr != "" || stdout == "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 0, the help on stdout and nothing on stderr", args, code, stdout, stderr)
				continue
			}
			if stdout != want {
				t.Errorf("%v printed\n%s\nwant what 'help %s' prints:\n%s", args, stdout, strings.Join(path, " "), want)
			}
			if strings.HasSuffix(strings.TrimSpace(stdout), "Flags:") {
				t.Errorf("%v: an empty Flags: heading:\n%s", args, stdout)
			}
		}
	}
}

// TestDidYouMean: every unknown word of the command line gets the closest
// known one.
func TestDidYouMean(t *testing.T) {
	cfg := writeFile(t, "c.yaml", "parameters:\n  api_key:\n    unused_days: 3\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"chek"}, `unknown command "chek" (did you mean "check"?)`},
		{[]string{"polices"}, `(did you mean "policies"?)`},
		{[]string{"help", "scna"}, `unknown command "scna" (did you mean "scan"?)`},
		{[]string{"attest", "int"}, `unknown command "attest int" (did you mean "init"?)`},
		{[]string{"check", minimal, "--fromat", "json"}, "unknown flag: --fromat (did you mean --format?)"},
		{[]string{"check", minimal, "-format", "json"}, "(long flags take two dashes: --format)"},
		{[]string{"check", minimal, "--format", "sarf"}, `unknown --format "sarf" (want one of: text, json, sarif`},
		{[]string{"check", minimal, "--format", "sarf"}, `(did you mean "sarif"?)`},
		{[]string{"check", minimal, "--fail-on", "hihg"}, `(did you mean "high"?)`},
		{[]string{"check", minimal, "--min-severity", "meduim"}, `(did you mean "medium"?)`},
		{[]string{"check", minimal, "--policy", "ATL-KEY-01"}, `--policy "ATL-KEY-01" matches no policy (did you mean ATL-KEY-001?)`},
		{[]string{"check", minimal, "--config", cfg}, `c.yaml:2:3: unknown setting "api_key" in parameters (did you mean "api_keys"?)`},
		{[]string{"diff", minimal, minimal, "--format", "markdwn"}, `(did you mean "markdown"?)`},
		{[]string{"completion", "bsh"}, `unknown shell "bsh" (want bash, zsh or fish) (did you mean "bash"?)`},
		{[]string{"--snapshot", minimal}, "flags go after the command"},
	}
	for _, tt := range tests {
		stdout, stderr, code := cli(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	// Another word is not a typo: tcsh is two letters from bash (qa1).
	if _, stderr, _ := cli(t, "completion", "tcsh"); strings.Contains(stderr, "did you mean") {
		t.Errorf("completion tcsh: %q, want no suggestion", stderr)
	}
}

func TestFormatNamesAnyCase(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	if _, stderr, code := cli(t, "check", minimal, "--format", "JSON", "--fail-on", "NONE", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v map[string]any
	if b, _ := os.ReadFile(out); json.Unmarshal(b, &v) != nil {
		t.Error("--format JSON did not write the JSON report")
	}
}

func TestCheckTakesTheSnapshotAsArgument(t *testing.T) {
	a, _, codeA := cli(t, "check", acmeSnapshot, "--format", "json")
	b, _, codeB := cli(t, "check", "--snapshot", acmeSnapshot, "--format", "json")
	if a == "" || a != b || codeA != codeB {
		t.Errorf("check FILE and check --snapshot FILE differ (exit %d vs %d)", codeA, codeB)
	}
}

// TestSnapshotThatIsAnotherFile gives check and diff every other file
// atlcheck writes or reads, and wants a message naming what it is.
func TestSnapshotThatIsAnotherFile(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"json", "sarif", "markdown", "junit", "csv", "text", "github"} {
		cli(t, "check", acmeSnapshot, "--format", format, "--fail-on", "none", "-o", filepath.Join(dir, "report."+format))
	}
	diffOut := filepath.Join(dir, "diff.json")
	cli(t, "diff", acmeSnapshot, acmeSnapshot, "--format", "json", "-o", diffOut)
	tests := []struct{ file, want string }{
		{"report.json", "is an atlcheck JSON report (use it as --baseline), not a snapshot"},
		{"report.sarif", "is a SARIF log"},
		{"report.markdown", "is a Markdown report"},
		{"report.junit", "is a JUnit XML report"},
		{"report.csv", "is a CSV report"},
		{"report.text", "is a text report"},
		{"report.github", "is a GitHub annotations report"},
		{"diff.json", "is a diff of two snapshots"},
		{"../../../testdata/attestation/acme.yaml", "is an attestation file (give it to collect or scan with --attestation)"},
		{"../../../testdata/config/acme.yaml", "is a config file (give it with --config)"},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.file)
		if strings.HasPrefix(tt.file, "../") {
			path = strings.TrimPrefix(tt.file, "../")
		}
		for _, args := range [][]string{{"check", path}, {"diff", acmeSnapshot, path}} {
			_, stderr, code := cli(t, args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "give the snapshot file it was made from") {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", args, code, stderr, tt.want)
			}
		}
	}
	// A SARIF log saved with a byte-order mark is still named.
	sarif, err := os.ReadFile(filepath.Join(dir, "report.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	marked := writeFile(t, "marked.sarif", "\uFEFF"+string(sarif))
	if _, stderr, code := cli(t, "check", marked); code != exitUsage || !strings.Contains(stderr, "is a SARIF log") {
		t.Errorf("SARIF with a byte-order mark: exit %d, stderr %q; want exit 2 and \"is a SARIF log\"", code, stderr)
	}
	// A real snapshot with an error keeps its own located message.
	broken := writeFile(t, "s.json", `{"schema_version": 1, "org": {"id": 5}}`)
	if _, stderr, _ := cli(t, "check", broken); strings.Contains(stderr, "not a snapshot") || !strings.Contains(stderr, "s.json:") {
		t.Errorf("broken snapshot: %q, want its schema error", stderr)
	}
}

// TestPolicySelection: --policy and --skip-policy choose what runs (and so
// what the gate counts); the report says what was left out.
func TestPolicySelection(t *testing.T) {
	type report struct {
		Policies []struct{ ID string } `json:"policies"`
		Findings []struct {
			PolicyID string `json:"policy_id"`
			Severity string `json:"severity"`
		} `json:"findings"`
		Gate    struct{ Count int } `json:"gate"`
		Filters []string            `json:"filters"`
	}
	run := func(args ...string) (report, int) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "r.json")
		_, stderr, code := cli(t, append([]string{"check", acmeSnapshot, "--format", "json", "-o", out}, args...)...)
		var r report
		b, err := os.ReadFile(out)
		if err != nil || json.Unmarshal(b, &r) != nil {
			t.Fatalf("%v: exit %d, %s", args, code, stderr)
		}
		return r, code
	}
	all, allCode := run()
	keys, _ := run("--policy", "atl-key-*", "--policy", "ATL-TOK-002")
	for _, p := range keys.Policies {
		if !strings.HasPrefix(p.ID, "ATL-KEY-") && p.ID != "ATL-TOK-002" {
			t.Errorf("--policy ATL-KEY-* ran %s", p.ID)
		}
	}
	if len(keys.Policies) != 6 || len(keys.Filters) != 1 || !strings.Contains(keys.Filters[0], fmt.Sprintf("6 of %d policies evaluated", len(all.Policies))) {
		t.Errorf("got %d policies, filters %q; want 6 and a note", len(keys.Policies), keys.Filters)
	}
	skipped, _ := run("--skip-policy", "ATL-AAS-*,ATL-ACC-*")
	for _, f := range skipped.Findings {
		if strings.HasPrefix(f.PolicyID, "ATL-AAS-") || strings.HasPrefix(f.PolicyID, "ATL-ACC-") {
			t.Errorf("--skip-policy left finding of %s", f.PolicyID)
		}
	}
	if skipped.Gate.Count >= all.Gate.Count {
		t.Errorf("gate counted %d with policies skipped, %d without: skipped policies must not count", skipped.Gate.Count, all.Gate.Count)
	}
	// --min-severity changes what is shown, never the gate.
	high, highCode := run("--min-severity", "high")
	for _, f := range high.Findings {
		if f.Severity != "critical" && f.Severity != "high" {
			t.Errorf("--min-severity high shows a %s finding", f.Severity)
		}
	}
	if highCode != allCode || high.Gate.Count != all.Gate.Count || len(high.Findings) >= len(all.Findings) {
		t.Errorf("--min-severity high: exit %d gate %d findings %d; without: exit %d gate %d findings %d",
			highCode, high.Gate.Count, len(high.Findings), allCode, all.Gate.Count, len(all.Findings))
	}
	low, lowCode := run("--min-severity", "critical", "--fail-on", "low")
	if lowCode != exitFindings || len(low.Filters) != 1 || !strings.Contains(low.Filters[0], "the gate (--fail-on low) still counts every finding") {
		t.Errorf("exit %d filters %q", lowCode, low.Filters)
	}
}

func TestNoColorOutsideATerminal(t *testing.T) {
	stdout, _, _ := cli(t, "check", acmeSnapshot)
	if strings.Contains(stdout, "\x1b") {
		t.Error("colour codes written to a pipe")
	}
}

// TestByteOrderMarkInputs: every JSON input saved with a UTF-8 byte-order
// mark (Notepad, PowerShell's Out-File) reads as without it: the snapshot of
// check and diff, the baseline, the reports of fleet report and history add.
// The snapshot read "1:1: invalid JSON: invalid character 'ï'" before.
func TestByteOrderMarkInputs(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(acmeSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	snap := writeFile(t, "s.json", "\uFEFF"+string(raw))
	report := filepath.Join(dir, "r.json")
	if _, stderr, code := cli(t, "check", snap, "--format", "json", "--fail-on", "none", "-o", report); code != exitOK {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	marked := writeFile(t, "r.json", "\uFEFF"+string(data))
	for _, args := range [][]string{
		{"check", snap, "--baseline", marked, "--fail-on", "none", "-o", filepath.Join(dir, "again.json")},
		{"diff", snap, acmeSnapshot, "-o", filepath.Join(dir, "diff.txt")},
		{"fleet", "report", marked, "--max-age", "876000h", "-o", filepath.Join(dir, "fleet.md")},
		{"history", "add", marked, "--to", filepath.Join(dir, "h.jsonl")},
	} {
		if _, stderr, code := cli(t, args...); code != exitOK {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
}
