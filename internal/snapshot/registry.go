package snapshot

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// AreaDef is one entry of the area registry: what every consumer of the
// snapshot (check, diff, the collector, the collection policy, the docs and
// the tests) needs to know about an area, so that none of them lists the
// areas again.
type AreaDef struct {
	// Name is the area's name. A policy names it in custom.requires to say
	// that it needs the area's data: an area satisfies exactly the
	// requirement of its name.
	Name string
	// Path is where the area's envelope sits in the document, as JSON keys.
	Path []string
	// Items is the key of the area's list inside its envelope.
	Items string
	// Key is the item field that identifies an item (its finding resource).
	Key string
	// Source is how the collector fills the area: SourceAPI, SourceSiteAPI
	// or SourceAttestation.
	Source string
	// Attestable is true when an admin-signed attestation may supply the
	// area (as its only source, or when its API does not answer).
	Attestable bool
	// Title says in a few words what the area holds, for docs and messages.
	Title string
	// SARIFGroup is the SARIF group whose code scanning category,
	// atlcheck/<org id>/<group>/, holds the alerts of the policies that need
	// the area (sarifgroups.go). Every area names one of SARIFGroups; a
	// published group never changes.
	SARIFGroup string

	// field and list are the index paths of the area's envelope (the
	// embedded Area) and of its items in Snapshot, resolved from Path and
	// Items when the package initialises.
	field, list []int
}

// Registry lists every area of the snapshot in document order. Adding an
// area to the snapshot means adding its entry here: the package refuses to
// initialise when an area type is not registered or an entry does not
// match the types (see checkRegistry).
var Registry = mustResolve([]AreaDef{
	{Name: AreaSites, Path: []string{"sites"}, Items: "items", Key: "url", Source: SourceAPI,
		Title: "the org's sites (workspaces sharing a host URL are one site)", SARIFGroup: "sites"},
	{Name: AreaVerifiedDomains, Path: []string{"verified_domains"}, Items: "items", Key: "name", Source: SourceAPI,
		Title: "the domains the org has claimed", SARIFGroup: "verified_domains"},
	{Name: AreaAppAccess, Path: []string{"app_access"}, Items: "items", Key: "domain", Source: SourceAPI,
		Attestable: true, Title: "the approved domains of the app access settings", SARIFGroup: "app_access"},
	{Name: AreaAPIKeys, Path: []string{"api_keys"}, Items: "items", Key: "id", Source: SourceAPI,
		Title: "the org's admin API keys", SARIFGroup: "api_keys"},
	{Name: AreaAPITokens, Path: []string{"api_tokens"}, Items: "items", Key: "id", Source: SourceAPI,
		Title: "the user API tokens of the org's accounts", SARIFGroup: "api_tokens"},
	{Name: AreaManagedAccounts, Path: []string{"managed_accounts"}, Items: "items", Key: "account_id", Source: SourceAPI,
		Title: "the org's accounts with their roles", SARIFGroup: "managed_accounts"},
	{Name: AreaInstalledApps, Path: []string{"connected_apps", "installed"}, Items: "sites", Key: "url", Source: SourceSiteAPI,
		Title: "the apps installed on each site", SARIFGroup: "connected_apps.installed"},
	{Name: AreaAppSettings, Path: []string{"connected_apps", "settings"}, Items: "sites", Key: "url", Source: SourceAttestation,
		Attestable: true, Title: "the attested connected-app settings of each site", SARIFGroup: "connected_apps.settings"},
	{Name: AreaExternalUsers, Path: []string{"external_users"}, Items: "items", Key: "name", Source: SourceAttestation,
		Attestable: true, Title: "the attested external-user security policies", SARIFGroup: "external_users"},
	{Name: AreaServiceAccounts, Path: []string{"service_accounts"}, Items: "items", Key: "id", Source: SourceAPI,
		Title: "the org's service accounts", SARIFGroup: "service_accounts"},
	{Name: AreaServiceAccountTokens, Path: []string{"service_account_tokens"}, Items: "items", Key: "id", Source: SourceAPI,
		Title: "the API tokens of the service accounts", SARIFGroup: "service_account_tokens"},
	{Name: AreaOAuthClients, Path: []string{"oauth_clients"}, Items: "items", Key: "client_id", Source: SourceAPI,
		Title: "the org's OAuth 2.0 clients (service-account client credentials)", SARIFGroup: "oauth_clients"},
	{Name: AreaOrgPolicies, Path: []string{"org_policies"}, Items: "items", Key: "id", Source: SourceAPI,
		Title: "the org's policies of every type (IP allow-lists, data security, data residency, AI, …) and their resources", SARIFGroup: "org_policies"},
	{Name: AreaAuthPolicies, Path: []string{"authentication_policies"}, Items: "items", Key: "name", Source: SourceAttestation,
		Attestable: true, Title: "the attested authentication policies (SSO, two-step verification, sessions, passwords)", SARIFGroup: "authentication_policies"},
	{Name: AreaAuthPolicyMembers, Path: []string{"authentication_policy_members"}, Items: "items", Key: "account_id", Source: SourceAPI,
		Title: "the authentication policy of each active managed account without two-step verification and of each admin", SARIFGroup: "authentication_policy_members"},
	{Name: AreaAuditLog, Path: []string{"audit_log"}, Items: "items", Key: "id", Source: SourceAPI,
		Title: "the audit-log events since the last run that carry a signal", SARIFGroup: "audit_log"},
})

