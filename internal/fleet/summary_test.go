package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func runOf(id, name string, age time.Duration, failed bool, findings ...model.Finding) *model.Run {
	r := &model.Run{OrgID: id, OrgName: name, Gate: model.Gate{FailOn: model.SeverityHigh, Failed: failed},
		Snapshot: model.SnapshotRef{CollectedAt: now.Add(-age)}, Findings: findings,
		Areas: []model.AreaResult{{Name: "api_keys", Collected: true}, {Name: "external_users", Reason: "has no data source: x"}}}
	for _, f := range findings {
		if !f.Suppressed && f.Severity == model.SeverityHigh {
			r.Summary.High++
		}
	}
	return r
}

func finding(policy string, sev model.Severity, resource string) model.Finding {
	return model.Finding{PolicyID: policy, Severity: sev, Resource: resource, Message: "m " + resource, Fingerprint: model.Fingerprint(policy, resource)}
}

func TestSummarize(t *testing.T) {
	expected := []Entry{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}}
	inputs := []Input{
		{Path: "a-old.json", Run: runOf("a", "A", 30*time.Hour, false)},
		{Path: "a.json", Run: runOf("a", "A", time.Hour, true, finding("ATL-1", model.SeverityHigh, "r1"), finding("ATL-0", model.SeverityCritical, "r0"))},
		{Path: "b.json", Run: runOf("b", "", 72*time.Hour, false, finding("ATL-1", model.SeverityHigh, "r2"))},
		{Path: "x.json", Run: runOf("x", "X", time.Hour, false)},
		{Path: "broken.json", Err: errors.New("broken.json: invalid JSON")},
	}
	s := Summarize(inputs, Options{Expected: expected, Now: now, MaxAge: 48 * time.Hour, Top: 2})
	want := []struct{ id, report, file string }{
		{"a", ReportCurrent, "a.json"}, {"b", ReportStale, "b.json"}, {"c", ReportMissing, ""}, {"x", ReportCurrent, "x.json"}, {"", ReportUnreadable, "broken.json"},
	}
	if len(s.Rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(s.Rows), len(want), s.Rows)
	}
	for i, w := range want {
		r := s.Rows[i]
		if r.ID != w.id || r.Report != w.report || r.File != w.file {
			t.Errorf("row %d = %s %s %s, want %s %s %s", i, r.ID, r.Report, r.File, w.id, w.report, w.file)
		}
	}
	if s.Rows[1].Name != "B" {
		t.Errorf("a report without a name takes the fleet file's: %q", s.Rows[1].Name)
	}
	if s.Rows[3].InFleet {
		t.Error("org x is not in the fleet file")
	}
	tot := s.Totals
	if tot.Orgs != 4 || tot.Current != 2 || tot.Stale != 1 || tot.Missing != 1 || tot.Unreadable != 1 || tot.GateFailed != 1 || tot.High != 2 {
		t.Errorf("totals = %+v", tot)
	}
	if len(s.Worst) != 2 || s.Worst[0].PolicyID != "ATL-0" || s.Worst[1].Resource != "r1" || s.More != 1 {
		t.Errorf("worst = %+v, more %d", s.Worst, s.More)
	}
	if len(s.Notes) != 1 || !strings.Contains(s.Notes[0], "a-old.json") {
		t.Errorf("notes = %q", s.Notes)
	}
	if !s.Failed() {
		t.Error("a fleet with a failed gate, a stale and a missing report passed")
	}
	if got := strings.Join(s.Rows[0].NotEvaluated, ","); got != "external_users" {
		t.Errorf("not evaluated = %q", got)
	}
	ok := Summarize([]Input{{Path: "a.json", Run: runOf("a", "A", time.Hour, false)}}, Options{Expected: expected[:1], Now: now, MaxAge: time.Hour})
	if ok.Failed() {
		t.Errorf("one current, passing org failed: %+v", ok.Totals)
	}
}

