package schemagen

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

type inner struct {
	ID string `json:"id" schema:"required,minLength=1"`
}

type base struct {
	Kind string `json:"kind" schema:"required,enum=a|b" doc:"the kind"`
}

type doc struct {
	base
	Count   int             `json:"count,omitempty" schema:"minimum=1,maximum=9,unit=days"`
	When    *time.Time      `json:"when,omitempty" schema:"nullable"`
	At      time.Time       `json:"at"`
	Tags    []string        `json:"tags" schema:"nullable,minLength=1" pattern:"^x"`
	Items   []inner         `json:"items"`
	Raw     json.RawMessage `json:"raw,omitempty"`
	Version int             `json:"version" schema:"const=1"`
	skipped string
	Ignored string `json:"-"`
}

func TestGenerate(t *testing.T) {
	got := Generate(reflect.TypeFor[doc](), Options{ID: "x", Open: func(t reflect.Type) bool { return t == reflect.TypeFor[inner]() }})
	b, _ := json.Marshal(got)
	var parsed, want any
	_ = json.Unmarshal(b, &parsed)
	_ = json.Unmarshal([]byte(`{
		"$schema": "http://json-schema.org/draft-07/schema#", "$id": "x",
		"type": "object", "additionalProperties": false, "required": ["kind"],
		"properties": {
			"kind": {"type": "string", "enum": ["a", "b"], "description": "the kind"},
			"count": {"type": "integer", "minimum": 1, "maximum": 9},
			"when": {"type": ["string", "null"], "format": "date-time"},
			"at": {"type": "string", "format": "date-time"},
			"tags": {"type": ["array", "null"], "items": {"type": "string", "minLength": 1, "pattern": "^x"}},
			"items": {"type": "array", "items": {"$ref": "#/definitions/inner"}},
			"raw": {},
			"version": {"type": "integer", "const": 1}
		},
		"definitions": {"inner": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "minLength": 1}}}}
	}`), &want)
	if !reflect.DeepEqual(parsed, want) {
		t.Errorf("got %s", b)
	}
}

func TestDefaults(t *testing.T) {
	type params struct {
		Days  int      `json:"days" schema:"minimum=1"`
		Names []string `json:"names"`
		Empty string   `json:"empty"`
	}
	got := Generate(reflect.TypeFor[params](), Options{Defaults: params{Days: 3, Names: []string{}}})
	props := got["properties"].(map[string]any)
	if d := props["days"].(map[string]any)["default"]; d != 3 {
		t.Errorf("days default: got %v, want 3", d)
	}
	if d, ok := props["names"].(map[string]any)["default"]; !ok || len(d.([]string)) != 0 {
		t.Errorf("names default: got %v, want []", d)
	}
	if _, ok := props["empty"].(map[string]any)["default"]; ok {
		t.Errorf("a zero default must be left out")
	}
}

func TestFieldsAndPhrases(t *testing.T) {
	fields := Fields(reflect.TypeFor[doc]())
	var names []string
	for _, f := range fields {
		names = append(names, f.Name+": "+f.Type)
	}
	want := []string{"kind: `a` \\| `b`", "count: integer", "when: RFC 3339 time or null", "at: RFC 3339 time",
		"tags: list of string matching `^x` or null", "items: list of object", "raw: any", "version: `1`"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("got %q\nwant %q", names, want)
	}
	for in, want := range map[string]string{"APIKey": "apiKey", "Site": "site", "SiteApps": "siteApps", "AreaError": "areaError", "URL": "url"} {
		if got := lowerCamel(in); got != want {
			t.Errorf("lowerCamel(%s) = %s, want %s", in, got, want)
		}
	}
}
