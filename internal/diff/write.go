package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/escape"
)

// Formats lists the output formats of Write, the terminal default first.
var Formats = []string{"text", "json", "markdown"}

// Write renders r to w in the named format (one of Formats).
func Write(w io.Writer, format string, r *Result) error {
	var render func(*Result) ([]byte, error)
	switch format {
	case "text":
		render = renderText
	case "json":
		render = renderJSON
	case "markdown":
		render = renderMarkdown
	default:
		return fmt.Errorf("unknown diff format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	b, err := render(r)
	if err != nil {
		return fmt.Errorf("render %s diff: %w", format, err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write %s diff: %w", format, err)
	}
	return nil
}

// renderJSON is the Result as indented JSON; its fields are documented in
// docs/diff.md and only grow within a format version.
func renderJSON(r *Result) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return escape.JSONControls(buf.Bytes()), nil
}

// valueText shows a field value as JSON (null for absent), so strings,
// lists and booleans read unambiguously.
func valueText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// timestamp formats a snapshot time, "unknown" for the zero time.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// orgLabel is "Name (id)", or the id alone.
func orgLabel(r *Result) string {
	if r.Org.Name == "" {
		return r.Org.ID
	}
	return r.Org.Name + " (" + r.Org.ID + ")"
}

// summaryLine is "12 changes (3 added, 4 removed, 5 changed): 6 increase
// risk, 4 decrease risk, 2 neutral".
func summaryLine(s Summary) string {
	if s.Changes == 0 {
		return "No changes"
	}
	noun := "changes"
	if s.Changes == 1 {
		noun = "change"
	}
	return fmt.Sprintf("%d %s (%d added, %d removed, %d changed): %d increase risk, %d decrease risk, %d neutral",
		s.Changes, noun, s.Added, s.Removed, s.Changed, s.RiskIncreased, s.RiskDecreased, s.RiskNeutral)
}
