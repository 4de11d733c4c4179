package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

// The workflow command escaping is shared (internal/escape): line breaks and
// "%" as the runner expects, every other control character as a Go escape.
var (
	githubData     = escape.WorkflowData
	githubProperty = escape.WorkflowProperty
)

// WriteGitHub renders run as GitHub Actions workflow commands, one
// annotation per unsuppressed finding, for example
//
//	::error file=scan/snapshot.json,line=12,col=7,title=ATL-KEY-001 Admin API keys must have scopes::API key k1 has no scopes (k1)
//
// Critical and high findings are errors, medium warnings, low and info
// notices. When the snapshot was not written to a file the annotations carry
// no file, line or column. Suppressed findings and a clean run print nothing.
func WriteGitHub(w io.Writer, run *model.Run) error {
	var b strings.Builder
	for _, f := range run.Findings {
		if f.Suppressed {
			continue
		}
		var props []string
		if run.Snapshot.Path != "" {
			props = append(props, "file="+githubProperty(run.Snapshot.Path),
				fmt.Sprintf("line=%d", max(f.Line, 1)))
			if f.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Column))
			}
		}
		props = append(props, "title="+githubProperty(f.PolicyID+" "+f.Title))
		msg := annotationMessage(f)
		fmt.Fprintf(&b, "::%s %s::%s\n", githubLevel(f.Severity), strings.Join(props, ","),
			githubData(msg))
	}
	return writeAll(w, "github", []byte(b.String()))
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
