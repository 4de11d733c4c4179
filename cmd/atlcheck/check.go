package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/baseline"
	"github.com/atlcheck/atlcheck/internal/check"
	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/redact"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/internal/version"
	"github.com/atlcheck/atlcheck/policies"
	"github.com/atlcheck/atlcheck/report"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var rf reportFlags
	var snapshotPath string
	var timeout time.Duration
	fs := newFlags("check", "check SNAPSHOT.json [flags]   (or --snapshot FILE)", stdout)
	fs.StringVar(&snapshotPath, "snapshot", "", "snapshot file to evaluate (JSON, written by 'atlcheck collect'); may also be given as the argument")
	rf.register(fs)
	fs.DurationVar(&timeout, "timeout", defaultEvalTimeout, "give up evaluating the policies after this long (exit 2); not given: 2m, or 2m per 100 MB of snapshot")
	fileFlag(fs, "snapshot")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return helpDone(err)
	}
	ctx = withInputLimit(ctx, fs)
	if snapshotPath, err = oneSnapshot("check", snapshotPath, rest); err != nil {
		return err
	}
	if snapshotPath == "" {
		return usagef("check: name the snapshot file: atlcheck check SNAPSHOT.json (or --snapshot FILE)")
	}
	if timeout <= 0 {
		return usagef("check: --timeout must be positive")
	}
	outs, ins := rf.files("")
	if err := refuseOverwrite(outs, append(ins, pathFlag{"--snapshot", snapshotPath})); err != nil {
		return err
	}
	ev, err := newEvaluator(ctx, &rf)
	if err != nil {
		return err
	}
	ev.timeout = timeout
	doc, err := loadSnapshot(ctx, snapshotPath)
	if err != nil {
		return err
	}
	if !fs.Changed("timeout") {
		ev.timeout = evalTimeout(doc.Size())
	}
	return ev.evaluate(ctx, doc, snapshotPath, stdout, stderr)
}

// helpDone turns the "help was shown" signal into success.
func helpDone(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// evaluator holds what every evaluating command prepares before it has a
// snapshot: validated flags, the config and the compiled policies.
type evaluator struct {
	flags    *reportFlags
	cfg      *config.Config
	engine   *policies.Engine
	baseline *baseline.Baseline
	// selection is --policy/--skip-policy.
	selection check.PolicyFilter
	// redact masks the process's secrets in what is written (reports, the
	// step summary), whatever the run holds.
	redact *redact.Redactor
	// timeout bounds the evaluation; 0 leaves the caller's deadline alone
	// (scan's --timeout covers its whole run).
	timeout time.Duration
}

func policyIDs(e *policies.Engine) []string {
	var ids []string
	for _, p := range e.Policies() {
		ids = append(ids, p.ID)
	}
	return ids
}

// defaultEvalTimeout bounds the evaluation of check and demo: far above what
// the built-in policies need (seconds at 100,000 accounts), so only a runaway
// custom policy reaches it.
const defaultEvalTimeout = 2 * time.Minute

// evalTimePerMB is how the default time limit grows with the snapshot: the
// built-in policies take time in proportion to the org (1M accounts, 694 MB:
// 1 to 3 minutes of evaluation on 2 shared cores), so a fixed 2 minutes
// stopped a check of atlcheck's own 1M-account snapshot (issue 15).
const evalTimePerMB = defaultEvalTimeout / 100

// evalTimeout is the time limit of evaluating a snapshot of n bytes when
// --timeout is not given: 2 minutes, or 2 minutes per 100 MB of snapshot
// (4 to 8 times what the built-in policies need, measured), whichever is
// longer.
func evalTimeout(n int64) time.Duration {
	return max(defaultEvalTimeout, time.Duration(n/1_000_000)*evalTimePerMB)
}

// newEvaluator validates the report flags, loads the config and compiles the
// policies. Every error here is an input error (exit 2).
func newEvaluator(ctx context.Context, rf *reportFlags) (*evaluator, error) {
	if err := rf.validate(); err != nil {
		return nil, err
	}
	if rf.output != "" {
		if err := atomicfile.CheckDir(rf.output); err != nil {
			return nil, withCode(exitUsage, err)
		}
	}
	cfg, err := loadConfig(ctx, rf.config)
	if err != nil {
		return nil, err
	}
	engine, err := policies.New(ctx, policies.Options{CustomDirs: rf.policyDirs, ReadFile: policyReader(ctx)})
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("policies:\n%w", err))
	}
	ev := &evaluator{flags: rf, cfg: cfg, engine: engine, selection: check.PolicyFilter{Include: rf.policies, Exclude: rf.skipPolicies},
		redact: redact.FromContext(ctx)}
	if err := ev.selection.Validate(policyIDs(engine)); err != nil {
		return nil, withCode(exitUsage, err)
	}
	if rf.baseline != "" {
		if ev.baseline, err = loadBaseline(ctx, rf.baseline); err != nil {
			return nil, withCode(exitUsage, err)
		}
	}
	return ev, nil
}

