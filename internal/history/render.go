package history

import (
	"fmt"
	"github.com/atlcheck/atlcheck/internal/english"
	"html/template"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/htmlpage"
)

// Text renders each org's trend as a table, oldest run first.
func Text(entries []Entry) []byte {
	var b strings.Builder
	for i, org := range ByOrg(entries) {
		if i > 0 {
			b.WriteString("\n")
		}
		// The label is the first thing on its line: escape.Log keeps it from
		// starting a workflow command when the table is printed in CI.
		fmt.Fprintf(&b, "%s: %s\n", escape.Log(escape.Control(label(org))), english.Count(len(org.Entries), "run"))
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "collected at\tgate\tcritical\thigh\tmedium\tlow\tinfo\tsuppressed\tnot evaluated\tnew\tfixed\tpolicies\t")
		for _, e := range org.Entries {
			s := e.Summary
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t\n", day(e.CollectedAt), gateWord(e.Gate),
				s.Critical, s.High, s.Medium, s.Low, s.Info, s.Suppressed, s.NotEvaluated, count(e.New), count(e.Fixed), escape.Control(short(e.PolicyDigest)))
		}
		tw.Flush()
	}
	if len(entries) == 0 {
		b.WriteString("The history is empty: add runs with `atlcheck history add REPORT.json --to FILE`.\n")
	}
	return []byte(b.String())
}

var htmlPage = htmlpage.Must(htmlpage.New("history", `<h1>atlcheck history</h1>
{{if not .}}<p>The history is empty.</p>{{end}}
{{range .}}<h2>{{.Label}}</h2>
<p>{{.Runs}}, {{.First}} to {{.Last}}. Open findings by severity, then new and fixed findings per run.</p>
{{.Chart}}
<table>
<thead><tr><th>Collected at</th><th>Gate</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>Info</th><th>Suppressed</th><th>Not evaluated</th><th>New</th><th>Fixed</th><th>Policies</th></tr></thead>
<tbody>
{{range .Rows}}<tr>{{$gate := .Gate}}{{range $i, $c := .Cells}}<td{{if $i}} class="n"{{end}}{{if eq $i 1}} title="{{$gate}}"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{end}}`, nil))

// row is one run in the HTML table: its cells, and the gate in the reports'
// words for the gate cell's title (the cell holds one word, so the table
// keeps its columns narrow).
type row struct {
	Cells []string
	Gate  string
}

// HTML renders each org's trend as a self-contained page with an inline SVG
// chart of open findings by severity and of new and fixed findings per run.
func HTML(entries []Entry) ([]byte, error) {
	type section struct {
		Org         Org
		Label       string
		Runs        string
		First, Last string
		Chart       template.HTML
		Rows        []row
	}
	var sections []section
	for _, org := range ByOrg(entries) {
		s := section{Org: org, Label: escape.Control(label(org)), Runs: english.Count(len(org.Entries), "run"), First: day(org.Entries[0].CollectedAt),
			Last: day(org.Entries[len(org.Entries)-1].CollectedAt), Chart: template.HTML(chart(org.Entries))}
		for _, e := range org.Entries {
			u := e.Summary
			s.Rows = append(s.Rows, row{Gate: e.Gate.Verdict(), Cells: []string{day(e.CollectedAt), gateWord(e.Gate), fmt.Sprint(u.Critical), fmt.Sprint(u.High),
				fmt.Sprint(u.Medium), fmt.Sprint(u.Low), fmt.Sprint(u.Info), fmt.Sprint(u.Suppressed), fmt.Sprint(u.NotEvaluated),
				count(e.New), count(e.Fixed), escape.Control(short(e.PolicyDigest))}})
		}
		sections = append(sections, s)
	}
	return htmlPage.Render("atlcheck history", sections)
}

func label(o Org) string {
	if o.Name == "" {
		return o.ID
	}
	return o.Name + " (" + o.ID + ")"
}

func day(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func gateWord(g Gate) string {
	switch {
	case g.FailOn == "none":
		return "off"
	case g.Failed:
		return "failed"
	}
	return "passed"
}

func count(n *int) string {
	if n == nil {
		return "—"
	}
	return fmt.Sprint(*n)
}

// short is a policy digest's first 12 hex digits.
func short(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		d = d[:12]
	}
	if d == "" {
		return "—"
	}
	return d
}
