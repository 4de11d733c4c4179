package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/suggest"
	"github.com/atlcheck/atlcheck/report"
	"github.com/spf13/pflag"
)

// newFlags returns a flag set that reports errors instead of exiting. Its
// usage, shown for --help only (a bad flag is an error, not the usage), goes
// to stdout, the command's standard output: help that was asked for is
// output, so 'atlcheck scan --help | grep timeout' works as 'atlcheck help
// scan' does.
func newFlags(name, usage string, stdout io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: atlcheck %s\n", usage)
		if fs.HasAvailableFlags() {
			fmt.Fprint(stdout, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// Flag annotations read by the value check, "did you mean" and completion.
const (
	annotValues = "atlcheck_values" // the flag takes one of these words
	annotFiles  = "atlcheck_files"  // the flag names a file (completion offers files)
	annotDirs   = "atlcheck_dirs"   // the flag names a directory
	annotPolicy = "atlcheck_policy" // the flag names a policy id (completion offers the built-in ones)
)

// enumFlag says that flag name takes one of values: parseFlags rejects any
// other value with a "did you mean", and completion offers them.
func enumFlag(fs *pflag.FlagSet, name string, values ...string) {
	_ = fs.SetAnnotation(name, annotValues, values)
}

// fileFlag says that the named flags take file names (dirFlag: directories).
func fileFlag(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		_ = fs.SetAnnotation(n, annotFiles, []string{"true"})
	}
}

func dirFlag(fs *pflag.FlagSet, names ...string) {
	for _, n := range names {
		_ = fs.SetAnnotation(n, annotDirs, []string{"true"})
	}
}

// parseFlags parses args of a command that takes no positional arguments;
// errHelp means --help was shown and the command is done.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	rest, err := parseArgs(fs, args)
	if err == nil && len(rest) > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), rest[0])
	}
	return err
}

// parseArgs parses the flags in args and returns the positional arguments.
// Unknown flags and values outside an enumFlag's words are usage errors
// with the closest known word. When the flag set writes to a flagProbe
// (completion asking what a command takes), nothing is parsed: the probe
// records the flag set and the command stops as after --help.
func parseArgs(fs *pflag.FlagSet, args []string) ([]string, error) {
	if p, ok := fs.Output().(*flagProbe); ok {
		p.fs = fs
		return nil, errHelp
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, errHelp
		}
		return nil, usagef("%s: %v%s", fs.Name(), err, flagHint(fs, err))
	}
	if err := checkValues(fs); err != nil {
		return nil, err
	}
	return fs.Args(), nil
}

// flagHint is the "did you mean" for an unknown flag.
func flagHint(fs *pflag.FlagSet, err error) string {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if group := ne.GetSpecifiedShortnames(); len(group) > 1 {
		// "-format": a long flag written with one dash.
		name, _, _ := strings.Cut(group, "=")
		if c := suggest.Closest(name, names); c != "" {
			return fmt.Sprintf(" (long flags take two dashes: --%s)", c)
		}
		return ""
	}
	return suggest.Hint(ne.GetSpecifiedName(), names, "--%s")
}

// checkValues rejects a value of an enumFlag that is not one of its words,
// and writes a word given in another case ("HTML") in its canonical form.
func checkValues(fs *pflag.FlagSet) error {
	var err error
	fs.Visit(func(f *pflag.Flag) {
		values := f.Annotations[annotValues]
		if err != nil || len(values) == 0 || slices.Contains(values, f.Value.String()) {
			return
		}
		got := f.Value.String()
		for _, v := range values {
			if strings.EqualFold(v, got) {
				_ = f.Value.Set(v)
				return
			}
		}
		err = usagef("unknown --%s %q (want one of: %s)%s", f.Name, got, strings.Join(values, ", "),
			suggest.Hint(got, values, "%q"))
	})
	return err
}

// flagProbe is a writer that tells parseArgs to hand over the flag set
// instead of parsing: completion uses it to learn every command's flags from
// the command itself, so a new command or flag completes with no table to
// update.
type flagProbe struct {
	fs *pflag.FlagSet
}

func (*flagProbe) Write(p []byte) (int, error) { return len(p), nil }

var errHelp = errors.New("help shown")

// severityWords are the severities, most severe first.
func severityWords() []string {
	words := make([]string, 0, len(model.Severities))
	for _, s := range model.Severities {
		words = append(words, s.String())
	}
	return words
}

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
	// policies and skipPolicies choose the policies that run (globs).
	policies     []string
	skipPolicies []string
	// minSeverity hides less severe findings from the report (not from the gate).
	minSeverity      string
	minSeverityLevel model.Severity
	noColor          bool
	// sarifMaxResults caps the SARIF results; sarifSuppressed writes suppressed findings too.
	sarifMaxResults int
	sarifSuppressed bool
	// maxBytes caps the Markdown report; markdownFor names where it goes
	// (file, pr or summary), which sets a cap of its own.
	maxBytes    int
	markdownFor string
	// fullReport says where the whole report is, for the note of what a size cap left out.
	fullReport string
	// groupBy is "policy" or "control" (the compliance view).
	groupBy string
	// fs is the flag set the flags were registered in (to tell a --format
	// given from its default).
	fs *pflag.FlagSet
}

// markdownTargets are the values of --markdown-for and the size cap each sets.
var markdownTargets = map[string]int{
	"file":    0,
	"pr":      report.PRCommentMaxChars - 1,
	"summary": report.StepSummaryMaxBytes - 1,
}

// options are the report options the flags ask for.
func (r *reportFlags) options() report.Options {
	limit := markdownTargets[r.markdownFor]
	if r.maxBytes > 0 && (limit == 0 || r.maxBytes < limit) {
		limit = r.maxBytes
	}
	return report.Options{
		MaxBytes:   limit,
		FullReport: r.fullReport,
		GroupBy:    r.groupBy,
		SARIF:      report.SARIFOptions{MaxResults: r.sarifMaxResults, IncludeSuppressed: r.sarifSuppressed},
	}
}

func (r *reportFlags) register(fs *pflag.FlagSet) {
	r.fs = fs
	fs.StringVar(&r.config, "config", "", "configuration file (YAML): org id and policy parameters")
	fs.StringArrayVar(&r.policyDirs, "policies", nil, "extra policy directory, compiled with the built-ins (repeatable)")
	fs.StringVar(&r.format, "format", "text", "report format: "+strings.Join(report.Formats, ", ")+"; not given: the --output file's extension names it (.sarif, .html, .json, .md, .csv, .xml, .txt), else text")
	fs.StringVarP(&r.output, "output", "o", "", "write the report to this file (default: standard output)")
	fs.StringVar(&r.failOn, "fail-on", "high", "exit 1 when a finding has this severity or higher: critical, high, medium, low, info, none")
	fs.BoolVar(&r.noStepSummary, "no-step-summary", false, "do not append the Markdown report to $GITHUB_STEP_SUMMARY")
	fs.StringVar(&r.baseline, "baseline", "", "earlier JSON report: mark findings new or unchanged and list the fixed ones")
	fs.BoolVar(&r.newOnly, "fail-on-new-only", false, "gate on findings that are new since --baseline only")
	fs.StringSliceVar(&r.policies, "policy", nil, "run only the policies matching this id or glob, e.g. ATL-KEY-* (repeatable)")
	fs.StringSliceVar(&r.skipPolicies, "skip-policy", nil, "do not run the policies matching this id or glob (repeatable)")
	fs.StringVar(&r.minSeverity, "min-severity", "info", "show only findings of this severity or higher in the report; the gate still counts every finding")
	fs.BoolVar(&r.noColor, "no-color", false, "no colours in the text report (also: NO_COLOR set, or output not a terminal)")
	fs.StringVar(&r.groupBy, "group-by", "policy", "html and markdown: policy, or control for the CIS Controls v8 / NIST 800-53 view")
	enumFlag(fs, "format", report.Formats...)
	enumFlag(fs, "min-severity", severityWords()...)
	enumFlag(fs, "group-by", "policy", "control")
	_ = fs.SetAnnotation("policy", annotPolicy, []string{"true"})
	_ = fs.SetAnnotation("skip-policy", annotPolicy, []string{"true"})
	enumFlag(fs, "fail-on", append(severityWords(), "none")...)
	fileFlag(fs, "config", "output", "baseline")
	dirFlag(fs, "policies")
	fs.IntVar(&r.sarifMaxResults, "sarif-max-results", report.MaxSARIFResults, "SARIF: at most this many results in all (1-5000, GitHub stores 5,000); the least severe policies are folded into one result each")
	fs.BoolVar(&r.sarifSuppressed, "sarif-include-suppressed", false, "SARIF: also write suppressed findings (GitHub code scanning ignores suppressions and opens alerts for them)")
	fs.IntVar(&r.maxBytes, "max-bytes", 0, "Markdown: at most this many bytes; whole groups are left out from the least severe up (0: no limit)")
	fs.StringVar(&r.markdownFor, "markdown-for", "file", "Markdown: where it goes: file (no limit), pr (a comment, under 65,536 characters) or summary (under 1 MiB)")
	fs.StringVar(&r.fullReport, "full-report", "", "Markdown: where the whole report is (a file or URL), named when a size limit leaves something out")
	registerInputLimit(fs)
}

