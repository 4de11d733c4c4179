package check_test

// Scale tests and benchmarks on synthetic orgs (testdata/synth/synthorg).
//
// Benchmarks run only with -bench; the 100,000-account sizes and the large
// report test also need ATLCHECK_LARGE=1 (make bench sets it), so that
// `go test ./...` stays fast. See docs/performance.md for the numbers.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/check"
	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
	"github.com/atlcheck/atlcheck/report"
	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
	"github.com/open-policy-agent/opa/v1/ast"
)

// large reports whether the 100k-account sizes should run.
func large() bool { return os.Getenv("ATLCHECK_LARGE") == "1" && !testing.Short() }

var orgCache sync.Map // accounts -> []byte

func synthOrg(accounts int) []byte {
	if b, ok := orgCache.Load(accounts); ok {
		return b.([]byte)
	}
	b := synthorg.Bytes(synthorg.Options{Accounts: accounts, Seed: 1})
	orgCache.Store(accounts, b)
	return b
}

type engineSet struct {
	engine   *policies.Engine
	prepared *policies.Prepared
	cfg      *config.Config
}

// evaluate checks doc with the default config, prepared once.
func (es *engineSet) evaluate(ctx context.Context, doc *snapshot.Document, opts check.Options) (*model.Run, error) {
	return check.Evaluate(ctx, check.Input{Doc: doc, Engine: es.engine, Config: es.cfg, Prepared: es.prepared, Options: opts})
}

var engines = sync.OnceValues(func() (*engineSet, error) {
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{})
	if err != nil {
		return nil, err
	}
	cfg, err := config.Default(policies.DefaultParametersJSON())
	if err != nil {
		return nil, err
	}
	prepared, err := engine.Prepare(ctx, cfg.PolicyData())
	if err != nil {
		return nil, err
	}
	return &engineSet{engine, prepared, cfg}, nil
})

func mustEngines(tb testing.TB) *engineSet {
	tb.Helper()
	es, err := engines()
	if err != nil {
		tb.Fatal(err)
	}
	return es
}

// sizes are the benchmark org sizes; ATLCHECK_SIZES (e.g. 300000,1000000)
// replaces them, to profile one size.
func sizes() []int {
	if v := os.Getenv("ATLCHECK_SIZES"); v != "" {
		var s []int
		for _, f := range strings.Split(v, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
				s = append(s, n)
			}
		}
		return s
	}
	s := []int{1000, 10000}
	if large() {
		s = append(s, 100000)
	}
	return s
}

func sizeName(n int) string { return fmt.Sprintf("accounts=%dk", n/1000) }

// TestSynthOrg checks the generator: a 2,000-account org is schema-valid,
// byte-identical for the same seed, different for another seed, and every
// policy that can fail on a snapshot and config fails.
func TestSynthOrg(t *testing.T) {
	opts := synthorg.Options{Accounts: 2000, Seed: 7}
	a, b := synthorg.Bytes(opts), synthorg.Bytes(opts)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different bytes")
	}
	if bytes.Equal(a, synthorg.Bytes(synthorg.Options{Accounts: 2000, Seed: 8})) {
		t.Error("seeds 7 and 8 gave the same bytes")
	}
	doc, err := snapshot.Parse("synth-2k.json", a)
	if err != nil {
		t.Fatal(err)
	}
	s, err := doc.Full()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.ManagedAccounts.Items); got != 2000 {
		t.Errorf("%d accounts, want 2000", got)
	}
	if got := len(s.APITokens.Items); got != 600 {
		t.Errorf("%d tokens, want 600 (300 per 1,000 accounts)", got)
	}
	compact := synthorg.Bytes(synthorg.Options{Accounts: 50, Seed: 7, Compact: true})
	if bytes.Count(compact, []byte("\n")) != 1 {
		t.Error("--compact output is not one line")
	}
	if _, err := snapshot.Parse("compact.json", compact); err != nil {
		t.Errorf("compact org: %v", err)
	}

	ctx := context.Background()
	es := mustEngines(t)
	cfg, err := config.Parse("synth.yaml", []byte(synthorg.ConfigYAML(opts)), policies.DefaultParametersJSON())
	if err != nil {
		t.Fatal(err)
	}
	run, err := check.Evaluate(ctx, check.Input{Doc: doc, Engine: es.engine, Config: cfg, Options: check.Options{SnapshotPath: "synth-2k.json"}})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]int{}
	for _, f := range run.Findings {
		found[f.PolicyID]++
	}
	for _, p := range es.engine.Policies() {
		if found[p.ID] == 0 {
			t.Errorf("no %s finding planted", p.ID)
		}
	}
	if run.Summary.Suppressed == 0 {
		t.Error("the config's exceptions suppressed nothing")
	}
}

