package report

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure"`
	Skipped   *junitSkipped `xml:"skipped"`
	Out       *junitCDATA   `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitCDATA struct {
	Text string `xml:",cdata"`
}

// WriteJUnit renders run as JUnit XML for CI test dashboards: one test suite
// "atlcheck" with one test case per policy (classname is the policy's Rego
// package). A failing policy is a <failure> of its severity listing each
// finding, a policy not evaluated is <skipped> with the reason, and
// suppressed findings are listed in <system-out> of a passing case.
func WriteJUnit(w io.Writer, run *model.Run) error {
	suite := junitSuite{Name: "atlcheck", Properties: junitProperties(run)}
	for _, p := range run.Policies {
		c := junitCaseFor(run, p)
		switch {
		case c.Failure != nil:
			suite.Failures++
		case c.Skipped != nil:
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "atlcheck", Tests: suite.Tests, Failures: suite.Failures,
		Skipped: suite.Skipped, Suites: []junitSuite{suite}}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit report: %w", err)
	}
	buf.WriteString("\n")
	return writeAll(w, "junit", escape.XMLControls(buf.Bytes()))
}

// junitProperties describes the run in the suite's <properties>.
func junitProperties(run *model.Run) []junitProperty {
	props := []junitProperty{
		{"org_id", run.OrgID},
		{"org_name", run.OrgName},
		{"snapshot", run.Snapshot.Path},
		{"collected_at", timestamp(run.Snapshot.CollectedAt)},
		{"tool_version", run.Tool.Version},
		{"tool_commit", run.Tool.Commit},
		{"policy_digest", run.Tool.PolicyDigest},
		{"gate", run.Gate.Verdict()},
	}
	if run.Tool.CustomPolicyDigest != "" {
		props = append(props, junitProperty{"custom_policy_digest", run.Tool.CustomPolicyDigest})
	}
	return props
}

// junitCaseFor maps one policy result to a test case.
func junitCaseFor(run *model.Run, p model.PolicyResult) junitCase {
	c := junitCase{
		ClassName: cmp.Or(p.Policy.Package, "atlcheck"),
		Name:      p.Policy.ID + ": " + p.Policy.Title,
	}
	var failed, suppressed []string
	for _, f := range findingsOf(run, p.Policy.ID) {
		line := fmt.Sprintf("[%s] %s — %s (at %s)", f.Severity, quoteControl(f.Resource),
			quoteControl(f.Message), junitLocation(run.Snapshot.Path, f))
		if f.Suppressed {
			reason := "no exception recorded"
			if f.Suppression != nil {
				reason = suppressionText(f.Suppression)
			}
			suppressed = append(suppressed, line+"\n  suppressed: "+quoteControl(reason))
			continue
		}
		failed = append(failed, line)
	}
	switch p.Status {
	case model.StatusFail:
		c.Failure = &junitFailure{
			Message: plural(len(failed), "finding"),
			Type:    p.Policy.Severity.String(),
			Text:    xmlText(strings.Join(failed, "\n") + "\nRemediation: " + p.Policy.Remediation),
		}
	case model.StatusNotEvaluated:
		c.Skipped = &junitSkipped{Message: cmp.Or(p.Reason, "not evaluated")}
	}
	if len(suppressed) > 0 {
		c.Out = &junitCDATA{Text: xmlText("Suppressed findings:\n" + strings.Join(suppressed, "\n"))}
	}
	return c
}

// junitLocation is "file:line:column, /json/pointer", or only the pointer
// when the snapshot was not written to a file.
func junitLocation(file string, f model.Finding) string {
	pointer := quoteControl(cmp.Or(f.Path, "/"))
	if file == "" {
		return pointer
	}
	return fmt.Sprintf("%s:%d:%d, %s", quoteControl(file), max(f.Line, 1), max(f.Column, 1), pointer)
}

// xmlText makes text safe for a CDATA section, which encoding/xml writes
// unescaped: invalid UTF-8 and characters XML 1.0 forbids (most control
// characters) become U+FFFD.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20 || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
