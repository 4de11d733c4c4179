package ghaction

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// repoRoot is the repository root, relative to this package's directory.
const repoRoot = "../.."

// actionFile is the part of action.yml the tests read.
type actionFile struct {
	Name        string                  `yaml:"name"`
	Description string                  `yaml:"description"`
	Inputs      map[string]actionInput  `yaml:"inputs"`
	Outputs     map[string]actionOutput `yaml:"outputs"`
	Runs        struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type actionInput struct {
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
	Default     string `yaml:"default"`
}

type actionOutput struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

// step is a workflow or composite action step.
type step struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	With             map[string]string `yaml:"with"`
	Env              map[string]string `yaml:"env"`
}

// workflow is the part of a workflow file the tests read.
type workflow struct {
	Name        string         `yaml:"name"`
	On          yaml.Node      `yaml:"on"`
	Permissions yaml.Node      `yaml:"permissions"`
	Jobs        map[string]job `yaml:"jobs"`
}

type job struct {
	Name        string    `yaml:"name"`
	If          string    `yaml:"if"`
	Needs       yaml.Node `yaml:"needs"`
	Permissions yaml.Node `yaml:"permissions"`
	Uses        string    `yaml:"uses"`
	Steps       []step    `yaml:"steps"`
}

// readFile reads a file relative to the repository root.
func readFile(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// decodeStrict decodes data into v, rejecting keys v does not know only when
// strict is set (workflows have many keys the tests do not read).
func decodeStrict(t *testing.T, name string, data []byte, v any, strict bool) {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(strict)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func loadAction(t *testing.T) (*actionFile, *yaml.Node) {
	t.Helper()
	data := readFile(t, "action.yml")
	var a actionFile
	// action.yml may hold author and branding, which actionFile skips.
	decodeStrict(t, "action.yml", data, &a, false)
	var root yaml.Node
	decodeStrict(t, "action.yml", data, &root, false)
	return &a, &root
}

// workflowFiles lists .github/workflows/*.yml and *.yaml, relative to the
// repository root.
func workflowFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(repoRoot, ".github", "workflows", pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			rel, err := filepath.Rel(repoRoot, f)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	if len(files) == 0 {
		t.Fatal("no workflow under .github/workflows")
	}
	return files
}

// scalar is a string value in a YAML tree with its place, for messages.
type scalar struct {
	key   string // the mapping key the value belongs to ("" in a sequence)
	value string
	line  int
	// comment is the value's line comment, "# v1.2.3" for example.
	comment string
}

// walkScalars calls fn for every scalar value of the tree (not the keys).
func walkScalars(n *yaml.Node, key string, fn func(scalar)) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			walkScalars(c, key, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			walkScalars(n.Content[i+1], n.Content[i].Value, fn)
		}
	case yaml.ScalarNode:
		fn(scalar{key: key, value: n.Value, line: n.Line, comment: n.LineComment})
	case yaml.AliasNode:
		if n.Alias != nil {
			walkScalars(n.Alias, key, fn)
		}
	}
}

var (
	// expressionRE matches one ${{ … }} expression.
	expressionRE = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	// pinnedRE is owner/repo[/path]@<40 hex digits>.
	pinnedRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)
	// versionCommentRE is the "# vX.Y.Z" comment a pinned action carries.
	versionCommentRE = regexp.MustCompile(`^# v\d+\.\d+\.\d+$`)
)

// checkUsesAndRuns checks every uses: and run: value of a parsed file:
// remote actions pinned to a full commit SHA with a "# vX.Y.Z" comment,
// Docker images pinned by digest, and no expression inside a script (an
// expression is expanded into the script text before the shell parses it:
// script injection). It returns the uses: values.
func checkUsesAndRuns(t *testing.T, name string, root *yaml.Node) []string {
	t.Helper()
	var uses []string
	walkScalars(root, "", func(s scalar) {
		switch s.key {
		case "uses":
			uses = append(uses, s.value)
			switch {
			case strings.HasPrefix(s.value, "./"):
				// A local action: the same commit as the workflow.
			case strings.HasPrefix(s.value, "docker://"):
				if !strings.Contains(s.value, "@sha256:") {
					t.Errorf("%s:%d: %s is not pinned by digest", name, s.line, s.value)
				}
			case !pinnedRE.MatchString(s.value):
				t.Errorf("%s:%d: %s is not pinned to a full commit SHA", name, s.line, s.value)
			case !versionCommentRE.MatchString(s.comment):
				t.Errorf("%s:%d: %s has no \"# vX.Y.Z\" comment naming its release (got %q)", name, s.line, s.value, s.comment)
			}
		case "run":
			if strings.Contains(s.value, "${{") {
				t.Errorf("%s:%d: a run: script contains ${{ }}; pass the value in env: and quote the variable", name, s.line)
			}
		}
	})
	return uses
}
