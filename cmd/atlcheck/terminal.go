package main

import (
	"io"
	"os"
	"strconv"

	"github.com/atlcheck/atlcheck/report"
	"golang.org/x/term"
)

// reportOptions decides how the report looks where it goes: colours only on
// a terminal (never in a file, never with --no-color, NO_COLOR set to
// anything non-empty, or TERM=dumb; see no-color.org), wrapped to the
// terminal's width, else to $COLUMNS, else to 80 columns.
func (ev *evaluator) reportOptions(stdout io.Writer) report.Options {
	tty := ev.flags.output == "" && isTerminal(stdout)
	return report.Options{
		Color: tty && !ev.flags.noColor && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb",
		Width: terminalWidth(stdout, tty),
	}
}

// terminalWidth is the width of the terminal w writes to, at least 40.
func terminalWidth(w io.Writer, tty bool) int {
	width := 0
	if f, ok := fileOf(w); ok && tty {
		width, _, _ = term.GetSize(int(f.Fd()))
	}
	if width <= 0 {
		width, _ = strconv.Atoi(os.Getenv("COLUMNS"))
	}
	if width <= 0 {
		return 80
	}
	return max(width, 40)
}
