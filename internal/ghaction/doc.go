// Package ghaction holds the tests of atlcheck's GitHub integration: the
// composite action (action.yml at the repository root), the workflows under
// .github/workflows and the copy of the example workflow in docs/github.md.
//
// The tests parse the files as YAML and check what actionlint cannot see in
// action.yml (declared inputs and outputs, shell on every step, pinned
// actions, no expression inlined into a script), and run the action's bash
// scripts against a fake atlcheck to check the outputs and exit codes.
// It has no code of its own.
package ghaction
