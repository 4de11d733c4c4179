package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// runGroup dispatches a command that has subcommands (attest, fleet,
// history). Its subcommands are also the command's subs in commands(), so
// help and completion descend into them.
func runGroup(ctx context.Context, group, summary string, subs []command, args []string, stdout, stderr io.Writer) error {
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "atlcheck %s: %s\n\nUsage: atlcheck %s <command> [flags]\n\nCommands:\n", group, summary, group)
		printCommands(w, subs)
		fmt.Fprintf(w, "\nRun 'atlcheck %s <command> --help' for a command's flags.\n", group)
	}
	if p, ok := stderr.(*flagProbe); ok {
		p.fs = pflag.NewFlagSet(group, pflag.ContinueOnError) // a group has no flags of its own
		return errHelp
	}
	if len(args) == 0 {
		usage(stderr)
		return usagef("%s: no command given", group)
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	return dispatch(ctx, group, subs, args, stdout, stderr)
}

// parseFlagsArgs is parseFlags for commands that take positional arguments
// (read with fs.Args).
func parseFlagsArgs(fs *pflag.FlagSet, args []string) error {
	_, err := parseArgs(fs, args)
	return err
}
