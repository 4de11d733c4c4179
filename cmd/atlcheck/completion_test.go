package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/pflag"
)

// TestComplete drives the completion logic the shell scripts call.
func TestComplete(t *testing.T) {
	tests := []struct {
		words   []string
		want    []string // candidates (descriptions cut off) that must be there
		exactly bool     // and nothing else
	}{
		{[]string{""}, names(commands()), true},
		{[]string{"fl"}, []string{"fleet"}, true},
		{[]string{"history", ""}, []string{"add", "show"}, true},
		{[]string{"fleet", "report", ""}, []string{directiveFiles}, true},
		{[]string{"ch"}, []string{"check"}, true},
		{[]string{"--"}, []string{"--help", "--version"}, true},
		{[]string{"check", "--fo"}, []string{"--format"}, true},
		{[]string{"check", "--he"}, []string{"--help"}, true},
		{[]string{"check", "--"}, []string{"--snapshot", "--format", "--policy", "--skip-policy", "--min-severity", "--no-color", "--fail-on"}, false},
		{[]string{"check", "--format", ""}, []string{"text", "json", "sarif", "markdown", "junit", "github", "csv"}, false},
		{[]string{"check", "--format", "ma"}, []string{"markdown"}, true},
		{[]string{"check", "--format=ma"}, []string{"--format=markdown"}, true},
		{[]string{"check", "--format", "=", "ma"}, []string{"markdown"}, true}, // bash splits at "="
		{[]string{"check", "--fail-on", ""}, []string{"critical", "high", "medium", "low", "info", "none"}, true},
		{[]string{"check", "--policy", "ATL-KEY-00"}, []string{"ATL-KEY-001", "ATL-KEY-002", "ATL-KEY-003", "ATL-KEY-004", "ATL-KEY-005"}, true},
		{[]string{"scan", "--skip-policy", "atl-tok"}, []string{"ATL-TOK-001", "ATL-TOK-002", "ATL-TOK-003", "ATL-TOK-004"}, true},
		{[]string{"check", "--config", ""}, []string{directiveFiles}, true},
		{[]string{"check", "--policies", ""}, []string{directiveDirs}, true},
		{[]string{"check", ""}, []string{directiveFiles}, true},
		{[]string{"check", "--no-color", ""}, []string{directiveFiles}, true}, // a bool flag takes no value
		{[]string{"diff", "a.json", ""}, []string{directiveFiles}, true},
		{[]string{"diff", "--format", ""}, []string{"text", "json", "markdown"}, true},
		{[]string{"collect", "--log-format", ""}, []string{"text", "json"}, true},
		{[]string{"policies", "--format", ""}, []string{"table", "json", "markdown"}, true},
		{[]string{"attest", ""}, []string{"init"}, true},
		{[]string{"attest", "init", "--sn"}, []string{"--snapshot"}, true},
		{[]string{"help", "at"}, []string{"attest"}, true},
		{[]string{"completion", "--"}, []string{"--help"}, false},
		{[]string{"nosuch", ""}, nil, true},
		{[]string{"version", ""}, nil, true},
	}
	for _, tt := range tests {
		lines := complete(context.Background(), tt.words[:len(tt.words)-1], tt.words[len(tt.words)-1])
		var got []string
		for _, l := range lines {
			cand, _, _ := strings.Cut(l, "\t")
			got = append(got, cand)
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: candidates %q lack %q", tt.words, got, w)
			}
		}
		if tt.exactly && len(got) != len(tt.want) {
			t.Errorf("%q: candidates %q, want exactly %q", tt.words, got, tt.want)
		}
	}
}

