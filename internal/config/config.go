// Package config reads atlcheck's configuration file (YAML, strict): the
// default org id and the policy parameters, with the built-in defaults
// filled in.
package config

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/atlcheck/atlcheck/internal/fileerr"
	"github.com/atlcheck/atlcheck/internal/inputfile"

	"gopkg.in/yaml.v3"
)

// Config is the whole file.
type Config struct {
	OrgID      string      `yaml:"org_id" json:"org_id,omitempty" doc:"default for --org (the organization id); ATLASSIAN_ORG_ID and --org take precedence"`
	Parameters Parameters  `yaml:"parameters" json:"parameters" doc:"policy parameters, passed to Rego as data.atlcheck.parameters; unset values keep their defaults"`
	Exceptions []Exception `yaml:"exceptions" json:"exceptions,omitempty" doc:"accepted risks: matching findings stay in every report, marked suppressed, until the exception expires"`
	Fleet      *Fleet      `yaml:"fleet,omitempty" json:"fleet,omitempty" doc:"the organizations of a fleet, for atlcheck fleet matrix|index|report (docs/fleet.md); other commands ignore it"`
	SiteHosts  []string    `yaml:"site_hosts" json:"site_hosts,omitempty" doc:"hosts besides *.atlassian.net that the site admin's email and API token may be sent to, over https: exact host names, or *.example.com for its subdomains (docs/security.md)"`

	// file is the config file's name, for errors found after parsing.
	file string
}

// Error is a problem in the config file, located at file:line:column.
type Error = fileerr.Error

// Default returns the configuration with every built-in default.
func Default(defaultsJSON []byte) (*Config, error) {
	c := &Config{}
	dec := json.NewDecoder(bytes.NewReader(defaultsJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c.Parameters); err != nil {
		return nil, fmt.Errorf("built-in parameter defaults: %w", err)
	}
	return c, nil
}

// Load reads the file at path over the defaults.
func Load(path string, defaultsJSON []byte) (*Config, error) {
	data, err := inputfile.Read(context.Background(), path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data, defaultsJSON)
}

// Parse reads a config document over the defaults; name is used in errors.
func Parse(name string, data []byte, defaultsJSON []byte) (*Config, error) {
	c, err := Default(defaultsJSON)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, data, err)
	}
	if len(root.Content) == 0 {
		return c, nil // an empty file keeps every default
	}
	if se := checkShape(&root, reflect.TypeFor[Config]()); se != nil {
		return nil, &Error{File: name, Line: se.line, Column: se.column, Msg: se.msg}
	}
	if n := firstNull(&root); n != nil {
		return nil, &Error{File: name, Line: n.Line, Column: n.Column, Msg: n.Value + " has no value: give one, or remove the key to keep the default"}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return nil, yamlError(name, data, err)
	}
	c.file = name
	setExceptionPositions(&root, c.Exceptions)
	setFleetPositions(&root, c.Fleet)
	if err := c.validate(); err != nil {
		var ve *validationError
		if errors.As(err, &ve) {
			line, col := nodePosition(&root, ve.path)
			return nil, &Error{File: name, Line: line, Column: col, Msg: ve.msg}
		}
		return nil, err
	}
	return c, nil
}

// File is the name the config was read from ("" for the defaults).
func (c *Config) File() string { return c.file }

// ParameterMap returns the parameters as plain JSON values, the shape Rego
// and the reports see.
func (c *Config) ParameterMap() map[string]any {
	m, _ := plainJSON(c.Parameters).(map[string]any)
	return m
}

// yamlError locates a yaml.v3 error in the file's words (fileerr.YAML), at
// column 1 of its line when yaml.v3 gives no column.
func yamlError(name string, data []byte, err error) error {
	e := fileerr.YAML(name, data, err)
	if e.Line > 0 && e.Column == 0 {
		e.Column = 1
	}
	e.Msg = strings.Replace(e.Msg, "not found in type config.", "is not a known setting in ", 1)
	return e
}
