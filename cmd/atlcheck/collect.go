package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/collector"
	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/internal/version"
	"github.com/spf13/pflag"
)

// Environment variables atlcheck reads. Secrets are never read from flags.
const (
	envAPIKey    = "ATLASSIAN_ADMIN_API_KEY"
	envOrgID     = "ATLASSIAN_ORG_ID"
	envSiteEmail = "ATLASSIAN_SITE_EMAIL"
	envSiteToken = "ATLASSIAN_SITE_API_TOKEN"
)

// collectFlags are the flags of collect and scan.
type collectFlags struct {
	org         string
	attestation string
	apiURL      string
	apiKeyFile  string
	quiet       bool
	logFormat   string
	verbose     bool
	timeout     time.Duration
	reqTimeout  time.Duration
}

func (c *collectFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.org, "org", "", "organization id (default $"+envOrgID+", the config's org_id, or the only org the key can see)")
	fs.StringVar(&c.attestation, "attestation", "", "attestation file (YAML) for the settings no API exposes")
	fs.StringVar(&c.apiURL, "api-url", collector.DefaultAPIURL, "admin API base URL (http:// only for loopback)")
	fs.StringVar(&c.apiKeyFile, "api-key-file", "", "read the org admin API key from this file instead of $"+envAPIKey)
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "no progress output on stderr")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.BoolVarP(&c.verbose, "verbose", "v", false, "log every request (method, endpoint, status, duration; never credentials)")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Minute, "give up after this long: the collection (exit 3) and, in scan, the evaluation that follows (exit 2)")
	fs.DurationVar(&c.reqTimeout, "request-timeout", collector.DefaultRequestTimeout, "give up one request attempt after this long (its area is not collected)")
	enumFlag(fs, "log-format", "text", "json")
	fileFlag(fs, "attestation", "api-key-file")
}

// options turns the flags and the environment into collector options. Every
// error is a usage error (exit 2).
func (c *collectFlags) options(cfgOrg string, stderr io.Writer) (collector.Options, error) {
	if c.logFormat != "text" && c.logFormat != "json" {
		return collector.Options{}, usagef("unknown --log-format %q (want text or json)", c.logFormat)
	}
	key, err := apiKey(c.apiKeyFile)
	if err != nil {
		return collector.Options{}, withCode(exitUsage, err)
	}
	opts := collector.Options{
		APIURL:         c.apiURL,
		APIKey:         key,
		OrgID:          firstNonEmpty(c.org, os.Getenv(envOrgID), cfgOrg),
		SiteEmail:      os.Getenv(envSiteEmail),
		SiteToken:      os.Getenv(envSiteToken),
		ToolVersion:    version.Get().Version,
		Logger:         c.logger(stderr),
		RequestTimeout: c.reqTimeout,
	}
	if c.timeout <= 0 || c.reqTimeout <= 0 {
		return opts, usagef("--timeout and --request-timeout must be positive")
	}
	if (opts.SiteEmail == "") != (opts.SiteToken == "") {
		return opts, usagef("set both %s and %s to collect installed apps, or neither", envSiteEmail, envSiteToken)
	}
	if !c.quiet {
		opts.Progress = collector.NewProgress(stderr, isTerminal(stderr))
	}
	if c.attestation != "" {
		f, err := attestation.Load(c.attestation)
		if err != nil {
			return opts, withCode(exitUsage, err)
		}
		if err := f.CheckTime(time.Now()); err != nil {
			return opts, withCode(exitUsage, err)
		}
		opts.Attestation = f
	}
	return opts, nil
}

func (c *collectFlags) logger(stderr io.Writer) *slog.Logger {
	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelDebug
	}
	hopts := &slog.HandlerOptions{Level: level}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(stderr, hopts))
	}
	return slog.New(slog.NewTextHandler(stderr, hopts))
}

// apiKey reads the org admin API key from a file or the environment.
func apiKey(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read --api-key-file: %w", err)
		}
		key := strings.TrimSpace(string(b))
		if key == "" {
			return "", fmt.Errorf("--api-key-file %s is empty", file)
		}
		return key, nil
	}
	key := strings.TrimSpace(os.Getenv(envAPIKey))
	if key == "" {
		return "", fmt.Errorf("no API key: set %s to an org admin API key (admin.atlassian.com > Settings > API keys), or pass --api-key-file FILE", envAPIKey)
	}
	return key, nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// collect runs the collector and returns the snapshot as written to disk
// (indented JSON), parsed and validated like any snapshot `check` reads.
func collect(ctx context.Context, opts collector.Options) (*snapshot.Document, error) {
	snap, err := collector.Collect(ctx, opts)
	if err != nil {
		return nil, collectError(ctx, err)
	}
	data, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	data = append(data, '\n')
	doc, err := snapshot.Parse("collected snapshot", data)
	if err != nil {
		return nil, fmt.Errorf("the collected snapshot does not validate (a bug in atlcheck): %w", err)
	}
	return doc, nil
}

// collectError maps collector errors to exit codes: attestation problems and
// bad options are input errors (2), fatal API errors are collection errors (3).
func collectError(ctx context.Context, err error) error {
	var ae *attestation.Error
	var ce *collector.ConfigError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return withCode(exitCollection, fmt.Errorf("collection did not finish within --timeout: %w", err))
	case ctx.Err() != nil:
		return withCode(exitInterrupted, fmt.Errorf("collection interrupted: %w", ctx.Err()))
	case errors.As(err, &ae), errors.As(err, &ce):
		return withCode(exitUsage, err)
	default:
		return withCode(exitCollection, fmt.Errorf("collect: %w", err))
	}
}

func runCollect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf collectFlags
	var output, configPath string
	fs := newFlags("collect", "collect [--org ID] [--attestation FILE] [--output FILE] [flags]", stderr)
	cf.register(fs)
	fs.StringVarP(&output, "output", "o", "", "write the snapshot to this file (default: standard output)")
	fs.StringVar(&configPath, "config", "", "configuration file (only org_id is used by collect)")
	fileFlag(fs, "output", "config")
	if err := parseFlags(fs, args); err != nil {
		return helpDone(err)
	}
	if output != "" {
		if err := atomicfile.CheckDir(output); err != nil {
			return withCode(exitUsage, err)
		}
	}
	cfg, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	opts, err := cf.options(cfg.OrgID, stderr)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, cf.timeout)
	defer cancel()
	doc, err := collect(cctx, opts)
	if err != nil {
		return err
	}
	if output == "" {
		_, err := io.Copy(stdout, bytes.NewReader(doc.Raw))
		return err
	}
	return withCode(exitUsage, atomicfile.Write(output, doc.Raw, 0o600))
}
