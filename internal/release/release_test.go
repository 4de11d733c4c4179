package release

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const repoRoot = "../.."

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ldflagsVars are the variables every release build stamps.
var ldflagsVars = []string{
	"-X github.com/atlcheck/atlcheck/internal/version.version=",
	"-X github.com/atlcheck/atlcheck/internal/version.commit=",
}

// TestGoReleaserConfig checks what the release must contain beyond what
// `goreleaser check` validates: static builds for the six targets, the
// version stamped, archives named as the action downloads them, checksums.
func TestGoReleaserConfig(t *testing.T) {
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Binary  string   `yaml:"binary"`
			Env     []string `yaml:"env"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
		Archives []struct {
			NameTemplate string   `yaml:"name_template"`
			Formats      []string `yaml:"formats"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(read(t, ".goreleaser.yaml"), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("want GoReleaser v2 with one build and one archive: %+v", cfg)
	}
	b := cfg.Builds[0]
	if b.Main != "./cmd/atlcheck" || b.Binary != "atlcheck" || !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build = %+v, want ./cmd/atlcheck as atlcheck with CGO_ENABLED=0", b)
	}
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if !slices.Equal(b.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("targets %v × %v", b.Goos, b.Goarch)
	}
	flags := strings.Join(b.Ldflags, " ")
	for _, v := range ldflagsVars {
		if !strings.Contains(flags, v) {
			t.Errorf("ldflags do not set %s", v)
		}
	}
	if got := cfg.Archives[0].NameTemplate; got != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" {
		t.Errorf("archive name %q: action.yml downloads atlcheck_<version>_<os>_<arch>", got)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum = %+v, want checksums.txt with sha256 (what action.yml verifies)", cfg.Checksum)
	}
	script := string(read(t, "scripts/action-release.sh"))
	for _, want := range []string{"checksums.txt", "atlcheck_${version#v}_${os}_${arch}"} {
		if !strings.Contains(script, want) {
			t.Errorf("scripts/action-release.sh does not download %q", want)
		}
	}
}

var goLineRE = regexp.MustCompile(`(?m)^go (\S+)\s*$`)

// TestDockerfile checks the image definition: built with go.mod's Go, a
// static binary (CGO off, version stamped), a distroless base, a non-root
// user, the binary as entrypoint.
func TestDockerfile(t *testing.T) {
	df := string(read(t, "Dockerfile"))
	var froms []string
	var user, entry string
	for _, line := range strings.Split(df, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			froms = append(froms, f[1])
		case "USER":
			user = f[1]
		case "ENTRYPOINT":
			entry = strings.Join(f[1:], " ")
		}
	}
	goVersion := goLineRE.FindStringSubmatch(string(read(t, "go.mod")))
	if len(froms) != 2 || goVersion == nil || !strings.HasPrefix(froms[0], "golang:"+goVersion[1]+"-") {
		t.Errorf("build stage %v: want golang:%s-… (go.mod's go line)", froms, goVersion)
	}
	if len(froms) == 2 && !strings.HasPrefix(froms[1], "gcr.io/distroless/static") {
		t.Errorf("run stage %s: want a distroless static base", froms[1])
	}
	if uid := strings.Split(user, ":")[0]; uid == "" || uid == "0" || uid == "root" {
		t.Errorf("USER %q: the image must run as a non-root user", user)
	}
	if entry != `["/usr/local/bin/atlcheck"]` {
		t.Errorf("ENTRYPOINT %s", entry)
	}
	for _, want := range append([]string{"CGO_ENABLED=0", "-trimpath", "./cmd/atlcheck"}, ldflagsVars...) {
		if !strings.Contains(df, want) {
			t.Errorf("the Dockerfile's build does not use %q", want)
		}
	}
	if !strings.Contains(string(read(t, "Makefile")), "docker build") {
		t.Error("no make target builds the image")
	}
}

// TestStaticBinary builds atlcheck as the release does (CGO_ENABLED=0) and
// checks that the ELF needs no dynamic loader and no shared library, so it
// runs on the distroless static base and on any Linux.
func TestStaticBinary(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("builds atlcheck for Linux")
	}
	bin := filepath.Join(t.TempDir(), "atlcheck")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/atlcheck")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary names a dynamic loader (PT_INTERP): it is not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v", libs)
	}
}

// TestDockerRunDocsRunAsTheCaller: every documented `docker run` that
// mounts a directory and has atlcheck write a file runs the container as
// the caller (--user). The image's user is not root (TestDockerfile), and a
// mounted host directory keeps its owner, so the image's user cannot write
// into it: docs/install.md's command failed with "permission denied" on a
// usual Linux host (qa1).
func TestDockerRunDocsRunAsTheCaller(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(repoRoot, "README.md"))
	flag := func(names string) *regexp.Regexp { return regexp.MustCompile(`(^|\s)(` + names + `)(\s|=|$)`) }
	mounts, writes, user := flag(`-v|--volume|--mount`), flag(`-o|--output|--snapshot-out|--to`), flag(`-u|--user`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, cmd := range dockerRuns(string(b)) {
			seen++
			docker, args, ok := splitAtImage(cmd)
			if !ok {
				t.Errorf("%s: cannot find the atlcheck image in %q", filepath.Base(f), cmd)
				continue
			}
			if mounts.MatchString(docker) && writes.MatchString(args) && !user.MatchString(docker) {
				t.Errorf("%s: %q writes into a mounted directory as the image's user: add --user \"$(id -u):$(id -g)\"", filepath.Base(f), cmd)
			}
		}
	}
	if seen == 0 {
		t.Error("no docker run command found in the docs")
	}
}

// dockerRuns returns the `docker run` commands of a Markdown text, each with
// its continuation lines (ending in a backslash) joined.
func dockerRuns(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.Contains(lines[i], "docker run ") {
			continue
		}
		cmd := lines[i]
		for strings.HasSuffix(strings.TrimSpace(cmd), `\`) && i+1 < len(lines) {
			i++
			cmd = strings.TrimSuffix(strings.TrimSpace(cmd), `\`) + " " + strings.TrimSpace(lines[i])
		}
		out = append(out, cmd[strings.Index(cmd, "docker run "):])
	}
	return out
}

// splitAtImage splits a docker run command into docker's options and the
// arguments given to atlcheck, at the image (a word naming atlcheck with a
// tag).
func splitAtImage(cmd string) (docker, args string, ok bool) {
	words := strings.Fields(cmd)
	for i, w := range words {
		if name, _, tagged := strings.Cut(w, ":"); tagged && (name == "atlcheck" || strings.HasSuffix(name, "/atlcheck")) {
			return strings.Join(words[:i], " "), strings.Join(words[i+1:], " "), true
		}
	}
	return "", "", false
}
