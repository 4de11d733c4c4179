package ghaction

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeGitHub stands in for GitHub's REST API (commits/{ref} with the sha
// media type, tags) and release downloads, serving the releases it holds.
type fakeGitHub struct {
	t        *testing.T
	tags     map[string]string            // tag → commit
	releases map[string]map[string][]byte // tag → asset name → content
	failAPI  bool
	mu       sync.Mutex
	paths    []string
}

func (g *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.paths = append(g.paths, r.URL.Path)
	g.mu.Unlock()
	const repo = "/repos/atlcheck/atlcheck/"
	switch {
	case strings.HasPrefix(r.URL.Path, repo) && g.failAPI:
		http.Error(w, `{"message": "Server Error"}`, http.StatusInternalServerError)
	case strings.HasPrefix(r.URL.Path, repo+"commits/"):
		ref := strings.TrimPrefix(r.URL.Path, repo+"commits/")
		if r.Header.Get("Accept") != "application/vnd.github.sha" {
			http.Error(w, "want the sha media type", http.StatusBadRequest)
			return
		}
		sha, ok := g.tags[ref]
		if !ok && ref == "main" {
			sha, ok = strings.Repeat("9", 40), true
		}
		if !ok {
			http.Error(w, `{"message": "No commit found for SHA: `+ref+`"}`, http.StatusUnprocessableEntity)
			return
		}
		fmt.Fprint(w, sha)
	case r.URL.Path == repo+"tags":
		type tag struct {
			Name   string `json:"name"`
			Commit struct {
				SHA string `json:"sha"`
			} `json:"commit"`
		}
		var out []tag
		for name, sha := range g.tags {
			var tg tag
			tg.Name, tg.Commit.SHA = name, sha
			out = append(out, tg)
		}
		json.NewEncoder(w).Encode(out)
	case strings.HasPrefix(r.URL.Path, "/atlcheck/atlcheck/releases/download/"):
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/atlcheck/atlcheck/releases/download/"), "/")
		if len(parts) == 2 {
			if data, ok := g.releases[parts[0]][parts[1]]; ok {
				w.Write(data)
				return
			}
		}
		http.NotFound(w, r)
	default:
		http.NotFound(w, r)
	}
}

// release builds the assets of a GoReleaser release whose binary claims to
// be version says and commit sha.
func release(t *testing.T, tag, says, sha string) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	bin := fmt.Sprintf("#!/bin/sh\nprintf 'atlcheck %s\\ncommit: %s\\npolicies: sha256:00\\n'\n", says, sha)
	for name, body := range map[string]string{"atlcheck": bin, "README.md": "# atlcheck\n"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body))})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	archive := "atlcheck_" + strings.TrimPrefix(tag, "v") + "_linux_amd64.tar.gz"
	sum := sha256.Sum256(buf.Bytes())
	return map[string][]byte{
		archive:         buf.Bytes(),
		"checksums.txt": []byte(hex.EncodeToString(sum[:]) + "  " + archive + "\n" + strings.Repeat("0", 64) + "  atlcheck_x_darwin_arm64.tar.gz\n"),
	}
}

