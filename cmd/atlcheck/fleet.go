package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/atlcheck/atlcheck/internal/english"
	"io"
	"strconv"
	"time"

	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/fleet"
	"github.com/atlcheck/atlcheck/report"
)

const fleetSummary = "many organizations: job matrices from the config's fleet: section, one report over their reports"

func fleetCommands() []command {
	return []command{
		{name: "matrix", summary: "print the GitHub Actions matrix of the fleet, in shards of at most --max-jobs orgs", run: runFleetMatrix},
		{name: "index", summary: "print fleet entry N alone (for a Kubernetes Indexed Job or any runner that hands out an index)", run: runFleetIndex},
		{name: "report", summary: "sum up the orgs' JSON reports: a row per org, totals, the worst findings", run: runFleetReport, fileArgs: true},
	}
}

func runFleet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "fleet", fleetSummary, fleetCommands(), args, stdout, stderr)
}

// fleetEntries loads the fleet file. It reads no environment variable: a
// fleet entry names the variable holding a key, and no fleet command ever
// needs the key.
func fleetEntries(ctx context.Context, path string) ([]fleet.Entry, error) {
	if path == "" {
		return nil, usagef("--config FILE is required: the config file with the fleet: section")
	}
	cfg, err := loadConfig(ctx, path)
	if err != nil {
		return nil, err
	}
	entries, err := fleet.Entries(cfg, path)
	return entries, withCode(exitUsage, err)
}

func runFleetMatrix(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var configPath string
	var maxJobs, shard int
	fs := newFlags("fleet matrix", "fleet matrix --config FILE [--max-jobs N] [--shard K]", stdout)
	fs.StringVar(&configPath, "config", "", "config file with the fleet: section")
	fs.IntVar(&maxJobs, "max-jobs", fleet.MaxJobs, "most orgs per shard (one shard per workflow run; GitHub allows 256 jobs per matrix)")
	fs.IntVar(&shard, "shard", -1, "print only shard K (0-based) as {\"include\": [...]}, ready for strategy.matrix")
	registerInputLimit(fs)
	if err := parseFlags(fs, args); err != nil {
		return helpDone(err)
	}
	entries, err := fleetEntries(withInputLimit(ctx, fs), configPath)
	if err != nil {
		return err
	}
	m, err := fleet.Split(entries, maxJobs)
	if err != nil {
		return withCode(exitUsage, err)
	}
	var v any = m
	if shard >= 0 {
		if shard >= len(m.Shards) {
			return usagef("fleet matrix: --shard %d: the fleet has %d shard(s) of at most %d orgs (0 to %d)", shard, len(m.Shards), maxJobs, len(m.Shards)-1)
		}
		v = m.Shards[shard]
	}
	return writeJSONLine(stdout, v)
}

func runFleetIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var configPath string
	fs := newFlags("fleet index", "fleet index --config FILE N", stdout)
	fs.StringVar(&configPath, "config", "", "config file with the fleet: section")
	registerInputLimit(fs)
	if err := parseFlagsArgs(fs, args); err != nil {
		return helpDone(err)
	}
	if fs.NArg() != 1 {
		return usagef("fleet index: want one index N (0-based), got %d arguments", fs.NArg())
	}
	entries, err := fleetEntries(withInputLimit(ctx, fs), configPath)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(fs.Arg(0))
	if err != nil || n < 0 || n >= len(entries) {
		return usagef("fleet index: %q is not an index of the fleet (0 to %d)", fs.Arg(0), len(entries)-1)
	}
	return writeJSONLine(stdout, entries[n])
}

// writeJSONLine writes v as one line of compact JSON, the form
// $GITHUB_OUTPUT and fromJSON take, with bidi and C1 controls escaped (the
// fleet file's names are text from outside).
func writeJSONLine(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escape.JSONControls(buf.Bytes()))
	return err
}

func runFleetReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var configPath, format, output, now string
	var maxAge time.Duration
	var top, shard, maxJobs int
	fs := newFlags("fleet report", "fleet report REPORT.json… [--config FILE] [--format markdown|html|json] [--output FILE]", stdout)
	fs.StringVar(&configPath, "config", "", "config file with the fleet: section: every org listed gets a row, a missing report included")
	fs.StringVar(&format, "format", "markdown", "markdown, html or json")
	fs.StringVarP(&output, "output", "o", "", "write the report to this file (default: standard output)")
	fs.DurationVar(&maxAge, "max-age", 48*time.Hour, "a report whose snapshot is older than this is stale")
	fs.IntVar(&top, "top", 20, "how many of the worst findings across orgs to list")
	fs.IntVar(&shard, "shard", -1, "with --config: expect only the orgs of shard K (as fleet matrix --shard K cuts them)")
	fs.IntVar(&maxJobs, "max-jobs", fleet.MaxJobs, "with --shard: the shard size fleet matrix used")
	fs.StringVar(&now, "now", "", "the time ages are measured at (RFC 3339; default: the current time), for reproducible reports")
	registerInputLimit(fs)
	if err := parseFlagsArgs(fs, args); err != nil {
		return helpDone(err)
	}
	ctx = withInputLimit(ctx, fs)
	formatFromOutput(fs, &format, output, []string{"markdown", "html", "json"})
	render, ok := map[string]func(*fleet.Summary) ([]byte, error){
		"markdown": func(s *fleet.Summary) ([]byte, error) { return fleet.Markdown(s), nil },
		"html":     fleet.HTML,
		"json":     fleet.JSON,
	}[format]
	if !ok {
		return usagef("fleet report: unknown --format %q (want markdown, html or json)", format)
	}
	if maxAge <= 0 || top < 0 {
		return usagef("fleet report: --max-age must be positive and --top not negative")
	}
	at, err := parseNow(now)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 && configPath == "" {
		return usagef("fleet report: give the JSON reports to sum up (and --config FILE for the orgs to expect)")
	}
	opts := fleet.Options{Now: at, MaxAge: maxAge, Top: top, Tool: toolInfo()}
	if configPath != "" {
		if opts.Expected, err = fleetEntries(ctx, configPath); err != nil {
			return err
		}
		if shard >= 0 {
			m, err := fleet.Split(opts.Expected, maxJobs)
			if err != nil {
				return withCode(exitUsage, err)
			}
			if shard >= len(m.Shards) {
				return usagef("fleet report: --shard %d: the fleet has %d shard(s) of at most %d orgs", shard, len(m.Shards), maxJobs)
			}
			opts.Expected = m.Shards[shard].Include
		}
	} else if shard >= 0 {
		return usagef("fleet report: --shard needs --config")
	}
	if output != "" {
		if err := atomicfile.CheckDir(output); err != nil {
			return withCode(exitUsage, err)
		}
	}
	inputs := make([]fleet.Input, 0, fs.NArg())
	for _, path := range fs.Args() {
		in := fleet.Input{Path: path}
		data, err := readInput(ctx, "report", path)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil {
			if in.Run, err = report.ReadJSON(path, data); err != nil {
				if werr := notAReport(path, "one org's run", data); werr != nil {
					err = werr // a snapshot, a SARIF log…: say which
				}
			}
		}
		if err != nil {
			// An unreadable report is a row of the fleet report, not the
			// end of it.
			in.Err = err
			fmt.Fprintln(stderr, "atlcheck: warning: "+escape.Log(err.Error()))
		}
		inputs = append(inputs, in)
	}
	s := fleet.Summarize(inputs, opts)
	out, err := render(s)
	if err != nil {
		return fmt.Errorf("render fleet report: %w", err)
	}
	if output == "" {
		if _, err := stdout.Write(out); err != nil {
			return err
		}
	} else if err := atomicfile.Write(output, out, 0o644); err != nil {
		return withCode(exitUsage, err)
	}
	if s.Failed() {
		t := s.Totals
		return withCode(exitFindings, fmt.Errorf("fleet gate failed: %d of %s failed their gate, %d %s no current report (%d stale, %d missing), %s unreadable",
			t.GateFailed, english.Count(t.Orgs, "org"), t.Stale+t.Missing, english.Verb(t.Stale+t.Missing), t.Stale, t.Missing,
			english.Count(t.Unreadable, "report file")))
	}
	return nil
}

// parseNow reads --now, or returns the current time.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return clock().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("--now %q is not an RFC 3339 time (e.g. 2026-11-20T08:00:00Z)", s)
	}
	return t, nil
}
