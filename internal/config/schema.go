package config

import (
	"reflect"

	"github.com/atlcheck/atlcheck/internal/schemagen"
)

// JSONSchema is the JSON Schema of the config file, derived from the Config
// types with the built-in defaults; docs/config.schema.json is this schema
// (TestGeneratedConfigSchema keeps it current).
func JSONSchema() map[string]any {
	return schemagen.Generate(reflect.TypeFor[Config](), schemagen.Options{
		Tag:         "yaml",
		ID:          "https://atlcheck.dev/schemas/config-v1.json",
		Title:       "atlcheck configuration",
		Description: "The --config file of atlcheck (YAML). Every key is optional; unset parameters keep their defaults. Generated from internal/config (make generate).",
		Inline:      func(reflect.Type) bool { return true },
		Defaults:    Config{Parameters: defaultParameters()},
	})
}
