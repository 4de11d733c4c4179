package report

// Fuzz test for every report writer. `go test` runs the seeds
// (testdata/fuzz/FuzzWrite/ and the f.Add calls); `make fuzz` explores.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/codescanning"
	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

// fuzzedRun puts fuzzed text wherever the snapshot, the config or a custom
// policy can put text: org name, snapshot path, resources, messages, titles,
// reasons, parameters, exception resources; and fuzzed positions and
// severities.
func fuzzedRun(org, resource, message, path, reason string, line, col int, sev uint8, suppressed bool) *model.Run {
	run := fixtureRun()
	run.OrgName, run.OrgID = org, resource
	run.Snapshot.Path = path
	run.Parameters["fuzz"] = map[string]any{org: []any{message, line}}
	f := &run.Findings[0]
	f.Resource, f.Message, f.Title, f.Path = resource, message, reason, path
	f.Line, f.Column = line, col
	f.Severity = model.Severity(sev % 7) // includes unknown and out-of-range values
	if suppressed {
		f.Suppressed = true
		f.Suppression = &model.Suppression{Reason: reason, Owner: org, Ticket: resource, Expires: message}
	}
	run.Findings[2].Remediation = message
	run.Policies[0].Reason = reason
	run.Policies[0].Policy.Title = message
	run.Policies[0].Policy.ID = resource
	run.UnusedExceptions[0].Resource = resource
	run.UnusedExceptions[0].Owner = reason
	run.Tool.Version = reason
	return run
}

// FuzzWrite checks that no writer panics or fails on any text, that the
// JSON and SARIF reports are valid JSON holding every finding, that JUnit is
// well-formed XML, that Markdown tables keep their column count, and that
// the line formats keep one line per item.
func FuzzWrite(f *testing.F) {
	f.Add("Acme | Corp <HQ>", hostileResource, "100% done\r\n::error::forged", "scans/a.json", "no «reason» ✨", 3, 9, uint8(2), false)
	f.Add("", "", "", "", "", 0, 0, uint8(0), true)
	f.Add("\x1b[31mred\u202e", "a\\|b `c` ``d``", "[x](https://e.example) **b** <img src=x>", `C:\a b\#1:ü.json`, "\x00\ufffe", -5, 1<<30, uint8(6), true)
	f.Add("\xff\xfe", "]]>", "</failure><x>", "%0A,:", "&amp;", 1, 1, uint8(1), false)
	f.Fuzz(func(t *testing.T, org, resource, message, path, reason string, line, col int, sev uint8, suppressed bool) {
		run := fuzzedRun(org, resource, message, path, reason, line, col, sev, suppressed)
		for _, format := range Formats {
			var buf bytes.Buffer
			if err := Write(&buf, format, run); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			checkOutput(t, format, buf.Bytes(), run)
		}
	})
}

func checkOutput(t *testing.T, format string, out []byte, run *model.Run) {
	t.Helper()
	switch format {
	case "json":
		var got struct {
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("json: %v", err)
		}
		if len(got.Findings) != len(run.Findings) {
			t.Fatalf("json: %d findings, want %d", len(got.Findings), len(run.Findings))
		}
	case "sarif":
		if _, err := codescanning.Parse(out); err != nil {
			t.Fatalf("sarif: GitHub would reject it: %v", err)
		}
		var got sarifLog
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("sarif: %v", err)
		}
		checkSARIFAccounting(t, got, run)
	case "junit":
		dec := xml.NewDecoder(bytes.NewReader(out))
		cases := 0
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("junit: not well-formed XML: %v", err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "testcase" {
				cases++
			}
		}
		if cases != len(run.Policies) {
			t.Fatalf("junit: %d test cases, want one per policy (%d)", cases, len(run.Policies))
		}
	case "markdown":
		if row, bad := escape.RaggedRow(string(out)); bad {
			t.Fatalf("markdown: row does not fit its table: %q", row)
		}
	case "github":
		open := 0
		for _, f := range run.Findings {
			if !f.Suppressed {
				open++
			}
		}
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if open == 0 {
			lines = nil
		}
		if len(lines) != open || strings.ContainsRune(string(out), '\r') {
			t.Fatalf("github: %d lines for %d annotations", len(lines), open)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "::") {
				t.Fatalf("github: line is not a workflow command: %q", l)
			}
		}
	case "text":
		if bytes.ContainsAny(out, "\x1b\r\u202e") {
			t.Fatalf("text: raw control characters from the input reached the terminal output")
		}
	}
}
