package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// render writes run in format and fails the test on error.
func render(t *testing.T, format string, run *model.Run) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, run); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/golden/name, rewriting it with -update.
// JSON-based files are compared after parsing, the rest byte for byte.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read golden (run go test ./report/ -update): %v", err)
	}
	if ext := filepath.Ext(name); ext == ".json" || ext == ".sarif" {
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("output is not JSON: %v", err)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatalf("golden %s is not JSON: %v", file, err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s differs after parsing (go test ./report/ -update to accept):\n%s", name, lineDiff(want, got))
		}
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./report/ -update to accept):\n%s", name, lineDiff(want, got))
	}
}

// lineDiff lists the lines that differ between want and got.
func lineDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want: %s\n  got:  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// goldenExt names each format's golden file extension.
var goldenExt = map[string]string{
	"text": ".txt", "json": ".json", "sarif": ".sarif", "markdown": ".md", "junit": ".xml", "github": ".github",
	"csv": ".csv", "html": ".html",
}

func TestGolden(t *testing.T) {
	runs := []struct {
		name string
		run  func() *model.Run
	}{{"run", fixtureRun}, {"empty", emptyRun}}
	for _, r := range runs {
		for _, format := range Formats {
			t.Run(r.name+"/"+format, func(t *testing.T) {
				golden(t, r.name+goldenExt[format], render(t, format, r.run()))
			})
		}
	}
}

func TestWriteDeterministic(t *testing.T) {
	for _, format := range Formats {
		first := render(t, format, fixtureRun())
		for range 5 {
			if got := render(t, format, fixtureRun()); !bytes.Equal(got, first) {
				t.Fatalf("%s output changed between renders of the same run", format)
			}
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "yaml", fixtureRun())
	if err == nil {
		t.Fatal("got nil error, want one for an unknown format")
	}
	for _, f := range Formats {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not name format %q", err, f)
		}
	}
	if err := Write(&bytes.Buffer{}, "text", nil); err == nil {
		t.Error("got nil error for a nil run, want one")
	}
}

func TestWriteError(t *testing.T) {
	for _, format := range Formats {
		err := Write(failWriter{}, format, fixtureRun())
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: got %v, want the writer's error wrapped", format, err)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }
