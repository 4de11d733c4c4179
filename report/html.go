package report

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/atlcheck/atlcheck/internal/htmlpage"
	"github.com/atlcheck/atlcheck/internal/model"
)

var (
	//go:embed html/report.tmpl
	htmlBody string
	//go:embed html/report.css
	htmlCSS string
	//go:embed html/report.js
	htmlJS string
)

// htmlReport is the page: html/template escapes every value by its context
// (text, attribute, URL), and the page's Content-Security-Policy allows only
// its own stylesheet and script (by hash) and no request of any kind.
var htmlReport = htmlpage.Must(htmlpage.NewWithAssets("report", htmlBody, nil, htmlpage.Assets{CSS: htmlCSS, JS: htmlJS}))

// WriteHTML renders run as one self-contained HTML page with the default
// options.
func WriteHTML(w io.Writer, run *model.Run) error { return writeHTML(w, run, Options{}) }

// writeHTML renders the HTML report for auditors and periodic reviews: the
// gate verdict and a severity chart first, the areas and policies that were
// not evaluated in a box of their own, new and fixed findings with a
// baseline, what the audit log recorded since the last run, with --group-by control the compliance view, then the findings
// grouped by policy with remediation and references, the suppressed
// findings, every policy's status and the evidence block. It reads without
// JavaScript; the inline script only adds filters by severity, policy and
// text, and a print stylesheet makes it a review document.
func writeHTML(w io.Writer, run *model.Run, opts Options) error {
	data, err := htmlData(run, opts)
	if err != nil {
		return err
	}
	page, err := htmlReport.Render("atlcheck report: "+quoteControl(orgLabel(run)), data)
	if err != nil {
		return fmt.Errorf("render html report: %w", err)
	}
	return writeAll(w, "html", page)
}

// htmlPage is what the template shows; every string is a value from the
// run with control characters escaped, left to html/template to make inert.
type htmlPageData struct {
	Org, OrgID, CollectedAt, Tool string
	Gate                          struct{ Class, Text string }
	Filters                       []string
	Chart                         template.HTML
	Counts                        []htmlCount
	Suppressed                    []htmlFinding
	Open, Failing, PolicyCount    int
	MissingAreas                  []model.AreaResult
	NotEvaluated                  []htmlPolicy
	Baseline                      *htmlBaseline
	Since                         *htmlSince
	Controls                      []htmlFramework
	Groups                        []htmlGroup
	Unused                        []model.ExceptionRef
	Policies                      []htmlPolicy
	SnapshotPath, SnapshotSHA256  string
	Attestations                  []htmlAttestation
	Version, Commit, PolicyDigest string
	FailOn                        string
	NewOnly                       bool
	ExitCode                      int
	Parameters                    string
}

type htmlCount struct {
	Severity string
	N        int
}

type htmlFinding struct {
	Severity, Policy, Resource, Message, Location string
	New                                           bool
	Reason, Owner, Expires, Ticket                string
}

type htmlGroup struct {
	Key, Title, Severity, Remediation, Anchor string
	References                                []htmlRef
	Findings                                  []htmlFinding
}

// htmlRef is a policy reference: a link when it is an http(s) URL, else
// text (a custom policy may name anything, javascript: included).
type htmlRef struct {
	URL  string
	Link bool
}

type htmlPolicy struct {
	ID, Title, Severity, Status, StatusText, Reason string
	// Anchor is the policy's row in the table of all policies,
	// FindingsAnchor its group of findings (when it fails).
	Anchor, FindingsAnchor string
	Findings               int
}

type htmlBaseline struct {
	Path, CollectedAt string
	New, Unchanged    int
	FixedCount        int
	Fixed             []htmlFinding
}

type htmlFramework struct {
	Name string
	Rows []htmlControl
}

type htmlControl struct {
	ID, Title, Status, StatusText string
	Policies                      []htmlPolicy
	Findings                      int
}

type htmlAttestation struct{ Area, AttestedBy, AttestedAt string }

func htmlData(run *model.Run, opts Options) (*htmlPageData, error) {
	d := &htmlPageData{
		Org: quoteControl(cmp.Or(run.OrgName, run.OrgID)), OrgID: quoteControl(run.OrgID),
		CollectedAt: timestamp(run.Snapshot.CollectedAt), Tool: quoteControl(toolLabel(run.Tool)),
		Filters: controlled(run.Filters), PolicyCount: len(run.Policies),
		SnapshotPath: quoteControl(run.Snapshot.Path), SnapshotSHA256: cmp.Or(run.Snapshot.SHA256, "unknown"),
		Version: quoteControl(run.Tool.Version), Commit: quoteControl(run.Tool.Commit),
		PolicyDigest: cmp.Or(quoteControl(run.Tool.PolicyDigest), "unknown"), FailOn: run.Gate.FailOnName(),
		NewOnly: run.Gate.NewOnly, ExitCode: run.ExitCode,
	}
	d.Gate.Class, _, _ = strings.Cut(run.Gate.Verdict(), ":")
	d.Gate.Text = run.Gate.Verdict()
	s := run.Summary
	for _, sev := range model.Severities {
		d.Counts = append(d.Counts, htmlCount{sev.String(), s.Count(sev)})
		d.Open += s.Count(sev)
	}
	d.Chart = severityChart(s)
	for _, a := range run.Areas {
		if !a.Collected {
			d.MissingAreas = append(d.MissingAreas, model.AreaResult{Name: quoteControl(a.Name), Reason: quoteControl(a.Reason)})
		}
	}
	for _, p := range run.Policies {
		hp := htmlPolicyOf(p)
		d.Policies = append(d.Policies, hp)
		if p.Status == model.StatusNotEvaluated {
			d.NotEvaluated = append(d.NotEvaluated, hp)
		}
	}
	groups := GroupByPolicy(run)
	for _, g := range Failing(groups) {
		d.Groups = append(d.Groups, htmlGroupOf(g))
	}
	d.Failing = len(d.Groups)
	for _, g := range groups {
		for _, f := range g.Suppressed {
			d.Suppressed = append(d.Suppressed, htmlFindingOf(f))
		}
	}
	for _, e := range run.UnusedExceptions {
		d.Unused = append(d.Unused, model.ExceptionRef{Policy: quoteControl(e.Policy), Resource: quoteControl(e.Resource),
			Owner: quoteControl(e.Owner), Expires: quoteControl(e.Expires), Line: e.Line})
	}
	if ref := run.Baseline; ref != nil {
		d.Baseline = &htmlBaseline{Path: quoteControl(ref.Path), CollectedAt: timestamp(ref.CollectedAt),
			New: ref.New, Unchanged: ref.Unchanged, FixedCount: ref.Fixed}
		for _, f := range run.Fixed {
			d.Baseline.Fixed = append(d.Baseline.Fixed, htmlFindingOf(f))
		}
	}
	for _, a := range run.Attestations {
		d.Attestations = append(d.Attestations, htmlAttestation{quoteControl(a.Area), quoteControl(a.AttestedBy), timestamp(a.AttestedAt)})
	}
	d.Since = htmlSinceOf(run)
	if opts.GroupBy == "control" {
		d.Controls = htmlControls(run)
	}
	params := run.Parameters
	if params == nil {
		params = map[string]any{}
	}
	text, err := json.MarshalIndent(params, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode parameters: %w", err)
	}
	d.Parameters = string(text)
	return d, nil
}

func htmlPolicyOf(p model.PolicyResult) htmlPolicy {
	return htmlPolicy{ID: quoteControl(p.Policy.ID), Title: quoteControl(cmp.Or(p.Policy.Title, p.Policy.ID)),
		Severity: p.Policy.Severity.String(), Status: string(p.Status), StatusText: statusText(p.Status),
		Reason: quoteControl(p.Reason), Findings: p.Findings, Anchor: anchor("policy", p.Policy.ID),
		FindingsAnchor: anchor("findings", p.Policy.ID)}
}

func htmlGroupOf(g Group) htmlGroup {
	hg := htmlGroup{Key: quoteControl(g.Key), Title: quoteControl(g.Title), Severity: g.Severity.String(),
		Remediation: quoteControl(g.Remediation), Anchor: anchor("findings", g.Key)}
	for _, p := range g.Policies {
		for _, r := range p.Policy.References {
			lower := strings.ToLower(r)
			hg.References = append(hg.References, htmlRef{URL: quoteControl(r),
				Link: strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")})
		}
	}
	for _, f := range g.Findings {
		hg.Findings = append(hg.Findings, htmlFindingOf(f))
	}
	return hg
}

func htmlFindingOf(f model.Finding) htmlFinding {
	h := htmlFinding{Severity: f.Severity.String(), Policy: quoteControl(f.PolicyID), Resource: quoteControl(f.Resource),
		Message: quoteControl(f.Message), New: f.BaselineState == model.BaselineNew}
	if f.Path != "" || f.Line > 0 {
		h.Location = fmt.Sprintf("%s (line %d, column %d)", quoteControl(f.Path), f.Line, f.Column)
	}
	if s := f.Suppression; s != nil {
		h.Reason, h.Owner, h.Expires, h.Ticket = quoteControl(s.Reason), quoteControl(s.Owner), quoteControl(s.Expires), quoteControl(s.Ticket)
	} else if f.Suppressed {
		h.Reason = "no exception recorded"
	}
	return h
}

// htmlControls is the compliance view: per framework, each control with its
// status and the policies mapped to it.
func htmlControls(run *model.Run) []htmlFramework {
	var out []htmlFramework
	for _, fw := range Frameworks {
		f := htmlFramework{Name: fw.Name}
		for _, g := range GroupByControl(run) {
			if !strings.HasPrefix(g.Key, fw.Label+" ") {
				continue
			}
			c := htmlControl{ID: strings.TrimPrefix(g.Key, fw.Label+" "), Title: quoteControl(g.Title),
				Status: string(ControlStatus(g)), StatusText: statusText(ControlStatus(g)), Findings: len(g.Findings)}
			for _, p := range g.Policies {
				c.Policies = append(c.Policies, htmlPolicyOf(p))
			}
			f.Rows = append(f.Rows, c)
		}
		if len(f.Rows) > 0 {
			out = append(out, f)
		}
	}
	return out
}

func statusText(s model.Status) string { return strings.ReplaceAll(string(s), "_", " ") }

// anchor is an HTML id for a policy or group key under a prefix: letters,
// digits and dashes kept, anything else written as its code, so any custom
// policy id gives a valid, unique id.
func anchor(prefix, key string) string {
	var b strings.Builder
	b.WriteString(prefix + "-")
	for _, r := range key {
		if r < 0x80 && (r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "_%x_", r)
	}
	return b.String()
}

func controlled(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = quoteControl(s)
	}
	return out
}

// severityChart is a horizontal bar chart of the open findings by severity,
// as inline SVG. Only numbers and severity names reach it.
func severityChart(s model.Summary) template.HTML {
	const barW, rowH, labelW = 260.0, 24.0, 70.0
	top := 1
	for _, sev := range model.Severities {
		top = max(top, s.Count(sev))
	}
	var b bytes.Buffer
	h := rowH * float64(len(model.Severities))
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="Open findings by severity">`,
		labelW+barW+50, h, labelW+barW+50, h)
	for i, sev := range model.Severities {
		n := s.Count(sev)
		y := float64(i) * rowH
		w := barW * float64(n) / float64(top)
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="12" text-anchor="end" font-family="sans-serif">%s</text>`, labelW-8, y+16, sev)
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%.1f" height="%g" fill="%s"><title>%d %s</title></rect>`, labelW, y+4, max(w, 1), rowH-8, severityColours[sev], n, sev)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="12" font-family="sans-serif">%d</text>`, labelW+max(w, 1)+6, y+16, n)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers and fixed words only
}

// severityColours match the report's stylesheet.
var severityColours = map[model.Severity]string{
	model.SeverityCritical: "#a40e26", model.SeverityHigh: "#bc4c00", model.SeverityMedium: "#9a6700",
	model.SeverityLow: "#0969da", model.SeverityInfo: "#59636e",
}
