package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/codescanning"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/report"
)

// sarifOf runs check on snapshot and returns the SARIF report.
func sarifOf(t *testing.T, snapshot string, extra ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "r.sarif")
	args := append([]string{"check", "--snapshot", snapshot, "--format", "sarif", "--fail-on", "none", "--output", out}, extra...)
	if _, stderr, code := cli(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// failedTokens is the demo snapshot on a night the token list answers 403.
func failedTokens(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(acmeSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(raw), `"api_tokens": {
    "source": "api",
    "collected": true,`, `"api_tokens": {
    "source": "api",
    "collected": false,
    "error": {"status": 403, "code": "ADMIN-403", "endpoint": "GET /admin/api-access/v1/orgs/{orgId}/api-tokens", "message": "Forbidden"},`, 1)
	if s == string(raw) {
		t.Fatal("fixture edit did not apply")
	}
	return writeFile(t, "failed-tokens.json", s)
}

// TestFailedAreaClosesNoAlert uploads three nights to the code scanning
// stand-in: a good one, one where api_tokens fails, a good one again. The
// failed night changes no alert, and its JSON report lists no token finding
// as fixed.
func TestFailedAreaClosesNoAlert(t *testing.T) {
	var repo codescanning.Repo
	upload := func(sarif []byte) []codescanning.Change {
		t.Helper()
		changes, err := repo.Upload(sarif)
		if err != nil {
			t.Fatalf("GitHub would reject the upload: %v", err)
		}
		return changes
	}
	upload(sarifOf(t, acmeSnapshot))
	tokens := 0
	for _, k := range repo.Open() {
		if strings.HasPrefix(k.RuleID, "ATL-TOK-") {
			tokens++
		}
	}
	if tokens == 0 {
		t.Fatal("the demo org has no token alerts; the test proves nothing")
	}
	bad := failedTokens(t)
	opened, closed, changes := uploadListed(t, &repo, sarifOf(t, bad))
	for _, c := range changes {
		if c.To == codescanning.Fixed {
			t.Errorf("the night api_tokens failed closed %+v", c.Key)
		}
	}
	if len(closed) != 0 {
		t.Errorf("the night api_tokens failed closed %+v", closed)
	}
	for _, a := range opened {
		if !strings.HasPrefix(a.RuleID, "ATL-COL-") {
			t.Errorf("the failed night opened %+v; only the collection alert may open", a)
		}
	}
	opened, closed, _ = uploadListed(t, &repo, sarifOf(t, acmeSnapshot))
	for _, a := range append(opened, closed...) {
		if strings.HasPrefix(a.RuleID, "ATL-TOK-") {
			t.Errorf("the good night after the failure changed token alert %+v", a)
		}
	}

	// The baseline comparison agrees: unknown is not fixed.
	previous := filepath.Join(t.TempDir(), "previous.json")
	if _, stderr, code := cli(t, "check", "--snapshot", acmeSnapshot, "--format", "json", "--output", previous, "--fail-on", "none"); code != exitOK {
		t.Fatal(stderr)
	}
	md := filepath.Join(t.TempDir(), "r.md")
	if _, stderr, code := cli(t, "check", "--snapshot", bad, "--baseline", previous, "--format", "markdown", "--output", md, "--fail-on", "none"); code != exitOK {
		t.Fatal(stderr)
	}
	b, _ := os.ReadFile(md)
	if strings.Contains(string(b), "## Fixed since last run") {
		t.Errorf("findings of the failed area are reported fixed:\n%s", b)
	}
}

// TestSuppressedOpensNoAlert: an excepted finding is not a SARIF result, so
// code scanning opens no alert for it; the run says why.
func TestSuppressedOpensNoAlert(t *testing.T) {
	rep := checkJSON(t, acmeSnapshot, "--config", acmeConfig)
	if rep.Summary.Suppressed == 0 {
		t.Fatal("the demo config suppresses nothing; the test proves nothing")
	}
	sarif := sarifOf(t, acmeSnapshot, "--config", acmeConfig)
	var repo codescanning.Repo
	if _, err := repo.Upload(sarif); err != nil {
		t.Fatal(err)
	}
	open := map[string]bool{}
	for _, k := range repo.Open() {
		open[k.Fingerprint] = true
	}
	for _, f := range rep.Findings {
		if f.Suppressed && open[model.Fingerprint(f.PolicyID, f.Resource)] {
			t.Errorf("suppressed finding %s %s opened an alert", f.PolicyID, f.Resource)
		}
	}
	if len(open) == 0 {
		t.Error("no alert at all")
	}
	if !strings.Contains(string(sarif), `"atlcheck/suppressedFindings": "omitted:`) {
		t.Error("the SARIF runs do not say suppressed findings are omitted")
	}
	with := sarifOf(t, acmeSnapshot, "--config", acmeConfig, "--sarif-include-suppressed")
	if !strings.Contains(string(with), `"status": "accepted"`) {
		t.Error("--sarif-include-suppressed did not write the suppressed findings")
	}
}

func TestStepSummaryWithinLimit(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	earlier := strings.Repeat("x", report.StepSummaryMaxBytes-6000) + "\n"
	if err := os.WriteFile(summary, []byte(earlier), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	_, stderr, code := cli(t, "check", "--snapshot", acmeSnapshot, "--format", "json", "--fail-on", "none",
		"--output", filepath.Join(t.TempDir(), "r.json"), "--full-report", "the workflow run's artifacts")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(summary)
	if len(b) >= report.StepSummaryMaxBytes || !strings.HasPrefix(string(b), earlier) {
		t.Fatalf("step summary is %d bytes, want the earlier content and under %d", len(b), report.StepSummaryMaxBytes)
	}
	added := strings.TrimSpace(string(b[len(earlier):]))
	if !strings.Contains(added, "## Summary") || !strings.HasSuffix(added, "The whole report: the workflow run's artifacts.") {
		t.Errorf("added summary does not end with what was left out:\n%s", added[max(len(added)-400, 0):])
	}

	// A full file gets nothing more, and a warning.
	if err := os.WriteFile(summary, []byte(strings.Repeat("x", report.StepSummaryMaxBytes)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = cli(t, "check", "--snapshot", acmeSnapshot, "--format", "json", "--fail-on", "none", "--output", filepath.Join(t.TempDir(), "r.json"))
	if b, _ := os.ReadFile(summary); code != exitOK || len(b) != report.StepSummaryMaxBytes || !strings.Contains(stderr, "step summary is full") {
		t.Errorf("exit %d, %d bytes, stderr %q: want nothing appended and a warning", code, len(b), stderr)
	}
}

func TestMarkdownForPR(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.md")
	_, stderr, code := cli(t, "check", "--snapshot", acmeSnapshot, "--format", "markdown", "--fail-on", "none",
		"--output", out, "--markdown-for", "pr", "--max-bytes", "4000")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	if len(b) > 4000 || !strings.Contains(string(b), "Left out to stay within 4,000 bytes") {
		t.Errorf("%d bytes; want at most 4,000 and the note of what was left out", len(b))
	}
}

func TestGitHubFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--sarif-max-results", "0"}, "--sarif-max-results 0 is out of range"},
		{[]string{"--sarif-max-results", "5001"}, "want 1 to 5000"},
		{[]string{"--max-bytes", "-1"}, "--max-bytes -1 is negative"},
		{[]string{"--markdown-for", "slack"}, `unknown --markdown-for "slack"`},
	}
	for _, tt := range tests {
		out := filepath.Join(t.TempDir(), "r.sarif")
		args := append([]string{"check", "--snapshot", acmeSnapshot, "--format", "sarif", "--output", out}, tt.args...)
		_, stderr, code := cli(t, args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: a report was written", tt.args)
		}
	}
}

// TestFilteredSARIFClosesNoAlert: an upload replaces each of its categories'
// alerts ("SARIF support for code scanning": a second upload of a tool and
// category overwrites the earlier results), so a SARIF report that leaves
// findings out with --min-severity, --policy or --skip-policy would close
// their alerts as fixed although nothing changed. Such a report is refused
// (exit 2, no file), or, if written, closes nothing.
func TestFilteredSARIFClosesNoAlert(t *testing.T) {
	full := sarifOf(t, acmeSnapshot)
	for _, filter := range [][]string{
		{"--min-severity", "critical"},
		{"--min-severity", "medium"},
		{"--policy", "ATL-KEY-*"},
		{"--skip-policy", "ATL-TOK-001"},
	} {
		var repo codescanning.Repo
		if _, err := repo.Upload(full); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "r.sarif")
		args := append([]string{"check", "--snapshot", acmeSnapshot, "--format", "sarif", "--fail-on", "none", "--output", out}, filter...)
		_, stderr, code := cli(t, args...)
		if code == exitUsage {
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%v: refused but wrote %s", filter, out)
			}
			if !strings.Contains(stderr, "close") || !strings.Contains(stderr, filter[0]) {
				t.Errorf("%v: the refusal does not say why: %s", filter, stderr)
			}
			continue
		}
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", filter, code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		_, closed, _ := uploadListed(t, &repo, b)
		if len(closed) > 0 {
			t.Errorf("%v: the filtered report closed %d alerts, e.g. %+v", filter, len(closed), closed[0])
		}
	}
	// No filter at all (--min-severity info is none) is written as always.
	sarifOf(t, acmeSnapshot, "--min-severity", "info")
}

