package check_test

// GitHub's limits on what atlcheck writes there (docs/github.md, "Code
// scanning at scale"), on synthetic orgs: a 10,000-account org in `make
// test`, 100,000 and 160,000 accounts under `make bench` (ATLCHECK_LARGE=1).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/check"
	"github.com/atlcheck/atlcheck/internal/codescanning"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/report"
	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
)

// synthRun evaluates a synthetic org, after mutate (if any) changed it.
func synthRun(t *testing.T, accounts int, mutate func(*snapshot.Snapshot)) *model.Run {
	t.Helper()
	data := synthOrg(accounts)
	if mutate != nil {
		s := synthorg.Generate(synthorg.Options{Accounts: accounts, Seed: 1})
		mutate(s)
		var err error
		if data, err = json.MarshalIndent(s, "", "  "); err != nil {
			t.Fatal(err)
		}
	}
	name := fmt.Sprintf("synth-%dk.json", accounts/1000)
	doc, err := snapshot.Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	es := mustEngines(t)
	run, err := es.evaluate(context.Background(), doc, check.Options{SnapshotPath: name, FailOn: model.SeverityHigh})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func render(t *testing.T, format string, run *model.Run, opts report.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.WriteWith(&buf, format, run, opts); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

// sarifTotals reads the SARIF log's accounting after GitHub's checks.
type sarifTotals struct {
	Findings, Results, Individual, Folded, Aggregates, SuppressedOmitted, Withheld, CarriedForward, MaxResults int
}

// checkSARIF checks a SARIF log against GitHub's limits and atlcheck's
// promise: at most maxResults results, every finding of the JSON report
// accounted for.
func checkSARIF(t *testing.T, sarif []byte, run *model.Run, maxResults int) sarifTotals {
	t.Helper()
	log, err := codescanning.Parse(sarif)
	if err != nil {
		t.Fatalf("GitHub would reject the SARIF: %v", err)
	}
	var props struct {
		Properties struct {
			Totals sarifTotals `json:"atlcheck/totals"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(sarif, &props); err != nil {
		t.Fatal(err)
	}
	tot := props.Properties.Totals
	results := 0
	for _, r := range log.Runs {
		results += len(r.Results)
		for _, res := range r.Results {
			if first := firstSentence(res.Message.Text); utf8.RuneCountInString(first) > codescanning.MaxTitleRunes {
				t.Fatalf("%s: alert title of %d characters", res.RuleID, utf8.RuneCountInString(first))
			}
		}
	}
	if results > maxResults || results != tot.Results || tot.Results != tot.Individual+tot.Aggregates+tot.CarriedForward {
		t.Errorf("%d results (totals %+v), want at most %d", results, tot, maxResults)
	}
	if tot.Findings != len(run.Findings) || tot.Individual+tot.Folded+tot.SuppressedOmitted+tot.Withheld != tot.Findings {
		t.Errorf("totals %+v do not account for the JSON report's %d findings", tot, len(run.Findings))
	}
	return tot
}

// firstSentence mirrors GitHub's alert title: up to the first ". " or line break.
func firstSentence(msg string) string {
	if i := strings.IndexAny(msg, "\n\r"); i >= 0 {
		msg = msg[:i]
	}
	for i := 0; i+1 < len(msg); i++ {
		if (msg[i] == '.' || msg[i] == '!' || msg[i] == '?') && (msg[i+1] == ' ' || msg[i+1] == '\t') {
			return msg[:i+1]
		}
	}
	return msg
}

// checkMarkdownBudget checks a cut Markdown report: within max bytes (and
// so characters), whole rows, ending with the note of what was left out.
func checkMarkdownBudget(t *testing.T, md []byte, max int) {
	t.Helper()
	if len(md) > max || utf8.RuneCount(md) > max {
		t.Fatalf("%d bytes, %d characters: over %d", len(md), utf8.RuneCount(md), max)
	}
	checkMarkdownTables(t, string(md))
	lines := strings.Split(strings.TrimSpace(string(md)), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "Left out to stay within") || !strings.Contains(last, "The whole report:") {
		t.Errorf("last line %.300q does not say what was left out", last)
	}
}

// TestGitHubLimitsCI: the limits at a CI size (10,000 accounts).
func TestGitHubLimitsCI(t *testing.T) {
	run := synthRun(t, 10000, nil)
	checkSARIF(t, render(t, "sarif", run, report.Options{}), run, report.MaxSARIFResults)
	// A lower limit folds, and still accounts for every finding.
	tot := checkSARIF(t, render(t, "sarif", run, report.Options{SARIF: report.SARIFOptions{MaxResults: 500}}), run, 500)
	if tot.Aggregates == 0 || tot.Folded == 0 {
		t.Errorf("totals %+v: nothing folded at a limit of 500", tot)
	}
	pr := render(t, "markdown", run, report.Options{MaxBytes: report.PRCommentMaxChars - 1})
	checkMarkdownBudget(t, pr, report.PRCommentMaxChars-1)
	if !bytes.Contains(pr, []byte("### 🔴 Critical")) {
		t.Error("the PR comment lost the critical findings")
	}
	summary := render(t, "markdown", run, report.Options{MaxBytes: 200_000})
	checkMarkdownBudget(t, summary, 200_000)
}

// TestGitHubFailedAreaAtScale: on a 10,000-account org, a night where the
// token list fails closes no alert, and the next good night changes none of
// the token alerts.
func TestGitHubFailedAreaAtScale(t *testing.T) {
	var repo codescanning.Repo
	upload := func(run *model.Run) []codescanning.Change {
		t.Helper()
		sarif := render(t, "sarif", run, report.Options{})
		checkSARIF(t, sarif, run, report.MaxSARIFResults)
		changes, err := repo.Upload(sarif)
		if err != nil {
			t.Fatal(err)
		}
		return changes
	}
	upload(synthRun(t, 10000, nil))
	before := len(repo.Open())
	failed := synthRun(t, 10000, func(s *snapshot.Snapshot) {
		s.APITokens.Collected = false
		s.APITokens.Items = []snapshot.APIToken{}
		s.APITokens.Error = &snapshot.AreaError{Status: 403, Message: "Forbidden", Endpoint: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens"}
	})
	for _, c := range upload(failed) {
		if c.To == codescanning.Fixed {
			t.Fatalf("the failed night closed %+v", c.Key)
		}
	}
	if after := len(repo.Open()); after < before {
		t.Errorf("%d open alerts after the failed night, %d before", after, before)
	}
	for _, c := range upload(synthRun(t, 10000, nil)) {
		if strings.HasPrefix(c.Key.RuleID, "ATL-TOK-") {
			t.Errorf("the next good night changed token alert %+v", c)
		}
	}
}

// TestGitHubLimitsLarge: at 100,000 and 160,000 accounts (over 25,000 SARIF
// results unfolded), the SARIF holds at most 5,000 results and accounts for
// every finding, the step summary is under 1 MiB and a PR comment under
// 65,536 characters. make bench runs it.
func TestGitHubLimitsLarge(t *testing.T) {
	if !large() {
		t.Skip("set ATLCHECK_LARGE=1 to run the 100,000 and 160,000-account limits (make bench does)")
	}
	for _, accounts := range []int{100000, 160000} {
		t.Run(sizeName(accounts), func(t *testing.T) {
			run := synthRun(t, accounts, nil)
			sarif := render(t, "sarif", run, report.Options{})
			tot := checkSARIF(t, sarif, run, report.MaxSARIFResults)
			summary := render(t, "markdown", run, report.Options{MaxBytes: report.StepSummaryMaxBytes - 1})
			checkMarkdownBudget(t, summary, report.StepSummaryMaxBytes-1)
			pr := render(t, "markdown", run, report.Options{MaxBytes: report.PRCommentMaxChars - 1})
			checkMarkdownBudget(t, pr, report.PRCommentMaxChars-1)
			full := render(t, "markdown", run, report.Options{})
			t.Logf("%d findings; SARIF %d bytes, %d results (%d individual, %d aggregates for %d findings, %d suppressed left out, %d withheld); "+
				"Markdown %d bytes whole, %d as a step summary, %d as a PR comment",
				len(run.Findings), len(sarif), tot.Results, tot.Individual, tot.Aggregates, tot.Folded, tot.SuppressedOmitted, tot.Withheld,
				len(full), len(summary), len(pr))
		})
	}
}
