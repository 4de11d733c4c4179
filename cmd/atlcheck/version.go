package main

import (
	"context"
	"fmt"
	"io"

	"github.com/atlcheck/atlcheck/internal/version"
)

func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "version", stdout)
	if err := parseFlags(fs, args); err != nil {
		return helpDone(err)
	}
	t := toolInfo()
	commit := t.Commit
	if commit == "" {
		commit = "unknown"
	} else if version.Get().Modified {
		commit += " (modified)"
	}
	fmt.Fprintf(stdout, "atlcheck %s\ncommit: %s\npolicies: %s\n", t.Version, commit, t.PolicyDigest)
	return nil
}
