package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/redact"
	"github.com/atlcheck/atlcheck/internal/suggest"
)

// Exit codes, documented in the README.
const (
	exitOK          = 0   // no unsuppressed finding at or above --fail-on
	exitFindings    = 1   // the gate failed
	exitUsage       = 2   // bad usage, input, config or policy
	exitCollection  = 3   // the org could not be collected
	exitInterrupted = 130 // interrupted (Ctrl-C / SIGTERM)
)

// clock is the real time for the commands that read it: collect and scan
// collect at it (the snapshot's collected_at, "now" for the policies), check
// an attestation's date and read --since/--previous against it, and fleet
// report measures ages from it. The demo does not: it collects at the demo
// snapshot's own time (runDemo). The tests pin it (clock_test.go), so what
// they assert does not change with the calendar.
var clock = time.Now

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

// printError prints err the way main ends a run, "atlcheck: <err>", unless it
// is silent. An error carries text from outside (API error bodies, file
// names, values from a snapshot or a custom policy), so it is printed with
// escape.Log: no control sequence reaches the terminal and no line of it can
// start a GitHub Actions workflow command.
func printError(w io.Writer, err error) {
	if printable(err) {
		fmt.Fprintln(w, "atlcheck: "+escape.Log(err.Error()))
	}
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
func gateFailed(g model.Gate) error {
	return withCode(exitFindings, fmt.Errorf("gate failed: %s at or above %s", g.Counts(), g.FailOnName()))
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

// command is one subcommand. The table in commands() is the only list of
// commands: dispatch, help, "did you mean" and shell completion all read it.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
	// subs are the subcommands of a command group such as attest; run
	// dispatches to them.
	subs func() []command
	// fileArgs is true when the command's positional arguments are files
	// (check FILE, diff OLD NEW), for completion.
	fileArgs bool
	// hidden commands are left out of help and completion (__complete).
	hidden bool
}

func commands() []command {
	return []command{
		{name: "check", summary: "evaluate the policies over a snapshot file and write a report", run: runCheck, fileArgs: true},
		{name: "diff", summary: "show what changed in the org between two snapshots", run: runDiff, fileArgs: true},
		{name: "collect", summary: "fetch the organization's settings into a snapshot file", run: runCollect},
		{name: "scan", summary: "collect and check in one run", run: runScan},
		{name: "demo", summary: "scan the built-in demo org served by a fake admin API (no credentials)", run: runDemo},
		{name: "attest", summary: "help write the attestation file (attest init drafts one)", run: runAttest, subs: attestCommands},
		{name: "policies", summary: "list the policies (table, json or markdown)", run: runPolicies},
		{name: "test", summary: "run the Rego unit tests of the built-in and custom policies", run: runTest},
		{name: "fleet", summary: "many organizations: job matrix, fleet entry by index, one report over their reports", run: runFleet, subs: fleetCommands},
		{name: "history", summary: "keep a history of runs (history add) and show the trend (history show)", run: runHistory, subs: historyCommands},
		{name: "completion", summary: "print a shell completion script: bash, zsh or fish", run: runCompletion},
		{name: "version", summary: "print the version, commit and policy bundle digest", run: runVersion},
		{name: "help", summary: "show help for atlcheck or one command", run: runHelp},
		{name: completeCommand, summary: "complete a command line (used by the completion scripts)", run: runComplete, hidden: true},
	}
}

// run dispatches to a subcommand. It never exits the process and never
// touches os.Args, os.Stdout or os.Stderr, so every command runs in tests.
//
// Every secret a command reads (the API key, the site credentials) goes into
// one redactor (redact.FromContext): whatever the command prints, on stdout,
// on stderr or in its error, has them masked, as has whatever the collector
// stores.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	red := redact.New()
	ctx = redact.NewContext(ctx, red)
	return red.Error(dispatchTop(ctx, args, red.Writer(stdout), red.Writer(stderr)))
}

// dispatchTop is run's dispatch of the top-level command.
func dispatchTop(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printUsage(stderr)
		return usagef("no command given")
	}
	switch args[0] {
	case "-h", "--help":
		args = append([]string{"help"}, args[1:]...)
	case "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	return dispatch(ctx, "", commands(), args, stdout, stderr)
}

// dispatch runs the command args[0] of cmds; group is the parent command's
// name ("" at the top level), for messages.
func dispatch(ctx context.Context, group string, cmds []command, args []string, stdout, stderr io.Writer) error {
	if c := find(cmds, args[0]); c != nil {
		return interrupted(ctx, c.run(ctx, args[1:], stdout, stderr))
	}
	prefix := strings.TrimSpace("atlcheck " + group)
	if strings.HasPrefix(args[0], "-") {
		return usagef("%s: flags go after the command, e.g. '%s check %s'; run '%s help' for the commands", prefix, prefix, args[0], prefix)
	}
	return usagef("unknown command %q%s; run '%s help' for the list", strings.TrimSpace(group+" "+args[0]),
		suggest.Hint(args[0], names(cmds), "%q"), prefix)
}

// find returns the visible command called name, or nil.
func find(cmds []command, name string) *command {
	for i, c := range cmds {
		if c.name == name {
			return &cmds[i]
		}
	}
	return nil
}

// names lists the visible commands' names.
func names(cmds []command) []string {
	var out []string
	for _, c := range cmds {
		if !c.hidden {
			out = append(out, c.name)
		}
	}
	return out
}

// interrupted turns any error of a command whose context was cancelled (Ctrl-C,
// SIGTERM) into exit 130, in whichever phase it struck: reading inputs,
// compiling, collecting, evaluating or writing.
func interrupted(ctx context.Context, err error) error {
	var ee *exitError
	if err == nil || ctx.Err() == nil || (errors.As(err, &ee) && ee.code == exitInterrupted) {
		return err
	}
	return withCode(exitInterrupted, fmt.Errorf("interrupted: %w", err))
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "atlcheck checks an Atlassian Cloud organization's admin settings against security policies.")
	fmt.Fprintln(w, "\nUsage: atlcheck <command> [flags]\n\nCommands:")
	printCommands(w, commands())
	fmt.Fprintln(w, "\nRun 'atlcheck help <command>' (or 'atlcheck <command> --help') for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage/input/config/policy error, 3 collection error, 130 interrupted.")
}

func printCommands(w io.Writer, cmds []command) {
	for _, c := range cmds {
		if !c.hidden {
			fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
		}
	}
}

// runHelp prints the usage, or the help of the command its arguments name
// ("help check", "help attest init").
func runHelp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("help", "help [command [subcommand]]", stdout)
	rest, err := parseArgs(fs, args)
	if err != nil {
		return helpDone(err)
	}
	if len(rest) == 0 {
		printUsage(stdout)
		return nil
	}
	cmds, path := commands(), ""
	for i, name := range rest {
		c := find(cmds, name)
		if c == nil || c.hidden {
			return usagef("unknown command %q%s; run 'atlcheck help' for the list",
				strings.TrimSpace(path+" "+name), suggest.Hint(name, names(cmds), "%q"))
		}
		path = strings.TrimSpace(path + " " + name)
		if c.subs == nil || i == len(rest)-1 {
			if c.name == "help" {
				printUsage(stdout)
				return nil
			}
			return helpDone(c.run(ctx, append(rest[i+1:], "--help"), stdout, stdout))
		}
		cmds = c.subs()
	}
	return nil
}
