package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

// The workflow command escaping is shared (internal/escape): line breaks and
// "%" as the runner expects, every other control character as a Go escape.
var (
	githubData     = escape.WorkflowData
	githubProperty = escape.WorkflowProperty
)

// GitHub's limits on workflow-command annotations: a step shows 10 of each
// kind and drops the rest without a word (docs.github.com REST "check runs",
// annotations: "GitHub Actions are limited to 10 warning annotations and 10
// error annotations per step", 50 per job; actions/toolkit
// docs/problem-matchers.md; notices are held to 10 too). A check
// annotation's title takes 255 characters and its message 64 KB.
const (
	maxAnnotationsPerKind  = 10
	maxAnnotationTitle     = 255
	maxAnnotationMsgBytes  = 64 * 1024
	annotationMsgCutMarker = " … (shortened; the JSON report has the whole message)"
)

// WriteGitHub renders run as GitHub Actions workflow commands, one
// annotation per unsuppressed finding, for example
//
//	::error file=scan/snapshot.json,line=12,col=7,title=ATL-KEY-001 Admin API keys must have scopes::API key k1 has no scopes (k1)
//
// Critical and high findings are errors, medium warnings, low and info
// notices, most severe first. GitHub shows 10 annotations of a kind per
// step, so when a kind has more, the first 9 are annotations, the 10th says
// how many more there are, and those follow as plain lines of the step log
// ("error: ATL-KEY-001 …"), after all annotations. When the snapshot was not
// written to a file the annotations carry no file, line or column.
// Suppressed findings and a clean run print nothing.
func WriteGitHub(w io.Writer, run *model.Run) error {
	byKind := map[string][]model.Finding{}
	var kinds []string
	for _, f := range run.Findings {
		if f.Suppressed {
			continue
		}
		k := githubLevel(f.Severity)
		if byKind[k] == nil {
			kinds = append(kinds, k)
		}
		byKind[k] = append(byKind[k], f)
	}
	slices.SortFunc(kinds, func(a, b string) int { return githubKindRank(a) - githubKindRank(b) })
	var b, rest strings.Builder
	for _, k := range kinds {
		fs := slices.Clone(byKind[k])
		slices.SortStableFunc(fs, func(a, b model.Finding) int { return severityRank(a.Severity) - severityRank(b.Severity) })
		shown := fs
		if len(fs) > maxAnnotationsPerKind {
			shown = fs[:maxAnnotationsPerKind-1]
		}
		for _, f := range shown {
			b.WriteString(githubAnnotation(run, k, f))
		}
		if len(shown) == len(fs) {
			continue
		}
		more := fs[len(shown):]
		fmt.Fprintf(&b, "::%s title=%s::%s\n", k,
			githubProperty(fmt.Sprintf("atlcheck: %d more %s findings", len(more), k)),
			githubData(fmt.Sprintf("%d more findings at this level are not shown as annotations (GitHub shows %d %s annotations per step): "+
				"they follow in this step's log, and the SARIF, Markdown and JSON reports list every finding", len(more), maxAnnotationsPerKind, k)))
		for _, f := range more {
			loc := ""
			if run.Snapshot.Path != "" {
				loc = fmt.Sprintf(" at %s:%d", run.Snapshot.Path, max(f.Line, 1))
			}
			// Escaped as annotation data: a line break in a value cannot
			// start a line, let alone a workflow command.
			rest.WriteString(githubData(fmt.Sprintf("%s: %s %s: %s%s", k, f.PolicyID, f.Title, annotationMessage(f), loc)) + "\n")
		}
	}
	b.WriteString(rest.String())
	return writeAll(w, "github", []byte(b.String()))
}

// githubAnnotation is one finding's workflow command, its title and message
// cut to what a check annotation takes.
func githubAnnotation(run *model.Run, kind string, f model.Finding) string {
	var props []string
	if run.Snapshot.Path != "" {
		props = append(props, "file="+githubProperty(run.Snapshot.Path),
			fmt.Sprintf("line=%d", max(f.Line, 1)))
		if f.Column > 0 {
			props = append(props, fmt.Sprintf("col=%d", f.Column))
		}
	}
	props = append(props, "title="+githubProperty(truncateRunes(f.PolicyID+" "+f.Title, maxAnnotationTitle)))
	msg := annotationMessage(f)
	if len(msg) > maxAnnotationMsgBytes {
		// Cut the message, keep the resource (itself at most 1,000 bytes).
		f.Resource = truncateBytes(f.Resource, 1000)
		f.Message = truncateBytes(cmp.Or(f.Message, f.Title), maxAnnotationMsgBytes-len(annotationMsgCutMarker)-len(f.Resource)-3) +
			annotationMsgCutMarker
		msg = annotationMessage(f)
	}
	return fmt.Sprintf("::%s %s::%s\n", kind, strings.Join(props, ","), githubData(msg))
}

// truncateBytes cuts s to at most n bytes without splitting a rune.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// githubKindRank orders annotation kinds: errors, warnings, notices.
func githubKindRank(k string) int {
	return map[string]int{"error": 0, "warning": 1, "notice": 2}[k]
}

// annotationMessage is "message (resource)", or the title when there is no
// message.
func annotationMessage(f model.Finding) string {
	msg := f.Message
	if msg == "" {
		msg = f.Title
	}
	if f.Resource == "" {
		return msg
	}
	return msg + " (" + f.Resource + ")"
}

// githubLevel maps a severity to an annotation command.
func githubLevel(s model.Severity) string {
	switch s {
	case model.SeverityCritical, model.SeverityHigh:
		return "error"
	case model.SeverityMedium:
		return "warning"
	}
	return "notice"
}
