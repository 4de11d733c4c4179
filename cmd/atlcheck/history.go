package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/atlcheck/atlcheck/internal/english"
	"io"
	"io/fs"

	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/history"
	"github.com/atlcheck/atlcheck/report"
)

func historyCommands() []command {
	return []command{
		{name: "add", summary: "append a run (a JSON report) to a history file: one line per run", run: runHistoryAdd, fileArgs: true},
		{name: "show", summary: "render a history file: a table, or an HTML page with a trend chart", run: runHistoryShow, fileArgs: true},
	}
}

func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "history", "findings over time, one line per run in a JSON Lines file", historyCommands(), args, stdout, stderr)
}

// readHistory reads a history file; a file that does not exist yet is an
// empty history when missingOK.
func readHistory(ctx context.Context, path string, missingOK bool) ([]history.Entry, error) {
	data, err := readInput(ctx, "history", path)
	if missingOK && errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	entries, err := history.Read(path, bytes.NewReader(data))
	if err != nil {
		// Another atlcheck file (a snapshot, a report) given as the history.
		if kind := sniff(bytes.NewReader(data)); kind != "" {
			return nil, usagef("%s is %s, not a history file: give the file 'atlcheck history add REPORT.json --to FILE' writes", path, kind)
		}
	}
	return entries, withCode(exitUsage, err)
}

func runHistoryAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var to string
	fs := newFlags("history add", "history add REPORT.json --to HISTORY.jsonl", stdout)
	fs.StringVar(&to, "to", "", "history file to append to (created when missing)")
	registerInputLimit(fs)
	if err := parseFlagsArgs(fs, args); err != nil {
		return helpDone(err)
	}
	ctx = withInputLimit(ctx, fs)
	if to == "" || fs.NArg() != 1 {
		return usagef("history add: want one JSON report and --to FILE")
	}
	path := fs.Arg(0)
	data, err := readInput(ctx, "report", path)
	if err != nil {
		return withCode(exitUsage, err)
	}
	run, err := report.ReadJSON(path, data)
	if err != nil {
		if werr := notAReport(path, "the run to add", data); werr != nil {
			return werr
		}
		return withCode(exitUsage, err)
	}
	entry, err := history.FromRun(run)
	if err != nil {
		return usagef("history add: %s: %v", path, err)
	}
	entries, err := readHistory(ctx, to, true)
	if err != nil {
		return err
	}
	entries, added, err := history.Add(entries, entry)
	if err != nil {
		return usagef("history add: %v", err)
	}
	if !added {
		fmt.Fprintf(stderr, "atlcheck: %s already has this run of org %s (%s); nothing added\n", to, entry.OrgID, entry.CollectedAt.Format("2006-01-02T15:04:05Z07:00"))
		return nil
	}
	out, err := history.Encode(entries)
	if err != nil {
		return err
	}
	// The whole file is rewritten atomically: an error never leaves half a line.
	if err := atomicfile.Write(to, out, 0o644); err != nil {
		return withCode(exitUsage, err)
	}
	last := entries[len(entries)-1]
	fmt.Fprintf(stdout, "%s: org %s, %s: %s", to, last.OrgID, last.CollectedAt.Format("2006-01-02T15:04:05Z07:00"), english.Count(len(last.Open), "open finding"))
	if last.New != nil {
		fmt.Fprintf(stdout, " (%d new, %d fixed)", *last.New, *last.Fixed)
	}
	fmt.Fprintln(stdout)
	return nil
}

func runHistoryShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var format, output, org string
	fs := newFlags("history show", "history show HISTORY.jsonl [--format text|html] [--output FILE] [--org ID]", stdout)
	fs.StringVar(&format, "format", "text", "text or html (a page with an inline SVG trend chart)")
	fs.StringVarP(&output, "output", "o", "", "write to this file (default: standard output)")
	fs.StringVar(&org, "org", "", "show this org only")
	registerInputLimit(fs)
	if err := parseFlagsArgs(fs, args); err != nil {
		return helpDone(err)
	}
	ctx = withInputLimit(ctx, fs)
	if fs.NArg() != 1 {
		return usagef("history show: want one history file")
	}
	formatFromOutput(fs, &format, output, []string{"text", "html"})
	if format != "text" && format != "html" {
		return usagef("history show: unknown --format %q (want text or html)", format)
	}
	if output != "" {
		if err := atomicfile.CheckDir(output); err != nil {
			return withCode(exitUsage, err)
		}
	}
	entries, err := readHistory(ctx, fs.Arg(0), false)
	if err != nil {
		return err
	}
	if org != "" {
		var kept []history.Entry
		for _, e := range entries {
			if e.OrgID == org {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			return usagef("history show: %s has no entry for org %q", fs.Arg(0), org)
		}
		entries = kept
	}
	out := history.Text(entries)
	if format == "html" {
		if out, err = history.HTML(entries); err != nil {
			return fmt.Errorf("render history: %w", err)
		}
	}
	if output == "" {
		_, err := io.Copy(stdout, bytes.NewReader(out))
		return err
	}
	return withCode(exitUsage, atomicfile.Write(output, out, 0o644))
}
