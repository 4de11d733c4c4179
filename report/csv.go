package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/atlcheck/atlcheck/internal/model"
)

// csvHeader names the CSV report's columns. They are a public interface
// (docs/reports.md): add columns at the end, never rename or reorder them.
var csvHeader = []string{
	"policy", "severity", "title", "resource", "message", "remediation", "status",
	"suppressed", "reason", "owner", "ticket", "expires", "fingerprint", "path",
}

// WriteCSV renders run as CSV (RFC 4180: a header row, CRLF line ends,
// fields with commas, quotes or line breaks in double quotes): one row per
// finding, suppressed ones included, in run order, then one row per finding
// fixed since the baseline (status "fixed"). It is for action plans and
// spreadsheets, so every cell that a spreadsheet would read as a formula is
// neutralised (csvCell).
func WriteCSV(w io.Writer, run *model.Run) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write(csvHeader)
	for _, f := range run.Findings {
		_ = cw.Write(csvRow(f, csvStatus(f, run.Baseline != nil)))
	}
	for _, f := range run.Fixed {
		_ = cw.Write(csvRow(f, "fixed"))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("encode csv report: %w", err)
	}
	return writeAll(w, "csv", buf.Bytes())
}

// csvStatus is "open" or "suppressed", or with a baseline "new" or
// "unchanged" (whether suppressed or not: the suppressed column says that).
func csvStatus(f model.Finding, baseline bool) string {
	switch {
	case baseline && f.BaselineState != "":
		return f.BaselineState
	case f.Suppressed:
		return "suppressed"
	}
	return "open"
}

func csvRow(f model.Finding, status string) []string {
	s := model.Suppression{}
	if f.Suppression != nil {
		s = *f.Suppression
	}
	row := []string{
		f.PolicyID, f.Severity.String(), f.Title, f.Resource, f.Message, f.Remediation, status,
		strconv.FormatBool(f.Suppressed), s.Reason, s.Owner, s.Ticket, s.Expires, f.Fingerprint, f.Path,
	}
	for i, c := range row {
		row[i] = csvCell(c)
	}
	return row
}

// formulaStart are the characters with which a spreadsheet (Excel,
// LibreOffice Calc, Google Sheets) starts a formula or a DDE call, including
// the full-width forms some locales accept (OWASP, "CSV Injection").
const formulaStart = "=+-@\uFF1D\uFF0B\uFF0D\uFF20"

// csvCell makes a value inert in a spreadsheet and in a terminal: control
// characters (line breaks too) are shown as escapes such as \n, and a cell
// whose first visible character could start a formula, or that starts with a
// tab or a line break, gets a leading apostrophe, which spreadsheets read as
// "text" and do not display. A resource named "=HYPERLINK(…)" stays text.
func csvCell(s string) string {
	trimmed := strings.TrimLeftFunc(s, unicode.IsSpace)
	dangerous := trimmed != "" && strings.ContainsRune(formulaStart, []rune(trimmed)[0]) ||
		strings.HasPrefix(s, "\t") || strings.HasPrefix(s, "\r") || strings.HasPrefix(s, "\n")
	s = quoteControl(s)
	if dangerous {
		return "'" + s
	}
	return s
}