// Areas lists every area name in document order.
var Areas = areaNames(Registry)

// LookupArea returns the registry entry of an area name.
func LookupArea(name string) (AreaDef, bool) {
	i := slices.IndexFunc(Registry, func(d AreaDef) bool { return d.Name == name })
	if i < 0 {
		return AreaDef{}, false
	}
	return Registry[i], true
}

// Pointer is the JSON Pointer of the area's envelope, e.g. /connected_apps/installed.
func (d AreaDef) Pointer() string { return Pointer(d.Path...) }

// Envelope returns the area's envelope in s, for reading or filling it.
func (d AreaDef) Envelope(s *Snapshot) *Area {
	return reflect.ValueOf(s).Elem().FieldByIndex(d.field).Addr().Interface().(*Area)
}

// Attestation returns who attested the area in s and when: nil for an area
// whose type carries no attestation, and an empty record when the area was
// not attested (no attestation file, or the API answered instead).
func (d AreaDef) Attestation(s *Snapshot) *Attestation {
	parent := reflect.ValueOf(s).Elem().FieldByIndex(d.field[:len(d.field)-1])
	if a, ok := parent.Addr().Interface().(interface{ attestation() *Attestation }); ok {
		return a.attestation()
	}
	return nil
}

// Count returns the number of items the area holds in s.
func (d AreaDef) Count(s *Snapshot) int {
	return reflect.ValueOf(s).Elem().FieldByIndex(d.list).Len()
}

// AreaData is one registry entry as the policies see it, at
// data.atlcheck.areas[name].
type AreaData struct {
	Path       []string `json:"path" doc:"the envelope's location, as JSON keys"`
	Pointer    string   `json:"pointer" doc:"the envelope's JSON Pointer"`
	Items      string   `json:"items" doc:"the key of the area's list"`
	Key        string   `json:"key" doc:"the item field that identifies an item"`
	Source     string   `json:"source" doc:"how the collector fills the area"`
	Attestable bool     `json:"attestable" doc:"whether an attestation may supply the area"`
	Title      string   `json:"title" doc:"what the area holds"`
}

// Data is the entry as the policies see it.
func (d AreaDef) Data() AreaData {
	return AreaData{Path: d.Path, Pointer: d.Pointer(), Items: d.Items, Key: d.Key, Source: d.Source, Attestable: d.Attestable, Title: d.Title}
}

// RegistryData is the registry as the policies see it at data.atlcheck.areas
// (AreaData by area name), as plain JSON values.
func RegistryData() map[string]any {
	out := make(map[string]any, len(Registry))
	for _, d := range Registry {
		b, _ := json.Marshal(d.Data())
		var v any
		_ = json.Unmarshal(b, &v)
		out[d.Name] = v
	}
	return out
}

func areaNames(defs []AreaDef) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.Name
	}
	return out
}

