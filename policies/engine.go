package policies

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/atlcheck/atlcheck/internal/fileerr"
	"github.com/atlcheck/atlcheck/internal/suggest"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/atlcheck/atlcheck/internal/model"
)

// Options select what an Engine compiles.
type Options struct {
	// CustomDirs are extra policy directories (--policies), compiled together
	// with the built-ins under the same contract.
	CustomDirs []string
	// Tests also compiles *_test.rego files (for `atlcheck test`).
	Tests bool
	// ReadFile reads a custom policy file; nil means os.ReadFile. The CLI
	// passes its size-capped, interruptible reader.
	ReadFile func(name string) ([]byte, error)
}

// Engine is the compiled policy set: built-ins plus custom policies.
type Engine struct {
	compiler *ast.Compiler
	policies []model.Policy
	byID     map[string]model.Policy
	packages []pkgRules
	modules  map[string]*ast.Module
	// rules is the deny rule of each policy id.
	rules map[string]*ast.Rule
	// customDigest is the sha256 of the custom policy files, "" without any.
	customDigest string
}

// pkgRules is a package that defines deny rules (and maybe notes).
type pkgRules struct {
	path     string // e.g. data.atlassian.app_access
	hasNotes bool
}

// Error is a problem with a policy file, located at file:line:column.
type Error = fileerr.Error

// Errors is a list of policy problems; it prints them one per line.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// New parses and compiles the built-in and custom policies in strict mode and
// checks every deny rule's metadata contract.
func New(ctx context.Context, opts Options) (*Engine, error) {
	modules, builtin, digest, err := parse(opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := withDataTypes(modules); err != nil {
		return nil, err
	}
	compiler := newCompiler().WithSchemas(schemaSet()).WithUseTypeCheckAnnotations(true)
	compiler.Compile(modules)
	if compiler.Failed() {
		return nil, explainExcluded(fromAST("", compiler.Errors))
	}
	// The compiler works on copies: read rules and annotations from its modules.
	e := &Engine{compiler: compiler, modules: compiler.Modules, byID: map[string]model.Policy{}, rules: map[string]*ast.Rule{}, customDigest: digest}
	if err := e.loadMetadata(builtin); err != nil {
		return nil, err
	}
	return e, nil
}

// parse reads and parses the built-in and custom policy files; it returns the
// modules by file name, the set of built-in file names and the digest of the
// custom files it parsed. A custom file in a reserved package is an error,
// and no custom file can take a built-in's place in the module set.
func parse(opts Options) (map[string]*ast.Module, map[string]bool, string, error) {
	sources := builtinSources()
	for _, dir := range opts.CustomDirs {
		custom, err := dirSources(dir, opts.ReadFile)
		if err != nil {
			return nil, nil, "", err
		}
		sources = append(sources, custom...)
	}
	modules := make(map[string]*ast.Module, len(sources))
	builtin := map[string]bool{}
	var custom []source
	var errs Errors
	for _, src := range sources {
		if src.Test && !opts.Tests {
			continue
		}
		m, err := ast.ParseModuleWithOpts(src.Name, src.Text, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1, Capabilities: capabilities()})
		if err != nil {
			errs = append(errs, fromAST(src.Name, err)...)
			continue
		}
		if !src.Builtin {
			if e := reservedPackage(src.Name, m); e != nil {
				errs = append(errs, e)
				continue
			}
			custom = append(custom, src)
		}
		key := src.Name
		for modules[key] != nil { // e.g. --policies . beside a policies/ directory
			key = "./" + key
		}
		modules[key] = m
		builtin[key] = src.Builtin
	}
	if len(errs) > 0 {
		return nil, nil, "", errs
	}
	return modules, builtin, digestSources(custom), nil
}

// Policies returns every policy, sorted by id.
func (e *Engine) Policies() []model.Policy { return e.policies }

// CustomDigest is the sha256 of the custom policy files (their paths below
// each --policies directory and their content), "" when there are none.
// Reports carry it beside the built-in bundle's digest.
func (e *Engine) CustomDigest() string { return e.customDigest }

// Policy looks a policy up by id.
func (e *Engine) Policy(id string) (model.Policy, bool) {
	p, ok := e.byID[id]
	return p, ok
}

// dirSources reads every .rego file below dir with read (nil: os.ReadFile).
func dirSources(dir string, read func(string) ([]byte, error)) ([]source, error) {
	if read == nil {
		read = os.ReadFile
	}
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("policy directory %s does not exist (--policies names a directory of .rego files)", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("policy directory: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("policy directory %s: not a directory", dir)
	}
	var out []source
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return nil
		}
		b, err := read(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, source{Name: p, Rel: filepath.ToSlash(rel), Text: string(b), Test: isTestFile(p)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read policy directory %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("policy directory %s: no .rego files", dir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// knownKeys explains an undefined reference into a typed document (the
// snapshot schema, or an object a rule builds): the key that is not there,
// the closest known key and the known ones, e.g. `: no key "itemz" there
// (did you mean "items"?); known keys: collected, collected_at, error,
// items, source`.
func knownKeys(ae *ast.Error) string {
	d, ok := ae.Details.(*ast.RefErrInvalidDetail)
	if !ok || len(d.OneOf) == 0 || d.Pos >= len(d.Ref) {
		return ""
	}
	key, ok := d.Ref[d.Pos].Value.(ast.String)
	if !ok {
		return ""
	}
	known := make([]string, 0, len(d.OneOf))
	for _, v := range d.OneOf {
		if s, ok := v.(ast.String); ok {
			known = append(known, string(s))
		}
	}
	sort.Strings(known)
	return fmt.Sprintf(": no key %q there%s; known keys: %s", string(key), suggestHint(string(key), known), strings.Join(known, ", "))
}

// suggestHint is ` (did you mean "x"?)` for the closest known key, or "".
func suggestHint(key string, known []string) string { return suggest.Hint(key, known, "%q") }

// fromAST converts OPA's parse and compile errors into located Errors.
func fromAST(file string, err error) Errors {
	var astErrs ast.Errors
	if !errors.As(err, &astErrs) {
		return Errors{{File: file, Msg: err.Error()}}
	}
	out := make(Errors, 0, len(astErrs))
	for _, ae := range astErrs {
		e := &Error{File: file, Msg: ae.Message}
		if ae.Location != nil {
			if ae.Location.File != "" {
				e.File = ae.Location.File
			}
			e.Line, e.Column = ae.Location.Row, ae.Location.Col
		}
		if ae.Code != "" && ae.Code != ast.CompileErr && ae.Code != ast.ParseErr {
			e.Msg = ae.Code + ": " + e.Msg
		}
		e.Msg += knownKeys(ae)
		out = append(out, e)
	}
	return out
}