// TestRenderHostileValues checks that an org name or resource cannot add a
// table column, inject HTML or break out of JSON.
func TestRenderHostileValues(t *testing.T) {
	hostile := "Evil | org <script>alert(1)</script>\n| x |"
	run := runOf("e", hostile, time.Hour, true, finding("ATL-1", model.SeverityHigh, "`res`|<img src=x>"))
	s := Summarize([]Input{{Path: "e.json", Run: run}}, Options{Now: now, MaxAge: 48 * time.Hour, Top: 5})
	md := string(Markdown(s))
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| ---") {
			if n := escape.TableCells(line); n != 11 && n != 5 {
				t.Errorf("row has %d cells: %s", n, line)
			}
		}
	}
	if strings.Contains(md, "<script>") {
		t.Errorf("Markdown lets HTML through:\n%s", md)
	}
	page, err := HTML(s)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(page), "<script>") || strings.Contains(string(page), "<img") {
		t.Errorf("HTML lets markup through")
	}
	out, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Orgs []struct{ Name string } `json:"orgs"`
	}
	if err := json.Unmarshal(out, &back); err != nil || back.Orgs[0].Name != hostile {
		t.Errorf("JSON does not round-trip the name: %v", err)
	}
}

// hostileText is what a report from outside can hold in an org name, a
// resource or a message: mentions, references, links, a workflow command
// on a line of its own, ANSI and OSC sequences, BEL, a bidi override, HTML
// that would close a script element.
const hostileText = "Sync @security-team @acme/secops #1 owner/repo#3 GH-7 https://evil.example/login www.evil.example " +
	"[click](https://evil.example) ops@vendor.example\n::error::forged\n::add-mask::x \x1b[2J\x1b]8;;https://evil.example\x07\u202eevil" +
	"\u0085 </script><script>alert(1)</script>"

// hostileSummary puts hostileText in every value of a fleet report that
// comes from a report: org names and ids, findings, areas, files, errors.
func hostileSummary() *Summary {
	f := finding("ATL-1 "+hostileText, model.SeverityHigh, "res "+hostileText)
	f.Message, f.Title = "App "+hostileText, "Title "+hostileText
	run := runOf("org "+hostileText, hostileText, time.Hour, true, f)
	run.Areas = append(run.Areas, model.AreaResult{Name: "area " + hostileText, Reason: hostileText})
	dup := runOf("org "+hostileText, hostileText, 2*time.Hour, false)
	return Summarize([]Input{
		{Path: "e.json", Run: run},
		{Path: "dup " + hostileText + ".json", Run: dup},
		{Path: "bad " + hostileText + ".json", Err: errors.New("bad: " + hostileText)},
	}, Options{Expected: []Entry{{ID: "org " + hostileText, Name: hostileText}}, Now: now, MaxAge: 48 * time.Hour, Top: 5})
}

// TestHostileValuesAreInert checks issue 18's follow-up of issue 12 row 16:
// text from a report becomes no mention, reference, link, workflow command,
// control sequence or markup in any fleet format. Before, the HTML and JSON
// fleet reports kept ESC, BEL and U+202E raw.
func TestHostileValuesAreInert(t *testing.T) {
	s := hostileSummary()
	md := string(Markdown(s))
	page, err := HTML(s)
	if err != nil {
		t.Fatal(err)
	}
	js, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	for format, out := range map[string]string{"markdown": md, "html": string(page), "json": string(js)} {
		if strings.ContainsAny(out, "\x1b\x07\u202e\u0085") {
			t.Errorf("%s: a raw control character is in the fleet report", format)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") {
				t.Errorf("%s: a line starts a workflow command: %q", format, line)
			}
		}
	}
	// JSON keeps "<" as data, like the JSON report; the HTML page and the
	// Markdown outside its code spans hold no markup from a report.
	live := escape.WithoutCodeSpans(md)
	for format, out := range map[string]string{"markdown": live, "html": string(page)} {
		if strings.Contains(out, "<script") || strings.Contains(out, "</script") {
			t.Errorf("%s: markup from a report is live", format)
		}
	}
	for _, h := range []string{"@security-team", "@acme", "owner/repo#3", "#1 ", "GH-7", "https://evil", "www.evil", "[click](", "ops@vendor"} {
		if strings.Contains(live, h) {
			t.Errorf("%q is live in the Markdown fleet report", h)
		}
	}
	if row, ragged := escape.RaggedRow(md); ragged {
		t.Errorf("a value changed a table's shape: %s", row)
	}
	var back struct {
		Orgs []struct {
			ID, Name string
		} `json:"orgs"`
		Worst []struct {
			Message string `json:"message"`
		} `json:"worst_findings"`
	}
	if err := json.Unmarshal(js, &back); err != nil || back.Orgs[0].Name != hostileText || back.Orgs[0].ID != "org "+hostileText || back.Worst[0].Message != "App "+hostileText {
		t.Errorf("JSON does not keep the values exact: %v %+v", err, back)
	}
}

