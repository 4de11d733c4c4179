# benchtable.awk turns `go test -bench -benchmem` output into a Markdown
# table: time per op in ms, throughput, memory per op in MB, allocations and
# the benchmark's own metrics (findings, pointers). make bench uses it.
/^(goos|goarch|cpu|pkg):/ { if (!seen[$0]++) print "<!-- " $0 " -->"; next }
/^Benchmark/ {
	if (!header) {
		print "| benchmark | runs | ms/op | MB/s | MB/op | allocs/op | other |"
		print "|---|---:|---:|---:|---:|---:|---|"
		header = 1
	}
	name = $1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$/, "", name)
	ms = mbs = mbop = allocs = ""
	other = ""
	for (i = 3; i < NF; i += 2) {
		v = $i
		u = $(i + 1)
		if (u == "ns/op") ms = sprintf("%.1f", v / 1e6)
		else if (u == "MB/s") mbs = sprintf("%.1f", v)
		else if (u == "B/op") mbop = sprintf("%.1f", v / 1048576)
		else if (u == "allocs/op") allocs = sprintf("%d", v)
		else other = other (other == "" ? "" : ", ") sprintf("%g %s", v, u)
	}
	printf "| %s | %s | %s | %s | %s | %s | %s |\n", name, $2, ms, mbs, mbop, allocs, other
	next
}
/^(FAIL|panic|---)/ { print; failed = 1 }
END { if (failed) exit 1 }
