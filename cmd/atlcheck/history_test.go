package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/report"
)

// TestHistoryCommands adds five nightly JSON reports to a history file and
// shows it as text and HTML.
func TestHistoryCommands(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "history.jsonl")
	at := time.Date(2026, 11, 16, 3, 17, 0, 0, time.UTC)
	var paths []string
	for night, n := range []int{3, 4, 2, 5, 1} {
		run := &model.Run{Tool: model.Tool{Name: "atlcheck", Version: "1.0.0", PolicyDigest: "sha256:feed"}, OrgID: "org-1", OrgName: "Acme",
			Snapshot: model.SnapshotRef{CollectedAt: at.AddDate(0, 0, night)}, Gate: model.Gate{FailOn: model.SeverityHigh}}
		for i := range n {
			res := fmt.Sprintf("key-%d", i+night)
			run.Findings = append(run.Findings, model.Finding{PolicyID: "ATL-KEY-001", Severity: model.SeverityHigh, Resource: res, Fingerprint: model.Fingerprint("ATL-KEY-001", res)})
		}
		run.Summary.High = n
		var buf bytes.Buffer
		if err := report.WriteJSON(&buf, run); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("night-%d.json", night))
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		stdout, stderr, code := cli(t, "history", "add", p, "--to", hist)
		want := fmt.Sprintf("%d open findings", n)
		if n == 1 {
			want = "1 open finding"
		}
		if code != 0 || !strings.Contains(stdout, want) {
			t.Fatalf("history add night %d: exit %d\n%s%s", night, code, stdout, stderr)
		}
		if night == 0 { // one run so far: counted in the singular
			stdout, _, code := cli(t, "history", "show", hist)
			if code != 0 || !strings.Contains(stdout, "Acme (org-1): 1 run\n") {
				t.Errorf("history show after one run: exit %d\n%s", code, stdout)
			}
		}
	}
	if _, stderr, code := cli(t, "history", "add", paths[4], "--to", hist); code != 0 || !strings.Contains(stderr, "nothing added") {
		t.Errorf("re-adding the last night: exit %d, %s", code, stderr)
	}
	if _, stderr, code := cli(t, "history", "add", paths[1], "--to", hist); code != exitUsage || !strings.Contains(stderr, "time order") {
		t.Errorf("adding an older night: exit %d, %s", code, stderr)
	}
	// Another atlcheck file where a report or the history belongs is named.
	if _, stderr, code := cli(t, "history", "add", acmeSnapshot, "--to", hist); code != exitUsage ||
		!strings.Contains(stderr, "acme.json is a snapshot, not an atlcheck JSON report: give the JSON report of the run to add") {
		t.Errorf("adding a snapshot: exit %d, %s", code, stderr)
	}
	if _, stderr, code := cli(t, "history", "show", acmeSnapshot); code != exitUsage ||
		!strings.Contains(stderr, "acme.json is a snapshot, not a history file") {
		t.Errorf("showing a snapshot as the history: exit %d, %s", code, stderr)
	}
	data, _ := os.ReadFile(hist)
	if n := strings.Count(string(data), "\n"); n != 5 {
		t.Errorf("history has %d lines, want 5", n)
	}
	stdout, _, code := cli(t, "history", "show", hist)
	if code != 0 || !strings.Contains(stdout, "Acme (org-1): 5 runs") {
		t.Errorf("history show: exit %d\n%s", code, stdout)
	}
	page := filepath.Join(dir, "history.html")
	if _, stderr, code := cli(t, "history", "show", hist, "--format", "html", "--output", page); code != 0 {
		t.Fatalf("history show --format html: exit %d: %s", code, stderr)
	}
	html, _ := os.ReadFile(page)
	if !bytes.Contains(html, []byte("<svg")) || bytes.Count(html, []byte(`class="new"`)) != 4 {
		t.Errorf("the HTML page has no chart of 5 runs")
	}
	for _, bad := range [][]string{
		{"history", "show", filepath.Join(dir, "none.jsonl")},
		{"history", "show", hist, "--format", "pdf"},
		{"history", "show", hist, "--org", "other"},
		{"history", "add", paths[0]},
		{"history", "add", writeFile(t, "x.json", `{"version": "2.1.0"}`), "--to", hist},
		{"history", "add", paths[0], "--to", writeFile(t, "bad.jsonl", "{]\n")},
	} {
		if _, _, code := cli(t, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
