package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/codescanning"
	"github.com/atlcheck/atlcheck/internal/model"
)

// manyFindingsRun has one api_keys policy per severity, each with n[sev]
// findings on resources r-0000…, sorted as check sorts them.
func manyFindingsRun(n map[model.Severity]int) *model.Run {
	run := emptyRun()
	run.Policies = nil
	run.Areas = []model.AreaResult{{Name: "api_keys", Collected: true}}
	for _, sev := range model.Severities {
		id := fmt.Sprintf("ATL-T%d-001", sev)
		run.Policies = append(run.Policies, model.PolicyResult{Policy: model.Policy{ID: id, Title: "Policy " + sev.String(),
			Severity: sev, Requires: []string{"api_keys"}, Remediation: "Fix it."}, Status: model.StatusFail, Findings: n[sev]})
		for i := range n[sev] {
			res := fmt.Sprintf("r-%04d", i)
			run.Findings = append(run.Findings, model.Finding{PolicyID: id, Severity: sev, Title: "Policy " + sev.String(),
				Resource: res, Message: "Item " + res + " is bad.", Path: fmt.Sprintf("/api_keys/items/%d", i),
				Line: i + 2, Column: 5, Fingerprint: model.Fingerprint(id, res)})
		}
	}
	slices.SortFunc(run.Policies, func(a, b model.PolicyResult) int { return strings.Compare(a.Policy.ID, b.Policy.ID) })
	return run
}

func TestSARIFFoldsLeastSevereFirst(t *testing.T) {
	run := manyFindingsRun(map[model.Severity]int{model.SeverityCritical: 3, model.SeverityHigh: 4,
		model.SeverityMedium: 5, model.SeverityLow: 6, model.SeverityInfo: 7})
	log, _ := decodeSARIF(t, run, SARIFOptions{MaxResults: 12})
	tot := sarifTotalsOf(t, log)
	// 25 findings; folding info (7→1) and low (6→1) leaves 3+4+5+2 = 14, then medium: 3+4+1+2 = 10.
	if tot.Results != 10 || tot.Individual != 7 || tot.Folded != 18 || tot.Aggregates != 3 {
		t.Fatalf("totals %+v, want 10 results: 7 individual and 3 aggregates of 18 findings", tot)
	}
	r := runByKey(log, "api_keys")
	var aggregates []string
	for _, res := range r.Results {
		if res.Properties.Folded > 0 {
			aggregates = append(aggregates, res.RuleID)
			if len(res.Properties.FoldedResources) != res.Properties.Folded || res.Properties.Path != "/api_keys/items" {
				t.Errorf("aggregate %s names %v at %q", res.RuleID, res.Properties.FoldedResources, res.Properties.Path)
			}
			if !strings.Contains(res.Message.Text, "folded into one alert") || !strings.Contains(res.Message.Text, "r-0000") {
				t.Errorf("aggregate message %q", res.Message.Text)
			}
		}
	}
	if want := []string{"ATL-T3-001", "ATL-T4-001", "ATL-T5-001"}; !slices.Equal(aggregates, want) {
		t.Errorf("folded %v, want %v (medium, low and info)", aggregates, want)
	}
	notes := r.Invocations[0].Notifications
	if len(notes) != 1 || !strings.Contains(notes[0].Message.Text, "18 findings of 3 policies are folded") ||
		!strings.Contains(notes[0].Message.Text, "ATL-T5-001 (7)") {
		t.Errorf("notifications %+v, want one naming the 3 folded policies", notes)
	}
}

func TestSARIFAggregateFingerprintIsStable(t *testing.T) {
	var repo codescanning.Repo
	upload := func(infos int) []codescanning.Change {
		run := manyFindingsRun(map[model.Severity]int{model.SeverityHigh: 3, model.SeverityInfo: infos})
		_, b := decodeSARIF(t, run, SARIFOptions{MaxResults: 5})
		changes, err := repo.Upload(b)
		if err != nil {
			t.Fatal(err)
		}
		return changes
	}
	upload(40)
	// More info findings the next night: still folded, same alert.
	if changes := upload(55); len(changes) != 0 {
		t.Errorf("a folded policy with more findings changed alerts: %+v", changes)
	}
	if got := len(repo.Open()); got != 4 {
		t.Errorf("%d open alerts, want 3 high + 1 aggregate", got)
	}
}