// TestCompleteKnowsEveryCommandAndFlag: completion reads each command's own
// flag set, so every flag of every command completes (no table to forget).
func TestCompleteKnowsEveryCommandAndFlag(t *testing.T) {
	for _, c := range commands() {
		if c.hidden || c.subs != nil {
			continue
		}
		fs := probeFlags(context.Background(), &c)
		if fs == nil {
			t.Errorf("%s: no flag set (does it parse its flags with parseFlags/parseArgs?)", c.name)
			continue
		}
		if c.name == "help" {
			continue
		}
		got := complete(context.Background(), []string{c.name}, "--")
		if n := fs.NFlag(); n != 0 {
			t.Errorf("%s: probing parsed flags", c.name)
		}
		count := 1 // --help
		fs.VisitAll(func(*pflag.Flag) { count++ })
		if len(got) != count {
			t.Errorf("%s: %d flag candidates, want %d", c.name, len(got), count)
		}
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// atlcheckBinary builds atlcheck once for the shell tests.
func atlcheckBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "atlcheck-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "atlcheck")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = err
			t.Logf("%s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("build atlcheck: %v", binErr)
	}
	return binPath
}

// shell returns the path of a shell, skipping the test when it is missing
// unless make test (ATLCHECK_REQUIRE_SHELLS=1) installed it.
func shell(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("ATLCHECK_REQUIRE_SHELLS") != "" {
			t.Fatalf("%s is required (make test installs it): %v", name, err)
		}
		t.Skipf("%s not installed (make test installs it)", name)
	}
	return p
}

// runShell runs script in the shell with the built atlcheck first on PATH.
func runShell(t *testing.T, sh string, args ...string) string {
	t.Helper()
	bin := atlcheckBinary(t)
	cmd := exec.Command(sh, args...)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+t.TempDir())
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", sh, err, out)
	}
	return string(out)
}

// The completion scripts, run by the real shells.

func TestBashCompletionScript(t *testing.T) {
	bash := shell(t, "bash")
	script := `source <(atlcheck completion bash)
complete -p atlcheck
try() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _atlcheck; echo "[$*] ${COMPREPLY[*]}"; }
try atlcheck ch
try atlcheck check --fo
try atlcheck check --format ma
try atlcheck check --format = ma
try atlcheck attest ''
touch snap.json
try atlcheck check sn
`
	out := runShell(t, bash, "-c", script)
	for _, want := range []string{"complete -o default -F _atlcheck atlcheck", "[atlcheck ch] check\n", "[atlcheck check --fo] --format\n",
		"[atlcheck check --format ma] markdown\n", "[atlcheck check --format = ma] markdown\n", "[atlcheck attest ] init\n", "[atlcheck check sn] snap.json\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("bash output lacks %q:\n%s", want, out)
		}
	}
}

func TestZshCompletionScript(t *testing.T) {
	zsh := shell(t, "zsh")
	// Outside the line editor, compsys functions cannot run: stand-ins record
	// what the script asks of them.
	script := `compdef() { print "compdef $*" }
_describe() { print -l -- "${(@P)${@[-1]}}" }
_files() { print -- "_files $*" }
source <(atlcheck completion zsh)
words=(atlcheck check --fo); CURRENT=3; _atlcheck
words=(atlcheck check --format=); CURRENT=3; _atlcheck
words=(atlcheck check ''); CURRENT=3; _atlcheck
words=(atlcheck ''); CURRENT=2; _atlcheck
`
	out := runShell(t, zsh, "-f", "-c", script)
	for _, want := range []string{"compdef _atlcheck atlcheck", "--format:report format: text, json", "--format=csv", "_files \n",
		"check:evaluate the policies", "attest:help write the attestation file"} {
		if !strings.Contains(out, want) {
			t.Errorf("zsh output lacks %q:\n%s", want, out)
		}
	}
}

func TestFishCompletionScript(t *testing.T) {
	fish := shell(t, "fish")
	script := `atlcheck completion fish | source
complete -C 'atlcheck ch'
complete -C 'atlcheck check --fo'
complete -C 'atlcheck check --format '
complete -C 'atlcheck attest '
`
	out := runShell(t, fish, "--no-config", "-c", script)
	for _, want := range []string{"check\tevaluate the policies", "--format\treport format", "sarif\n", "csv\n", "init\tdraft an attestation file"} {
		if !strings.Contains(out, want) {
			t.Errorf("fish output lacks %q:\n%s", want, out)
		}
	}
}