// TestGateWording checks that a row words the gate as every other report
// does, from what the gate counted: a gate failed only by a policy whose
// area failed read "failed (0 ≥ critical)" before.
func TestGateWording(t *testing.T) {
	run := runOf("a", "A", time.Hour, true)
	run.Gate = model.Gate{FailOn: model.SeverityCritical, Failed: true, NotEvaluated: 1}
	s := Summarize([]Input{{Path: "a.json", Run: run}}, Options{Now: now, MaxAge: 48 * time.Hour})
	const want = "failed: 1 policy not evaluated (area failed) at or above critical"
	md := string(Markdown(s))
	page, err := HTML(s)
	if err != nil {
		t.Fatal(err)
	}
	for format, out := range map[string]string{"markdown": md, "html": string(page)} {
		if !strings.Contains(out, want) || strings.Contains(out, "0 ≥") {
			t.Errorf("%s: the gate does not read %q:\n%s", format, want, out)
		}
	}
	js, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Orgs []struct{ Gate jsonGate } `json:"orgs"`
	}
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := back.Orgs[0].Gate, (jsonGate{FailOn: "critical", Failed: true, NotEvaluated: 1, Verdict: want}); got != want {
		t.Errorf("JSON gate = %+v, want %+v", got, want)
	}
}

