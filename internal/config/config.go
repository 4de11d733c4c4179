// Package config reads atlcheck's configuration file (YAML, strict): the
// default org id and the policy parameters, with the built-in defaults
// filled in.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/fileerr"

	"gopkg.in/yaml.v3"
)

// Config is the whole file.
type Config struct {
	// OrgID is the default for --org.
	OrgID string `yaml:"org_id" json:"org_id,omitempty"`
	// Parameters tune the policies; unset values keep their defaults.
	Parameters Parameters `yaml:"parameters" json:"parameters"`
	// Exceptions are accepted risks that suppress matching findings until they expire.
	Exceptions []Exception `yaml:"exceptions" json:"exceptions,omitempty"`
	// Fleet lists the organizations of a fleet (atlcheck fleet); nil when the
	// file has no fleet: section. Other commands ignore it.
	Fleet *Fleet `yaml:"fleet,omitempty" json:"fleet,omitempty"`

	// file is the config file's name, for errors found after parsing.
	file string
}

// Parameters are the policy parameters, passed to Rego as data.atlcheck.parameters.
type Parameters struct {
	APIKeys     APIKeyParams      `yaml:"api_keys" json:"api_keys"`
	APITokens   APITokenParams    `yaml:"api_tokens" json:"api_tokens"`
	AppAccess   AppAccessParams   `yaml:"app_access" json:"app_access"`
	Apps        AppParams         `yaml:"apps" json:"apps"`
	Admins      AdminParams       `yaml:"admins" json:"admins"`
	Attestation AttestationParams `yaml:"attestation" json:"attestation"`
	Exceptions  ExceptionParams   `yaml:"exceptions" json:"exceptions"`
}

// APIKeyParams tune the admin API key policies.
type APIKeyParams struct {
	MaxLifetimeDays   int `yaml:"max_lifetime_days" json:"max_lifetime_days"`
	UnusedDays        int `yaml:"unused_days" json:"unused_days"`
	ExpiryWarningDays int `yaml:"expiry_warning_days" json:"expiry_warning_days"`
}

// APITokenParams tune the user API token policies.
type APITokenParams struct {
	MaxLifetimeDays int `yaml:"max_lifetime_days" json:"max_lifetime_days"`
	UnusedDays      int `yaml:"unused_days" json:"unused_days"`
}

// AppAccessParams tune the app access (approved domains) policies.
type AppAccessParams struct {
	// PublicEmailDomains replaces the built-in list when set.
	PublicEmailDomains []string `yaml:"public_email_domains" json:"public_email_domains"`
}

// AppParams tune the connected app policies.
type AppParams struct {
	// Allowed is the app allow-list (app keys); empty disables ATL-APP-004.
	Allowed []string `yaml:"allowed" json:"allowed"`
}

// AdminParams bound the number of active org admins.
type AdminParams struct {
	Min int `yaml:"min" json:"min"`
	Max int `yaml:"max" json:"max"`
}

// AttestationParams bound the age of an attestation file.
type AttestationParams struct {
	MaxAgeDays int `yaml:"max_age_days" json:"max_age_days"`
}

// ExceptionParams bound the exceptions of the config file.
type ExceptionParams struct {
	// MaxDays is how far ahead of the snapshot time an exception may expire.
	MaxDays int `yaml:"max_days" json:"max_days"`
	// ExpiryWarningDays is when ATL-EXC-002 starts warning about an expiring exception.
	ExpiryWarningDays int `yaml:"expiry_warning_days" json:"expiry_warning_days"`
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
	data, err := os.ReadFile(path)
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
		return nil, yamlError(name, err)
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
		return nil, yamlError(name, err)
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
	b, _ := json.Marshal(c.Parameters)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

var yamlLine = regexp.MustCompile(`line (\d+)(?::(\d+))?: `)

// yamlError turns yaml.v3's messages ("yaml: line 3: …", or a list of
// "line 4: …" unmarshal errors) into a located Error for the first problem.
func yamlError(name string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	e := &Error{File: name, Msg: msg}
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		e.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		if m[4] >= 0 {
			e.Column, _ = strconv.Atoi(msg[m[4]:m[5]])
		}
		e.Msg = msg[:m[0]] + msg[m[1]:]
	}
	if e.Line > 0 && e.Column == 0 {
		e.Column = 1
	}
	e.Msg = strings.Replace(e.Msg, "not found in type config.", "is not a known setting in ", 1)
	return e
}
