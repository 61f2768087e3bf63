#!/usr/bin/env bash
# bench-check.sh: wall and CPU time of `tbls check ./...` on the generated
# 2,000-resource schema module (internal/schemagen), unchanged (cached) and
# after an edit (a comment appended to one file before each run), for each
# tbls binary given (default: one built from this checkout), to compare a
# change's before and after. Uses hyperfine (median wall, mean CPU).
# Usage: scripts/bench-check.sh [RUNS] [TBLS_BINARY…]
set -euo pipefail

runs=${1:-7}
shift || true
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOWORK=off

bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
	(cd "$repo" && go build -o "$work/tbls" ./cmd/tbls)
	bins=("$work/tbls")
fi
command -v hyperfine >/dev/null || { echo "bench-check.sh needs hyperfine" >&2; exit 1; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version | cut -d' ' -f3)"
(cd "$repo" && go run ./internal/schemagen/cmd/schemagen -out "$work/schema")
echo "schema module: $(ls "$work"/schema/*.go | wc -l) files, $(cat "$work"/schema/*.go | wc -l) lines"
cd "$work/schema"
go build ./...
edit_file=$work/schema/tokens.go

printf '%-40s %12s %12s %12s %12s\n' binary "cached wall" "cached CPU" "edited wall" "edited CPU"
for bin in "${bins[@]}"; do
	"$bin" check ./... >/dev/null 2>&1 || true # warm-up; findings exit 3
	row=()
	for scenario in cached edited; do
		prep=()
		[ "$scenario" = edited ] && prep=(--prepare "bash -c 'echo // edit \$RANDOM\$RANDOM >> $edit_file'")
		hyperfine -N -i --runs "$runs" --warmup 1 "${prep[@]}" --export-json "$work/h.json" "$bin check ./..." >/dev/null 2>&1
		read -r w c <<<"$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(round(r["median"]*1000), round((r["user"]+r["system"])*1000))' "$work/h.json")"
		row+=("$w" "$c")
	done
	printf '%-40s %12s %12s %12s %12s\n' "$bin" "${row[@]}"
done
echo "(ms; $runs runs each) load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
