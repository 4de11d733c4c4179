// Package version reports which atlcheck build is running.
package version

import (
	"regexp"
	"runtime/debug"
	"sync"
)

// Set at build time with -ldflags "-X github.com/atlcheck/atlcheck/internal/version.version=v1.2.3
// -X github.com/atlcheck/atlcheck/internal/version.commit=<sha>" (the Makefile, GoReleaser, the
// Dockerfile and the action do); they take precedence over Go's build info.
var (
	version = ""
	commit  = ""
)

// Dev is the version of a build that knows none.
const Dev = "0.1.0-dev"

// Info is the build's version and commit.
type Info struct {
	Version string
	Commit  string
	// Modified is true when the build's VCS checkout had uncommitted changes.
	Modified bool
}

// Get returns the version and commit: from -ldflags when set, else from Go's
// build info, which `go install github.com/atlcheck/atlcheck/cmd/atlcheck@v1.2.3`
// stamps with the module version (and a pseudo-version with the commit), and
// `go build` in a git checkout with vcs.revision.
var Get = sync.OnceValue(func() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, version, commit)
})

// pseudoRE matches the revision suffix of a pseudo-version
// (v0.0.0-20261120080000-0123456789ab, vX.Y.Z-0.2026…-0123456789ab).
var pseudoRE = regexp.MustCompile(`[.-](\d{14})-([0-9a-f]{12})(\+incompatible)?$`)

// fromBuild works out the Info from the build info and the ldflags values.
func fromBuild(bi *debug.BuildInfo, ldVersion, ldCommit string) Info {
	info := Info{Version: ldVersion, Commit: ldCommit}
	if bi != nil {
		v := bi.Main.Version
		if info.Version == "" && v != "" && v != "(devel)" {
			info.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.modified":
				info.Modified = s.Value == "true" && ldCommit == ""
			}
		}
		if m := pseudoRE.FindStringSubmatch(v); m != nil && info.Commit == "" {
			info.Commit = m[2] // the 12-digit prefix is all a pseudo-version has
		}
	}
	if info.Version == "" {
		info.Version = Dev
	}
	return info
}
