# atlcheck developer targets. `make help` lists them.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

OPA_VERSION := v1.22.2
BIN := $(CURDIR)/bin
OPA := $(BIN)/opa
ACTIONLINT_VERSION := v1.7.12
ACTIONLINT := $(BIN)/actionlint
# Regal, the Rego linter (config: .regal/config.yaml, with the reason for every rule turned off).
REGAL_VERSION := v0.38.1
REGAL := $(BIN)/regal
# GoReleaser: its own `check` validates .goreleaser.yaml in make test.
GORELEASER_VERSION := v2.15.1
GORELEASER := $(BIN)/goreleaser
IMAGE ?= atlcheck:$(VERSION)
SARIF_MULTITOOL := $(CURDIR)/node_modules/.bin/sarif-multitool
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0-dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS := -X github.com/atlcheck/atlcheck/internal/version.version=$(VERSION) -X github.com/atlcheck/atlcheck/internal/version.commit=$(COMMIT)

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

.PHONY: build
build: ## build bin/atlcheck
	go build -ldflags '$(LDFLAGS)' -o $(BIN)/atlcheck ./cmd/atlcheck

# PROGRESS turns `go build -v` (one line per package compiled, and "go:
# downloading" lines) into one counter line, so a cold build is not silent;
# on an error the whole log is shown.
define BUILD_WITH_PROGRESS
	@log=$$(mktemp); echo "==> building bin/atlcheck (a cold build downloads the modules and compiles about 430 packages: a few minutes on 2 cores)" >&2; \
	  if go build -v -ldflags '$(LDFLAGS)' -o $(BIN)/atlcheck ./cmd/atlcheck 2>&1 | tee "$$log" | \
	    awk -v tty=$$([ -t 2 ] && echo 1 || echo 0) '{ n++; if (tty) printf "\r    %d packages compiled or downloaded (%s)\033[K", n, $$NF > "/dev/stderr"; \
	      else if (n % 50 == 0) printf "    %d packages compiled or downloaded\n", n > "/dev/stderr" } \
	      END { if (tty && n) printf "\r\033[K" > "/dev/stderr"; if (n > 1) printf "    built (%d packages compiled or downloaded)\n", n > "/dev/stderr" }'; \
	  then rm -f "$$log"; else cat "$$log" >&2; rm -f "$$log"; exit 1; fi
endef

.PHONY: demo
demo: ## the whole pipeline on the built-in demo org, no credentials: the text report, then how to get the others
	$(BUILD_WITH_PROGRESS)
	@echo "==> bin/atlcheck demo   (the real collector against a built-in fake admin API serving the demo org, then the policies)" >&2
	@code=0; $(BIN)/atlcheck demo || code=$$?; \
	  if [ $$code -eq 1 ]; then echo "==> exit code 1: the gate (--fail-on high) failed, as it should on this org (README: exit codes)" >&2; \
	  elif [ $$code -ne 0 ]; then exit $$code; fi; \
	  echo "==> the commands above run as bin/atlcheck (or put bin/ on your PATH)" >&2

.PHONY: test
test: tools lint lint-actions release-check rego-test ## all tests: lint, Rego tests, Go tests (installs opa, the SARIF Multitool and the Debian packages they drive first)
	ATLCHECK_REQUIRE_SARIF_MULTITOOL=1 ATLCHECK_REQUIRE_SHELLS=1 ATLCHECK_REQUIRE_CHROMIUM=1 go test -count=1 ./...

.PHONY: lint
lint: $(OPA) $(REGAL) ## gofmt, go vet, opa fmt, opa check --strict against the snapshot schema, regal lint
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	$(OPA) fmt --fail --list policies examples/policies
	$(OPA) check --strict --schema internal/snapshot/schema.json policies examples/policies
	$(REGAL) lint policies examples/policies

