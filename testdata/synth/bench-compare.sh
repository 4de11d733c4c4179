#!/usr/bin/env bash
# bench-compare.sh: whole-process wall time, CPU time and peak RSS of
#   atlcheck check --format json --fail-on none --snapshot ORG
# against two opa eval queries on the same built-in policies:
#   fair:  opa eval -d policies --ignore '*_test.rego' -i ORG '<deny and notes of every package>'
#          (exactly the rules atlcheck reads, without the Rego tests)
#   all:   opa eval -d policies -i ORG 'data.atlassian'
#          (every rule and helper of every package, the tests loaded: the
#          comparison made before issue 15, which flatters atlcheck)
# on synthetic orgs of each size given (default 10000 100000 1000000
# accounts), run in turn (atlcheck, fair, all, atlcheck, …) so that the
# ratios are taken pair by pair on a machine whose speed drifts; medians are
# reported. Run from the repository root (make bench-compare does).
#
# Environment: OPA (default bin/opa), RUNS (runs per command, default 3),
# TIMEOUT (seconds per command, default 900), SEED, OPA_MAX (largest size at
# which opa eval runs; default 100000: at 1M it needs about 10 minutes and
# 8 GB per run).
set -euo pipefail

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
opa=${OPA:-bin/opa}
runs=${RUNS:-3}
limit=${TIMEOUT:-900}
seed=${SEED:-1}
opa_max=${OPA_MAX:-100000}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/atlcheck" ./cmd/atlcheck
go build -o "$tmp/synth" ./testdata/synth

# The fair query: deny (and notes, where a package has them) of every policy
# package, as policies/eval.go prepares them.
# A package may be split over several files: each rule is queried once.
fair=""
declare -A queried
for f in $(git ls-files 'policies/atlassian/*.rego' | grep -v '_test\.rego$'); do
	pkg=$(awk '/^package /{print $2; exit}' "$f")
	name=${pkg//./_}
	for rule in deny notes; do
		if grep -q "^$rule contains" "$f" && [ -z "${queried[${name}_$rule]:-}" ]; then
			queried[${name}_$rule]=1
			fair="$fair; ${name}_$rule := data.$pkg.$rule"
		fi
	done
done
fair=${fair#; }

# median prints the middle of its arguments (numbers).
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { if (k + 0 > 0) printf "%.1f", k / 1024; else print k }'; }

# run NAME CMD...: one run under GNU time; appends wall seconds, CPU seconds
# (user + system) and peak RSS (KB) to NAME_s, NAME_cpu, NAME_kb, or marks
# NAME failed.
run() {
	local name=$1 rc=0
	shift
	timeout "$limit" /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" -- "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "failed ($rc): $*" >&2
		tail -5 "$tmp/err" >&2
		eval "${name}_failed=1"
		return
	fi
	local s u y kb
	read -r s u y kb <"$tmp/time"
	eval "${name}_s+=($s); ${name}_cpu+=($(awk -v u="$u" -v y="$y" 'BEGIN{print u+y}')); ${name}_kb+=($kb)"
}

echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$opa" version | head -1); $(go version | cut -d' ' -f3); runs per command: $runs, in turn; medians"
echo
echo "| accounts | snapshot MB | atlcheck wall s | CPU s | RSS MB | RSS / snapshot | fair opa wall s | CPU s | RSS MB | atlcheck / fair (pairs) | all opa wall s | atlcheck / all (pairs) |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
declare -A t_atl
for n in "${sizes[@]}"; do
	org="$tmp/org-$n.json"
	"$tmp/synth" --accounts "$n" --seed "$seed" --out "$org"
	size_kb=$(($(stat -c %s "$org") / 1024))
	atl_s=() atl_cpu=() atl_kb=() fair_s=() fair_cpu=() fair_kb=() all_s=() all_cpu=() all_kb=()
	atl_failed='' fair_failed='' all_failed=''
	pf=() pa=()
	for ((i = 0; i < runs; i++)); do
		run atl "$tmp/atlcheck" check --snapshot "$org" --format json --fail-on none
		[ "$n" -le "$opa_max" ] || continue
		run fair "$opa" eval -d policies --ignore '*_test.rego' -i "$org" "$fair"
		run all "$opa" eval -d policies -i "$org" data.atlassian
		[ -n "$atl_failed$fair_failed" ] || pf+=("$(ratio "${atl_s[-1]}" "${fair_s[-1]}")")
		[ -n "$atl_failed$all_failed" ] || pa+=("$(ratio "${atl_s[-1]}" "${all_s[-1]}")")
	done
	cell() { # cell NAME FIELD: the median, or failed / not run
		local name=$1 field=$2 failed
		eval "failed=\${${name}_failed}"
		[ -z "$failed" ] || { echo failed; return; }
		eval "local vals=(\"\${${name}_${field}[@]}\")"
		[ ${#vals[@]} -gt 0 ] || { echo "not run"; return; }
		median "${vals[@]}"
	}
	a_s=$(cell atl s)
	t_atl[$n]=$a_s
	echo "| $n | $(mb "$size_kb") | $a_s | $(cell atl cpu) | $(mb "$(cell atl kb)") | $(ratio "$(cell atl kb)" "$size_kb") |" \
		"$(cell fair s) | $(cell fair cpu) | $(mb "$(cell fair kb)") | $([ ${#pf[@]} -gt 0 ] && median "${pf[@]}" || echo -) |" \
		"$(cell all s) | $([ ${#pa[@]} -gt 0 ] && median "${pa[@]}" || echo -) |"
	rm -f "$org"
done
echo
for ((i = 1; i < ${#sizes[@]}; i++)); do
	lo=${sizes[i - 1]}
	hi=${sizes[i]}
	echo "scaling time($hi)/time($lo) for atlcheck: $(ratio "${t_atl[$hi]}" "${t_atl[$lo]}") (target <= 11 for 10x the accounts)"
done
echo "targets (issue 15): atlcheck / fair opa eval <= 0.6 at 100k; RSS / snapshot <= 8 at 100k and 1M"
