package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/model"
)

// baselineRun is the fixture compared with an earlier run: one finding is
// new, one unchanged, and one of the baseline's findings is fixed.
func baselineRun() *model.Run {
	run := fixtureRun()
	fixed := model.Finding{PolicyID: "ATL-AAS-001", Severity: model.SeverityCritical, Title: "ANYONE enabled",
		Resource: "ANYONE", Message: "Approved domain ANYONE is enabled", Fingerprint: model.Fingerprint("ATL-AAS-001", "ANYONE"),
		BaselineState: model.BaselineAbsent}
	run.Fixed = []model.Finding{fixed}
	run.Baseline = &model.BaselineRef{Path: "reports/previous.json", CollectedAt: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC),
		New: 1, Unchanged: 1, Fixed: 1}
	return run
}

func TestGoldenBaseline(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif", "markdown", "html", "csv"} {
		t.Run(format, func(t *testing.T) {
			golden(t, "baseline"+goldenExt[format], render(t, format, baselineRun()))
		})
	}
}

func TestBaselineSections(t *testing.T) {
	md := string(render(t, "markdown", baselineRun()))
	sinceAt, findingsAt, fixedAt := strings.Index(md, "### Since last run"), strings.Index(md, "## Findings"), strings.Index(md, "## Fixed since last run")
	if sinceAt < 0 || findingsAt < sinceAt || fixedAt < findingsAt {
		t.Errorf("Markdown must open with the changes since last run, list the findings, then the fixed ones")
	}
	if !strings.Contains(md, "| `clé-🔑-ключ` | API key clé-🔑-ключ has no scopes | 🆕 new |") {
		t.Errorf("the new finding is not marked in its group")
	}
	if !strings.Contains(md[fixedAt:], "`ANYONE`") {
		t.Errorf("fixed finding missing from the Fixed section")
	}
	var rep struct {
		Baseline *struct{ New, Unchanged, Fixed int } `json:"baseline"`
		Fixed    []struct {
			PolicyID      string `json:"policy_id"`
			BaselineState string `json:"baseline_state"`
		} `json:"fixed"`
		Findings []struct {
			BaselineState string `json:"baseline_state"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(render(t, "json", baselineRun()), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Baseline == nil || rep.Baseline.Fixed != 1 || len(rep.Fixed) != 1 || rep.Fixed[0].BaselineState != "absent" {
		t.Errorf("JSON baseline = %+v, fixed = %+v", rep.Baseline, rep.Fixed)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				BaselineState string `json:"baselineState"`
			} `json:"results"`
			Properties map[string]any `json:"properties"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, "sarif", baselineRun()), &log); err != nil {
		t.Fatal(err)
	}
	for _, run := range log.Runs {
		for _, r := range run.Results {
			if r.BaselineState == "absent" {
				t.Errorf("SARIF must not carry absent results: GitHub would open alerts for them")
			}
		}
	}
	if fixed, _ := log.Runs[0].Properties["atlcheck/fixed"].([]any); len(fixed) != 1 {
		t.Errorf("SARIF run properties = %v, want the fixed finding listed", log.Runs[0].Properties)
	}
}

func TestHTMLBaseline(t *testing.T) {
	page := string(render(t, "html", baselineRun()))
	for _, want := range []string{
		`<strong>1 new</strong>, 1 unchanged, <strong>1 fixed</strong>`,
		`<h3>Fixed since the last run</h3>`,
		`<tr class="f new" data-sev="high" data-policy="ATL-KEY-001">`,
		`<input type="checkbox" id="new-only"> new only`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report with a baseline lacks %s", want)
		}
	}
	if strings.Contains(string(render(t, "html", fixtureRun())), `id="new-only"`) {
		t.Error("the new-only filter without a baseline")
	}
}
