//go:build linux

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of the given width and returns its
// controlling side and the terminal atlcheck writes to.
func openPTY(t *testing.T, cols int) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: uint16(cols), Row: 50}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// onTerminal runs atlcheck with its standard output on a terminal of the
// given width and returns what the terminal received.
func onTerminal(t *testing.T, cols int, args ...string) string {
	t.Helper()
	master, tty := openPTY(t, cols)
	done := make(chan []byte)
	go func() { b, _ := io.ReadAll(master); done <- b }()
	var stderr bytes.Buffer
	_ = run(context.Background(), args, tty, &stderr)
	tty.Close()
	_ = master.SetReadDeadline(time.Now().Add(5 * time.Second))
	out := <-done
	// The terminal turns \n into \r\n.
	return strings.ReplaceAll(string(out), "\r\n", "\n")
}

func TestTextReportOnATerminal(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
	t.Setenv("COLUMNS", "")
	out := onTerminal(t, 100, "check", acmeSnapshot)
	if !strings.Contains(out, "\x1b[1m\x1b[31mFAILED\x1b[0m") || !strings.Contains(out, "\x1b[1m\x1b[35m[CRITICAL]\x1b[0m") {
		t.Errorf("no colours on a terminal:\n%q", out[:min(len(out), 600)])
	}
	widest := 0
	for _, l := range strings.Split(stripTestANSI(out), "\n") {
		if len(strings.Fields(l)) > 2 {
			widest = max(widest, len([]rune(l)))
		}
	}
	if widest > 100 || widest < 90 {
		t.Errorf("widest line %d columns on a 100-column terminal, want it wrapped to the terminal (90-100)", widest)
	}
	for _, off := range [][]string{{"NO_COLOR", "1"}, {"TERM", "dumb"}} {
		t.Run(off[0], func(t *testing.T) {
			t.Setenv(off[0], off[1])
			if out := onTerminal(t, 100, "check", acmeSnapshot); strings.Contains(out, "\x1b[") {
				t.Errorf("%s=%s: colours on the terminal", off[0], off[1])
			}
		})
	}
	if out := onTerminal(t, 100, "check", acmeSnapshot, "--no-color"); strings.Contains(out, "\x1b[") {
		t.Error("--no-color: colours on the terminal")
	}
}

func stripTestANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestPolicyTableOnATerminal: on a terminal the policies table fits the
// terminal's width, whatever $COLUMNS says (as the text report).
func TestPolicyTableOnATerminal(t *testing.T) {
	t.Setenv("COLUMNS", "250")
	for _, cols := range []int{80, 200} {
		out := onTerminal(t, cols, "policies")
		widest := 0
		for _, l := range strings.Split(out, "\n") {
			widest = max(widest, len([]rune(l)))
		}
		if widest > cols || (cols == 200 && widest <= 80) {
			t.Errorf("widest line %d columns on a %d-column terminal, want it to fit and use the width", widest, cols)
		}
	}
}
