package report

import (
	"strings"
	"testing"
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