// evaluate runs the policies over doc and writes the report; reportPath is
// the snapshot path the report's locations point at.
func (ev *evaluator) evaluate(ctx context.Context, doc *snapshot.Document, reportPath string, stdout, stderr io.Writer) error {
	if ev.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ev.timeout)
		defer cancel()
	}
	run, err := check.Evaluate(ctx, check.Input{
		Doc: doc, Engine: ev.engine, Config: ev.cfg, Baseline: ev.baseline,
		Options: check.Options{
			SnapshotPath: reportPath,
			FailOn:       ev.flags.failOnLevel,
			Tool:         ev.runTool(),
			Policies:     ev.selection,
			NewOnly:      ev.flags.newOnly,
			MinSeverity:  ev.flags.minSeverityLevel,
		},
	})
	if errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		hint := "raise --timeout"
		if len(ev.flags.policyDirs) > 0 {
			hint = "a custom policy may be too expensive (or raise --timeout)"
		}
		return withCode(exitUsage, fmt.Errorf("the policies did not finish within --timeout (%s): %s: %w", ev.timeout, hint, err))
	}
	if err != nil {
		return withCode(exitUsage, err)
	}
	if err := ev.write(run, stdout, stderr); err != nil {
		return err
	}
	if run.Gate.Failed {
		return gateFailed(run.Gate)
	}
	return nil
}

// write renders the report in memory, then writes it whole.
func (ev *evaluator) write(run *model.Run, stdout, stderr io.Writer) error {
	var buf bytes.Buffer
	opts := ev.flags.options()
	term := ev.reportOptions(stdout)
	opts.Color, opts.Width = term.Color, term.Width
	if err := report.WriteWith(&buf, ev.flags.format, run, opts); err != nil {
		return withCode(exitUsage, fmt.Errorf("render %s report: %w", ev.flags.format, err))
	}
	out := ev.redact.Bytes(buf.Bytes())
	if ev.flags.output == "" {
		if _, err := stdout.Write(out); err != nil {
			return err
		}
	} else if err := atomicfile.Write(ev.flags.output, out, 0o644); err != nil {
		return withCode(exitUsage, err)
	}
	if ev.flags.format == "sarif" {
		ev.warnWithheld(run, opts, stderr)
	}
	ev.appendStepSummary(run, stderr)
	return nil
}

// warnWithheld says on stderr which code scanning categories the SARIF
// report leaves out: their alerts stay as they were, and new findings in
// them are not uploaded until the area is complete again (or a baseline
// lets the run carry the rest forward).
func (ev *evaluator) warnWithheld(run *model.Run, opts report.Options, stderr io.Writer) {
	cats, err := report.SARIFCategories(run, opts.SARIF)
	if err != nil {
		return // the report was written, so this cannot fail
	}
	for _, c := range cats {
		if c.Withheld != "" {
			fmt.Fprintf(stderr, "atlcheck: warning: %s\n", ev.redact.String(escape.Control(c.Message)))
		}
	}
}

// appendStepSummary appends the Markdown report to the file GitHub Actions
// names in GITHUB_STEP_SUMMARY, so a workflow run shows it on its summary
// page. GitHub drops a step summary over 1 MiB, so the report is cut to the
// room left in the file (what earlier commands of the step wrote counts);
// with too little room left it is skipped with a warning. The summary is
// extra: the report was written before it, so a summary that cannot be
// written (a path into a missing directory, a full disk) is a warning on
// stderr, never the run's exit code (docs/github.md).
func (ev *evaluator) appendStepSummary(run *model.Run, stderr io.Writer) {
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" || ev.flags.noStepSummary {
		return
	}
	if err := ev.writeStepSummary(path, run, stderr); err != nil {
		fmt.Fprintf(stderr, "atlcheck: warning: the report is not added to the step summary ($GITHUB_STEP_SUMMARY): %s\n",
			escape.Log(escape.Control(err.Error())))
	}
}

// writeStepSummary appends the report to the step summary at path.
func (ev *evaluator) writeStepSummary(path string, run *model.Run, stderr io.Writer) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	room := report.StepSummaryMaxBytes - 1 - int(info.Size())
	if info.Size() > 0 {
		room-- // the newline that separates the report from what is there
	}
	opts := ev.flags.options()
	opts.MaxBytes = room
	opts.CodeScanning = ev.flags.format == "sarif"
	if room <= 0 {
		fmt.Fprintf(stderr, "atlcheck: warning: the step summary is full (%d bytes); the report is not added to it\n", info.Size())
		return nil
	}
	var buf bytes.Buffer
	if info.Size() > 0 {
		buf.WriteString("\n")
	}
	if err := report.WriteWith(&buf, "markdown", run, opts); err != nil {
		fmt.Fprintf(stderr, "atlcheck: warning: the report does not fit in the %d bytes left in the step summary: %v\n", room, err)
		return nil
	}
	if _, err := f.Write(ev.redact.Bytes(buf.Bytes())); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func toolInfo() model.Tool {
	v := version.Get()
	return model.Tool{Name: "atlcheck", Version: v.Version, Commit: v.Commit, PolicyDigest: policies.Digest(), InfoURI: "https://github.com/atlcheck/atlcheck"}
}

// runTool names the build and the policies of a run: the built-in bundle's
// digest and, when custom policies were given, theirs.
func (ev *evaluator) runTool() model.Tool {
	t := toolInfo()
	t.CustomPolicyDigest = ev.engine.CustomDigest()
	return t
}
