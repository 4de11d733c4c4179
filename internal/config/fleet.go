package config

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Fleet is the fleet: section: the organizations one team scans, each with
// its own org admin API key. An Atlassian admin API key reaches one org only,
// so every org names the environment variable (the CI secret) holding its
// key; the key itself is never in the file.
type Fleet struct {
	Orgs []FleetOrg `yaml:"orgs" json:"orgs" schema:"required,minItems=1" doc:"the organizations, at least one"`
}

// FleetOrg is one organization of the fleet.
type FleetOrg struct {
	ID          string `yaml:"id" json:"id" schema:"required" pattern:"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$" doc:"the Atlassian organization id (unique in the fleet)"`
	Name        string `yaml:"name" json:"name" schema:"required,minLength=1" doc:"the org's name in reports"`
	KeyEnv      string `yaml:"key_env" json:"key_env" schema:"required" pattern:"^[A-Za-z_][A-Za-z0-9_]{0,63}$" doc:"name of the environment variable / CI secret holding this org's admin API key (never the key itself; one per org)"`
	Attestation string `yaml:"attestation" json:"attestation" schema:"required,minLength=1" doc:"the org's attestation file"`
	Config      string `yaml:"config" json:"config,omitempty" doc:"the org's own config file, used instead of the fleet file for its runs"`

	// Line is where the entry starts in the file.
	Line int `yaml:"-" json:"-"`
}

var (
	// orgIDRE is what an org id may look like: it becomes part of file
	// names, artifact names and SARIF categories. Atlassian's are UUIDs.
	orgIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	// envNameRE is a portable environment variable name, which is also what
	// GitHub allows for a secret's name.
	envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// maxEnvName bounds key_env: a longer value is more likely a pasted key
// than a variable name.
const maxEnvName = 64

// validateFleet checks every org entry. Messages never quote key_env when it
// is not a valid name: a bad value may be a key pasted by mistake.
func (c *Config) validateFleet() error {
	if c.Fleet == nil {
		return nil
	}
	if len(c.Fleet.Orgs) == 0 {
		return &validationError{[]string{"fleet", "orgs"}, "fleet.orgs lists no organization"}
	}
	ids, keys := map[string]int{}, map[string]int{}
	for i, o := range c.Fleet.Orgs {
		at := func(field, format string, args ...any) error {
			return &validationError{[]string{"fleet", "orgs", fmt.Sprint(i), field}, fmt.Sprintf("fleet org %d: ", i+1) + fmt.Sprintf(format, args...)}
		}
		for _, req := range []struct{ name, v string }{{"id", o.ID}, {"name", o.Name}, {"key_env", o.KeyEnv}, {"attestation", o.Attestation}} {
			if strings.TrimSpace(req.v) == "" {
				return at(req.name, "%s is required (every org needs id, name, key_env and attestation)", req.name)
			}
		}
		if !orgIDRE.MatchString(o.ID) {
			return at("id", "id %q is not an organization id (letters, digits, '.', '_' and '-', at most 128)", o.ID)
		}
		if j, dup := ids[strings.ToLower(o.ID)]; dup {
			return at("id", "org id %s is listed twice (also org %d)", o.ID, j+1)
		}
		ids[strings.ToLower(o.ID)] = i
		if len(o.KeyEnv) > maxEnvName || !envNameRE.MatchString(o.KeyEnv) {
			return at("key_env", "key_env must be the name of the environment variable that holds the key (letters, digits and _, at most %d characters), never the key itself; the value is not shown", maxEnvName)
		}
		if strings.HasPrefix(strings.ToUpper(o.KeyEnv), "GITHUB_") {
			return at("key_env", "key_env %s starts with GITHUB_, which GitHub reserves and no secret may use", o.KeyEnv)
		}
		// GitHub's secret names are case-insensitive: two spellings are one secret.
		if j, dup := keys[strings.ToUpper(o.KeyEnv)]; dup {
			return at("key_env", "key_env %s is also org %d's: an admin API key reaches one org only, so each org needs its own", o.KeyEnv, j+1)
		}
		keys[strings.ToUpper(o.KeyEnv)] = i
		for _, p := range []struct{ name, v string }{{"name", o.Name}, {"attestation", o.Attestation}, {"config", o.Config}} {
			if strings.ContainsFunc(p.v, isLineBreakOrControl) {
				return at(p.name, "%s contains a control character or line break", p.name)
			}
		}
	}
	return nil
}

func isLineBreakOrControl(r rune) bool { return r < 0x20 || r == 0x7f }

// setFleetPositions records where each fleet org starts in the file.
func setFleetPositions(root *yaml.Node, f *Fleet) {
	if f == nil {
		return
	}
	fleet := child(docNode(root), "fleet")
	if fleet == nil {
		return
	}
	seq := child(fleet, "orgs")
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for i := range f.Orgs {
		if i < len(seq.Content) {
			f.Orgs[i].Line = seq.Content[i].Line
		}
	}
}

// docNode is the document's top-level node.
func docNode(root *yaml.Node) *yaml.Node {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		return root.Content[0]
	}
	return root
}
