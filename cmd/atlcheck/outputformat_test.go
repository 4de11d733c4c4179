package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatFromOutputName: without --format, the --output file's extension
// names the format ('-o results.sarif' is SARIF, never a text report in a
// .sarif file); a --format given wins; an unknown extension keeps the
// default. diff, fleet report and history show follow the same rule.
func TestFormatFromOutputName(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "r.json")
	if _, stderr, code := cli(t, "check", minimal, "--format", "json", "-o", report, "--fail-on", "none"); code != 0 {
		t.Fatalf("json report: exit %d: %s", code, stderr)
	}
	history := filepath.Join(dir, "h.jsonl")
	if _, stderr, code := cli(t, "history", "add", report, "--to", history); code != 0 {
		t.Fatalf("history add: exit %d: %s", code, stderr)
	}
	tests := []struct {
		args   []string
		output string
		want   string // the start of the file
	}{
		{[]string{"check", minimal}, "r.html", "<!DOCTYPE html>"},
		{[]string{"check", minimal}, "R.HTM", "<!DOCTYPE html>"},
		{[]string{"check", minimal}, "results.sarif", `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json"`},
		{[]string{"check", minimal}, "results.sarif.json", `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json"`},
		{[]string{"check", minimal}, "r2.json", "{\n  \"tool\": {"},
		{[]string{"check", minimal}, "r.md", "# atlcheck report:"},
		{[]string{"check", minimal}, "r.csv", "policy,severity,title,"},
		{[]string{"check", minimal}, "r.xml", `<?xml version="1.0" encoding="UTF-8"?>`},
		{[]string{"check", minimal}, "r.txt", "atlcheck report:"},
		{[]string{"check", minimal}, "r.out", "atlcheck report:"},
		{[]string{"check", minimal, "--format", "json"}, "explicit.html", "{\n  \"tool\": {"},
		{[]string{"check", minimal, "--format", "text"}, "explicit.sarif", "atlcheck report:"},
		{[]string{"diff", minimal, minimal}, "d.md", "# Drift of"},
		{[]string{"diff", minimal, minimal}, "d.json", "{"},
		{[]string{"diff", minimal, minimal}, "d.html", "Drift of"}, // diff has no html: its default, text
		{[]string{"fleet", "report", report}, "f.html", "<!DOCTYPE html>"},
		{[]string{"fleet", "report", report}, "f.json", "{"},
		{[]string{"history", "show", history}, "h.html", "<!DOCTYPE html>"},
	}
	for _, tt := range tests {
		out := filepath.Join(dir, tt.output)
		args := append(append([]string{}, tt.args...), "-o", out)
		if tt.args[0] == "check" {
			args = append(args, "--fail-on", "none")
		}
		_, stderr, code := cli(t, args...)
		if code > 1 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
			continue
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Errorf("%v: %v", args, err)
			continue
		}
		if !strings.HasPrefix(string(b), tt.want) {
			t.Errorf("%v wrote %.60q…, want it to start with %q", args, b, tt.want)
		}
	}
	// A SARIF report named by its extension is refused filtered, as with --format sarif.
	if _, stderr, code := cli(t, "check", minimal, "--policy", "ATL-KEY-*", "-o", filepath.Join(dir, "f.sarif")); code != exitUsage ||
		!strings.Contains(stderr, "cannot be used with --format sarif") {
		t.Errorf("a filtered report to f.sarif: exit %d, %s; want exit 2, refused as a filtered SARIF report", code, stderr)
	}
}
