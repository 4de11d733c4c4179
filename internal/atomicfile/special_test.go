package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Issue 12 row 10: only a regular file is replaced; a symlink keeps pointing
// where it pointed and anything else is written through. Before, every path
// became a new regular file (as root in a container, /dev/null too).
func TestWriteSpecialPaths(t *testing.T) {
	dir := t.TempDir()

	// A symlink to a regular file: the target gets the content, the link stays.
	target := filepath.Join(dir, "target.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if li, _ := os.Lstat(link); li.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced by a regular file")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target holds %q, want the new content", b)
	}

	// A FIFO (like a device or /dev/stdout) is written through and stays a FIFO;
	// so is a symlink to one.
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	fifoLink := filepath.Join(dir, "pipe-link")
	if err := os.Symlink(fifo, fifoLink); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, fifoLink} {
		// The reader closes its end before it reports, so the next write
		// cannot open the FIFO while this reader still holds it (its data
		// would go to a reader about to leave: a broken pipe, or a hang).
		// A minute bounds each side, so a regression fails instead of
		// hanging the test binary.
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- err.Error()
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			got <- string(b)
		}()
		wrote := make(chan error, 1)
		go func() { wrote <- Write(p, []byte("through the pipe"), 0o644) }()
		select {
		case err := <-wrote:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s: Write still blocked after a minute", p)
		}
		select {
		case s := <-got:
			if s != "through the pipe" {
				t.Errorf("%s: the reader got %q", p, s)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s: the reader got nothing within a minute", p)
		}
		if info, err := os.Stat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("%s: the FIFO was replaced (%v)", p, err)
		}
	}

	// A dangling symlink creates its target; a directory is an error.
	dangling := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "created.json"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := Write(dangling, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "created.json")); err != nil || string(b) != "x" {
		t.Errorf("dangling link target: %q %v", b, err)
	}
	if err := Write(dir, []byte("x"), 0o644); err == nil {
		t.Errorf("writing over a directory succeeded")
	}
}

func TestSame(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.json")
	os.WriteFile(a, []byte("{}"), 0o644)
	link := filepath.Join(dir, "l.json")
	os.Symlink(a, link)
	tests := []struct {
		x, y string
		want bool
	}{
		{a, a, true},
		{a, link, true},
		{a, filepath.Join(dir, ".", "a.json"), true},
		{filepath.Join(dir, "new.json"), filepath.Join(dir, "sub", "..", "new.json"), true},
		{a, filepath.Join(dir, "b.json"), false},
		{a, "", false},
	}
	for _, tt := range tests {
		if got := Same(tt.x, tt.y); got != tt.want {
			t.Errorf("Same(%s, %s) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}