// TestReleaseSelection runs the action's release step against the fake
// GitHub: the released binary of the action's own version when one exists
// (checksum and version verified), and no path, so the action compiles,
// when none does.
func TestReleaseSelection(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq is not installed")
	}
	sha123 := strings.Repeat("a1", 20)
	sha130 := strings.Repeat("b2", 20)
	good := release(t, "v1.2.3", "v1.2.3", sha123)
	tampered := release(t, "v1.2.3", "v1.2.3", sha123)
	for name := range tampered {
		if strings.HasSuffix(name, ".tar.gz") {
			tampered[name] = append(append([]byte{}, tampered[name]...), 0)
		}
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		ref      string
		arch     string
		releases map[string]map[string][]byte
		failAPI  bool
		code     int
		release  bool   // a released binary is used
		log      string // in the step's log
		noAPI    bool   // the API is not called
	}{
		{name: "exact tag", ref: "v1.2.3", releases: map[string]map[string][]byte{"v1.2.3": good}, release: true, log: "using release v1.2.3", noAPI: true},
		{name: "commit of a release tag", ref: sha123, releases: map[string]map[string][]byte{"v1.2.3": good}, release: true},
		{name: "major tag", ref: "v1", releases: map[string]map[string][]byte{"v1.2.3": good}, release: true},
		{name: "tag without a release", ref: "v1.3.0", log: "release v1.3.0 has no checksums.txt; building from the action's source"},
		{name: "commit no tag points at", ref: strings.Repeat("c3", 20), log: "no release tag points at commit"},
		{name: "branch", ref: "main", log: "no release tag points at commit 9999"},
		{name: "API down", ref: "v1", failAPI: true, log: "could not resolve ref 'v1'"},
		{name: "unsupported runner", ref: "v1.2.3", arch: "X86", releases: map[string]map[string][]byte{"v1.2.3": good}, log: "no release build for runner architecture 'X86'"},
		{name: "no ref", ref: "", log: "the action's ref is unknown"},
		{name: "checksum mismatch", ref: "v1.2.3", releases: map[string]map[string][]byte{"v1.2.3": tampered}, code: 1, log: "::error::atlcheck: atlcheck_1.2.3_linux_amd64.tar.gz of release v1.2.3 does not match its checksum"},
		{name: "binary of another version", ref: "v1.3.0", releases: map[string]map[string][]byte{"v1.3.0": release(t, "v1.3.0", "v1.2.3", sha130)}, code: 1, log: "says 'atlcheck v1.2.3'"},
		{name: "binary of another commit", ref: sha130, releases: map[string]map[string][]byte{"v1.3.0": release(t, "v1.3.0", "v1.3.0", sha123)}, code: 1, log: "was not built from commit " + sha130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gh := &fakeGitHub{t: t, tags: map[string]string{"v1.2.3": sha123, "v1": sha123, "v1.3.0": sha130}, releases: tt.releases, failAPI: tt.failAPI}
			srv := httptest.NewServer(gh)
			defer srv.Close()
			arch := tt.arch
			if arch == "" {
				arch = "X64"
			}
			r := runStep(t, "release", t.TempDir(), nil,
				map[string]string{"github.action_ref": tt.ref, "github.action_repository": "atlcheck/atlcheck", "github.token": "ghs_test"},
				map[string]string{"GITHUB_ACTION_PATH": root, "GITHUB_API_URL": srv.URL, "GITHUB_SERVER_URL": srv.URL, "RUNNER_ARCH": arch})
			wantCode(t, r, tt.code)
			if !strings.Contains(r.log, tt.log) {
				t.Errorf("log lacks %q:\n%s", tt.log, r.log)
			}
			path := r.outputs["path"]
			if tt.release != (path != "") {
				t.Fatalf("path output %q, want a released binary: %v\n%s", path, tt.release, r.log)
			}
			if tt.release {
				out, err := exec.Command(path, "version").Output()
				if err != nil || !strings.HasPrefix(string(out), "atlcheck v1.2.3\n") {
					t.Errorf("the binary at %s: %v %q", path, err, out)
				}
			}
			if tt.noAPI {
				for _, p := range gh.paths {
					if strings.HasPrefix(p, "/repos/") {
						t.Errorf("an exact tag needs no API call, got %s", p)
					}
				}
			}
		})
	}
}

// TestBuildStepUsesRelease checks that the build step only reports the
// released binary's path when the release step found one, and compiles
// nothing.
func TestBuildStepUsesRelease(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "atlcheck")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho 'atlcheck v1.2.3'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	noGo := t.TempDir() // a PATH without go: compiling would fail
	for _, tool := range []string{"bash", "sh"} {
		if p, err := exec.LookPath(tool); err == nil {
			os.Symlink(p, filepath.Join(noGo, tool))
		}
	}
	r := runStep(t, "install", t.TempDir(), nil, map[string]string{"github.action_ref": "v1.2.3", "steps.release.outputs.path": bin},
		map[string]string{"PATH": noGo, "GITHUB_ACTION_PATH": t.TempDir()})
	wantCode(t, r, 0)
	wantOutputs(t, r, map[string]string{"path": bin})
	if !strings.Contains(r.log, "atlcheck v1.2.3") {
		t.Errorf("the step does not print the binary's version:\n%s", r.log)
	}
}
