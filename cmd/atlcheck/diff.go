package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/diff"
	"github.com/spf13/pflag"
)

// errDrift ends a diff run with --exit-code whose snapshots differ; the diff
// itself was written.
var errDrift = silently(exitFindings, errors.New("the snapshots differ"))

// diffFlags are the flags of the diff command.
type diffFlags struct {
	format   string
	output   string
	exitCode bool
}

// runDiff compares two snapshots of one org and writes what changed.
func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var df diffFlags
	fs := newFlags("diff", "diff OLD.json NEW.json [flags]", stdout)
	fs.StringVar(&df.format, "format", "text", "output format: "+strings.Join(diff.Formats, ", ")+"; not given: the --output file's extension names it (.md, .json, .txt), else text")
	fs.StringVarP(&df.output, "output", "o", "", "write the diff to this file (default: standard output)")
	fs.BoolVar(&df.exitCode, "exit-code", false, "exit 1 when anything changed (for scheduled jobs); without it a diff exits 0")
	enumFlag(fs, "format", diff.Formats...)
	fileFlag(fs, "output")
	registerInputLimit(fs)
	paths, err := parseDiffArgs(fs, args)
	if err != nil {
		return helpDone(err)
	}
	formatFromOutput(fs, &df.format, df.output, diff.Formats)
	if err := df.validate(); err != nil {
		return err
	}
	ctx = withInputLimit(ctx, fs)
	old, err := loadSnapshot(ctx, paths[0])
	if err != nil {
		return err
	}
	next, err := loadSnapshot(ctx, paths[1])
	if err != nil {
		return err
	}
	if old.Header.CollectedAt.After(next.Header.CollectedAt) {
		fmt.Fprintf(stderr, "atlcheck: warning: %s was collected after %s; the diff reads from the first to the second\n", paths[0], paths[1])
	}
	result, err := diff.Compare(ctx, old, next)
	if err != nil {
		return withCode(exitUsage, err)
	}
	if err := df.write(result, stdout); err != nil {
		return err
	}
	if df.exitCode && result.Summary.Changes > 0 {
		return errDrift
	}
	return nil
}

// parseDiffArgs parses the flags and returns the two snapshot paths.
func parseDiffArgs(fs *pflag.FlagSet, args []string) ([]string, error) {
	paths, err := parseArgs(fs, args)
	if err != nil {
		return nil, err
	}
	if len(paths) != 2 {
		return nil, usagef("diff: want two snapshot files, OLD and NEW, got %d argument(s)", len(paths))
	}
	return paths, nil
}

// validate checks the flags that need no snapshot.
func (df *diffFlags) validate() error {
	if !slices.Contains(diff.Formats, df.format) {
		return usagef("unknown --format %q (want one of: %s)", df.format, strings.Join(diff.Formats, ", "))
	}
	if df.output != "" {
		return withCode(exitUsage, atomicfile.CheckDir(df.output))
	}
	return nil
}

// write renders the diff in memory, then writes it whole.
func (df *diffFlags) write(r *diff.Result, stdout io.Writer) error {
	var buf bytes.Buffer
	if err := diff.Write(&buf, df.format, r); err != nil {
		return withCode(exitUsage, err)
	}
	if df.output == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	return withCode(exitUsage, atomicfile.Write(df.output, buf.Bytes(), 0o644))
}
