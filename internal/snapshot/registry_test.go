package snapshot

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestRegistryMatchesTypes pins the registry to the Go types in both
// directions; the package also refuses to initialise when they disagree.
func TestRegistryMatchesTypes(t *testing.T) {
	defs := slices.Clone(Registry)
	if err := checkRegistry(reflect.TypeFor[Snapshot](), defs); err != nil {
		t.Fatalf("registry: %v", err)
	}
	if got, want := len(Areas), len(Registry); got != want {
		t.Errorf("Areas: got %d names, want %d", got, want)
	}
}

// TestRegistryRejectsMismatches proves the check fails for each kind of
// forgotten or wrong entry.
func TestRegistryRejectsMismatches(t *testing.T) {
	without := func(name string) []AreaDef {
		return slices.DeleteFunc(slices.Clone(Registry), func(d AreaDef) bool { return d.Name == name })
	}
	with := func(name string, edit func(*AreaDef)) []AreaDef {
		defs := slices.Clone(Registry)
		for i := range defs {
			if defs[i].Name == name {
				edit(&defs[i])
			}
		}
		return defs
	}
	// withNewArea is a document type with one more area than the registry knows.
	type policiesArea struct {
		Area
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	type withNewArea struct {
		Sites       SitesArea    `json:"sites"`
		OrgPolicies policiesArea `json:"org_policies"`
	}
	cases := []struct {
		name string
		typ  reflect.Type
		defs []AreaDef
		want string
	}{
		{"area type not registered", reflect.TypeFor[Snapshot](), without(AreaAPIKeys),
			"the snapshot type at api_keys embeds Area but has no registry entry"},
		{"nested area type not registered", reflect.TypeFor[Snapshot](), without(AreaInstalledApps),
			"the snapshot type at connected_apps.installed embeds Area but has no registry entry"},
		{"new type without entry", reflect.TypeFor[withNewArea](), slices.Clone(Registry[:1]),
			"the snapshot type at org_policies embeds Area but has no registry entry"},
		{"entry without type", reflect.TypeFor[Snapshot](),
			append(slices.Clone(Registry), AreaDef{Name: "retention_rules", Path: []string{"retention_rules"}, Items: "items", Key: "id", Source: SourceAPI}),
			"area retention_rules: no area envelope at retention_rules"},
		{"wrong path", reflect.TypeFor[Snapshot](), with(AreaInstalledApps, func(d *AreaDef) { d.Path = []string{"installed"} }),
			"area connected_apps.installed: no area envelope at installed"},
		{"wrong items key", reflect.TypeFor[Snapshot](), with(AreaAPIKeys, func(d *AreaDef) { d.Items = "keys" }),
			`area api_keys: APIKeysArea has no list of items "keys"`},
		{"wrong item key", reflect.TypeFor[Snapshot](), with(AreaManagedAccounts, func(d *AreaDef) { d.Key = "id" }),
			`area managed_accounts: item type Account has no field "id"`},
		{"unknown source", reflect.TypeFor[Snapshot](), with(AreaSites, func(d *AreaDef) { d.Source = "none" }),
			`area sites: source "none" is not api, site_api or attestation`},
		{"duplicate name", reflect.TypeFor[Snapshot](), append(slices.Clone(Registry), Registry[0]),
			`area "sites": empty or duplicate name`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkRegistry(tc.typ, tc.defs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestEnvelopeAddressesTheTypedArea checks, from the registry alone, that
// Envelope reads and writes the envelope the document has at the area's
// path: an error message set through Envelope must come out of the JSON
// encoding at Pointer()/error/message, and Count must count that area's list.
func TestEnvelopeAddressesTheTypedArea(t *testing.T) {
	for _, d := range Registry {
		var s Snapshot
		d.Envelope(&s).Error = &AreaError{Message: "marker " + d.Name}
		list := reflect.ValueOf(&s).Elem().FieldByIndex(d.list)
		list.Set(reflect.MakeSlice(list.Type(), 2, 2))
		b, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		env := dig(doc, d.Path...)
		if got := dig(env, "error", "message"); got != "marker "+d.Name {
			t.Errorf("%s: the envelope at %s says %v, want the marker set through Envelope", d.Name, d.Pointer(), got)
		}
		if items, _ := dig(env, d.Items).([]any); len(items) != 2 || d.Count(&s) != 2 {
			t.Errorf("%s: %d items at %s/%s, Count %d; want 2", d.Name, len(items), d.Pointer(), d.Items, d.Count(&s))
		}
		if got, ok := LookupArea(d.Name); !ok || got.Pointer() != "/"+strings.Join(d.Path, "/") {
			t.Errorf("LookupArea(%s): got %+v, %v", d.Name, got, ok)
		}
	}
	if _, ok := LookupArea("nope"); ok {
		t.Errorf("LookupArea(nope) found an area")
	}
}