// TestStepSummaryUnwritable: a GITHUB_STEP_SUMMARY that cannot be written
// (a path into a missing directory) is a warning: the report, written
// before it, is the product, and the exit code is the gate's (it was exit 2
// after the report had been written).
func TestStepSummaryUnwritable(t *testing.T) {
	t.Setenv("GITHUB_STEP_SUMMARY", filepath.Join(t.TempDir(), "missing", "summary.md"))
	for _, tc := range []struct {
		failOn string
		code   int
	}{{"none", exitOK}, {"high", exitFindings}} {
		out := filepath.Join(t.TempDir(), "r.json")
		_, stderr, code := cli(t, "check", "--snapshot", acmeSnapshot, "--format", "json", "--fail-on", tc.failOn, "--output", out)
		if code != tc.code || !strings.Contains(stderr, "atlcheck: warning: the report is not added to the step summary ($GITHUB_STEP_SUMMARY): open ") ||
			!strings.Contains(stderr, "no such file or directory") {
			t.Errorf("--fail-on %s: exit %d, stderr %q; want exit %d and a warning naming the summary", tc.failOn, code, stderr, tc.code)
		}
		if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), `"findings"`) {
			t.Errorf("--fail-on %s: the report was not written: %v", tc.failOn, err)
		}
	}
}