func TestSARIFGitHubLimitAt25k(t *testing.T) {
	// 30,000 findings (GitHub would reject the upload) fold to 5,000 results.
	run := manyFindingsRun(map[model.Severity]int{model.SeverityCritical: 4000, model.SeverityMedium: 20000, model.SeverityLow: 6000})
	log, b := decodeSARIF(t, run)
	tot := sarifTotalsOf(t, log)
	if tot.Results > MaxSARIFResults || tot.Individual != 4000 || tot.Aggregates != 2 {
		t.Errorf("totals %+v, want the 4,000 critical findings and 2 aggregates", tot)
	}
	var repo codescanning.Repo
	if _, err := repo.Upload(b); err != nil {
		t.Fatal(err)
	}
	if len(repo.Open()) != tot.Results {
		t.Errorf("GitHub stores %d alerts of %d results", len(repo.Open()), tot.Results)
	}
}

func TestPlanFoldTooManyPolicies(t *testing.T) {
	var findings []model.Finding
	for i := range 5 {
		findings = append(findings, model.Finding{PolicyID: fmt.Sprint("P", i), Severity: model.SeverityLow})
	}
	if _, err := planFold(findings, 3); err == nil || !strings.Contains(err.Error(), "at least 5 results") {
		t.Errorf("planFold = %v, want an error naming the 5 results needed", err)
	}
}

func TestSARIFMaxResultsRange(t *testing.T) {
	for _, n := range []int{-1, MaxSARIFResults + 1} {
		if err := writeSARIF(&strings.Builder{}, fixtureRun(), SARIFOptions{MaxResults: n}); err == nil {
			t.Errorf("MaxResults %d accepted", n)
		}
	}
}

func TestShortMessage(t *testing.T) {
	long := strings.Repeat("admin@example.com, ", 300)
	tests := []struct {
		name, msg, title, resource, wantPrefix string
	}{
		{"short kept", "Key k1 has no scopes. It can call every API.", "T", "k1", "Key k1 has no scopes. It can call every API."},
		{"long first sentence", "Admins: " + long, "Too many org admins", "org-1", "Too many org admins: org-1. Admins: "},
		{"empty", "", "Title only", "r", "Title only"},
		{"resource with a period", strings.Repeat("x", 200), "T", "a. b\nc", "T: a.\u00a0b c. xxx"},
	}
	for _, tt := range tests {
		got := shortMessage(tt.msg, tt.title, tt.resource)
		if !strings.HasPrefix(got, tt.wantPrefix) {
			t.Errorf("%s: got %q, want prefix %q", tt.name, shorten(got, 80), tt.wantPrefix)
		}
		if n := len([]rune(firstSentence(got))); n > maxTitleRunes {
			t.Errorf("%s: first sentence has %d runes", tt.name, n)
		}
		if n := len([]rune(got)); n > maxMessageRunes {
			t.Errorf("%s: message has %d runes, over %d", tt.name, n, maxMessageRunes)
		}
	}
	if got := truncateRunes("ключ-🔑-ключ", 6); got != "ключ-…" {
		t.Errorf("truncateRunes = %q", got)
	}
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands = %q", got)
	}
}

// TestPlanFoldUnfoldsWhatFitsAgain: info is folded first, but once the
// large medium policy is folded the info findings fit again.
func TestPlanFoldUnfoldsWhatFitsAgain(t *testing.T) {
	run := manyFindingsRun(map[model.Severity]int{model.SeverityCritical: 2, model.SeverityMedium: 20, model.SeverityInfo: 3})
	folded, err := planFold(run.Findings, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(folded) != 1 || !folded["ATL-T3-001"] {
		t.Errorf("folded %v, want only the medium policy", folded)
	}
}
