package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/atlcheck/atlcheck/internal/atomicfile"
	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/baseline"
	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
	"github.com/spf13/pflag"
)

// Every file a command is given is read through readInput: capped at
// --max-input-size and stopped by Ctrl-C, whatever the path names (a
// symlink to /dev/zero, a FIFO, a huge file).

// sizeFlag is a byte size flag such as --max-input-size 512MiB; 0 until
// set, when each kind of file has its own default.
type sizeFlag struct{ n int64 }

func (s *sizeFlag) String() string {
	if s.n == 0 {
		return inputfile.FormatSize(inputfile.DefaultDataLimit) + " for snapshots, baselines, reports and history, " +
			inputfile.FormatSize(inputfile.DefaultLimit) + " for other files"
	}
	return inputfile.FormatSize(s.n)
}
func (s *sizeFlag) Type() string { return "size" }
func (s *sizeFlag) Set(v string) error {
	n, err := inputfile.ParseSize(v)
	if err != nil {
		return err
	}
	s.n = n
	return nil
}

const maxInputFlag = "max-input-size"

// registerInputLimit adds --max-input-size to fs, once.
func registerInputLimit(fs *pflag.FlagSet) {
	if fs.Lookup(maxInputFlag) == nil {
		fs.Var(&sizeFlag{}, maxInputFlag,
			"largest input file read (snapshot, config, attestation, baseline, policy file, report, history), e.g. 4GiB")
	}
}

// withInputLimit returns ctx carrying fs's --max-input-size, when it was
// given (one cap for every file); without it each kind has its default.
func withInputLimit(ctx context.Context, fs *pflag.FlagSet) context.Context {
	if f := fs.Lookup(maxInputFlag); f != nil && f.Value.(*sizeFlag).n > 0 {
		return inputfile.WithLimit(ctx, f.Value.(*sizeFlag).n)
	}
	return ctx
}

// readInput reads one input file; what names it in errors ("snapshot").
// Snapshots, baselines, reports and history files, which atlcheck writes
// and which grow with the org, have the larger default cap.
func readInput(ctx context.Context, what, path string) ([]byte, error) {
	read := inputfile.Read
	switch what {
	case "snapshot", "baseline", "report", "history":
		read = inputfile.ReadData
	}
	data, err := read(ctx, path)
	var tl *inputfile.TooLargeError
	switch {
	case errors.As(err, &tl):
		return nil, fmt.Errorf("%s %w", what, err)
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return data, nil
}

// readSnapshot reads and validates a snapshot file.
func readSnapshot(ctx context.Context, path string) (*snapshot.Document, error) {
	data, err := readInput(ctx, "snapshot", path)
	if err != nil {
		return nil, err
	}
	limitMemory(len(data))
	doc, err := snapshot.Parse(path, data)
	if err != nil {
		return nil, err
	}
	doc.Path = path
	// Not held while the policies run; read again to locate the findings.
	doc.DropRaw()
	return doc, nil
}

// loadConfig reads the config file over the built-in defaults ("" keeps
// every default).
func loadConfig(ctx context.Context, path string) (*config.Config, error) {
	if path == "" {
		cfg, err := config.Default(policies.DefaultParametersJSON())
		return cfg, withCode(exitUsage, err)
	}
	data, err := readInput(ctx, "config", path)
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	cfg, err := config.Parse(path, data, policies.DefaultParametersJSON())
	return cfg, withCode(exitUsage, err)
}

// loadAttestation reads the attestation file; every error is an
// *attestation.Error.
func loadAttestation(ctx context.Context, path string) (*attestation.File, error) {
	data, err := inputfile.Read(ctx, path)
	var tl *inputfile.TooLargeError
	var pe *os.PathError
	switch {
	case errors.As(err, &tl):
		return nil, &attestation.Error{File: path, Msg: "attestation file is " + tl.Reason()}
	case errors.As(err, &pe):
		return nil, &attestation.Error{File: path, Msg: "read attestation: " + pe.Err.Error()}
	case err != nil:
		return nil, &attestation.Error{File: path, Msg: "read attestation: " + err.Error()}
	}
	return attestation.Parse(path, data)
}

// loadBaseline reads an earlier JSON report.
func loadBaseline(ctx context.Context, path string) (*baseline.Baseline, error) {
	data, err := readInput(ctx, "baseline", path)
	if err != nil {
		return nil, err
	}
	b, err := baseline.Parse(path, data)
	if err != nil {
		if werr := notAReport("baseline "+path, "an earlier run", data); werr != nil {
			return nil, werr
		}
		return nil, err
	}
	return b, nil
}

// notAReport says what another atlcheck file given where a JSON report
// belongs is (a snapshot, a SARIF log…), as loadSnapshot does for a
// snapshot; nil when data looks like no other atlcheck file (the reader's own
// error is then the useful one). what names the file ("baseline r.sarif"),
// run the run it should be the report of.
func notAReport(what, run string, data []byte) error {
	if kind := sniff(bytes.NewReader(data)); kind != "" && kind != kindJSONReport {
		return usagef("%s is %s, not an atlcheck JSON report: give the JSON report of %s "+
			"(written by 'atlcheck check --format json --output FILE' or 'atlcheck scan --format json --output FILE')", what, kind, run)
	}
	return nil
}

// policyReader reads custom policy files like every other input.
func policyReader(ctx context.Context) func(string) ([]byte, error) {
	return func(path string) ([]byte, error) { return readInput(ctx, "policy file", path) }
}

// pathFlag is a file named by a flag, e.g. {"--snapshot", "s.json"}.
type pathFlag struct{ flag, path string }

// refuseOverwrite fails with a usage error when an output names the same
// regular file as an input or as another output: a report written over the
// snapshot (or the config) it came from destroys the evidence. Devices such
// as /dev/null may be named twice.
func refuseOverwrite(outputs, inputs []pathFlag) error {
	for i, out := range outputs {
		others := append(append([]pathFlag{}, outputs[i+1:]...), inputs...)
		for _, in := range others {
			if atomicfile.Same(out.path, in.path) && !isDevice(out.path) {
				return usagef("%s %s is the same file as %s %s: refusing to overwrite it; write to another file", out.flag, out.path, in.flag, in.path)
			}
		}
	}
	return nil
}

// isDevice reports whether path exists and is not a regular file.
func isDevice(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.Mode().IsRegular()
}

// files lists the report flags' outputs and inputs for refuseOverwrite,
// with the snapshot a command keeps (snapshotOut, or the SARIF report's
// <output>.snapshot.json) among the outputs.
func (r *reportFlags) files(snapshotOut string) (outs, ins []pathFlag) {
	outs = []pathFlag{{"--output", r.output}}
	switch {
	case snapshotOut != "":
		outs = append(outs, pathFlag{"--snapshot-out", snapshotOut})
	case r.format == "sarif" && r.output != "":
		outs = append(outs, pathFlag{"the SARIF report's snapshot", r.output + ".snapshot.json"})
	}
	return outs, []pathFlag{{"--config", r.config}, {"--baseline", r.baseline}}
}

// files lists the collect flags' input files.
func (c *collectFlags) files() []pathFlag {
	return []pathFlag{{"--attestation", c.attestation}, {"--api-key-file", c.apiKeyFile}}
}
