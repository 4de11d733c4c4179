package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// What custom policies may do (docs/security.md): they read the snapshot and
// data.atlcheck, and report findings for their own policy ids. They cannot
// replace, extend or shadow a built-in, reach the network, the process or
// the clock, and they are evaluated under the run's time limit.

// ReservedPackages are the top-level Rego packages of the built-in policies,
// their helpers and atlcheck's own data (parameters, exceptions, areas). No
// custom file may declare a package under them.
var ReservedPackages = []string{"atlassian", "lib", "atlcheck"}

// reservedPackage returns the error for a custom module whose package lies
// under a reserved root, or nil.
func reservedPackage(file string, m *ast.Module) *Error {
	path := m.Package.Path
	if len(path) < 2 {
		return nil
	}
	root, ok := path[1].Value.(ast.String)
	if !ok || !slices.Contains(ReservedPackages, string(root)) {
		return nil
	}
	pkg := strings.TrimPrefix(path.String(), "data.")
	e := &Error{File: file, Msg: fmt.Sprintf("package %s is reserved for atlcheck's built-in policies: custom policies may not use the packages %s (use your own, e.g. package acme.%s)",
		pkg, strings.Join(reservedList(), ", "), path[len(path)-1].Value.(ast.String))}
	if loc := m.Package.Location; loc != nil {
		e.Line, e.Column = loc.Row, loc.Col
	}
	return e
}

func reservedList() []string {
	out := make([]string, len(ReservedPackages))
	for i, p := range ReservedPackages {
		out[i] = p + ".*"
	}
	return out
}

// capabilities are OPA's capabilities without the builtins OPA marks
// non-deterministic: the network (http.send, net.lookup_ip_addr), the process
// (opa.runtime, which exposes the environment and so the API key), the wall
// clock and randomness (time.now_ns, rand.intn, uuid.rfc4122, the JWT
// builtins that sign or read the clock) and JSON Schema checks that may fetch
// remote references. A report must follow from the snapshot, the config and
// the policies alone.
var capabilities = sync.OnceValue(func() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0:0]
	for _, b := range caps.Builtins {
		if !b.Nondeterministic {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	return caps
})

// excludedBuiltins lists the builtins capabilities leaves out, by name.
var excludedBuiltins = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if b.Nondeterministic {
			out[b.Name] = true
		}
	}
	return out
})

// ExcludedBuiltins returns the names of the OPA builtins policies may not
// call, sorted.
func ExcludedBuiltins() []string {
	var out []string
	for name := range excludedBuiltins() {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// newCompiler is the compiler every policy set is compiled with: strict, and
// limited to capabilities.
func newCompiler() *ast.Compiler {
	return ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities())
}

// explainExcluded rewords OPA's "undefined function http.send" for a builtin
// that exists but is excluded, so the error says why.
func explainExcluded(errs Errors) Errors {
	const undefined = "rego_type_error: undefined function "
	for _, e := range errs {
		name, ok := strings.CutPrefix(e.Msg, undefined)
		if ok && excludedBuiltins()[name] {
			e.Msg = fmt.Sprintf("%s is not allowed in atlcheck policies: builtins that reach the network, the process, the clock or randomness are excluded, so that a report follows from its inputs alone (see docs/security.md)", name)
		}
	}
	return errs
}

// ownsPolicy reports whether the policy id is defined by a deny rule of the
// package (data.… path) that reported it: a package may only report findings
// and notes for its own policies.
func (e *Engine) ownsPolicy(pkg, id string) bool {
	p, ok := e.byID[id]
	return ok && "data."+p.Package == pkg
}

// digestSources hashes policy files (name and content, in order) as
// "sha256:…"; "" when there are none.
func digestSources(srcs []source) string {
	if len(srcs) == 0 {
		return ""
	}
	h := sha256.New()
	for _, s := range srcs {
		h.Write([]byte(s.Rel))
		h.Write([]byte{0})
		h.Write([]byte(s.Text))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
