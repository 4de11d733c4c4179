// Package version reports which atlcheck build is running.
package version

import (
	"runtime/debug"
	"sync"
)

// Set at build time with -ldflags "-X github.com/atlcheck/atlcheck/internal/version.version=v1.2.3".
var (
	version = ""
	commit  = ""
)

// Info is the build's version and commit.
type Info struct {
	Version string
	Commit  string
}

// Get returns the version (from ldflags, else the module version, else
// "0.1.0-dev") and the VCS commit when known.
var Get = sync.OnceValue(func() Info {
	info := Info{Version: version, Commit: commit}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && info.Commit == "" {
				info.Commit = s.Value
			}
		}
	}
	if info.Version == "" {
		info.Version = "0.1.0-dev"
	}
	return info
})