.PHONY: lint-actions
lint-actions: $(ACTIONLINT) ## lint the GitHub workflows with actionlint (action.yml is checked by go test ./internal/ghaction)
	$(ACTIONLINT) .github/workflows/*.yml

.PHONY: release-check
release-check: $(GORELEASER) ## check the release configuration with GoReleaser's own check
	$(GORELEASER) check

.PHONY: release-snapshot
release-snapshot: $(GORELEASER) ## build every release archive and checksums.txt into dist/ without publishing
	$(GORELEASER) release --snapshot --clean --skip=publish

.PHONY: image
image: ## build the container image (needs a Docker engine): make image [IMAGE=atlcheck:tag]
	docker build --build-arg VERSION=$(VERSION) --build-arg COMMIT=$(COMMIT) -t $(IMAGE) .

.PHONY: rego-test
rego-test: $(OPA) ## run the Rego unit tests with opa test
	$(OPA) test policies examples/policies

.PHONY: generate
generate: ## rewrite every generated file (snapshot and config schemas, policy data, docs) from its one source
	go test ./internal/snapshot ./internal/config ./policies ./cmd/atlcheck -run '^TestGenerated' -update

.PHONY: docs
docs: generate ## regenerate docs/policies.md and the README policy table (same as generate)

.PHONY: tools
tools: $(OPA) $(SARIF_MULTITOOL) debian-packages ## install the test tools into bin/ and node_modules/, and Debian packages

# Debian packages the tests drive: the shells whose completion scripts are tested,
# Chromium (the HTML report is tested in it, headless).
# jq: the action's scripts read JSON with it (GitHub's runners have it).
DEBIAN_PACKAGES := zsh:zsh fish:fish jq:jq chromium:chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: debian-packages
debian-packages: ## apt-get install the Debian packages the tests need, when missing
	@missing=""; for pc in $(DEBIAN_PACKAGES); do command -v "$${pc%%:*}" >/dev/null || missing="$$missing $${pc##*:}"; done; \
	  if [ -n "$$missing" ]; then echo "apt-get install$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi

$(OPA):
	GOBIN=$(BIN) go install github.com/open-policy-agent/opa@$(OPA_VERSION)

$(GORELEASER):
	GOBIN=$(BIN) go install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)

$(ACTIONLINT):
	GOBIN=$(BIN) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

# Regal is built from its module rather than with `go install regal@version`:
# the Go module proxy serves the release but not the module's version list,
# which `go install` reads to look for deprecations.
$(REGAL):
	go mod download github.com/open-policy-agent/regal@$(REGAL_VERSION)
	cd "$$(go env GOMODCACHE)/github.com/open-policy-agent/regal@$(REGAL_VERSION)" && \
	  GOFLAGS=-mod=mod go build -trimpath -ldflags '-X github.com/open-policy-agent/regal/pkg/version.Version=$(REGAL_VERSION)' -o $(REGAL) .

$(SARIF_MULTITOOL): package.json
	npm ci --no-audit --no-fund
	@# npm may skip the package's postinstall (chmod u+x); do it here.
	chmod u+x node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool 2>/dev/null || true
	@touch $@

N ?= 1000
SEED ?= 1
SYNTH_OUT ?= $(or $(TMPDIR),/tmp)/atlcheck-synth-$(N).json
BENCHTIME ?= 3x
LARGE_BENCHTIME ?= 1x
FUZZTIME ?= 30s
FUZZERS := ./internal/snapshot:FuzzParse ./internal/snapshot:FuzzLocate ./internal/config:FuzzParse \
	./internal/attestation:FuzzParse ./collector:FuzzNextLink ./collector:FuzzResolveNext ./collector:FuzzDecodeItem ./report:FuzzWrite

.PHONY: synth
synth: ## write a synthetic org snapshot: make synth N=100000 [SEED=1] [SYNTH_OUT=file]
	go run ./testdata/synth --accounts $(N) --seed $(SEED) --out $(SYNTH_OUT) --config-out $(basename $(SYNTH_OUT)).yaml
	@echo "wrote $(SYNTH_OUT) and $(basename $(SYNTH_OUT)).yaml"

.PHONY: bench
bench: ## Go benchmarks at 1k, 10k and 100k accounts as a table, then the 100k-account report test
	@set -o pipefail; { go test -run '^$$' -bench '/accounts=1?0?k$$' -benchmem -benchtime $(BENCHTIME) -count 1 ./internal/check/ && \
	  ATLCHECK_LARGE=1 go test -run '^$$' -bench '/accounts=100k$$' -benchmem -benchtime $(LARGE_BENCHTIME) -count 1 ./internal/check/; } \
	  | awk -f testdata/synth/benchtable.awk
	ATLCHECK_LARGE=1 go test -count=1 -run 'TestLargeOrgReports|TestSynthOrg|TestGitHubLimitsLarge|TestInputLiveHeap' -v ./internal/check/ | grep -E '^(---|ok|FAIL|PASS)|github_limits_test|scale_bench_test'
	ATLCHECK_LARGE=1 go test -count=1 -run 'TestHTMLReportLargeOrg' -v ./cmd/atlcheck/ | grep -E 'accounts: |^(ok|FAIL|---)'

.PHONY: bench-collect
bench-collect: ## the collector against the fake API, 20 ms per request, 1k/10k/100k accounts: requests vs minimum, time vs the single-chain bound, split vs one chain in pairs; the audit log's extra requests and time at 10k
	go test -run '^$$' -bench 'Collect$$|CollectSplit$$' -benchtime 3x -count 1 ./collector/
	ATLCHECK_LARGE=1 go test -run '^$$' -bench 'Collect$$//accounts=100k/' -benchtime $(LARGE_BENCHTIME) -count 1 -timeout 30m ./collector/
	ATLCHECK_LARGE=1 go test -run '^$$' -bench 'CollectSplit$$//accounts=100k' -benchtime 3x -count 1 -timeout 30m ./collector/
	go test -run '^$$' -bench 'CollectAuditLog$$/quiet-day' -benchtime 5x -count 1 -timeout 30m ./collector/
	go test -run '^$$' -bench 'CollectAuditLog$$/busy-day' -benchtime 1x -count 1 -timeout 30m ./collector/

.PHONY: bench-compare
bench-compare: $(OPA) ## atlcheck check vs opa eval (the fair deny-and-notes query and data.atlassian): wall, CPU and peak RSS at 10k, 100k and 1M accounts (GNU time)
	@[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
	OPA=$(OPA) bash testdata/synth/bench-compare.sh 10000 100000 1000000

.PHONY: fuzz
fuzz: ## run every fuzzer for FUZZTIME each (default 30s); make test runs their seed corpora
	@for f in $(FUZZERS); do \
	  echo "== $${f##*:} in $${f%%:*} for $(FUZZTIME)"; \
	  go test -run '^$$' -fuzz "^$${f##*:}\$$" -fuzztime $(FUZZTIME) $${f%%:*} || exit 1; \
	done

.PHONY: clean
clean: ## remove built binaries
	rm -f $(BIN)/atlcheck
