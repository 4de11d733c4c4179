package suggest

import "testing"

func TestClosest(t *testing.T) {
	commands := []string{"check", "diff", "collect", "scan", "demo", "policies", "test", "version", "help", "completion"}
	flags := []string{"snapshot", "config", "policies", "format", "output", "fail-on", "min-severity", "no-color"}
	tests := []struct {
		in         string
		candidates []string
		want       string
	}{
		{"chek", commands, "check"},
		{"chekc", commands, "check"},
		{"CHECK", commands, "check"},
		{"scna", commands, "scan"},
		{"polices", commands, "policies"},
		{"pol", commands, "policies"},
		{"verison", commands, "version"},
		{"completoin", commands, "completion"},
		{"deploy", commands, ""},
		{"x", commands, ""},
		{"", commands, ""},
		{"fromat", flags, "format"},
		{"snapshop", flags, "snapshot"},
		{"no-colour", flags, "no-color"},
		{"fail-on-severity", flags, ""},
		{"min-sev", flags, "min-severity"},
		{"colour", flags, ""},
		{"htm", []string{"text", "json", "sarif", "markdown", "junit", "github", "html", "csv"}, "html"},
		{"md", []string{"text", "json", "sarif", "markdown", "junit", "github", "html", "csv"}, ""},
		{"api_key", []string{"api_keys", "api_tokens", "app_access", "apps"}, "api_keys"},
		{"paramters", []string{"org_id", "parameters", "exceptions"}, "parameters"},
		// qa1: two edits in a short word are another word, not a typo.
		{"tcsh", []string{"bash", "zsh", "fish"}, ""},
		{"ksh", []string{"bash", "zsh", "fish"}, "zsh"},
		{"bsh", []string{"bash", "zsh", "fish"}, "bash"},
		{"lable", []string{"label", "id", "scopes"}, "label"},
		{"chekk", commands, "check"},
		{"tset", commands, "test"},
		{"dmeo", commands, "demo"},
	}
	for _, tt := range tests {
		if got := Closest(tt.in, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHint(t *testing.T) {
	if got, want := Hint("fromat", []string{"format"}, "--%s"), " (did you mean --format?)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Hint("zzz", []string{"format"}, "--%s"); got != "" {
		t.Errorf("got %q, want no hint", got)
	}
}
