package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuild(t *testing.T) {
	sha := "0123456789abcdef0123456789abcdef01234567"
	bi := func(v string, settings ...string) *debug.BuildInfo {
		b := &debug.BuildInfo{Main: debug.Module{Path: "github.com/atlcheck/atlcheck", Version: v}}
		for i := 0; i+1 < len(settings); i += 2 {
			b.Settings = append(b.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return b
	}
	tests := []struct {
		name                 string
		bi                   *debug.BuildInfo
		ldVersion, ldCommit  string
		wantVersion, wantSHA string
		wantModified         bool
	}{
		{"go install @tag", bi("v1.2.3"), "", "", "v1.2.3", "", false},
		{"go install @commit", bi("v1.2.4-0.20261120080000-0123456789ab"), "", "", "v1.2.4-0.20261120080000-0123456789ab", "0123456789ab", false},
		{"go build in a checkout", bi("(devel)", "vcs.revision", sha, "vcs.modified", "false"), "", "", Dev, sha, false},
		{"go build, uncommitted changes", bi("(devel)", "vcs.revision", sha, "vcs.modified", "true"), "", "", Dev, sha, true},
		{"ldflags win", bi("v1.2.3", "vcs.revision", "ffff"), "v9.9.9", sha, "v9.9.9", sha, false},
		{"ldflags version only", bi("(devel)", "vcs.revision", sha), "v2.0.0", "", "v2.0.0", sha, false},
		{"no build info", nil, "", "", Dev, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fromBuild(tt.bi, tt.ldVersion, tt.ldCommit)
			if got.Version != tt.wantVersion || got.Commit != tt.wantSHA || got.Modified != tt.wantModified {
				t.Errorf("got %+v, want version %q commit %q modified %v", got, tt.wantVersion, tt.wantSHA, tt.wantModified)
			}
		})
	}
}
