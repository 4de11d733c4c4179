#!/usr/bin/env bash
# bench-compare.sh: whole-process wall time and peak RSS of
#   atlcheck check --format json --fail-on none --snapshot ORG
# against
#   opa eval -d policies -i ORG 'data.atlassian'
# on synthetic orgs of each size given (default 10000 100000 accounts), in the
# same run, with GNU time (/usr/bin/time -f '%e %M'). Run from the repository
# root (make bench-compare does).
#
# Environment: OPA (default bin/opa), RUNS (runs per command, the median is
# reported; default 3), TIMEOUT (seconds per command, default 900), SEED.
set -euo pipefail

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
opa=${OPA:-bin/opa}
runs=${RUNS:-3}
limit=${TIMEOUT:-900}
seed=${SEED:-1}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/atlcheck" ./cmd/atlcheck
go build -o "$tmp/synth" ./testdata/synth

# median prints the middle of its arguments (numbers).
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# measure RESULT_PREFIX CMD...: runs CMD $runs times and sets
# ${RESULT_PREFIX}_s (median wall seconds) and ${RESULT_PREFIX}_kb (median
# peak RSS in KB), or "timeout"/"failed".
measure() {
	local prefix=$1
	shift
	local secs=() kbs=() i rc
	for ((i = 0; i < runs; i++)); do
		rc=0
		timeout "$limit" /usr/bin/time -f '%e %M' -o "$tmp/time" -- "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
		if [ "$rc" = 124 ]; then
			printf -v "${prefix}_s" timeout
			printf -v "${prefix}_kb" timeout
			return
		elif [ "$rc" != 0 ]; then
			echo "failed ($rc): $*" >&2
			tail -5 "$tmp/err" >&2
			printf -v "${prefix}_s" failed
			printf -v "${prefix}_kb" failed
			return
		fi
		read -r s kb <"$tmp/time"
		secs+=("$s")
		kbs+=("$kb")
	done
	printf -v "${prefix}_s" '%s' "$(median "${secs[@]}")"
	printf -v "${prefix}_kb" '%s' "$(median "${kbs[@]}")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN { if (k + 0 > 0) printf "%.1f", k / 1024; else print k }'; }

echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$opa" version | head -1); $(go version | cut -d' ' -f3); runs per command: $runs (median)"
echo
echo "| accounts | snapshot MB | atlcheck s | atlcheck RSS MB | opa eval s | opa eval RSS MB | time atlcheck/opa | RSS atlcheck/snapshot |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
declare -A t_atl kb_atl t_opa size_kb
for n in "${sizes[@]}"; do
	org="$tmp/org-$n.json"
	"$tmp/synth" --accounts "$n" --seed "$seed" --out "$org"
	size_kb[$n]=$(($(stat -c %s "$org") / 1024))
	measure atl "$tmp/atlcheck" check --snapshot "$org" --format json --fail-on none
	measure opa "$opa" eval -d policies -i "$org" data.atlassian
	t_atl[$n]=$atl_s
	kb_atl[$n]=$atl_kb
	t_opa[$n]=$opa_s
	echo "| $n | $(mb "${size_kb[$n]}") | $atl_s | $(mb "$atl_kb") | $opa_s | $(mb "$opa_kb") | $(ratio "$atl_s" "$opa_s") | $(ratio "$atl_kb" "${size_kb[$n]}") |"
	rm -f "$org"
done
echo
if [ ${#sizes[@]} -ge 2 ]; then
	lo=${sizes[0]}
	hi=${sizes[${#sizes[@]} - 1]}
	echo "scaling time($hi)/time($lo): atlcheck $(ratio "${t_atl[$hi]}" "${t_atl[$lo]}"), opa eval $(ratio "${t_opa[$hi]}" "${t_opa[$lo]}") (target for atlcheck <= 11 for 10x the accounts)"
	echo "at $hi accounts: atlcheck/opa eval time $(ratio "${t_atl[$hi]}" "${t_opa[$hi]}") (target <= 0.5); atlcheck peak RSS / snapshot size $(ratio "${kb_atl[$hi]}" "${size_kb[$hi]}") (target <= 8)"
fi
