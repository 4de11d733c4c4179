// Package release holds the tests of atlcheck's release files: the
// GoReleaser configuration (.goreleaser.yaml, also checked by `goreleaser
// check` in make test), the container image definition (Dockerfile), and
// that a release build is a static binary. It has no code of its own.
package release