// TestMarkdownFitsStepSummary checks GitHub's 1 MiB job summary limit for a
// fleet of 300 orgs with long names and messages.
func TestMarkdownFitsStepSummary(t *testing.T) {
	var inputs []Input
	var expected []Entry
	long := strings.Repeat("Ǎ|", 500)
	for i := range 300 {
		id := fmt.Sprintf("org-%03d", i)
		expected = append(expected, Entry{ID: id, Name: long})
		var fs []model.Finding
		for j := range 50 {
			f := finding("ATL-1", model.SeverityHigh, fmt.Sprintf("%s-%d", long, j))
			f.Message = long
			fs = append(fs, f)
		}
		inputs = append(inputs, Input{Path: id + ".json", Run: runOf(id, long, time.Hour, true, fs...)})
	}
	s := Summarize(inputs, Options{Expected: expected, Now: now, MaxAge: 48 * time.Hour, Top: 20})
	if n := len(Markdown(s)); n >= 1<<20 {
		t.Errorf("Markdown of 300 orgs is %d bytes, over the 1 MiB step summary limit", n)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{90 * time.Second: "1m", 3 * time.Hour: "3h", 52 * time.Hour: "2d 4h", 48 * time.Hour: "2d", -2 * time.Hour: "-2h"} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestFleetFileNameLabelsTheRow: an org the fleet file lists is labelled by
// the file's name, with its name in Atlassian beside it when that is another
// one (qa1: the report's name came first, so two orgs both called "Acme" in
// Atlassian read alike, and docs/fleet.md's "the org's label in reports" was
// used for missing orgs only).
func TestFleetFileNameLabelsTheRow(t *testing.T) {
	expected := []Entry{{ID: "a", Name: "Fleet One"}, {ID: "b", Name: "Acme US"}, {ID: "c", Name: "Acme APAC"}}
	s := Summarize([]Input{
		{Path: "a.json", Run: runOf("a", "QA <b>Org</b>", time.Hour, true, finding("ATL-1", model.SeverityHigh, "r1"))},
		{Path: "b.json", Run: runOf("b", " acme us ", time.Hour, false)},
		{Path: "x.json", Run: runOf("x", "Acme", time.Hour, false)},
	}, Options{Expected: expected, Now: now, MaxAge: 48 * time.Hour, Top: 5})
	want := []struct{ name, atlassian, label string }{
		{"Fleet One", "QA <b>Org</b>", "Fleet One (Atlassian name: QA <b>Org</b>)"},
		{"Acme US", " acme us ", "Acme US"}, // the same name but for case and spaces
		{"Acme APAC", "", "Acme APAC"},      // missing
		{"Acme", "Acme", "Acme"},            // not in the fleet file: the report's name
	}
	if len(s.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(s.Rows), len(want))
	}
	for i, w := range want {
		if r := s.Rows[i]; r.Name != w.name || r.AtlassianName != w.atlassian || r.Label() != w.label {
			t.Errorf("row %d: name %q, Atlassian name %q, label %q; want %q, %q, %q", i, r.Name, r.AtlassianName, r.Label(), w.name, w.atlassian, w.label)
		}
	}
	if len(s.Worst) != 1 || s.Worst[0].OrgName != "Fleet One" {
		t.Errorf("worst findings = %+v, want org name Fleet One", s.Worst)
	}
	md := string(Markdown(s))
	if !strings.Contains(md, "\n| Fleet One (Atlassian name: QA ") || !strings.Contains(md, "\n| Acme US `b` |") || strings.Contains(md, "<b>") {
		t.Errorf("Markdown rows:\n%s", md)
	}
	page, err := HTML(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "<td>Fleet One (Atlassian name: QA &lt;b&gt;Org&lt;/b&gt;) <code>a</code></td>") ||
		!strings.Contains(string(page), "<td>Acme US <code>b</code></td>") {
		t.Errorf("HTML rows:\n%s", page)
	}
	js, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Orgs []struct {
			Name          string `json:"name"`
			AtlassianName string `json:"atlassian_name"`
		} `json:"orgs"`
		Worst []struct {
			OrgName string `json:"org_name"`
		} `json:"worst_findings"`
	}
	if err := json.Unmarshal(js, &back); err != nil || len(back.Orgs) != 4 || back.Orgs[0].Name != "Fleet One" ||
		back.Orgs[0].AtlassianName != "QA <b>Org</b>" || back.Orgs[2].AtlassianName != "" || back.Worst[0].OrgName != "Fleet One" {
		t.Errorf("JSON: %v %+v", err, back)
	}
}

// TestHTMLVerdictIsText: the HTML page says its verdict in words, in a
// bordered badge as the main HTML report does, with no emoji (qa1: "❌"
// showed as a missing glyph where no emoji font is installed). The
// Markdown, rendered by GitHub, keeps its emoji.
func TestHTMLVerdictIsText(t *testing.T) {
	for _, failed := range []bool{false, true} {
		s := Summarize([]Input{{Path: "a.json", Run: runOf("a", "A", time.Hour, failed)}},
			Options{Expected: []Entry{{ID: "a", Name: "A"}}, Now: now, MaxAge: 48 * time.Hour, Top: 5})
		page, err := HTML(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(page) {
			if unicode.Is(unicode.So, r) {
				t.Errorf("failed=%v: the HTML page holds the symbol %q (%U)", failed, r, r)
			}
		}
		want := `<p class="verdict good"><strong>Fleet passed:</strong> its one org has a current report and passed its gate.</p>`
		icon := "✅ **Fleet passed:**"
		if failed {
			want = `<p class="verdict bad"><strong>Fleet failed:</strong> 1 failed the gate.</p>`
			icon = "❌ **Fleet failed:**"
		}
		if !strings.Contains(string(page), want) {
			t.Errorf("failed=%v: no %s in\n%s", failed, want, page)
		}
		if md := string(Markdown(s)); !strings.Contains(md, icon) {
			t.Errorf("failed=%v: the Markdown verdict lost its emoji:\n%s", failed, md)
		}
	}
}
