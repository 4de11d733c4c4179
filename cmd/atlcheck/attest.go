package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

func attestCommands() []command {
	return []command{
		{name: "init", summary: "draft an attestation file from a snapshot or a live collect", run: runAttestInit, fileArgs: true},
	}
}

// runAttest dispatches to the attest subcommands.
func runAttest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runGroup(ctx, "attest", "help write the attestation file, which records the settings no Atlassian API exposes",
		attestCommands(), args, stdout, stderr)
}

// runAttestInit drafts an attestation file: from a snapshot file when one is
// given, else from a live collect with the collect flags.
func runAttestInit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf collectFlags
	var snapshotPath, output string
	var force bool
	fs := newFlags("attest init", "attest init [SNAPSHOT.json | --org ID] [--output attest.yaml] [flags]\n\n"+
		"Drafts an attestation file with every site, its installed apps and every setting to check, each with\n"+
		"a comment saying where admin.atlassian.com shows it. Values are left as "+attestation.Placeholder+" for you to fill in;\n"+
		"collect and scan refuse the file until none is left. Without a snapshot, the org is collected live\n"+
		"(the same credentials and flags as collect).", stdout)
	fs.StringVar(&snapshotPath, "snapshot", "", "draft from this snapshot file instead of collecting")
	fs.StringVarP(&output, "output", "o", "", "write the draft to this file (default: standard output); an existing file is kept unless --force")
	fs.BoolVar(&force, "force", false, "overwrite an existing --output file")
	cf.register(fs)
	fileFlag(fs, "snapshot", "output")
	rest, err := parseArgs(fs, args)
	ctx = withInputLimit(ctx, fs)
	if err != nil {
		return helpDone(err)
	}
	if snapshotPath, err = oneSnapshot("attest init", snapshotPath, rest); err != nil {
		return err
	}
	if cf.attestation != "" {
		return usagef("attest init drafts a new attestation file; --attestation is not used")
	}
	if output != "" {
		if err := checkNewFile(output, force); err != nil {
			return err
		}
	}
	snap, source, err := draftSource(ctx, &cf, snapshotPath, stderr)
	if err != nil {
		return err
	}
	draft := attestation.Draft(snap, source)
	if output == "" {
		_, err := stdout.Write(draft)
		return err
	}
	if err := atomicfile.Write(output, draft, 0o644); err != nil {
		return withCode(exitUsage, err)
	}
	fmt.Fprintf(stderr, "atlcheck: wrote %s: fill in every %s, then run 'atlcheck collect --attestation %s'\n", output, attestation.Placeholder, output)
	return nil
}

// draftSource loads the snapshot to draft from, or collects it live.
func draftSource(ctx context.Context, cf *collectFlags, path string, stderr io.Writer) (*snapshot.Snapshot, string, error) {
	if path != "" {
		doc, err := loadSnapshot(ctx, path)
		if err != nil {
			return nil, "", err
		}
		snap, err := doc.Full()
		if err != nil {
			return nil, "", withCode(exitUsage, err)
		}
		return snap, path, nil
	}
	cfg, err := loadConfig(ctx, "")
	if err != nil {
		return nil, "", err
	}
	opts, err := cf.options(ctx, cfg, stderr)
	if err != nil {
		return nil, "", err
	}
	opts.AuditLog.Off = true // a draft needs no audit log
	cctx, cancel := context.WithTimeout(ctx, cf.timeout)
	defer cancel()
	doc, err := collect(cctx, opts)
	if err != nil {
		return nil, "", err
	}
	snap, err := doc.Full()
	if err != nil {
		return nil, "", err
	}
	return snap, "a live collect", nil
}

// checkNewFile refuses to overwrite an existing file (a filled-in
// attestation is hours of an admin's work) unless force is set.
func checkNewFile(path string, force bool) error {
	if err := atomicfile.CheckDir(path); err != nil {
		return withCode(exitUsage, err)
	}
	if _, err := os.Stat(path); err == nil && !force {
		return usagef("%s already exists; pass --force to replace it, or choose another --output", path)
	}
	return nil
}
