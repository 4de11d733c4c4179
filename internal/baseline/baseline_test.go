package baseline

import (
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
)

// TestApplyUnknownIsNotFixed: a finding gone because its policy was not
// evaluated, or because an area it needs was collected in part, is
// unverified, not fixed.
func TestApplyUnknownIsNotFixed(t *testing.T) {
	f := func(policy, resource string) model.Finding {
		return model.Finding{PolicyID: policy, Resource: resource, Fingerprint: model.Fingerprint(policy, resource)}
	}
	pol := func(id, area string, st model.Status) model.PolicyResult {
		return model.PolicyResult{Policy: model.Policy{ID: id, Requires: []string{area}}, Status: st}
	}
	run := &model.Run{
		OrgID: "org-1",
		Policies: []model.PolicyResult{pol("KEY", "api_keys", model.StatusPass), pol("TOK", "api_tokens", model.StatusNotEvaluated),
			pol("APP", "connected_apps.installed", model.StatusPass)},
		Areas: []model.AreaResult{{Name: "api_keys", Collected: true}, {Name: "api_tokens", Reason: "was not collected: 403"},
			{Name: "connected_apps.installed", Collected: true, Partial: "was collected for some sites only"}},
	}
	b := &Baseline{OrgID: "org-1", Findings: []model.Finding{f("KEY", "k1"), f("TOK", "t1"), f("APP", "a1")}}
	if err := Apply(run, b); err != nil {
		t.Fatal(err)
	}
	if len(run.Fixed) != 1 || run.Fixed[0].Resource != "k1" {
		t.Errorf("fixed = %+v, want only k1", run.Fixed)
	}
	if len(run.Unverified) != 2 || run.Baseline.Unverified != 2 || run.Baseline.Fixed != 1 {
		t.Errorf("unverified = %+v (%+v), want t1 and a1", run.Unverified, run.Baseline)
	}
}
