package policies

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/schemagen"
)

// TestTypedReferences: a reference to a snapshot field or a parameter that
// does not exist fails to compile, naming the file, line and the close key.
func TestTypedReferences(t *testing.T) {
	const head = `package acme.typo

# METADATA
# title: Typo
# description: A policy with a typo.
# custom:
#   id: ACME-TYPO-001
#   severity: low
#   remediation: Fix it.
#   references: [https://example.com/]
#   tags: [security]
#   requires: [api_keys, api_tokens, managed_accounts]
deny contains finding if {
`
	const tail = `
	finding := {"policy_id": "ACME-TYPO-001", "resource": "r", "path": "", "message": ""}
}

_params := data.atlcheck.parameters.api_keys
`
	cases := []struct {
		name, body, want string
		line             int
	}{
		{"list area key", "\tsome key in input.api_keys.itemz\n\tkey.id == \"x\"",
			`undefined ref: input.api_keys.itemz[__local0__]: no key "itemz" there (did you mean "items"?); known keys: collected, collected_at, error, items, note, source, unreadable`, 14},
		{"item field", "\tsome token in input.api_tokens.items\n\ttoken.usr.id == \"x\"",
			`undefined ref: token.usr.id: no key "usr" there (did you mean "user"?)`, 15},
		{"joined item field", "\tsome token in input.api_tokens.items\n\towner := data.lib.accounts.by_id[token.user.id]\n\towner.statuz == \"x\"",
			`undefined ref: owner.statuz: no key "statuz" there (did you mean "status"?)`, 16},
		{"parameter", "\tcount(input.api_keys.items) > data.atlcheck.parameters.api_keys.max_lifetme_days",
			`undefined ref: data.atlcheck.parameters.api_keys.max_lifetme_days: no key "max_lifetme_days" there (did you mean "max_lifetime_days"?)`, 14},
		{"parameter through a rule", "\tcount(input.api_keys.items) > _params.unusd_days",
			`no key "unusd_days" there (did you mean "unused_days"?)`, 14},
		{"parameter group", "\tcount(input.api_keys.items) > data.atlcheck.parameters.api_key.unused_days",
			`no key "api_key" there (did you mean "api_keys"?)`, 14},
		{"exception field", "\tsome exc in data.atlcheck.exceptions\n\texc.ownr == \"x\"",
			`no key "ownr" there (did you mean "owner"?)`, 15},
		{"area registry field", "\tsome name, def in data.atlcheck.areas\n\tdef.pointr == name",
			`no key "pointr" there (did you mean "pointer"?)`, 15},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "typo.rego")
			if err := os.WriteFile(file, []byte(head+tc.body+tail), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := New(context.Background(), Options{CustomDirs: []string{dir}})
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("got %v, want one error", err)
			}
			e := errs[0]
			if e.File != file || e.Line != tc.line || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("got %s:%d: %s\nwant %s:%d: …%s…", e.File, e.Line, e.Msg, file, tc.line, tc.want)
			}
		})
	}
}

// TestEveryParameterIsUsed fails when a parameter is read by no policy (and
// its definition does not say what else uses it), e.g. after a rename.
func TestEveryParameterIsUsed(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var walk func(typ reflect.Type, prefix string)
	walk = func(typ reflect.Type, prefix string) {
		for _, f := range schemagen.Fields(typ) {
			name := prefix + f.Name
			if f.GoType.Kind() == reflect.Struct {
				walk(f.GoType, name+".")
				continue
			}
			if len(e.ParameterUsers(name)) == 0 && f.Tags.UsedBy == "" {
				t.Errorf("parameter %s is read by no policy", name)
			}
		}
	}
	walk(reflect.TypeFor[config.Parameters](), "")
	if got := e.ParameterUsers("api_keys.unused_days"); !reflect.DeepEqual(got, []string{"ATL-KEY-004"}) {
		t.Errorf("api_keys.unused_days: got %v, want [ATL-KEY-004]", got)
	}
	if got := e.ParameterUsers("admins.max"); !reflect.DeepEqual(got, []string{"ATL-ACC-003"}) {
		t.Errorf("admins.max: got %v, want [ATL-ACC-003] (through the group)", got)
	}
}
