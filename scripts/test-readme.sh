#!/usr/bin/env bash
# Runs the README's commands that work on a fresh clone, in a fresh copy of
# this working tree (its tracked and untracked-but-not-ignored files, so
# nothing built or generated here helps), and checks each one's exit status.
# Each command must appear verbatim in README.md, so the README cannot drift
# from what is tested. (The install commands need a published release, the
# editor and hook commands have their own tests: scripts/test.sh runs them.)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
clone="$work/tbls"
mkdir -p "$clone"
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$clone"

fail=0
# run STATUS COMMAND: COMMAND, as written in the README, must exit STATUS.
run() {
	local want=$1 cmd=$2 got=0
	grep -qF -- "$cmd" "$root/README.md" || { echo "FAIL: not in README.md: $cmd" >&2; fail=1; return; }
	echo "\$ $cmd"
	(cd "$clone" && bash -c "$cmd") > "$work/out.txt" 2>&1 || got=$?
	sed 's/^/    /' "$work/out.txt" | tail -n 5
	[ "$got" -eq "$want" ] || { echo "FAIL: exit status $got, want $want: $cmd" >&2; fail=1; }
}

# It reports findings: tbvet exits 3, which go run reports as its own exit 1.
run 1 'go run ./cmd/tbvet ./examples/badschema/...'
grep -q 'tbvet: checked 1 Go package: .* errors' "$work/out.txt" || { echo "FAIL: tbvet did not report the example's findings" >&2; fail=1; }
run 0 'go run ./examples/analytics -out ./out/analytics'
run 0 'go run ./cmd/tbls check ./out/analytics'
grep -q 'checked 6 datafiles: no findings' "$work/out.txt" || { echo "FAIL: tbls check did not say what it checked" >&2; fail=1; }
# The example writes nowhere else: the SDK's own folder stays as cloned.
if [ -n "$(cd "$clone" && find tinybird -maxdepth 1 \( -name '*.datasource' -o -name '*.pipe' \) | head -1)" ]; then
	echo "FAIL: the example wrote datafiles into the SDK's tinybird/ folder" >&2
	fail=1
fi

[ "$fail" -eq 0 ] && echo "README commands: ok"
exit "$fail"
