package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/policies"
)

// errTestsFailed ends a test run with failing tests or, with --coverage,
// policies without a failing-case test.
var errTestsFailed = withCode(exitFindings, errors.New("rego tests failed"))

func runTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var dirs []string
	var verbose, coverage bool
	fs := newFlags("test", "test [--policies DIR]... [--coverage] [-v]", stdout)
	fs.StringArrayVar(&dirs, "policies", nil, "extra policy directory whose *_test.rego files also run (repeatable)")
	fs.BoolVar(&coverage, "coverage", false, "also list policy ids that no test_fail_* test covers (and fail if any)")
	fs.BoolVarP(&verbose, "verbose", "v", false, "print every test, not only failures")
	dirFlag(fs, "policies")
	registerInputLimit(fs)
	if err := parseFlags(fs, args); err != nil {
		return helpDone(err)
	}
	ctx = withInputLimit(ctx, fs)
	rep, err := policies.RunTests(ctx, policies.Options{CustomDirs: dirs, ReadFile: policyReader(ctx)})
	if err != nil {
		return withCode(exitUsage, fmt.Errorf("policies:\n%w", err))
	}
	for _, r := range rep.Results {
		if r.Passed && !verbose {
			continue
		}
		status := "PASS"
		if !r.Passed {
			status = "FAIL"
		}
		// File names and error texts come from the custom policy
		// directory: inert on a terminal and in a CI log.
		fmt.Fprintf(stdout, "%s %s:%d: %s (%s)\n", status, escape.Control(r.File), r.Line, escape.Control(r.Name), r.Duration.Round(1000))
		if r.Error != "" {
			fmt.Fprintf(stdout, "     error: %s\n", strings.ReplaceAll(escape.Log(r.Error), "\n", "\n     "))
		}
	}
	failed := rep.Failed > 0
	if coverage {
		if len(rep.Uncovered) == 0 {
			fmt.Fprintln(stdout, "coverage: every policy id has a failing-case test")
		} else {
			fmt.Fprintf(stdout, "coverage: no test_fail_* test for %s\n", escape.Control(strings.Join(rep.Uncovered, ", ")))
			failed = true
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", rep.Passed, rep.Failed)
	if failed {
		return errTestsFailed
	}
	return nil
}
