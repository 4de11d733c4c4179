package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// runGroup dispatches a command that has subcommands (fleet, history).
func runGroup(ctx context.Context, group, summary string, subs []command, args []string, stdout, stderr io.Writer) error {
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "atlcheck %s: %s\n\nUsage: atlcheck %s <command> [flags]\n\nCommands:\n", group, summary, group)
		for _, c := range subs {
			fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
		}
		fmt.Fprintf(w, "\nRun 'atlcheck %s <command> --help' for a command's flags.\n", group)
	}
	if len(args) == 0 {
		usage(stderr)
		return usagef("%s: no command given", group)
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	for _, c := range subs {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return usagef("%s: unknown command %q", group, args[0])
}

// parseFlagsArgs is parseFlags for commands that take positional arguments.
func parseFlagsArgs(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return errHelp
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}
