package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/report"
	"github.com/spf13/pflag"
)

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name, usage string, out io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(out)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: atlcheck %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; errHelp means --help was shown and the command is done.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return errHelp
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

var errHelp = errors.New("help shown")

// reportFlags are the flags every evaluating command (check, scan, demo) shares.
type reportFlags struct {
	config      string
	policyDirs  []string
	format      string
	output      string
	failOn      string
	failOnLevel model.Severity
	// noStepSummary turns off appending the Markdown report to $GITHUB_STEP_SUMMARY.
	noStepSummary bool
	// baseline is an earlier JSON report to compare with; newOnly gates on new findings only.
	baseline string
	newOnly  bool
}

func (r *reportFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&r.config, "config", "", "configuration file (YAML): org id and policy parameters")
	fs.StringArrayVar(&r.policyDirs, "policies", nil, "extra policy directory, compiled with the built-ins (repeatable)")
	fs.StringVar(&r.format, "format", "text", "report format: "+strings.Join(report.Formats, ", "))
	fs.StringVarP(&r.output, "output", "o", "", "write the report to this file (default: standard output)")
	fs.StringVar(&r.failOn, "fail-on", "high", "exit 1 when a finding has this severity or higher: critical, high, medium, low, info, none")
	fs.BoolVar(&r.noStepSummary, "no-step-summary", false, "do not append the Markdown report to $GITHUB_STEP_SUMMARY")
	fs.StringVar(&r.baseline, "baseline", "", "earlier JSON report: mark findings new or unchanged and list the fixed ones")
	fs.BoolVar(&r.newOnly, "fail-on-new-only", false, "gate on findings that are new since --baseline only")
}

// validate checks the values that need no file access.
func (r *reportFlags) validate() error {
	if r.newOnly && r.baseline == "" {
		return usagef("--fail-on-new-only needs --baseline")
	}
	if !slices.Contains(report.Formats, r.format) {
		return usagef("unknown --format %q (want one of: %s)", r.format, strings.Join(report.Formats, ", "))
	}
	if strings.EqualFold(r.failOn, "none") {
		r.failOnLevel = model.SeverityUnknown
		return nil
	}
	sev, err := model.ParseSeverity(r.failOn)
	if err != nil {
		return usagef("unknown --fail-on %q (want critical, high, medium, low, info or none)", r.failOn)
	}
	r.failOnLevel = sev
	return nil
}
