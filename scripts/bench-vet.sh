#!/usr/bin/env bash
# bench-vet.sh: wall time of stock `go vet ./...` versus `go vet -vettool=tbvet
# ./...` versus `tbvet ./...` and `tbvet -json ./...` (which run go vet
# -vettool=tbvet -json and print its findings) on the generated
# 2,000-resource schema module (internal/schemagen), then tbvet's own
# analysis cost from BenchmarkSuite.
#
# Two scenarios, each command run RUNS times (default 7) after a warm-up:
#   cached  nothing changes between runs; go vet answers from the build cache
#           (it caches vet results per package and tool).
#   edited  a new comment is appended to one file of the package before each
#           run, as after an edit, so every command re-checks the package
#           (dependencies stay cached).
# Uses hyperfine when installed, else a loop timing wall time with date +%s%N
# and CPU time with bash's time, reporting medians.
# Usage: scripts/bench-vet.sh [RUNS]   (BENCHTIME=20x sets the Go benchmark's)
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

commands=("go vet ./..." "go vet -vettool=$tbvet ./..." "$tbvet ./..." "$tbvet -json ./...")
labels=("go vet ./..." "go vet -vettool=tbvet ./..." "tbvet ./..." "tbvet -json ./...")

# Warm the build cache: compile the SDK and the package once, and let every
# command fail loudly now rather than be timed failing.
go build ./...
# (Exit 1 from go vet and 3 from tbvet are findings: the module has some.)
for c in "${commands[@]}"; do
	$c >/dev/null 2>"$work/err" || { rc=$?; [ $rc -eq 1 ] || [ $rc -eq 3 ] || { cat "$work/err"; exit 1; }; }
done

# NO_HYPERFINE=1 forces the loop, to compare or to test it.
use_hyperfine() { [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# time_cmd SCENARIO COMMAND: prints "WALL CPU", the median wall time and the
# median CPU time (user+system, children included) in ms. CPU time is the
# steadier figure on a shared machine, where wall time includes waiting for
# a core.
time_cmd() {
	local scenario=$1 cmd=$2
	if use_hyperfine; then
		local prep=()
		# -N runs commands without a shell, --prepare included: hand the
		# redirection to bash explicitly.
		[ "$scenario" = edited ] && prep=(--prepare "bash -c 'echo // edit \$RANDOM\$RANDOM >> $edit_file'")
		hyperfine -N -i --runs "$runs" --warmup 1 "${prep[@]}" --export-json "$work/h.json" "$cmd" >/dev/null 2>&1
		# hyperfine keeps per-run wall times but only the mean CPU time.
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(round(r["median"]*1000), round((r["user"]+r["system"])*1000))' "$work/h.json"
		return
	fi
	local i start end
	: >"$work/wall"
	: >"$work/cpu"
	for ((i = 0; i < runs; i++)); do
		[ "$scenario" = edited ] && edit
		start=$(date +%s%N)
		{ time $cmd >/dev/null 2>&1; } 2>"$work/t"
		end=$(date +%s%N)
		echo $(((end - start) / 1000000)) >>"$work/wall"
		awk '{printf "%.0f\n", ($1 + $2) * 1000}' "$work/t" >>"$work/cpu"
	done
	echo "$(median <"$work/wall") $(median <"$work/cpu")"
}
TIMEFORMAT='%U %S'

declare -A wall cpu
for scenario in cached edited; do
	for i in "${!commands[@]}"; do
		read -r "wall[$scenario,$i]" "cpu[$scenario,$i]" <<<"$(time_cmd "$scenario" "${commands[$i]}")"
	done
done

echo
echo "$runs runs each, $(use_hyperfine && echo 'hyperfine: median wall, mean CPU' || echo 'date/time loop: median wall, median CPU') (ms)"
printf '%-30s %12s %12s %12s %12s\n' command "cached wall" "cached CPU" "edited wall" "edited CPU"
for i in "${!commands[@]}"; do
	printf '%-30s %12s %12s %12s %12s\n' "${labels[$i]}" "${wall[cached,$i]}" "${cpu[cached,$i]}" "${wall[edited,$i]}" "${cpu[edited,$i]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
echo "ratio to go vet ./... (goal: go vet -vettool=tbvet at most 1.00)"
for i in "${!commands[@]}"; do
	[ "$i" = 0 ] && continue
	printf '%-30s %12s %12s %12s %12s\n' "${labels[$i]}" "$(ratio "${wall[cached,$i]}" "${wall[cached,0]}")" "$(ratio "${cpu[cached,$i]}" "${cpu[cached,0]}")" "$(ratio "${wall[edited,$i]}" "${wall[edited,0]}")" "$(ratio "${cpu[edited,$i]}" "${cpu[edited,0]}")"
done
echo
echo "ratio to go vet -vettool=tbvet ./... (goal: at most 1.20)"
for i in 2 3; do
	printf '%-30s %12s %12s %12s %12s\n' "${labels[$i]}" "$(ratio "${wall[cached,$i]}" "${wall[cached,1]}")" "$(ratio "${cpu[cached,$i]}" "${cpu[cached,1]}")" "$(ratio "${wall[edited,$i]}" "${wall[edited,1]}")" "$(ratio "${cpu[edited,$i]}" "${cpu[edited,1]}")"
done

echo
echo "BenchmarkSuite (the Suite over the loaded package, in process):"
cd "$repo"
go test -run '^$' -bench '^BenchmarkSuite$' -benchtime "${BENCHTIME:-10x}" ./analyzer/ | grep -E '^Benchmark' | awk '{printf "  %s %s ns/op (%.1f ms/op) %s B/op %s allocs/op\n", $1, $3, $3 / 1e6, $5, $7}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
