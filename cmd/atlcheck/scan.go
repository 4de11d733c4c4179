package main

import (
	"context"
	"fmt"
	"io"

	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf collectFlags
	var af auditFlags
	var rf reportFlags
	var snapshotOut string
	fs := newFlags("scan", "scan [--org ID] [--attestation FILE] [--previous SNAPSHOT] [--format F] [--output FILE] [flags]", stdout)
	cf.register(fs)
	af.register(fs)
	rf.register(fs)
	fs.StringVar(&snapshotOut, "snapshot-out", "", "also keep the collected snapshot in this file (report locations point at it)")
	fileFlag(fs, "snapshot-out")
	if err := parseFlags(fs, args); err != nil {
		return helpDone(err)
	}
	ctx = withInputLimit(ctx, fs)
	outs, ins := rf.files(snapshotOut)
	if err := refuseOverwrite(outs, append(ins, cf.files()...)); err != nil {
		return err
	}
	if snapshotOut != "" {
		if err := atomicfile.CheckDir(snapshotOut); err != nil {
			return withCode(exitUsage, err)
		}
	}
	ev, err := newEvaluator(ctx, &rf)
	if err != nil {
		return err
	}
	opts, err := cf.options(ctx, ev.cfg, stderr)
	if err != nil {
		return err
	}
	// --previous may name --snapshot-out: a nightly scan reads the last run's
	// snapshot before writing the new one over it.
	if err := af.apply(ctx, &opts, ev.cfg.Parameters.AuditLog, clock()); err != nil {
		return err
	}
	// --timeout bounds the whole run: collection, then evaluation. Without
	// it the collection's limit follows the org's size, and the evaluation
	// has check's default.
	if cf.fixedTimeout() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cf.timeout)
		defer cancel()
	}
	doc, err := collect(ctx, opts)
	if err != nil {
		return err
	}
	if !cf.fixedTimeout() {
		ev.timeout = evalTimeout(doc.Size())
	}
	reportPath, err := keepSnapshot(doc, snapshotOut, rf, stderr)
	if err != nil {
		return err
	}
	return ev.evaluate(ctx, doc, reportPath, stdout, stderr)
}

// keepSnapshot writes the collected snapshot where the report's locations
// need it and returns the path the report names. With --snapshot-out it goes
// there; a SARIF report written to a file without --snapshot-out gets its
// snapshot beside it (<output>.snapshot.json), so every alert location
// resolves to a real file that can be committed or uploaded with it.
func keepSnapshot(doc *snapshot.Document, snapshotOut string, rf reportFlags, stderr io.Writer) (string, error) {
	path := snapshotOut
	if path == "" && rf.format == "sarif" {
		if rf.output == "" {
			fmt.Fprintln(stderr, "atlcheck: warning: SARIF on standard output without --snapshot-out: result locations name a snapshot file that was not written")
			return "", nil
		}
		path = rf.output + ".snapshot.json"
	}
	if path == "" {
		return "", nil
	}
	if err := atomicfile.Write(path, doc.Raw, 0o600); err != nil {
		return "", withCode(exitUsage, err)
	}
	doc.Path = path
	return path, nil
}
