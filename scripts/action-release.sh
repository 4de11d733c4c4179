#!/usr/bin/env bash
# The action's first step: find the released atlcheck binary of the action's
# own version, verify it against the release's checksums.txt, and write its
# path to $GITHUB_OUTPUT. When there is no such release (a branch, a commit
# no release tag points at, an unsupported runner, the API or the download
# unreachable) it writes no path and exits 0: the action then compiles
# atlcheck from its own source. A release whose checksum or version does not
# match is an error (exit 1), never silently replaced.
#
# Environment: ACTION_REF (github.action_ref), ACTION_REPO
# (github.action_repository), GH_TOKEN (for the API), and the runner's
# RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_API_URL, GITHUB_SERVER_URL,
# GITHUB_OUTPUT.
set -euo pipefail

ref="${ACTION_REF:-}"
repo="${ACTION_REPO:-}"
repo="${repo:-atlcheck/atlcheck}"
api="${GITHUB_API_URL:-https://api.github.com}"
server="${GITHUB_SERVER_URL:-https://github.com}"
dest="${RUNNER_TEMP:?RUNNER_TEMP is not set}/atlcheck-release"

skip() { echo "atlcheck: $1; building from the action's source instead"; exit 0; }
fail() { echo "::error::atlcheck: $1"; exit 1; }

case "${RUNNER_OS:-}" in
  Linux) os=linux ;; macOS) os=darwin ;; Windows) os=windows ;;
  *) skip "no release build for runner OS '${RUNNER_OS:-}'" ;;
esac
case "${RUNNER_ARCH:-}" in
  X64) arch=amd64 ;; ARM64) arch=arm64 ;;
  *) skip "no release build for runner architecture '${RUNNER_ARCH:-}'" ;;
esac
if ! [[ "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then skip "unexpected action repository '$repo'"; fi
command -v curl >/dev/null || skip "curl is not installed"

# HTTPS only, but for a server on loopback (the tests' stand-in for GitHub).
proto='=https'
for u in "$api" "$server"; do
  case "$u" in http://127.0.0.1:* | http://localhost:*) proto='=http,https' ;; esac
done
fetch() { curl -fsSL --proto "$proto" --retry 2 --connect-timeout 10 --max-time 120 "$@"; }
call_api() {
  local auth=()
  if [ -n "${GH_TOKEN:-}" ]; then auth=(-H "Authorization: Bearer $GH_TOKEN"); fi
  fetch ${auth[@]+"${auth[@]}"} -H "X-GitHub-Api-Version: 2022-11-28" "$@"
}

semver='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
sha=""
if [[ "$ref" =~ $semver ]]; then
  version="$ref"
else
  command -v jq >/dev/null || skip "jq is needed to find the release of ref '$ref'"
  if [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
    sha="$ref"
  elif [ -n "$ref" ] && [[ "$ref" =~ ^[A-Za-z0-9._/-]+$ ]]; then
    # A moving tag such as v1, or a branch: the commit it names now.
    sha=$(call_api -H "Accept: application/vnd.github.sha" "$api/repos/$repo/commits/$ref") ||
      skip "could not resolve ref '$ref'"
    [[ "$sha" =~ ^[0-9a-f]{40}$ ]] || skip "could not resolve ref '$ref'"
  else
    skip "the action's ref is unknown"
  fi
  tags=$(call_api -H "Accept: application/vnd.github+json" "$api/repos/$repo/tags?per_page=100") ||
    skip "could not list the release tags"
  version=$(jq -r --arg sha "$sha" --arg re "$semver" \
    '[.[] | select(.commit.sha == $sha) | .name | select(test($re))] | sort_by(ltrimstr("v") | split("-")[0] | split(".") | map(tonumber)) | last // empty' <<<"$tags") ||
    skip "could not read the release tags"
  [ -n "$version" ] || skip "no release tag points at commit $sha"
fi

ext=tar.gz
if [ "$os" = windows ]; then ext=zip; fi
archive="atlcheck_${version#v}_${os}_${arch}.$ext"
base="$server/$repo/releases/download/$version"
rm -rf "$dest"
mkdir -p "$dest"
fetch -o "$dest/checksums.txt" "$base/checksums.txt" || skip "release $version has no checksums.txt"
fetch -o "$dest/$archive" "$base/$archive" || skip "release $version has no $archive"

want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$dest/checksums.txt")
if command -v sha256sum >/dev/null; then
  got=$(sha256sum "$dest/$archive" | awk '{ print $1 }')
else
  got=$(shasum -a 256 "$dest/$archive" | awk '{ print $1 }')
fi
[ -n "$want" ] || fail "checksums.txt of release $version does not list $archive"
[ "$got" = "$want" ] || fail "$archive of release $version does not match its checksum (got $got, checksums.txt says $want)"

if [ "$ext" = zip ]; then
  unzip -q -o "$dest/$archive" -d "$dest/x" || fail "could not extract $archive"
else
  mkdir -p "$dest/x"
  tar -xzf "$dest/$archive" -C "$dest/x" || fail "could not extract $archive"
fi
bin="$dest/x/atlcheck"
if [ "$os" = windows ]; then bin="$bin.exe"; fi
[ -f "$bin" ] || fail "$archive has no atlcheck binary"
chmod +x "$bin"

# The binary must say it is the version (and commit) the action was asked for.
said=$("$bin" version) || fail "the released binary does not run"
first=$(head -n 1 <<<"$said")
[ "$first" = "atlcheck $version" ] || fail "the binary of release $version says '$first'"
if [ -n "$sha" ] && ! grep -qx "commit: $sha" <<<"$said"; then
  fail "the binary of release $version was not built from commit $sha"
fi
echo "atlcheck: using release $version ($archive, sha256 $got)"
echo "path=$bin" >> "$GITHUB_OUTPUT"
