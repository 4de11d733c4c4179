package main

import "time"

// testClock is the time the CLI tests' collect, scan and fleet report run
// at. The fake admin API serves the demo org, whose keys, tokens and
// accounts are dated around it (keys that expire on 2026-12-14, accounts
// last active in November), and the tests' attestations and audit-log
// windows are relative to it: at the real time the findings changed with the
// calendar (ATL-KEY-001 would have passed from 2026-12-14, every attestation
// gone stale 90 days on). Frozen, so a report is the same every run. The
// collector's limiter reads the same clock while the fakes' rate-limit
// headers are on the real one; no CLI test is paced (roomy budgets), and
// every reset the fakes announce is read as at most the collector's longest
// wait, on any date.
var testClock = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func init() { clock = func() time.Time { return testClock } }
