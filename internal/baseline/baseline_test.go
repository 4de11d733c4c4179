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

// TestApplyCarriesTheBaselinesUnverified: what the baseline itself could not
// re-check (its unverified[], carried from its own baseline) is still the
// last known state. A second night in a row without the area carries it
// again instead of forgetting it (which would close its alerts on the third
// night); once checked, a finding still missing is fixed, and one found is
// unchanged, not new.
func TestApplyCarriesTheBaselinesUnverified(t *testing.T) {
	f := func(policy, resource string) model.Finding {
		return model.Finding{PolicyID: policy, Resource: resource, Fingerprint: model.Fingerprint(policy, resource)}
	}
	pol := func(id string, st model.Status) model.PolicyResult {
		return model.PolicyResult{Policy: model.Policy{ID: id, Requires: []string{"api_tokens"}}, Status: st}
	}
	b := &Baseline{OrgID: "org-1", Findings: []model.Finding{f("TOK", "t3")},
		Unverified: []model.Finding{f("TOK", "t1"), f("TOK", "t2")}, Unknown: map[string]bool{}}
	failed := &model.Run{OrgID: "org-1", Policies: []model.PolicyResult{pol("TOK", model.StatusNotEvaluated)},
		Areas: []model.AreaResult{{Name: "api_tokens", Reason: "was not collected: 403"}}}
	if err := Apply(failed, b); err != nil {
		t.Fatal(err)
	}
	if len(failed.Unverified) != 3 || len(failed.Fixed) != 0 || !failed.Policies[0].FindingsKnown {
		t.Errorf("second failed night: unverified %+v, fixed %+v, known %v; want t3, t1 and t2 carried, known",
			failed.Unverified, failed.Fixed, failed.Policies[0].FindingsKnown)
	}
	good := &model.Run{OrgID: "org-1", Policies: []model.PolicyResult{pol("TOK", model.StatusFail)},
		Areas: []model.AreaResult{{Name: "api_tokens", Collected: true}}, Findings: []model.Finding{f("TOK", "t1")}}
	if err := Apply(good, b); err != nil {
		t.Fatal(err)
	}
	if good.Findings[0].BaselineState != model.BaselineUnchanged || len(good.Unverified) != 0 ||
		len(good.Fixed) != 2 || good.Fixed[0].Resource != "t3" || good.Fixed[1].Resource != "t2" {
		t.Errorf("good night: t1 %q, unverified %+v, fixed %+v; want t1 unchanged, t3 and t2 fixed",
			good.Findings[0].BaselineState, good.Unverified, good.Fixed)
	}
}

// TestApplyKnowsWhatTheBaselineKnew: an unchecked policy's findings are
// known only when the baseline knew them; a checked one's always are.
func TestApplyKnowsWhatTheBaselineKnew(t *testing.T) {
	run := func() *model.Run {
		return &model.Run{OrgID: "org-1", Areas: []model.AreaResult{{Name: "a", Reason: "was not collected: 403"}, {Name: "b", Collected: true}},
			Policies: []model.PolicyResult{
				{Policy: model.Policy{ID: "P-A", Requires: []string{"a"}}, Status: model.StatusNotEvaluated},
				{Policy: model.Policy{ID: "P-B", Requires: []string{"b"}}, Status: model.StatusPass},
				{Policy: model.Policy{ID: "P-NEW", Requires: []string{"a"}}, Status: model.StatusNotEvaluated},
			}}
	}
	for name, tc := range map[string]struct {
		unknown map[string]bool
		want    []bool
	}{
		"the baseline knew P-A":           {map[string]bool{}, []bool{true, true, true}},
		"the baseline did not know":       {map[string]bool{"P-A": true, "P-B": true}, []bool{false, true, true}},
		"a policy new since the baseline": {map[string]bool{"P-A": true}, []bool{false, true, true}},
	} {
		r := run()
		if err := Apply(r, &Baseline{OrgID: "org-1", Unknown: tc.unknown}); err != nil {
			t.Fatal(err)
		}
		for i, p := range r.Policies {
			if p.FindingsKnown != tc.want[i] {
				t.Errorf("%s: %s known = %v, want %v", name, p.Policy.ID, p.FindingsKnown, tc.want[i])
			}
		}
	}
}

// TestParseReadsWhatTheReportKnew: the report's unverified[] and each
// policy's findings_known are read back; a report written before
// findings_known existed counts a not evaluated policy as unknown.
func TestParseReadsWhatTheReportKnew(t *testing.T) {
	doc := `{"tool": {"name": "atlcheck"}, "org_id": "org-1", "snapshot": {"collected_at": "2026-01-02T00:00:00Z"},
		"policies": [
			{"id": "P-A", "title": "A", "severity": "high", "status": "not_evaluated", "reason": "x", "findings_known": true},
			{"id": "P-B", "title": "B", "severity": "high", "status": "not_evaluated", "reason": "x", "findings_known": false},
			{"id": "P-C", "title": "C", "severity": "high", "status": "not_evaluated", "reason": "x"},
			{"id": "P-D", "title": "D", "severity": "high", "status": "pass", "reason": ""}],
		"findings": [],
		"unverified": [{"policy_id": "P-A", "resource": "r1", "severity": "high", "title": "A", "message": "m"}]}`
	b, err := Parse("b.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Unverified) != 1 || b.Unverified[0].Fingerprint != model.Fingerprint("P-A", "r1") {
		t.Errorf("unverified = %+v, want r1 with its fingerprint", b.Unverified)
	}
	for id, want := range map[string]bool{"P-A": true, "P-B": false, "P-C": false, "P-D": true, "P-NEW": true} {
		if got := b.Knows(id); got != want {
			t.Errorf("Knows(%s) = %v, want %v", id, got, want)
		}
	}
}
