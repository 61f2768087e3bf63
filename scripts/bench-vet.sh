#!/usr/bin/env bash
# bench-vet.sh: wall time of stock `go vet ./...` versus `go vet -vettool=tbvet
# ./...` versus `tbvet ./...` on the generated 2,000-resource schema module
# (internal/schemagen), then tbvet's own analysis cost from BenchmarkSuite.
#
# Two scenarios, each command run RUNS times (default 7) after a warm-up:
#   cached  nothing changes between runs; go vet answers from the build cache
#           (it caches vet results per package and tool), tbvet standalone
#           cannot: it loads with go/packages and analyzes every time.
#   edited  a new comment is appended to one file of the package before each
#           run, as after an edit, so every command re-checks the package
#           (dependencies stay cached).
# Uses hyperfine when installed, else a loop timing with date +%s%N and
# reporting the median. Usage: scripts/bench-vet.sh [RUNS]
set -euo pipefail

runs=${1:-${RUNS:-7}}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GOFLAGS=-mod=mod GOWORK=off

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
echo "generating the schema module into $work/schema"
(cd "$repo" && go run ./internal/schemagen/cmd/schemagen -out "$work/schema")
echo "  $(ls "$work"/schema/*.go | wc -l) files, $(cat "$work"/schema/*.go | wc -l) lines"
(cd "$repo" && go build -o "$work/tbvet" ./cmd/tbvet)
tbvet=$work/tbvet

cd "$work/schema"
edit_file=$work/schema/tokens.go
edit_seq=0
edit() { edit_seq=$((edit_seq + 1)); echo "// edit $edit_seq $RANDOM$RANDOM" >>"$edit_file"; }

commands=("go vet ./..." "go vet -vettool=$tbvet ./..." "$tbvet ./...")
labels=("go vet ./..." "go vet -vettool=tbvet ./..." "tbvet ./...")

# Warm the build cache: compile the SDK and the package once, and let every
# command fail loudly now rather than be timed failing.
go build ./...
for c in "${commands[@]}"; do $c >/dev/null; done

median_ms() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# time_cmd SCENARIO COMMAND: prints the median wall time in ms.
time_cmd() {
	local scenario=$1 cmd=$2
	if command -v hyperfine >/dev/null; then
		local prep=()
		# -N runs commands without a shell, --prepare included: hand the
		# redirection to bash explicitly.
		[ "$scenario" = edited ] && prep=(--prepare "bash -c 'echo // edit \$RANDOM\$RANDOM >> $edit_file'")
		hyperfine -N --runs "$runs" --warmup 1 "${prep[@]}" --export-json "$work/h.json" "$cmd" >/dev/null
		python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$work/h.json"
		return
	fi
	local i start end
	for ((i = 0; i < runs; i++)); do
		[ "$scenario" = edited ] && edit
		start=$(date +%s%N)
		$cmd >/dev/null
		end=$(date +%s%N)
		echo $(((end - start) / 1000000))
	done | median_ms
}

declare -A ms
for scenario in cached edited; do
	for i in "${!commands[@]}"; do
		ms[$scenario,$i]=$(time_cmd "$scenario" "${commands[$i]}")
	done
done

echo
echo "median wall time of $runs runs (ms)$(command -v hyperfine >/dev/null && echo ', hyperfine' || echo ', date loop')"
printf '%-30s %10s %10s\n' command cached edited
for i in "${!commands[@]}"; do
	printf '%-30s %10s %10s\n' "${labels[$i]}" "${ms[cached,$i]}" "${ms[edited,$i]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "ratio to go vet ./...            cached   edited"
printf '%-30s %8s %8s\n' "go vet -vettool=tbvet" "$(ratio "${ms[cached,1]}" "${ms[cached,0]}")" "$(ratio "${ms[edited,1]}" "${ms[edited,0]}")"
printf '%-30s %8s %8s\n' "tbvet ./..." "$(ratio "${ms[cached,2]}" "${ms[cached,0]}")" "$(ratio "${ms[edited,2]}" "${ms[edited,0]}")"

echo
echo "BenchmarkSuite (the Suite over the loaded package, in process):"
cd "$repo"
go test -run '^$' -bench '^BenchmarkSuite$' -benchtime "${BENCHTIME:-10x}" ./analyzer/ | grep -E '^Benchmark' | awk '{printf "  %s %s ns/op (%.1f ms/op) %s B/op %s allocs/op\n", $1, $3, $3 / 1e6, $5, $7}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
