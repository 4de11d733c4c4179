package version

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/atlcheck/atlcheck"

// repoRoot is the repository root, relative to this package.
const repoRoot = "../.."

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// TestGoInstallVersion runs the documented install,
// `go install github.com/atlcheck/atlcheck/cmd/atlcheck@vX.Y.Z`, against a
// local module proxy that serves this checkout as v1.99.0 (and the module
// cache for the dependencies), and checks that `atlcheck version` names the
// version with no -ldflags: it comes from Go's build info.
func TestGoInstallVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds atlcheck")
	}
	files, err := exec.Command("git", "-C", repoRoot, "ls-files", "-z").Output()
	if err != nil {
		t.Skip("not a git checkout:", err)
	}
	const v = "v1.99.0" // the module path has no /vN suffix: v0 or v1
	proxy := t.TempDir()
	dir := filepath.Join(proxy, module, "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range strings.Split(strings.TrimRight(string(files), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(repoRoot, name))
		if err != nil {
			continue // deleted in the work tree
		}
		w, err := zw.Create(module + "@" + v + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		v + ".zip":  buf.Bytes(),
		v + ".mod":  mod,
		v + ".info": []byte(`{"Version":"` + v + `","Time":"2026-11-20T08:00:00Z"}`),
		"list":      []byte(v + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gobin := t.TempDir()
	cmd := exec.Command("go", "install", module+"/cmd/atlcheck@"+v)
	// A module cache of its own keeps the fake release out of the real one;
	// the dependencies come from the real cache's downloads, offline.
	cmd.Env = append(os.Environ(), "GOBIN="+gobin, "GOMODCACHE="+t.TempDir(), "GOFLAGS=-mod=mod -trimpath -modcacherw", "GOSUMDB=off", "GOTOOLCHAIN=local", "GOWORK=off",
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(goEnv(t, "GOMODCACHE"), "cache", "download")))
	cmd.Dir = t.TempDir()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	out, err := exec.Command(filepath.Join(gobin, "atlcheck"), "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "atlcheck "+v+"\n") {
		t.Errorf("atlcheck version after go install @%s:\n%s", v, out)
	}
}

// TestBuildInCheckout checks that a plain `go build` in a git clone (no
// -ldflags) names the clone's commit. (A git worktree, whose .git is a
// file, gets no VCS stamp from Go, hence the clone.)
func TestBuildInCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds atlcheck")
	}
	clone := t.TempDir()
	if out, err := exec.Command("git", "clone", "-q", "--no-hardlinks", repoRoot, clone).CombinedOutput(); err != nil {
		t.Skipf("git clone: %v\n%s", err, out)
	}
	head, err := exec.Command("git", "-C", clone, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "atlcheck")
	build := exec.Command("go", "build", "-o", bin, "./cmd/atlcheck")
	build.Dir = clone
	// This machine's GOFLAGS may turn VCS stamping off; a user's go build has it on.
	build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=auto", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "commit: " + strings.TrimSpace(string(head)) + "\n"; !strings.Contains(string(out), want) {
		t.Errorf("atlcheck version:\n%s\nwant %q", out, want)
	}
}
