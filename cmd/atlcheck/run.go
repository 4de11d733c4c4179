package main

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Exit codes, documented in the README.
const (
	exitOK          = 0   // no unsuppressed finding at or above --fail-on
	exitFindings    = 1   // the gate failed
	exitUsage       = 2   // bad usage, input, config or policy
	exitCollection  = 3   // the org could not be collected
	exitInterrupted = 130 // interrupted (Ctrl-C / SIGTERM)
)

// exitError carries the exit code an error ends the process with.
type exitError struct {
	code int
	err  error
	// silent errors are not printed: the output already says it all.
	silent bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// withCode tags err with an exit code (nil stays nil).
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

// silently tags err with an exit code that main reports without a message.
func silently(code int, err error) error {
	return &exitError{code: code, err: err, silent: true}
}

// printable reports whether main should print err.
func printable(err error) bool {
	var ee *exitError
	return err != nil && !(errors.As(err, &ee) && ee.silent)
}

// usagef is a usage error (exit 2).
func usagef(format string, args ...any) error {
	return withCode(exitUsage, fmt.Errorf(format, args...))
}

// gateFailed ends a run whose report was written but whose gate failed.
func gateFailed(count int, threshold string, newOnly bool) error {
	what := "finding"
	if count != 1 {
		what = "findings"
	}
	if newOnly {
		what = "new " + what
	}
	return withCode(exitFindings, fmt.Errorf("gate failed: %d %s at or above %s", count, what, threshold))
}

// exitCode maps the error run returned to the process exit code.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	default:
		return exitUsage
	}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"check", "evaluate the policies over a snapshot file and write a report", runCheck},
		{"diff", "show what changed in the org between two snapshots", runDiff},
		{"collect", "fetch the organization's settings into a snapshot file", runCollect},
		{"scan", "collect and check in one run", runScan},
		{"demo", "scan the built-in demo org served by a fake admin API (no credentials)", runDemo},
		{"policies", "list the policies (table, json or markdown)", runPolicies},
		{"test", "run the Rego unit tests of the built-in and custom policies", runTest},
		{"fleet", "many organizations: job matrix, fleet entry by index, one report over their reports", runFleet},
		{"history", "keep a history of runs (history add) and show the trend (history show)", runHistory},
		{"version", "print the version, commit and policy bundle digest", runVersion},
		{"help", "show help for atlcheck or one command", runHelp},
	}
}

// run dispatches to a subcommand. It never exits the process and never
// touches os.Args, os.Stdout or os.Stderr, so every command runs in tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printUsage(stderr)
		return usagef("no command given")
	}
	name := args[0]
	if name == "-h" || name == "--help" {
		name = "help"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	printUsage(stderr)
	return usagef("unknown command %q", name)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "atlcheck checks an Atlassian Cloud organization's admin settings against security policies.")
	fmt.Fprintln(w, "\nUsage: atlcheck <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'atlcheck <command> --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage/input/config/policy error, 3 collection error, 130 interrupted.")
}

func runHelp(_ context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		for _, c := range commands() {
			if c.name == args[0] && c.name != "help" {
				return c.run(context.Background(), []string{"--help"}, stdout, stdout)
			}
		}
		return usagef("unknown command %q", args[0])
	}
	printUsage(stdout)
	return nil
}
