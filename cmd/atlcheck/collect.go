package main

import (
	"bytes"
	"context"
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
	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/redact"
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
	maxArea     sizeFlag
	fs          *pflag.FlagSet
}

// fixedTimeout reports whether --timeout was given; without it the
// collection's limit follows the org's size (collector.Options.Timeout 0).
func (c *collectFlags) fixedTimeout() bool { return c.fs != nil && c.fs.Changed("timeout") }

func (c *collectFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.org, "org", "", "organization id (default $"+envOrgID+", the config's org_id, or the only org the key can see)")
	fs.StringVar(&c.attestation, "attestation", "", "attestation file (YAML) for the settings no API exposes")
	fs.StringVar(&c.apiURL, "api-url", collector.DefaultAPIURL, "admin API base URL (http:// only for loopback)")
	fs.StringVar(&c.apiKeyFile, "api-key-file", "", "read the org admin API key from this file instead of $"+envAPIKey)
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "no progress output on stderr")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format on stderr: text or json")
	fs.BoolVarP(&c.verbose, "verbose", "v", false, "log every request (method, endpoint, status, duration; never credentials)")
	c.fs = fs
	fs.DurationVar(&c.timeout, "timeout", collector.DefaultTimeout, "give up after this long: the collection (exit 3) and, in scan, the evaluation that follows (exit 2); not given: 30m, or 1s per page of the org's longest chain of requests once the users count is known, whichever is longer")
	fs.DurationVar(&c.reqTimeout, "request-timeout", collector.DefaultRequestTimeout, "give up one request attempt after this long (its area is not collected)")
	enumFlag(fs, "log-format", "text", "json")
	fileFlag(fs, "attestation", "api-key-file")
	registerInputLimit(fs)
	c.maxArea = sizeFlag{n: collector.DefaultMaxAreaBytes}
	fs.Var(&c.maxArea, "max-area-size", "most bytes the API may answer for one area, all pages together (its area is not collected past it), e.g. 512MiB")
}

// options turns the flags and the environment into collector options. Every
// error is a usage error (exit 2).
func (c *collectFlags) options(ctx context.Context, cfg *config.Config, stderr io.Writer) (collector.Options, error) {
	if c.logFormat != "text" && c.logFormat != "json" {
		return collector.Options{}, usagef("unknown --log-format %q (want text or json)", c.logFormat)
	}
	key, err := apiKey(ctx, c.apiKeyFile)
	if err != nil {
		return collector.Options{}, withCode(exitUsage, err)
	}
	opts := collector.Options{
		APIURL:         c.apiURL,
		APIKey:         key,
		OrgID:          firstNonEmpty(c.org, os.Getenv(envOrgID), cfg.OrgID),
		OrgIDFrom:      orgIDFrom(c.org, cfg),
		SiteHosts:      cfg.SiteHosts,
		MaxAreaBytes:   c.maxArea.n,
		Redactor:       redact.FromContext(ctx),
		SiteEmail:      os.Getenv(envSiteEmail),
		SiteToken:      os.Getenv(envSiteToken),
		ToolVersion:    version.Get().Version,
		Logger:         c.logger(stderr),
		RequestTimeout: c.reqTimeout,
		Now:            clock,
	}
	if c.fixedTimeout() {
		opts.Timeout = c.timeout
	}
	if c.timeout <= 0 || c.reqTimeout <= 0 {
		return opts, usagef("--timeout and --request-timeout must be positive")
	}
	if (opts.SiteEmail == "") != (opts.SiteToken == "") {
		return opts, usagef("set both %s and %s to collect installed apps, or neither", envSiteEmail, envSiteToken)
	}
	if opts.SiteToken != "" {
		if err := checkCredential(opts.SiteToken, "API token"); err != nil {
			return opts, usagef("$%s: %v", envSiteToken, err)
		}
		opts.Redactor.AddBasic(opts.SiteEmail, opts.SiteToken)
	}
	if !c.quiet {
		opts.Progress = collector.NewProgress(stderr, isTerminal(stderr))
	}
	if c.attestation != "" {
		f, err := loadAttestation(ctx, c.attestation)
		if err != nil {
			return opts, withCode(exitUsage, err)
		}
		if err := f.CheckTime(clock()); err != nil {
			return opts, withCode(exitUsage, err)
		}
		opts.Attestation = f
	}
	return opts, nil
}

