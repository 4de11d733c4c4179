// Command atlcheck checks an Atlassian Cloud organization's admin settings
// against security policies written in Rego.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	code := exitCode(err)
	printError(os.Stderr, err)
	os.Exit(code)
}
