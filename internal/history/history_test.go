package history

import (
	"encoding/xml"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/fileerr"
	"github.com/atlcheck/atlcheck/internal/model"
)

var t0 = time.Date(2026, 11, 16, 3, 17, 0, 0, time.UTC)

// fiveRuns is one org over five nights: findings come and go.
func fiveRuns() []*model.Run {
	sets := [][]string{{"a", "b", "c"}, {"a", "b", "c", "d"}, {"b", "c", "d"}, {"b", "e", "f", "g"}, {"g"}}
	var runs []*model.Run
	for i, set := range sets {
		r := &model.Run{OrgID: "org-1", OrgName: "Acme <Corp>", Tool: model.Tool{Version: "1.0.0", PolicyDigest: "sha256:0123456789abcdef"},
			Snapshot: model.SnapshotRef{CollectedAt: t0.AddDate(0, 0, i)}, Gate: model.Gate{FailOn: model.SeverityHigh}}
		for _, res := range set {
			f := model.Finding{PolicyID: "ATL-KEY-001", Severity: model.SeverityHigh, Resource: res, Fingerprint: model.Fingerprint("ATL-KEY-001", res)}
			r.Findings = append(r.Findings, f)
			r.Summary.High++
		}
		// A suppressed finding is not open.
		r.Findings = append(r.Findings, model.Finding{PolicyID: "ATL-X", Resource: "s", Suppressed: true, Fingerprint: "s"})
		r.Summary.Suppressed = 1
		r.Gate.Failed, r.Gate.Count = r.Summary.High > 0, r.Summary.High
		runs = append(runs, r)
	}
	return runs
}

func build(t *testing.T) []Entry {
	t.Helper()
	var entries []Entry
	for _, r := range fiveRuns() {
		e, err := FromRun(r)
		if err != nil {
			t.Fatal(err)
		}
		var added bool
		if entries, added, err = Add(entries, e); err != nil || !added {
			t.Fatalf("add: %v (added %v)", err, added)
		}
	}
	return entries
}

func TestAddCountsNewAndFixed(t *testing.T) {
	entries := build(t)
	want := []struct{ new, fixed int }{{-1, -1}, {1, 0}, {0, 1}, {3, 2}, {0, 3}}
	for i, w := range want {
		e := entries[i]
		if w.new < 0 {
			if e.New != nil || e.Fixed != nil {
				t.Errorf("run 1: new/fixed %v/%v, want null (no earlier run)", e.New, e.Fixed)
			}
			continue
		}
		if e.New == nil || *e.New != w.new || *e.Fixed != w.fixed {
			t.Errorf("run %d: new %v fixed %v, want %d and %d", i+1, count(e.New), count(e.Fixed), w.new, w.fixed)
		}
	}
	// Adding the same run again changes nothing; an older one is refused.
	again, _ := FromRun(fiveRuns()[4])
	if _, added, err := Add(entries, again); added || err != nil {
		t.Errorf("re-adding the latest run: added %v, %v", added, err)
	}
	old, _ := FromRun(fiveRuns()[1])
	if _, _, err := Add(entries, old); err == nil || !strings.Contains(err.Error(), "time order") {
		t.Errorf("adding an older run: %v", err)
	}
}

func TestEncodeRead(t *testing.T) {
	entries := build(t)
	data, err := Encode(entries)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != 5 {
		t.Errorf("%d lines, want 5", n)
	}
	back, err := Read("h.jsonl", strings.NewReader(string(data)))
	if err != nil || len(back) != 5 || *back[3].New != 3 {
		t.Fatalf("read back: %v, %d entries", err, len(back))
	}
	// A history saved by an editor with a UTF-8 byte-order mark reads the
	// same (line 1 was "not a history entry: invalid character 'ï'").
	if back, err := Read("h.jsonl", strings.NewReader("\uFEFF"+string(data))); err != nil || len(back) != 5 {
		t.Errorf("with a byte-order mark: %v, %d entries", err, len(back))
	}
	for _, bad := range []struct {
		doc  string
		line int
	}{
		{string(data) + "{\"org_id\": \"x\"}\n", 6},
		{string(data) + "\uFEFF" + string(data), 6}, // a mark inside the file is not skipped
		{"\n{not json\n", 2},
		{`{"org_id": "o", "collected_at": "2026-11-16T00:00:00Z", "open": [], "surprise": 1}` + "\n", 1},
		// A gate threshold that cannot be read is not read as "off".
		{`{"org_id": "o", "collected_at": "2026-11-16T00:00:00Z", "open": [], "gate": {"fail_on": "hihg", "failed": true, "count": 1}}` + "\n", 1},
	} {
		_, err := Read("h.jsonl", strings.NewReader(bad.doc))
		var fe *fileerr.Error
		if !errors.As(err, &fe) || fe.Line != bad.line {
			t.Errorf("got %v, want an error at h.jsonl:%d", err, bad.line)
		}
	}
}

