package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
)

// controlRun is the fixture with policies mapped to controls.
func controlRun() *model.Run {
	run := fixtureRun()
	tags := map[string][]string{
		"ATL-ACC-001": {"security", "cis:5.4", "cis:6.5", "nist:AC-6"},
		"ATL-KEY-001": {"security", "cis:6.8", "nist:AC-6"},
		"ATL-KEY-002": {"cis:5.10", "nist:IA-5"},
		"ATL-EXT-001": {"cis:6.8", "nist:AC-21"},
		"ATL-APP-004": {"cis:2.5", "NIST:cm-11"},
		"ACME-001":    {"cis:99.1"},
	}
	for i := range run.Policies {
		run.Policies[i].Policy.Tags = tags[run.Policies[i].Policy.ID]
	}
	return run
}

func TestGroupByControl(t *testing.T) {
	groups := GroupByControl(controlRun())
	var keys []string
	for _, g := range groups {
		keys = append(keys, g.Key)
	}
	want := "CIS 2.5,CIS 5.4,CIS 5.10,CIS 6.5,CIS 6.8,CIS 99.1,NIST AC-6,NIST AC-21,NIST CM-11,NIST IA-5"
	if got := strings.Join(keys, ","); got != want {
		t.Fatalf("controls %s, want %s", got, want)
	}
	byKey := map[string]Group{}
	for _, g := range groups {
		byKey[g.Key] = g
	}
	tests := []struct {
		key, title string
		status     model.Status
		policies   string
		findings   int
		severity   model.Severity
	}{
		{"CIS 6.8", "Define and Maintain Role-Based Access Control", model.StatusFail, "ATL-EXT-001,ATL-KEY-001", 2, model.SeverityHigh},
		{"NIST AC-6", "Least Privilege", model.StatusFail, "ATL-ACC-001,ATL-KEY-001", 3, model.SeverityCritical},
		{"CIS 5.10", "(not in atlcheck's CIS Controls v8 catalog)", model.StatusSuppressed, "ATL-KEY-002", 0, model.SeverityMedium},
		{"CIS 2.5", "Allowlist Authorized Software", model.StatusPass, "ATL-APP-004", 0, model.SeverityMedium},
		{"NIST AC-21", "Information Sharing", model.StatusNotEvaluated, "ATL-EXT-001", 0, model.SeverityHigh},
	}
	for _, tt := range tests {
		g := byKey[tt.key]
		var ids []string
		for _, p := range g.Policies {
			ids = append(ids, p.Policy.ID)
		}
		if g.Title != tt.title || ControlStatus(g) != tt.status || strings.Join(ids, ",") != tt.policies || len(g.Findings) != tt.findings || g.Severity != tt.severity {
			t.Errorf("%s: title %q status %s policies %v findings %d severity %s; want %q %s %s %d %s",
				tt.key, g.Title, ControlStatus(g), ids, len(g.Findings), g.Severity, tt.title, tt.status, tt.policies, tt.findings, tt.severity)
		}
	}
	if len(byKey["CIS 5.10"].Suppressed) != 1 {
		t.Error("suppressed findings of a mapped policy belong to the control")
	}
	if Groupings["control"] == nil {
		t.Error("the control grouping is not registered for --group-by")
	}
}

func TestControlViewGolden(t *testing.T) {
	for _, format := range []string{"markdown", "html"} {
		var buf bytes.Buffer
		if err := WriteWith(&buf, format, controlRun(), Options{GroupBy: "control"}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		golden(t, "controls"+goldenExt[format], buf.Bytes())
		marker := map[string]string{"markdown": "\n## Findings", "html": `<section id="findings">`}[format]
		view, findings := strings.Index(out, "Compliance view"), strings.Index(out, marker)
		if view < 0 || findings < view {
			t.Errorf("%s: the compliance view must come before the findings", format)
		}
		if !strings.Contains(out, "CIS Controls v8 safeguard numbers") || !strings.Contains(out, "Least Privilege") {
			t.Errorf("%s: the compliance view lacks the framework note or a control title", format)
		}
	}
	md := render(t, "markdown", controlRun())
	if strings.Contains(string(md), "Compliance view") {
		t.Error("the compliance view appears without --group-by control")
	}
	for _, line := range strings.Split(string(mdOf(t)), "\n") {
		if strings.HasPrefix(line, "| ") && cellCount(line) != 5 && strings.Contains(line, "CIS") {
			t.Errorf("row with %d cells: %s", cellCount(line), line)
		}
	}
}

func mdOf(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWith(&buf, "markdown", controlRun(), Options{GroupBy: "control"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