// TestLargeOrgReports renders a 100,000-account org with Unicode names,
// emoji, JSON escapes and very long strings in every format and checks each
// output is well formed and complete. It needs ATLCHECK_LARGE=1 (make bench).
func TestLargeOrgReports(t *testing.T) {
	accounts := 100000
	if !large() {
		t.Skip("set ATLCHECK_LARGE=1 to run the 100,000-account report test (make bench does)")
	}
	ctx := context.Background()
	es := mustEngines(t)
	data := synthOrg(accounts)
	doc, err := snapshot.Parse("synth-100k.json", data)
	if err != nil {
		t.Fatal(err)
	}
	run, err := es.evaluate(ctx, doc, check.Options{SnapshotPath: "synth-100k.json", FailOn: model.SeverityHigh})
	if err != nil {
		t.Fatal(err)
	}
	checkLargeRun(t, doc, run)
	for _, format := range report.Formats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := report.Write(&buf, format, run); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			if !utf8.Valid(out) {
				t.Fatal("output is not valid UTF-8")
			}
			checkReport(t, format, out, run)
		})
	}
}

// checkLargeRun checks the run itself: counts agree and every finding is
// located on the item its path names.
func checkLargeRun(t *testing.T, doc *snapshot.Document, run *model.Run) {
	t.Helper()
	if len(run.Findings) < 10000 {
		t.Fatalf("only %d findings", len(run.Findings))
	}
	var long, unicode int
	lines := bytes.Split(doc.Raw, []byte("\n"))
	for _, f := range run.Findings {
		if f.Path == "" || f.Path == "/managed_accounts" {
			continue
		}
		if f.Line < 1 || f.Line > len(lines) {
			t.Fatalf("%s %s: line %d out of range", f.PolicyID, f.Path, f.Line)
		}
		// Indented JSON: an item starts with "{" after indentation.
		line := string(lines[f.Line-1])
		if col := utf16Col(line, f.Column); !strings.HasPrefix(col, "{") && !strings.HasPrefix(col, "[") {
			t.Fatalf("%s %s: line %d column %d is %.20q, want the start of the item", f.PolicyID, f.Path, f.Line, f.Column, col)
		}
		if len(f.Message) > 2000 {
			long++
		}
		if !isASCII(f.Message) {
			unicode++
		}
	}
	if long == 0 || unicode == 0 {
		t.Errorf("findings with long messages: %d, with non-ASCII messages: %d; want some of each", long, unicode)
	}
}

