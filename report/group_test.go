package report

import (
	"slices"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
)

func TestGroupByPolicy(t *testing.T) {
	groups := GroupByPolicy(fixtureRun())
	type summary struct {
		key         string
		sev         model.Severity
		remediation string
		findings    []string
		suppressed  []string
	}
	var got []summary
	for _, g := range groups {
		s := summary{key: g.Key, sev: g.Severity, remediation: g.Remediation}
		for _, f := range g.Findings {
			s.findings = append(s.findings, f.Resource)
		}
		for _, f := range g.Suppressed {
			s.suppressed = append(s.suppressed, f.Resource)
		}
		if len(g.Policies) != 1 || g.Policies[0].Policy.ID != g.Key {
			t.Errorf("group %s covers policies %v, want itself", g.Key, g.Policies)
		}
		got = append(got, s)
	}
	want := []summary{
		{"ATL-ACC-001", model.SeverityCritical, "Fix ATL-ACC-001.", []string{"org-0001"}, nil},
		{"ATL-AAS-002", model.SeverityHigh, "Fix ATL-AAS-002.", []string{"gmail.com"}, nil},
		{"ATL-KEY-001", model.SeverityHigh, "Fix ATL-KEY-001.", []string{"clé-🔑-ключ", "key-0001"}, nil},
		{"ATL-KEY-002", model.SeverityMedium, "Fix ATL-KEY-002.", nil, []string{"key-legacy"}},
		{"ATL-DOM-001", model.SeverityLow, "Fix ATL-DOM-001.", []string{hostileResource}, nil},
		{"ATL-TOK-001", model.SeverityInfo, "Fix ATL-TOK-001.", []string{"token-9"}, nil},
	}
	if !slices.EqualFunc(got, want, func(a, b summary) bool {
		return a.key == b.key && a.sev == b.sev && a.remediation == b.remediation &&
			slices.Equal(a.findings, b.findings) && slices.Equal(a.suppressed, b.suppressed)
	}) {
		t.Errorf("groups:\n got %+v\nwant %+v", got, want)
	}
	if failing := Failing(groups); len(failing) != 5 || failing[3].Key != "ATL-DOM-001" {
		t.Errorf("Failing kept %d groups, want the 5 with unsuppressed findings", len(failing))
	}
}

func TestGroupByPolicyUnknownPolicy(t *testing.T) {
	run := edgeRun() // its first finding names a policy the run does not have
	groups := GroupByPolicy(run)
	i := slices.IndexFunc(groups, func(g Group) bool { return g.Key == "ATL-GONE-001" })
	if i < 0 {
		t.Fatal("a finding of an unknown policy has no group")
	}
	if g := groups[i]; g.Severity != model.SeverityCritical || len(g.Findings) != 1 || g.Title == "" {
		t.Errorf("group from the finding = %+v", g)
	}
	if i != 0 {
		t.Errorf("critical group is at %d, want first", i)
	}
	total := 0
	for _, g := range groups {
		total += len(g.Findings) + len(g.Suppressed)
	}
	if total != len(run.Findings) {
		t.Errorf("groups hold %d findings, run has %d", total, len(run.Findings))
	}
}

func TestPoliciesWithStatus(t *testing.T) {
	var ids []string
	for _, p := range PoliciesWithStatus(fixtureRun(), model.StatusPass) {
		ids = append(ids, p.Policy.ID)
	}
	if want := []string{"ACME-001", "ATL-APP-004"}; !slices.Equal(ids, want) {
		t.Errorf("passed = %v, want %v", ids, want)
	}
}
