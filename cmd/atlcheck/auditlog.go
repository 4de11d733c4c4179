package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/collector"
	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/spf13/pflag"
)

// auditFlags say which part of the audit log collect and scan read: since
// the previous run's snapshot (--previous), since a time (--since), or, with
// neither, the longest window audit_log.max_window_days allows.
type auditFlags struct {
	previous string
	since    string
	off      bool
}

func (a *auditFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&a.previous, "previous", "", "the previous run's snapshot: the audit log is read since its collected_at (same org)")
	fs.StringVar(&a.since, "since", "", "read the audit log since this time: RFC 3339 (2026-11-19T08:00:00Z), a date (2026-11-19, UTC) or a duration back from now (36h, 7d)")
	fs.BoolVar(&a.off, "no-audit-log", false, "do not read the audit log (its policies have no source)")
	fileFlag(fs, "previous")
}

// apply sets the audit log options from the flags and the config's
// audit_log parameters. Every error is a usage error (exit 2).
func (a *auditFlags) apply(ctx context.Context, opts *collector.Options, params config.AuditLogParams, now time.Time) error {
	o := collector.AuditLogOptions{
		Off:       a.off,
		MaxWindow: time.Duration(params.MaxWindowDays) * 24 * time.Hour,
		MaxPages:  params.MaxPages,
	}
	switch {
	case a.previous != "" && a.since != "":
		return usagef("give --previous or --since, not both")
	case a.off && (a.previous != "" || a.since != ""):
		return usagef("--no-audit-log reads no audit log: drop --previous and --since")
	case a.previous != "":
		doc, err := loadSnapshot(ctx, a.previous)
		if errors.Is(err, fs.ErrNotExist) {
			return usagef("--previous %s does not exist: give the previous run's snapshot (the first run goes without --previous)", a.previous)
		}
		if err != nil {
			return fmt.Errorf("the previous snapshot (--previous): %w", err)
		}
		if doc.Header.CollectedAt.After(now) {
			return usagef("--previous %s was collected at %s, after now: give the previous run's snapshot", a.previous,
				doc.Header.CollectedAt.UTC().Format(time.RFC3339))
		}
		o.Since, o.Basis, o.PreviousOrgID = previousStart(doc.Header), snapshot.WindowPreviousSnapshot, doc.Header.Org.ID
	case a.since != "":
		t, err := parseSince(a.since, now)
		if err != nil {
			return usagef("--since %q: %v", a.since, err)
		}
		o.Since, o.Basis = t, snapshot.WindowSince
	}
	opts.AuditLog = o
	return nil
}

// parseSince reads --since: an RFC 3339 time, a date (midnight UTC), or a
// positive duration back from now (Go syntax, plus "d" for days).
func parseSince(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		if t.After(now) {
			return time.Time{}, fmt.Errorf("%s is in the future", t.UTC().Format(time.RFC3339))
		}
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		if t.After(now) {
			return time.Time{}, fmt.Errorf("%s is in the future", v)
		}
		return t, nil
	}
	d, err := parseBack(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("want an RFC 3339 time, a date (YYYY-MM-DD) or a duration such as 36h or 7d")
	}
	return now.Add(-d).UTC(), nil
}

// parseBack reads a positive duration: Go's syntax, or a whole number of days ("7d").
func parseBack(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 3650 {
			return 0, fmt.Errorf("bad days")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad duration")
	}
	return d, nil
}

// previousStart is where the audit log is read from after the previous run
// prev: the end of its window (else its collected_at) when it read that
// window in full; otherwise (its
// audit log not collected, or a signal with actions read only in part) the
// start of the window it meant to read, so that what it missed is read now
// instead of being skipped by every later run; zero (the longest window
// allowed) when it read no audit log at all. A signal without an action in
// the org's list never becomes complete and is no gap.
func previousStart(prev *snapshot.Snapshot) time.Time {
	log := prev.AuditLog
	gap := !log.Collected || slices.ContainsFunc(log.Signals, func(s snapshot.AuditSignal) bool {
		return len(s.Actions) > 0 && !s.Complete
	})
	switch {
	case !gap && log.Window.To != nil:
		// The end of what it read: its collected_at is when the whole
		// collection finished, minutes later in a large org, and the
		// events in between would be read by no run.
		return log.Window.To.UTC()
	case !gap:
		return prev.CollectedAt
	case log.Window.From != nil:
		return log.Window.From.UTC()
	}
	return time.Time{}
}
