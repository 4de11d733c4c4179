package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/atlcheck/atlcheck/internal/suggest"
	"github.com/atlcheck/atlcheck/policies"
	"github.com/spf13/pflag"
)

// completeCommand is the hidden command the completion scripts call with the
// words typed so far; it prints the candidates. All the knowledge is here, in
// Go, read from the command table and each command's own flag set, so a new
// command, subcommand, flag or format completes with no script to update.
const completeCommand = "__complete"

// Completion directives: a line that asks the shell to complete file or
// directory names itself.
const (
	directiveFiles = ":files"
	directiveDirs  = ":dirs"
)

var (
	//go:embed completion/atlcheck.bash
	bashCompletion string
	//go:embed completion/atlcheck.zsh
	zshCompletion string
	//go:embed completion/atlcheck.fish
	fishCompletion string
)

// completionScripts are the scripts `atlcheck completion SHELL` prints.
var completionScripts = map[string]string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}

func runCompletion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("completion", "completion bash|zsh|fish\n\n"+
		"  bash: source <(atlcheck completion bash)         (or save it in /etc/bash_completion.d/atlcheck)\n"+
		"  zsh:  source <(atlcheck completion zsh)          (or save it as _atlcheck in a directory of $fpath)\n"+
		"  fish: atlcheck completion fish | source          (or save it as ~/.config/fish/completions/atlcheck.fish)", stdout)
	rest, err := parseArgs(fs, args)
	if err != nil {
		return helpDone(err)
	}
	shells := []string{"bash", "zsh", "fish"}
	if len(rest) != 1 {
		return usagef("completion: name one shell: bash, zsh or fish")
	}
	script, ok := completionScripts[rest[0]]
	if !ok {
		return usagef("completion: unknown shell %q (want bash, zsh or fish)%s", rest[0], suggest.Hint(rest[0], shells, "%q"))
	}
	_, err = io.WriteString(stdout, script)
	return err
}

// runComplete prints the completions of the last of args (the word being
// typed, possibly empty), one per line, as "candidate" or
// "candidate<TAB>description", or a directive line.
func runComplete(ctx context.Context, args []string, stdout, _ io.Writer) error {
	if len(args) == 0 {
		args = []string{""}
	}
	for _, line := range complete(ctx, args[:len(args)-1], args[len(args)-1]) {
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// complete returns the candidates for cur, given the complete words before
// it (the command line after "atlcheck").
func complete(ctx context.Context, done []string, cur string) []string {
	cmds, i := commands(), 0
	var leaf *command
	for leaf == nil || leaf.subs != nil || leaf.name == "help" {
		for i < len(done) && strings.HasPrefix(done[i], "-") {
			i++ // --help, --version before a command
		}
		if i == len(done) {
			if strings.HasPrefix(cur, "-") && leaf == nil {
				return withPrefix(cur, []string{"--help\tshow the commands", "--version\tprint the version"})
			}
			return withPrefix(cur, commandLines(cmds))
		}
		c := find(cmds, done[i])
		if c == nil || c.hidden {
			return nil
		}
		leaf, i = c, i+1
		if c.subs != nil {
			cmds = c.subs()
		}
	}
	fs := probeFlags(ctx, leaf)
	if fs == nil {
		return nil
	}
	return completeFlags(fs, done[i:], cur, leaf.fileArgs)
}

// completeFlags completes a flag name, a flag's value or a positional
// argument of one command.
func completeFlags(fs *pflag.FlagSet, done []string, cur string, fileArgs bool) []string {
	// bash splits "--format=ht" into "--format", "=", "ht".
	if n := len(done); n >= 2 && done[n-1] == "=" {
		if f := lookup(fs, done[n-2]); f != nil {
			return flagValues(f, cur, "")
		}
	}
	if name, value, ok := strings.Cut(cur, "="); ok && strings.HasPrefix(name, "--") {
		if f := lookup(fs, name); f != nil {
			return flagValues(f, value, name+"=")
		}
		return nil
	}
	if strings.HasPrefix(cur, "-") {
		lines := []string{"--help\tshow this command's flags"}
		fs.VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				lines = append(lines, "--"+f.Name+"\t"+f.Usage)
			}
		})
		return withPrefix(cur, lines)
	}
	if n := len(done); n > 0 {
		if f := lookup(fs, done[n-1]); f != nil && f.NoOptDefVal == "" && !strings.Contains(done[n-1], "=") {
			return flagValues(f, cur, "")
		}
	}
	if fileArgs {
		return []string{directiveFiles}
	}
	return nil
}

// lookup finds the flag a word names: --name, --name=value or -s.
func lookup(fs *pflag.FlagSet, word string) *pflag.Flag {
	name, _, _ := strings.Cut(word, "=")
	switch {
	case strings.HasPrefix(name, "--"):
		return fs.Lookup(name[2:])
	case strings.HasPrefix(name, "-") && len(name) == 2:
		return fs.ShorthandLookup(name[1:])
	}
	return nil
}

// flagValues completes the value of flag f: its words, or files, or dirs.
func flagValues(f *pflag.Flag, cur, prefix string) []string {
	switch {
	case len(f.Annotations[annotValues]) > 0:
		var lines []string
		for _, v := range f.Annotations[annotValues] {
			lines = append(lines, prefix+v)
		}
		return withPrefix(prefix+cur, lines)
	case len(f.Annotations[annotPolicy]) > 0:
		var lines []string
		if engine, err := policies.New(context.Background(), policies.Options{}); err == nil {
			for _, p := range engine.Policies() {
				lines = append(lines, prefix+p.ID+"\t"+p.Title)
			}
		}
		return withPrefix(prefix+strings.ToUpper(cur), lines)
	case len(f.Annotations[annotDirs]) > 0:
		return []string{directiveDirs}
	case len(f.Annotations[annotFiles]) > 0:
		return []string{directiveFiles}
	}
	return nil
}

// probeFlags asks a command for its flag set without running it.
func probeFlags(ctx context.Context, c *command) *pflag.FlagSet {
	p := &flagProbe{}
	_ = c.run(ctx, nil, p, p)
	return p.fs
}

func commandLines(cmds []command) []string {
	var lines []string
	for _, c := range cmds {
		if !c.hidden {
			lines = append(lines, c.name+"\t"+c.summary)
		}
	}
	return lines
}

// withPrefix keeps the lines whose candidate starts with cur.
func withPrefix(cur string, lines []string) []string {
	var out []string
	for _, l := range lines {
		if cand, _, _ := strings.Cut(l, "\t"); strings.HasPrefix(cand, cur) {
			out = append(out, l)
		}
	}
	return out
}
