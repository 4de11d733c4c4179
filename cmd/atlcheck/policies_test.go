package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// policyTableRows reads the policies table back: each row starts with its
// ID in the first column, its continuation lines with spaces; a cell's
// wrapped lines join with spaces. Columns start where the header's names do.
func policyTableRows(t *testing.T, out string) map[string][]string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	header := lines[0]
	var starts []int
	for _, name := range []string{"ID", "SEVERITY", "TITLE", "REQUIRES"} {
		i := strings.Index(header, name)
		if i < 0 {
			t.Fatalf("header %q has no %s", header, name)
		}
		starts = append(starts, i)
	}
	rows := map[string][]string{}
	var id string
	for _, line := range lines[1:] {
		cells := make([]string, len(starts))
		for c, start := range starts {
			end := len(line)
			if c+1 < len(starts) {
				end = min(end, starts[c+1])
			}
			if start < end {
				cells[c] = strings.TrimSpace(line[start:end])
			}
		}
		if cells[0] != "" {
			id = cells[0]
			rows[id] = cells
			continue
		}
		for c := 1; c < len(cells); c++ {
			rows[id][c] = strings.TrimSpace(rows[id][c] + " " + cells[c])
		}
	}
	return rows
}

// TestPolicyTableFitsTheWidth: 'atlcheck policies' fits the width the text
// report wraps to ($COLUMNS here, standard output being no terminal; 80 when
// unknown): TITLE and REQUIRES wrap between words inside their columns (it
// was 193 columns wide, so every row wrapped on an 80-column terminal), and
// a wide terminal gets one line per policy. Nothing is lost in the wrapping.
func TestPolicyTableFitsTheWidth(t *testing.T) {
	jsonOut, _, code := cli(t, "policies", "--format", "json")
	if code != exitOK {
		t.Fatalf("policies --format json: exit %d", code)
	}
	var list []struct {
		ID, Severity, Title string
		Requires            []string
	}
	if err := json.Unmarshal([]byte(jsonOut), &list); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		columns      string
		width        int
		oneLinePerID bool
	}{
		{"", 80, false},
		{"80", 80, false},
		{"100", 100, false},
		{"250", 250, true},
	} {
		t.Run("COLUMNS="+tc.columns, func(t *testing.T) {
			t.Setenv("COLUMNS", tc.columns)
			out, stderr, code := cli(t, "policies")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			widest := 0
			for _, l := range lines {
				widest = max(widest, len([]rune(l)))
			}
			if widest > tc.width {
				t.Errorf("widest line %d columns, want at most %d:\n%s", widest, tc.width, out)
			}
			if tc.oneLinePerID && len(lines) != len(list)+1 {
				t.Errorf("%d lines for %d policies at %d columns, want one line each", len(lines), len(list), tc.width)
			}
			if !tc.oneLinePerID && len(lines) == len(list)+1 {
				t.Errorf("no row wrapped at %d columns: the test no longer covers wrapping", tc.width)
			}
			rows := policyTableRows(t, out)
			if len(rows) != len(list) {
				t.Errorf("%d rows, want %d", len(rows), len(list))
			}
			for _, p := range list {
				req := strings.Join(p.Requires, ", ")
				if req == "" {
					req = "-"
				}
				want := []string{p.ID, p.Severity, p.Title, req}
				if got := rows[p.ID]; strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("row %s reads %q, want %q", p.ID, got, want)
				}
			}
		})
	}
}
