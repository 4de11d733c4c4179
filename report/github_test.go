package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		name, in, data, property string
	}{
		{"plain", "API key k1", "API key k1", "API key k1"},
		{"percent", "100%", "100%25", "100%25"},
		{"newlines", "a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"delimiters", "a:b,c::d", "a:b,c::d", "a%3Ab%2Cc%3A%3Ad"},
		{"already escaped", "%0A", "%250A", "%250A"},
		// Issue 12 row 16: ESC, BEL and RLO reached the log as they were.
		{"controls", "a\x1b[2Jb\x07\u202ec", `a\x1b[2Jb\a\u202ec`, `a\x1b[2Jb\a\u202ec`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := githubData(tt.in); got != tt.data {
				t.Errorf("data: got %q, want %q", got, tt.data)
			}
			if got := githubProperty(tt.in); got != tt.property {
				t.Errorf("property: got %q, want %q", got, tt.property)
			}
		})
	}
}

func TestGitHubAnnotations(t *testing.T) {
	run := fixtureRun()
	lines := strings.Split(strings.TrimSuffix(string(render(t, "github", run)), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("got %d annotations, want one per unsuppressed finding (6)", len(lines))
	}
	for i, prefix := range []string{"::error ", "::error ", "::error ", "::error ", "::notice ", "::notice "} {
		if !strings.HasPrefix(lines[i], prefix) || !strings.Contains(lines[i], "file=scans/acme.snapshot.json,line=") {
			t.Errorf("annotation %d = %q, want %sfile=…", i, lines[i], prefix)
		}
	}
	run.Snapshot.Path = ""
	run.Findings[0].Title = "Title, with: delimiters"
	first := strings.SplitN(string(render(t, "github", run)), "\n", 2)[0]
	if want := "::error title=ATL-ACC-001 Title%2C with%3A delimiters::Only 1 org admin (org-0001)"; first != want {
		t.Errorf("without a snapshot file got %q, want %q", first, want)
	}
	if out := render(t, "github", emptyRun()); len(out) != 0 {
		t.Errorf("clean run printed %q, want nothing", out)
	}
}

// shownAnnotations is what a step's log turns into on the run page: GitHub
// Actions makes an annotation of each ::error, ::warning and ::notice line
// but shows only 10 of each kind per step (and 50 per job): docs.github.com
// REST "check runs" (annotations: "GitHub Actions are limited to 10 warning
// annotations and 10 error annotations per step") and actions/toolkit
// docs/problem-matchers.md "Limitations". Notices are held to the same 10.
func shownAnnotations(t *testing.T, log string) (shown map[string][]string, plain []string) {
	t.Helper()
	shown = map[string][]string{}
	for _, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		kind, rest, ok := strings.Cut(strings.TrimPrefix(line, "::"), " ")
		if !strings.HasPrefix(line, "::") || !ok || !slices.Contains([]string{"error", "warning", "notice"}, kind) {
			if strings.HasPrefix(line, "::") {
				t.Errorf("unknown workflow command %q", line)
			}
			plain = append(plain, line)
			continue
		}
		props, msg, ok := strings.Cut(rest, "::")
		if !ok {
			t.Fatalf("annotation without message: %q", line)
		}
		for _, p := range strings.Split(props, ",") {
			if v, ok := strings.CutPrefix(p, "title="); ok && utf8.RuneCountInString(unescapeWorkflow(v)) > 255 {
				t.Errorf("title of %d characters, over the 255 a check annotation takes: %q", utf8.RuneCountInString(unescapeWorkflow(v)), v)
			}
		}
		if n := len(unescapeWorkflow(msg)); n > 64*1024 {
			t.Errorf("message of %d bytes, over 64 KB", n)
		}
		if len(shown[kind]) < 10 {
			shown[kind] = append(shown[kind], line)
		} else {
			t.Errorf("%s annotation beyond the 10 GitHub shows per step (dropped silently): %q", kind, line)
		}
	}
	return shown, plain
}

func unescapeWorkflow(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// TestGitHubAnnotationsWithinLimits: with more findings of a kind than GitHub
// shows, the 10th annotation says how many more there are and where they
// are; each of them is still a line of the step log.
func TestGitHubAnnotationsWithinLimits(t *testing.T) {
	run := fixtureRun()
	base := run.Findings
	run.Findings = nil
	for i := range 25 {
		for _, f := range base {
			f.Resource = fmt.Sprintf("%s-%02d", f.Resource, i)
			run.Findings = append(run.Findings, f)
		}
	}
	run.Findings[0].Title = strings.Repeat("Very long, custom: title ", 40)
	run.Findings[0].Message = strings.Repeat("x", 70*1024)
	out := string(render(t, "github", run))
	shown, plain := shownAnnotations(t, out)
	for kind, n := range map[string]int{"error": 4 * 25, "notice": 2 * 25} {
		if len(shown[kind]) != 10 {
			t.Errorf("%d %s annotations shown, want 10", len(shown[kind]), kind)
			continue
		}
		last := shown[kind][9]
		if want := fmt.Sprintf("%d more", n-9); !strings.Contains(last, want) || !strings.Contains(last, "log") {
			t.Errorf("the 10th %s annotation %q does not say %q and where they are", kind, last, want)
		}
	}
	for _, f := range run.Findings {
		if f.Suppressed {
			continue
		}
		found := strings.Contains(out, githubProperty(f.PolicyID)) && strings.Contains(out, githubData(f.Resource))
		if !found {
			t.Errorf("finding %s %s is nowhere in the log", f.PolicyID, f.Resource)
		}
	}
	if len(plain) < 4*25-9+2*25-9 {
		t.Errorf("%d plain log lines, want one per finding not shown as an annotation", len(plain))
	}
	// Few enough: every finding is an annotation, nothing else is printed.
	shown, plain = shownAnnotations(t, string(render(t, "github", fixtureRun())))
	if len(shown["error"]) != 4 || len(shown["notice"]) != 2 || len(plain) != 0 {
		t.Errorf("the fixture gave %d errors, %d notices and %d other lines; want 4, 2, 0", len(shown["error"]), len(shown["notice"]), len(plain))
	}
}
