// Package policies holds atlcheck's built-in Rego policies (embedded with
// go:embed) and the engine that compiles them, checks their metadata contract
// and evaluates them over a snapshot.
package policies

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

//go:embed lib atlassian atlcheck
var builtinFS embed.FS

// DefaultParametersJSON returns the built-in parameter defaults, the same file
// `opa test policies` loads as data.atlcheck.parameters.
func DefaultParametersJSON() []byte {
	b, err := builtinFS.ReadFile("atlcheck/parameters/data.json")
	if err != nil {
		panic("embedded parameter defaults missing: " + err.Error())
	}
	return b
}

// source is one Rego file.
type source struct {
	// Name is the path shown in errors: policies/… for built-ins, the file path for custom ones.
	Name string
	// Rel is the path below its --policies directory (custom files only).
	Rel     string
	Text    string
	Builtin bool
	Test    bool
}

// builtinSources lists the embedded Rego files in path order.
func builtinSources() []source {
	var out []source
	_ = fs.WalkDir(builtinFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		b, err := builtinFS.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, source{Name: "policies/" + p, Text: string(b), Builtin: true, Test: isTestFile(p)})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func isTestFile(p string) bool { return strings.HasSuffix(p, "_test.rego") }

// Digest is the sha256 of the embedded policy bundle (every embedded file,
// path and content, in path order), so a report can name the exact policies
// that produced it.
var Digest = sync.OnceValue(func() string {
	h := sha256.New()
	var paths []string
	_ = fs.WalkDir(builtinFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	sort.Strings(paths)
	for _, p := range paths {
		b, _ := builtinFS.ReadFile(p)
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(b)
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
})
