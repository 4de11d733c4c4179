// Package report renders the outcome of a run (model.Run) in the output
// formats atlcheck supports: text, JSON, SARIF, Markdown, JUnit XML, GitHub
// Actions annotations, CSV and HTML.
//
// Writers render the run exactly in the order it is given (policies by id,
// findings by severity, policy id and resource) and never re-sort or
// recompute counts, so every format agrees with the others. Output is
// deterministic: no map iteration order and no wall-clock time.
package report

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/atlcheck/atlcheck/internal/english"
	"io"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/model"
)

// Formats lists the names accepted by --format, the terminal default first.
var Formats = []string{"text", "json", "sarif", "markdown", "junit", "github", "csv", "html"}

// Options tune how a report is rendered. The zero value is every format's
// default; a format ignores the options that do not apply to it.
type Options struct {
	// Color turns on ANSI colours in the text report (a terminal that wants them).
	Color bool
	// Width is the text report's line width in columns; 0 means 80.
	Width int
	// GroupBy names the grouping of findings (a key of Groupings); "" means
	// "policy". With "control" the Markdown and HTML reports add the
	// compliance view (controls.go).
	GroupBy string
	// MaxBytes caps the size of the Markdown report (0: no cap): whole
	// groups are left out, least severe first, and a last line says what
	// (markdown_budget.go).
	MaxBytes int
	// FullReport says where the whole report is (a file or a URL), for the
	// line that names what a size cap left out.
	FullReport string
	// SARIF tunes the SARIF writer.
	SARIF SARIFOptions
	// CodeScanning says the Markdown report goes with a SARIF report for
	// code scanning (the step summary of a SARIF run): its header then says
	// which categories the SARIF report leaves out, and why.
	CodeScanning bool
}

// writers maps each format name to its writer.
var writers = map[string]func(io.Writer, *model.Run, Options) error{
	"text":     writeText,
	"json":     plain(WriteJSON),
	"sarif":    func(w io.Writer, run *model.Run, o Options) error { return writeSARIF(w, run, o.SARIF) },
	"markdown": writeMarkdown,
	"junit":    plain(WriteJUnit),
	"github":   plain(WriteGitHub),
	"csv":      plain(WriteCSV),
	"html":     writeHTML,
}

// plain adapts a writer that takes no options.
func plain(write func(io.Writer, *model.Run) error) func(io.Writer, *model.Run, Options) error {
	return func(w io.Writer, run *model.Run, _ Options) error { return write(w, run) }
}

// Write renders run to w in the named format with the default options. An
// unknown format is an error that names the valid ones.
func Write(w io.Writer, format string, run *model.Run) error {
	return WriteWith(w, format, run, Options{})
}

// WriteWith renders run to w in the named format with opts.
func WriteWith(w io.Writer, format string, run *model.Run, opts Options) error {
	write, ok := writers[format]
	if !ok {
		return fmt.Errorf("unknown report format %q (want %s)", format, formatList())
	}
	if run == nil {
		return errors.New("no run to render")
	}
	return write(w, run, opts)
}

// formatList joins Formats as "a, b, c or d".
func formatList() string {
	n := len(Formats)
	return strings.Join(Formats[:n-1], ", ") + " or " + Formats[n-1]
}

// writeAll writes b to w, naming the format in the error.
func writeAll(w io.Writer, format string, b []byte) error {
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}

// plural returns "1 finding" or "2 findings", "1 policy" or "1,500
// policies".
func plural(n int, word string) string { return english.Count(n, word) }

// thousands writes n with comma separators: 16833 → "16,833".
func thousands(n int) string { return english.Thousands(n) }

// timestamp formats t in UTC as RFC 3339, or "unknown" for the zero time.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// toolLabel is "atlcheck 1.4.0 (commit 1a2b3c4d5e6f, policies sha256:0123456789ab)",
// naming the build and the exact policy bundle that produced a report, plus
// ", custom policies sha256:…" when custom policies ran; parts that are
// unknown are left out.
func toolLabel(t model.Tool) string {
	label := strings.TrimSpace(cmp.Or(t.Name, "atlcheck") + " " + t.Version)
	var extra []string
	if t.Commit != "" {
		extra = append(extra, "commit "+shorten(t.Commit, 12))
	}
	if t.PolicyDigest != "" {
		extra = append(extra, "policies "+shorten(t.PolicyDigest, len("sha256:")+12))
	}
	if t.CustomPolicyDigest != "" {
		extra = append(extra, "custom policies "+shorten(t.CustomPolicyDigest, len("sha256:")+12))
	}
	if len(extra) > 0 {
		label += " (" + strings.Join(extra, ", ") + ")"
	}
	return label
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// orgLabel is "name (id)", or the id alone when the org has no name.
func orgLabel(run *model.Run) string {
	if run.OrgName == "" {
		return run.OrgID
	}
	return run.OrgName + " (" + run.OrgID + ")"
}

// findingsOf returns the findings of one policy, in run order.
func findingsOf(run *model.Run, policyID string) []model.Finding {
	var out []model.Finding
	for _, f := range run.Findings {
		if f.PolicyID == policyID {
			out = append(out, f)
		}
	}
	return out
}
