// Command synth writes a synthetic Atlassian organization snapshot of any
// size, for benchmarks and scale tests:
//
//	go run ./testdata/synth --accounts 100000 --out /tmp/org-100k.json [--seed 1] [--compact] [--config-out FILE]
//
// See package synthorg for what the org contains. The same flags always
// write the same bytes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
)

func main() {
	var opts synthorg.Options
	var out, configOut string
	flag.IntVar(&opts.Accounts, "accounts", 1000, "number of managed accounts")
	flag.Uint64Var(&opts.Seed, "seed", 1, "random seed (the same seed gives the same bytes)")
	flag.BoolVar(&opts.Compact, "compact", false, "write the JSON on one line instead of indented")
	flag.StringVar(&out, "out", "", "output file (default stdout)")
	flag.StringVar(&configOut, "config-out", "", "also write an atlcheck config for the org (app allow-list, exceptions) to this file")
	flag.Parse()
	if opts.Accounts < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: synth --accounts N [--seed S] [--compact] [--out FILE] [--config-out FILE]")
		os.Exit(2)
	}
	if err := run(opts, out, configOut); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}

func run(opts synthorg.Options, out, configOut string) error {
	var w io.Writer = os.Stdout
	var f *os.File
	if out != "" {
		var err error
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	err := synthorg.Write(bw, opts)
	if err == nil {
		err = bw.Flush()
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil && configOut != "" {
		err = os.WriteFile(configOut, []byte(synthorg.ConfigYAML(opts)), 0o644)
	}
	return err
}