// orgIDFrom names where the org id comes from when --org does not give it:
// $ATLASSIAN_ORG_ID, else the config's org_id ("" for --org or none).
func orgIDFrom(flag string, cfg *config.Config) string {
	switch {
	case flag != "":
		return ""
	case os.Getenv(envOrgID) != "":
		return "$" + envOrgID
	case cfg.OrgID != "":
		return "the config's org_id"
	}
	return ""
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

// maxKeyFile bounds --api-key-file: a key is a few hundred bytes.
const maxKeyFile = 64 << 10

// apiKey reads the org admin API key from a file (its first line, trimmed,
// without a byte-order mark) or the environment, and refuses a key that
// cannot be sent as it is. No error names the key or a part of it.
func apiKey(ctx context.Context, file string) (string, error) {
	if file != "" {
		b, err := inputfile.Read(inputfile.WithLimit(ctx, maxKeyFile), file)
		var tl *inputfile.TooLargeError
		switch {
		case errors.As(err, &tl):
			return "", fmt.Errorf("--api-key-file %s is larger than %s: not an API key file", file, inputfile.FormatSize(maxKeyFile))
		case err != nil:
			return "", fmt.Errorf("read --api-key-file: %w", err)
		}
		key := firstLine(b)
		if key == "" {
			return "", fmt.Errorf("--api-key-file %s: the first line is empty (the key goes on the first line)", file)
		}
		if err := checkCredential(key, "API key"); err != nil {
			return "", fmt.Errorf("--api-key-file %s: %w", file, err)
		}
		redact.FromContext(ctx).Add(key)
		return key, nil
	}
	key := strings.TrimSpace(os.Getenv(envAPIKey))
	if key == "" {
		return "", fmt.Errorf("no API key: set %s to an org admin API key (admin.atlassian.com > Settings > API keys), or pass --api-key-file FILE", envAPIKey)
	}
	if err := checkCredential(key, "API key"); err != nil {
		return "", fmt.Errorf("$%s: %w", envAPIKey, err)
	}
	redact.FromContext(ctx).Add(key)
	return key, nil
}

// firstLine is the key of a key file: its first line, without a UTF-8
// byte-order mark and surrounding white space.
func firstLine(b []byte) string {
	s := string(inputfile.TrimBOM(b))
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// checkCredential refuses a key or token that is not one run of visible
// ASCII characters: a NUL, a space, a control or a non-ASCII byte would be
// sent as is, or break the header, and the API would answer 401 for a
// reason nobody sees.
func checkCredential(s, what string) error {
	for _, scheme := range []string{"Bearer ", "Basic "} {
		if len(s) > len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return fmt.Errorf("the %s starts with %q: give the %s alone (atlcheck writes the Authorization header itself)", what, scheme, what)
		}
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c > 0x7e {
			return fmt.Errorf("the %s holds a character that cannot be part of it (byte %d is %s): it must be one line of letters, digits and punctuation", what, i+1, byteName(c))
		}
	}
	return nil
}

// byteName names a byte that cannot be in a credential, without showing it.
func byteName(c byte) string {
	switch {
	case c == 0:
		return "NUL"
	case c == ' ':
		return "a space"
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("the control character 0x%02x", c)
	}
	return "a non-ASCII byte"
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
	f, ok := fileOf(w)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// fileOf returns the file w writes to, seen through wrappers such as the
// redacting writer (an Unwrap() io.Writer method).
func fileOf(w io.Writer) (*os.File, bool) {
	for {
		u, ok := w.(interface{ Unwrap() io.Writer })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	f, ok := w.(*os.File)
	return f, ok
}

// collect runs the collector and returns the snapshot as written to disk
// (indented JSON), parsed and validated like any snapshot `check` reads.
func collect(ctx context.Context, opts collector.Options) (*snapshot.Document, error) {
	snap, err := collector.Collect(ctx, opts)
	if err != nil {
		return nil, collectError(ctx, err)
	}
	doc, err := snapshot.FromSnapshot("collected snapshot", snap)
	if err == nil {
		limitMemory(len(doc.Raw))
	}
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
	var te *collector.TimeoutError
	switch {
	case errors.As(err, &te):
		return withCode(exitCollection, te)
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
	var af auditFlags
	var output, configPath string
	fs := newFlags("collect", "collect [--org ID] [--attestation FILE] [--previous SNAPSHOT] [--output FILE] [flags]", stdout)
	cf.register(fs)
	af.register(fs)
	fs.StringVarP(&output, "output", "o", "", "write the snapshot to this file (default: standard output)")
	fs.StringVar(&configPath, "config", "", "configuration file (collect uses its org_id and audit_log parameters)")
	fileFlag(fs, "output", "config")
	if err := parseFlags(fs, args); err != nil {
		return helpDone(err)
	}
	if output != "" {
		if err := atomicfile.CheckDir(output); err != nil {
			return withCode(exitUsage, err)
		}
	}
	if err := refuseOverwrite([]pathFlag{{"--output", output}}, append(cf.files(), pathFlag{"--config", configPath})); err != nil {
		return err
	}
	ctx = withInputLimit(ctx, fs)
	cfg, err := loadConfig(ctx, configPath)
	if err != nil {
		return err
	}
	opts, err := cf.options(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	if err := af.apply(ctx, &opts, cfg.Parameters.AuditLog, clock()); err != nil {
		return err
	}
	doc, err := collect(ctx, opts)
	if err != nil {
		return err
	}
	if output == "" {
		_, err := io.Copy(stdout, bytes.NewReader(doc.Raw))
		return err
	}
	return withCode(exitUsage, atomicfile.Write(output, doc.Raw, 0o600))
}
