//go:build linux

package main

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReportScreenshots takes the screenshots docs/reports.md shows: the top
// of the demo org's HTML report, and the text report as a colour terminal
// shows it (the bytes atlcheck writes to a real pseudo-terminal, drawn as
// HTML). go test ./cmd/atlcheck -run Screenshots -update writes them to
// docs/img; without -update they go to a temporary directory.
func TestReportScreenshots(t *testing.T) {
	b := newBrowser(t, 90*time.Second)
	if *update {
		if err := os.MkdirAll(filepath.Join("..", "..", "docs", "img"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	page := demoReport(t, t.TempDir(), "html")
	b.open(t, page)
	b.screenshot(t, docsImage(t, "report-html.png"), 1280, 1500)

	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
	out := onTerminal(t, 100, "demo", "--quiet")
	lines := strings.Split(out, "\n")
	if len(lines) > 64 {
		lines = append(lines[:64], "…")
	}
	term := writeFile(t, "terminal.html", `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#1e1e1e}
pre{margin:0;padding:14px 18px;color:#d4d4d4;font:14px/1.35 "DejaVu Sans Mono",monospace;white-space:pre}
.b{font-weight:bold}.d{opacity:.7}.c31{color:#f14c4c}.c32{color:#23d18b}.c33{color:#f5f543}.c34{color:#3b8eea}.c35{color:#d670d6}.c36{color:#29b8db}
</style></head><body><pre>`+ansiHTML(strings.Join(lines, "\n"))+`</pre><footer></footer></body></html>`)
	b.open(t, term)
	b.screenshot(t, docsImage(t, "report-text.png"), 940, 64*19+30)
	b.clean(t)
}

// ansiHTML turns the SGR sequences the text report writes (bold, dim and
// the eight colours) into spans; everything else is escaped text.
func ansiHTML(s string) string {
	var b strings.Builder
	var classes []string
	open := false
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			b.WriteString(html.EscapeString(s))
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		j := strings.IndexByte(s[i:], 'm')
		if j < 0 {
			break
		}
		for _, code := range strings.Split(s[i+2:i+j], ";") {
			switch {
			case code == "0" || code == "":
				classes = nil
			case code == "1":
				classes = append(classes, "b")
			case code == "2":
				classes = append(classes, "d")
			default:
				classes = append(classes, "c"+code)
			}
		}
		if open {
			b.WriteString("</span>")
		}
		open = len(classes) > 0
		if open {
			b.WriteString(`<span class="` + strings.Join(classes, " ") + `">`)
		}
		s = s[i+j+1:]
	}
	if open {
		b.WriteString("</span>")
	}
	return b.String()
}
