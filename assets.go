// Package atlcheck embeds the demo organization that `atlcheck demo` serves
// from the built-in fake admin API: the same files the tests and the README
// use, so the demo, the fixtures and the docs can never drift apart.
package atlcheck

import _ "embed"

// DemoSnapshot is testdata/snapshots/acme.json, the demo org "Acme Corp".
//
//go:embed testdata/snapshots/acme.json
var DemoSnapshot []byte

// DemoAttestation is testdata/attestation/acme.yaml, the demo org's attestation file.
//
//go:embed testdata/attestation/acme.yaml
var DemoAttestation []byte

// DemoConfig is testdata/config/acme.yaml, the demo org's configuration
// (app allow-list and exceptions).
//
//go:embed testdata/config/acme.yaml
var DemoConfig []byte