// TestRenderFiveRuns is "history over 5 runs renders": the text table has a
// row per run, and the HTML page's SVG is well-formed with five points per
// severity line and a new/fixed bar pair per run after the first.
func TestRenderFiveRuns(t *testing.T) {
	entries := build(t)
	text := string(Text(entries))
	if !strings.Contains(text, "Acme <Corp> (org-1): 5 runs") || strings.Count(text, "2026-11-") != 5 {
		t.Errorf("text:\n%s", text)
	}
	if !regexp.MustCompile(`2026-11-19T03:17:00Z\s+failed\s+0\s+4\s+0\s+0\s+0\s+1\s+0\s+3\s+2\s+0123456789ab`).MatchString(text) {
		t.Errorf("run 4 row is wrong:\n%s", text)
	}
	page, err := HTML(entries)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if strings.Contains(html, "<Corp>") || !strings.Contains(html, "Acme &lt;Corp&gt;") {
		t.Error("the org name is not escaped")
	}
	start, end := strings.Index(html, "<svg"), strings.Index(html, "</svg>")
	if start < 0 || end < start {
		t.Fatal("no inline SVG")
	}
	var svg struct {
		Polylines []struct {
			Class  string `xml:"class,attr"`
			Points string `xml:"points,attr"`
		} `xml:"g>polyline"`
		Rects []struct {
			Class string `xml:"class,attr"`
		} `xml:"g>rect"`
	}
	if err := xml.Unmarshal([]byte(html[start:end+len("</svg>")]), &svg); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v", err)
	}
	if len(svg.Polylines) != 5 {
		t.Fatalf("%d severity lines, want 5", len(svg.Polylines))
	}
	for _, p := range svg.Polylines {
		if n := len(strings.Fields(p.Points)); n != 5 {
			t.Errorf("%s has %d points, want 5", p.Class, n)
		}
	}
	bars := map[string]int{}
	for _, r := range svg.Rects {
		bars[r.Class]++
	}
	if bars["new"] != 4 || bars["fixed"] != 4 {
		t.Errorf("bars %v, want 4 new and 4 fixed (the first run has nothing to compare with)", bars)
	}
	if !strings.Contains(html, "Content-Security-Policy") || strings.Contains(html, "<script") {
		t.Error("the page must load nothing and run nothing")
	}
}

// hostileText is what a report from outside can hold in an org name or a
// digest: mentions, links, workflow commands on lines of their own, ANSI
// and OSC sequences, BEL, a bidi override, markup closing a script.
const hostileText = "::error::forged @security-team https://evil.example [click](https://evil.example)\n::add-mask::x " +
	"\x1b[2J\x1b]8;;https://evil.example\x07\u202eevil\u0085 </script><script>alert(1)</script>"

// TestHostileValuesAreInert checks issue 18's follow-up of issue 12 row 16
// for the history: an org name or digest from a report drives no terminal,
// starts no workflow command in the text table (printed in CI logs), holds
// no markup in the HTML page, and stays exact but escaped in the JSON lines.
// Before, the text table could start a line with "::" and the HTML page and
// the file kept ESC, BEL and U+202E raw.
func TestHostileValuesAreInert(t *testing.T) {
	runs := fiveRuns()
	for _, r := range runs {
		r.OrgName, r.Tool.PolicyDigest = hostileText, hostileText
	}
	var entries []Entry
	for _, r := range runs {
		e, err := FromRun(r)
		if err != nil {
			t.Fatal(err)
		}
		if entries, _, err = Add(entries, e); err != nil {
			t.Fatal(err)
		}
	}
	page, err := HTML(entries)
	if err != nil {
		t.Fatal(err)
	}
	file, err := Encode(entries)
	if err != nil {
		t.Fatal(err)
	}
	for format, out := range map[string]string{"text": string(Text(entries)), "html": string(page), "jsonl": string(file)} {
		if strings.ContainsAny(out, "\x1b\x07\u202e\u0085") {
			t.Errorf("%s: a raw control character", format)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") {
				t.Errorf("%s: a line starts a workflow command: %q", format, line)
			}
		}
	}
	if strings.Contains(string(page), "<script") || strings.Contains(string(page), "</script") {
		t.Error("html: markup from a report is live")
	}
	back, err := Read("h.jsonl", strings.NewReader(string(file)))
	if err != nil || len(back) != 5 || back[0].OrgName != hostileText || back[0].PolicyDigest != hostileText {
		t.Errorf("the history file does not keep the values exact: %v", err)
	}
}

// TestGateRecordsFailedAreas checks that an entry records what failed the
// gate, policies whose area failed included, and words it as the reports
// do. Before, only the finding count was kept: a gate failed by a failed
// area read as failed by nothing.
func TestGateRecordsFailedAreas(t *testing.T) {
	run := fiveRuns()[0]
	run.Gate = model.Gate{FailOn: model.SeverityCritical, Failed: true, NotEvaluated: 2, NewOnly: true}
	e, err := FromRun(run)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Gate{FailOn: "critical", Failed: true, NotEvaluated: 2, NewOnly: true}); e.Gate != want {
		t.Errorf("gate = %+v, want %+v", e.Gate, want)
	}
	file, err := Encode([]Entry{e})
	if err != nil {
		t.Fatal(err)
	}
	back, err := Read("h.jsonl", strings.NewReader(string(file)))
	if err != nil || back[0].Gate != e.Gate {
		t.Fatalf("read back %+v, %v", back, err)
	}
	page, err := HTML(back)
	if err != nil {
		t.Fatal(err)
	}
	if want := `title="failed: 2 policies not evaluated (area failed) at or above critical">failed<`; !strings.Contains(string(page), want) {
		t.Errorf("the page's gate cell is not %q", want)
	}
}
