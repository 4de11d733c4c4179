package fleet

import (
	"html/template"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/htmlpage"
)

var htmlPage = htmlpage.Must(htmlpage.New("fleet", `<h1>atlcheck fleet report</h1>
<p class="verdict {{if .S.Failed}}bad{{else}}good{{end}}"><strong>{{.Head}}:</strong> {{.Reason}}</p>
<p>{{.Counts}}</p>
<table>
<thead><tr><th>Org</th><th>Report</th><th>Gate</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>Info</th><th>Suppressed</th><th>Not evaluated</th><th>Snapshot age</th></tr></thead>
<tbody>
{{range .Rows}}<tr><td>{{if .Unreadable}}<code>{{ctl .File}}</code><br>{{ctl .Error}}{{else}}{{ctl .Name}}{{with .OtherName}} (Atlassian name: {{ctl .}}){{end}} <code>{{ctl .ID}}</code>{{end}}</td>
<td class="{{.ReportClass}}">{{.C.Report}}</td><td>{{.C.Gate}}</td>{{range .C.Counts}}<td class="n">{{.}}</td>{{end}}<td>{{ctl .C.Areas}}</td><td>{{.C.Age}}</td></tr>
{{end}}<tr><th>Total</th><td></td><td>{{.S.Totals.GateFailed}} failed</td><td class="n">{{.S.Totals.Critical}}</td><td class="n">{{.S.Totals.High}}</td><td class="n">{{.S.Totals.Medium}}</td><td class="n">{{.S.Totals.Low}}</td><td class="n">{{.S.Totals.Info}}</td><td class="n">{{.S.Totals.Suppressed}}</td><td></td><td></td></tr>
</tbody>
</table>
{{if .S.Worst}}<h2>Worst findings across orgs</h2>
<table>
<thead><tr><th>Severity</th><th>Policy</th><th>Org</th><th>Resource</th><th>Message</th></tr></thead>
<tbody>
{{range .S.Worst}}<tr><td class="{{.Severity}}">{{.Severity}}</td><td>{{ctl .PolicyID}} {{ctl .Title}}</td><td>{{ctl .OrgName}} <code>{{ctl .OrgID}}</code></td><td><code>{{ctl .Resource}}</code></td><td>{{ctl .Message}}</td></tr>
{{end}}</tbody>
</table>
{{if .S.More}}<p>…and {{.S.More}} more unsuppressed findings: see each org's report.</p>{{end}}{{end}}
{{range .S.Notes}}<p class="warn">{{ctl .}}</p>
{{end}}`, template.FuncMap{"ctl": escape.Control}))

type htmlRow struct {
	Row
	C           rowCells
	Unreadable  bool
	ReportClass string
}

// HTML renders the summary as one self-contained HTML page. The verdict is
// words in a bordered badge, no emoji: a machine without an emoji font shows
// an emoji as a missing glyph (the Markdown, shown by GitHub, keeps them).
// Every value from a report is text (html/template escapes it) with its
// control characters shown as escapes (ctl), so none can reorder or hide
// what is around it.
func HTML(s *Summary) ([]byte, error) {
	rows := make([]htmlRow, 0, len(s.Rows))
	for _, r := range s.Rows {
		h := htmlRow{Row: r, C: cells(r), Unreadable: r.Report == ReportUnreadable, ReportClass: map[string]string{
			ReportCurrent: "good", ReportStale: "warn", ReportMissing: "bad", ReportUnreadable: "bad"}[r.Report]}
		rows = append(rows, h)
	}
	return htmlPage.Render("atlcheck fleet report", map[string]any{
		"S": s, "Rows": rows, "Head": verdictHead(s), "Reason": verdictReason(s), "Counts": counts(s),
	})
}
