// Package fleet runs atlcheck over many organizations without a scheduler of
// its own: it turns the config's fleet: section into job matrices for the
// runner that already exists (a GitHub Actions matrix, a Kubernetes Indexed
// Job), and sums up the per-org JSON reports into one fleet report.
package fleet

import (
	"fmt"

	"github.com/atlcheck/atlcheck/internal/config"
)

// MaxJobs is GitHub Actions' limit of jobs per matrix in one workflow run,
// the default shard size.
const MaxJobs = 256

// Entry is one org as a matrix job sees it. It names the environment
// variable holding the org's key (key_env), never the key.
type Entry struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	KeyEnv      string `json:"key_env"`
	Attestation string `json:"attestation"`
	// Config is the config file the org's run uses: its own, else the fleet file.
	Config string `json:"config"`
}

// Shard is the matrix of one workflow run, in the shape of GitHub's
// strategy.matrix (fromJSON of it gives one job per include entry).
type Shard struct {
	Include []Entry `json:"include"`
}

// Matrix is every shard the fleet needs, in fleet-file order.
type Matrix struct {
	Shards []Shard `json:"shards"`
}

// Entries lists the fleet's orgs in file order; fleetFile is the path the
// config was read from, the config of orgs that name none.
func Entries(cfg *config.Config, fleetFile string) ([]Entry, error) {
	if cfg.Fleet == nil {
		return nil, fmt.Errorf("%s has no fleet: section (see docs/fleet.md)", fleetFile)
	}
	out := make([]Entry, 0, len(cfg.Fleet.Orgs))
	for _, o := range cfg.Fleet.Orgs {
		e := Entry{ID: o.ID, Name: o.Name, KeyEnv: o.KeyEnv, Attestation: o.Attestation, Config: o.Config}
		if e.Config == "" {
			e.Config = fleetFile
		}
		out = append(out, e)
	}
	return out, nil
}

// Split cuts the entries into consecutive shards of at most maxJobs, so an
// org keeps its shard while orgs are only appended to the file.
func Split(entries []Entry, maxJobs int) (Matrix, error) {
	if maxJobs < 1 || maxJobs > MaxJobs {
		return Matrix{}, fmt.Errorf("--max-jobs must be between 1 and %d (GitHub's matrix limit), got %d", MaxJobs, maxJobs)
	}
	m := Matrix{Shards: []Shard{}}
	for start := 0; start < len(entries); start += maxJobs {
		end := min(start+maxJobs, len(entries))
		m.Shards = append(m.Shards, Shard{Include: entries[start:end:end]})
	}
	return m, nil
}
