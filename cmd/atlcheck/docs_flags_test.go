package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestDocsCommandLinesUseRealFlags: every command line the README and
// docs/*.md show (`atlcheck scan --org … --previous last.json`, in code blocks
// and inline code, continued lines joined) gives only flags that command has,
// and every flag of the README's table of shared flags is one of check, scan
// and demo (but those its heading exempts for demo). A flag renamed or
// removed without its docs, or a typo in an example, fails here.
func TestDocsCommandLinesUseRealFlags(t *testing.T) {
	ctx := context.Background()
	flagsOf := map[string]*pflag.FlagSet{}
	var names []string
	for _, c := range commands() {
		if c.hidden || c.name == "help" {
			continue
		}
		if c.subs == nil {
			flagsOf[c.name] = probeFlags(ctx, &c)
			names = append(names, c.name)
			continue
		}
		for _, sub := range c.subs() {
			flagsOf[c.name+" "+sub.name] = probeFlags(ctx, &sub)
			names = append(names, c.name+" "+sub.name)
		}
	}
	// Longest first, so that "fleet report" is not read as "fleet".
	alternatives := make([]string, len(names))
	for i, n := range names {
		alternatives[i] = regexp.QuoteMeta(n)
	}
	slices.SortFunc(alternatives, func(a, b string) int { return len(b) - len(a) })
	cmdLine := regexp.MustCompile(`\batlcheck (` + strings.Join(alternatives, "|") + `)\b([^` + "`" + `|;#&\n]*)`)
	flagRE := regexp.MustCompile(`(?:^|\s)--([a-z][a-z0-9-]*)`)
	has := func(fs *pflag.FlagSet, name string) bool {
		return name == "help" || fs.Lookup(name) != nil
	}

	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, readmePath)
	checked := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(raw), "\\\n", " ") // shell line continuations
		for n, line := range strings.Split(text, "\n") {
			for _, m := range cmdLine.FindAllStringSubmatch(line, -1) {
				for _, f := range flagRE.FindAllStringSubmatch(m[2], -1) {
					checked++
					if !has(flagsOf[m[1]], f[1]) {
						t.Errorf("%s:%d: `atlcheck %s` has no flag --%s: %s", filepath.Base(file), n+1, m[1], f[1], strings.TrimSpace(line))
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d flags found on documented command lines: the pattern no longer matches the docs", checked)
	}

	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "\nFlags shared by `check`, `scan` and `demo`")
	if !ok {
		t.Fatal("README.md has no table of the flags shared by check, scan and demo")
	}
	head, table, _ := strings.Cut(table, "\n\n|")
	table, _, _ = strings.Cut(table, "\n\n")
	rowFlag := regexp.MustCompile("(?m)^\\| `--([a-z][a-z0-9-]*)")
	rows := rowFlag.FindAllStringSubmatch(table, -1)
	if len(rows) < 10 {
		t.Fatalf("README.md's shared flags table: %d rows found", len(rows))
	}
	for _, row := range rows {
		for _, cmd := range []string{"check", "scan", "demo"} {
			if cmd == "demo" && strings.Contains(head, "`--"+row[1]+"`") {
				continue // the heading says demo has it not
			}
			if !has(flagsOf[cmd], row[1]) {
				t.Errorf("README.md lists --%s as a flag of check, scan and demo; %s has none", row[1], cmd)
			}
		}
	}
}