// mustResolve resolves every entry's envelope and panics when the registry
// and the Go types disagree: a programming error that must fail every test.
func mustResolve(defs []AreaDef) []AreaDef {
	if err := checkRegistry(reflect.TypeFor[Snapshot](), defs); err != nil {
		panic("snapshot area registry: " + err.Error())
	}
	if err := checkSARIFGroups(defs, SARIFGroups); err != nil {
		panic("snapshot area registry: " + err.Error())
	}
	return defs
}

var areaType = reflect.TypeFor[Area]()

// checkRegistry resolves each entry's Path in the document type t and checks
// both directions: every entry names a struct that embeds Area and has the
// Items list and item Key field, and every struct in t that embeds Area is
// registered. It fills each entry's field index.
func checkRegistry(t reflect.Type, defs []AreaDef) error {
	found := map[string][]int{} // JSON path → index path of the embedded Area
	findAreas(t, nil, nil, found)
	seen := map[string]bool{}
	var errs []string
	for i := range defs {
		d := &defs[i]
		path := strings.Join(d.Path, ".")
		switch {
		case d.Name == "" || seen[d.Name]:
			errs = append(errs, fmt.Sprintf("area %q: empty or duplicate name", d.Name))
			continue
		case !slices.Contains([]string{SourceAPI, SourceSiteAPI, SourceAttestation}, d.Source):
			errs = append(errs, fmt.Sprintf("area %s: source %q is not api, site_api or attestation", d.Name, d.Source))
		case d.Source == SourceAttestation && !d.Attestable:
			errs = append(errs, fmt.Sprintf("area %s: an attested area must be attestable", d.Name))
		}
		seen[d.Name] = true
		index, ok := found[path]
		if !ok {
			errs = append(errs, fmt.Sprintf("area %s: no area envelope at %s in the snapshot types", d.Name, path))
			continue
		}
		delete(found, path)
		d.field = index
		list, err := checkItems(t, index, d)
		if err != nil {
			errs = append(errs, err.Error())
		}
		d.list = list
	}
	for path := range found {
		errs = append(errs, fmt.Sprintf("the snapshot type at %s embeds Area but has no registry entry", path))
	}
	slices.Sort(errs)
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// findAreas records every struct field below t that embeds Area, by JSON path.
func findAreas(t reflect.Type, jsonPath []string, index []int, found map[string][]int) {
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonName(f)
		if name == "" || f.Type.Kind() != reflect.Struct {
			continue
		}
		p := append(slices.Clone(jsonPath), name)
		idx := append(slices.Clone(index), i)
		if at, ok := embeddedArea(f.Type); ok {
			found[strings.Join(p, ".")] = append(idx, at)
			continue
		}
		findAreas(f.Type, p, idx, found)
	}
}

// embeddedArea returns the index of the embedded Area field of t.
func embeddedArea(t reflect.Type) (int, bool) {
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous && f.Type == areaType {
			return i, true
		}
	}
	return 0, false
}

// checkItems checks that the envelope struct has the Items list and that
// its element type has the Key field; it returns the list's index path.
func checkItems(t reflect.Type, index []int, d *AreaDef) ([]int, error) {
	parent := index[:len(index)-1]
	env := t.FieldByIndex(parent).Type
	list, ok := fieldByJSON(env, d.Items)
	if !ok || list.Type.Kind() != reflect.Slice || list.Type.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("area %s: %s has no list of items %q", d.Name, env.Name(), d.Items)
	}
	if _, ok := fieldByJSON(list.Type.Elem(), d.Key); !ok {
		return nil, fmt.Errorf("area %s: item type %s has no field %q", d.Name, list.Type.Elem().Name(), d.Key)
	}
	return append(slices.Clone(parent), list.Index...), nil
}

// fieldByJSON finds the field of t (embedded structs included) whose JSON name is name.
func fieldByJSON(t reflect.Type, name string) (reflect.StructField, bool) {
	for _, f := range reflect.VisibleFields(t) {
		if !f.Anonymous && jsonName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// jsonName is a field's JSON key, "" for unexported, skipped or embedded fields.
func jsonName(f reflect.StructField) string {
	if !f.IsExported() || f.Anonymous {
		return ""
	}
	tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch tag {
	case "-":
		return ""
	case "":
		return f.Name
	}
	return tag
}