// validate checks the values that need no file access.
func (r *reportFlags) validate() error {
	formatFromOutput(r.fs, &r.format, r.output, report.Formats)
	if r.newOnly && r.baseline == "" {
		return usagef("--fail-on-new-only needs --baseline")
	}
	if r.sarifMaxResults < 1 || r.sarifMaxResults > report.MaxSARIFResults {
		return usagef("--sarif-max-results %d is out of range (want 1 to %d)", r.sarifMaxResults, report.MaxSARIFResults)
	}
	if r.maxBytes < 0 {
		return usagef("--max-bytes %d is negative (want a size in bytes, or 0 for no limit)", r.maxBytes)
	}
	if _, ok := markdownTargets[r.markdownFor]; !ok {
		return usagef("unknown --markdown-for %q (want file, pr or summary)", r.markdownFor)
	}
	if !slices.Contains(report.Formats, r.format) {
		return usagef("unknown --format %q (want one of: %s)", r.format, strings.Join(report.Formats, ", "))
	}
	if err := r.parseMinSeverity(); err != nil {
		return err
	}
	if err := r.sarifUnfiltered(); err != nil {
		return err
	}
	if r.groupBy == "control" && r.format != "html" && r.format != "markdown" {
		return usagef("--group-by control is a view of the html and markdown reports, not of %s", r.format)
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

// sarifUnfiltered refuses a SARIF report that filters findings out. Each
// SARIF run is a code scanning category, and an upload replaces its
// category's earlier results (docs.github.com, "SARIF support for code
// scanning"): the findings a filter hides would have their alerts closed as
// fixed. The JSON baseline refuses filtered reports for the same reason.
func (r *reportFlags) sarifUnfiltered() error {
	if r.format != "sarif" {
		return nil
	}
	var used []string
	if len(r.policies) > 0 {
		used = append(used, "--policy")
	}
	if len(r.skipPolicies) > 0 {
		used = append(used, "--skip-policy")
	}
	if r.minSeverityLevel != model.SeverityUnknown && r.minSeverityLevel != model.SeverityInfo {
		used = append(used, "--min-severity")
	}
	if len(used) == 0 {
		return nil
	}
	return usagef("%s cannot be used with --format sarif: code scanning replaces each category's alerts with an upload's results, "+
		"so it would close the alerts of every finding the filter leaves out; write the SARIF report unfiltered "+
		"(code scanning filters by rule and severity itself), or filter another format", strings.Join(used, " and "))
}

// outputExtensions are the formats an --output file's name implies, longest
// suffix first.
var outputExtensions = []struct{ suffix, format string }{
	{".sarif.json", "sarif"}, {".sarif", "sarif"}, {".html", "html"}, {".htm", "html"}, {".json", "json"},
	{".markdown", "markdown"}, {".md", "markdown"}, {".csv", "csv"}, {".xml", "junit"}, {".txt", "text"},
}

// formatFromOutput sets *format from the --output file's extension when
// --format was not given and the extension names one of formats: '-o
// results.sarif' writes SARIF, not a text report that code scanning would
// refuse. A --format given always wins.
func formatFromOutput(fs *pflag.FlagSet, format *string, output string, formats []string) {
	if output == "" || fs == nil || fs.Changed("format") {
		return
	}
	name := strings.ToLower(output)
	for _, e := range outputExtensions {
		if strings.HasSuffix(name, e.suffix) {
			if slices.Contains(formats, e.format) {
				*format = e.format
			}
			return
		}
	}
}

// parseMinSeverity reads --min-severity (checked by its enumFlag words).
func (r *reportFlags) parseMinSeverity() error {
	sev, err := model.ParseSeverity(r.minSeverity)
	if err != nil {
		return usagef("unknown --min-severity %q (want critical, high, medium, low or info)", r.minSeverity)
	}
	r.minSeverityLevel = sev
	return nil
}