// utf16Col returns line from the 1-based UTF-16 column col.
func utf16Col(line string, col int) string {
	n := 1
	for i, r := range line {
		if n >= col {
			return line[i:]
		}
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// checkReport checks that one report is well formed and names every finding.
func checkReport(t *testing.T, format string, out []byte, run *model.Run) {
	t.Helper()
	switch format {
	case "json":
		var got struct {
			Findings []struct {
				Fingerprint string `json:"fingerprint"`
				Message     string `json:"message"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Findings) != len(run.Findings) {
			t.Fatalf("%d findings in JSON, want %d", len(got.Findings), len(run.Findings))
		}
		for i, f := range got.Findings {
			if f.Fingerprint != run.Findings[i].Fingerprint || f.Message != run.Findings[i].Message {
				t.Fatalf("finding %d differs after the JSON round trip", i)
			}
		}
	case "sarif":
		checkSARIF(t, out, run, report.MaxSARIFResults)
	case "junit":
		dec := xml.NewDecoder(bytes.NewReader(out))
		for {
			_, err := dec.Token()
			if err != nil {
				if err.Error() == "EOF" {
					break
				}
				t.Fatalf("JUnit XML: %v", err)
			}
		}
	case "markdown":
		checkMarkdownTables(t, string(out))
	case "github", "text":
		// Line-oriented formats: every finding's fingerprint or resource must
		// not have broken a line (no raw newline from a name).
		if n := bytes.Count(out, []byte("\n")); n < len(run.Findings) {
			t.Fatalf("%d lines for %d findings", n, len(run.Findings))
		}
	}
}

// checkMarkdownTables checks that every table row has its header's column count.
func checkMarkdownTables(t *testing.T, md string) {
	t.Helper()
	cols := -1
	for i, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = -1
			continue
		}
		n := markdownCells(line)
		if cols < 0 {
			cols = n
			continue
		}
		if n != cols {
			t.Fatalf("markdown line %d has %d cells, its table %d: %.200q", i+1, n, cols, line)
		}
	}
}

// markdownCells counts the cells of a GFM table row: pipes not escaped with
// a backslash delimit cells (GitHub reads every "\\|" as an escaped pipe).
func markdownCells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		if row[i] == '|' && (i == 0 || row[i-1] != '\\') {
			n++
		}
	}
	return n - 1
}

// BenchmarkParse measures snapshot.Parse: JSON decoding, schema validation
// and the typed decode.
func BenchmarkParse(b *testing.B) {
	for _, n := range sizes() {
		data := synthOrg(n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := snapshot.Parse("synth.json", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLocate measures locating every finding's path in the snapshot.
func BenchmarkLocate(b *testing.B) {
	for _, n := range sizes() {
		data := synthOrg(n)
		es := mustEngines(b)
		doc, err := snapshot.Parse("synth.json", data)
		if err != nil {
			b.Fatal(err)
		}
		run, err := es.evaluate(context.Background(), doc, check.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var pointers []string
		for _, f := range run.Findings {
			pointers = append(pointers, f.Path)
		}
		b.Run(sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				snapshot.Locate(data, pointers)
			}
			b.ReportMetric(float64(len(pointers)), "pointers")
		})
	}
}

// BenchmarkEval measures the policy evaluation alone (input already converted).
func BenchmarkEval(b *testing.B) {
	ctx := context.Background()
	for _, n := range sizes() {
		es := mustEngines(b)
		doc, err := snapshot.Parse("synth.json", synthOrg(n))
		if err != nil {
			b.Fatal(err)
		}
		input := doc.Input
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := es.prepared.Eval(ctx, input); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheck measures a whole check of a snapshot already in memory:
// Parse, then check.Evaluate (evaluation, locating, sorting) and the
// JSON report. Compiling the policies is a constant cost left out.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	for _, n := range sizes() {
		es := mustEngines(b)
		data := synthOrg(n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var findings int
			for b.Loop() {
				doc, err := snapshot.Parse("synth.json", data)
				if err != nil {
					b.Fatal(err)
				}
				run, err := es.evaluate(ctx, doc, check.Options{SnapshotPath: "synth.json"})
				if err != nil {
					b.Fatal(err)
				}
				if err := report.Write(&bytes.Buffer{}, "json", run); err != nil {
					b.Fatal(err)
				}
				findings = len(run.Findings)
			}
			b.ReportMetric(float64(findings), "findings")
		})
	}
}

// TestInputLiveHeap reports (never asserts on) what each way of building
// the policy input holds live: snapshot.Parse's decoder (the input and the
// typed header it returns), the same input with the full typed document
// (what a check held before issue 11), and the simple path it was measured
// against: decode the document to plain Go values and convert them with
// ast.InterfaceToValue. docs/performance.md quotes it; make bench runs it.
func TestInputLiveHeap(t *testing.T) {
	if !large() {
		t.Skip("set ATLCHECK_LARGE=1 (make bench does)")
	}
	live := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	mb := func(a, b uint64) float64 { return float64(int64(b)-int64(a)) / (1 << 20) }
	for _, n := range []int{10000, 100000} {
		data := synthOrg(n)
		base := live()
		doc, err := snapshot.Parse("synth.json", data)
		if err != nil {
			t.Fatal(err)
		}
		decoder := live()
		full, err := doc.Full()
		if err != nil {
			t.Fatal(err)
		}
		withFull := live()
		var plain any
		if err := json.Unmarshal(data, &plain); err != nil {
			t.Fatal(err)
		}
		simple, err := ast.InterfaceToValue(plain)
		if err != nil {
			t.Fatal(err)
		}
		plain = nil
		simpleLive := live()
		t.Logf("%s (%.1f MB of JSON): decoder input + header %.0f MB; + full typed document %.0f MB; simple path input %.0f MB",
			sizeName(n), float64(len(data))/(1<<20), mb(base, decoder), mb(base, withFull), mb(withFull, simpleLive))
		runtime.KeepAlive(doc)
		runtime.KeepAlive(full)
		runtime.KeepAlive(simple)
	}
}
