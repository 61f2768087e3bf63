#!/usr/bin/env bash
# Tests the composite GitHub Action (action.yml) by running its steps in bash
# as the Actions runner does (scripts/run-action.py), with the same inputs
# and environment (GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_PATH,
# GITHUB_STEP_SUMMARY, RUNNER_TEMP…), on throw-away workspaces. The action is
# used as a local action (uses: ./path), so it builds tbvet and tbls from its
# own checkout — a snapshot of this working tree — instead of fetching them;
# a fake go command checks what it would install for a ref.
#
# Covered: both checks run whatever the first finds; SARIF files land where
# asked, parent directories created; tool failures (a missing path, an
# unwritable SARIF file, a bad input, no go) fail the action instead of being
# swallowed; outputs (finding counts, SARIF paths); working-directory; the
# step summary; version defaulting to the action's ref.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/scripts/testmodule.sh"
# The interpreter itself, not a wrapper (pyenv's shims need PATH).
py=$(python3 -c 'import sys; print(sys.executable)')
"$py" -c 'import yaml' 2>/dev/null || { echo "python3 with PyYAML needed: apt-get install python3-yaml" >&2; exit 1; }

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# The action's checkout, as the runner downloads it: the files of this tree.
action="$work/action"
mkdir -p "$action"
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$action"

fail=0
failf() { echo "FAIL: $*" >&2; fail=1; }

# new_workspace NAME makes a workspace whose Go module is in app/ (not at the
# root), with a bad schema file and bad datafiles; prints its path.
new_workspace() {
	local ws="$work/$1"
	mkdir -p "$ws/app/tinybird/pipes" "$ws/app/tinybird/_migration"
	write_test_module "$ws/app" example.com/app "$root"
	cat > "$ws/app/schema.go" <<'GO'
package app

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app-read")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes:  []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1 AS n"}},
	Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt64())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Append}},
})
GO
	printf 'NODE endpoint\nSQL >\n    SELECT 1\n\nTYPE endpoint\n\nTOKEN app_read APPEND\n' > "$ws/app/tinybird/pipes/top_events.pipe"
	printf 'NODE n\nSQL >\n    SELECT 1\n\nTOKEN old-reader READ\n' > "$ws/app/tinybird/_migration/old.pipe"
	tidy_test_module "$ws/app" >/dev/null || exit 1
	echo "$ws"
}

# run_action WORKSPACE LOG input=value… runs the action; sets $rc and the
# associative array out (the action's outputs). ACTION_REF is the ref the
# action is used at (empty: a local action); RUN_PATH replaces PATH.
declare -A out
run_action() {
	local ws=$1 log=$2
	shift 2
	mkdir -p "$ws/.runner"
	: > "$ws/.runner/summary.md"
	GITHUB_WORKSPACE="$ws" RUNNER_TEMP="$ws/.runner" GITHUB_STEP_SUMMARY="$ws/.runner/summary.md" \
		GITHUB_ACTION_REF="${ACTION_REF:-}" GITHUB_EVENT_NAME="${EVENT_NAME:-push}" GITHUB_BASE_REF="${BASE_REF:-}" \
		PATH="${RUN_PATH:-$PATH}" \
		"$py" "$root/scripts/run-action.py" "$action" "$@" > "$log" 2>&1
	rc=$?
	out=()
	local line
	while IFS= read -r line; do
		out[${line%%=*}]=${line#*=}
	done < <(sed -n '/^outputs:$/,$p' "$log" | tail -n +2)
}

expect() { # description, condition…
	local what=$1
	shift
	"$@" || failf "$what"
}

ws=$(new_workspace annotations)

echo "--- github annotations: findings in both checks, module in a subdirectory"
run_action "$ws" "$work/a.log" working-directory=app datafiles=tinybird
cat "$work/a.log"
expect "the action passed with findings (status $rc)" [ "$rc" -eq 1 ]
expect "no TB101 annotation from tbvet" grep -q '^::error file=app/schema.go,line=5,.*TB101' "$work/a.log"
expect "tbls check did not run after tbvet's findings" grep -q '^::error file=app/tinybird/pipes/top_events.pipe,line=7,.*TB201' "$work/a.log"
expect "_migration/ was not checked" grep -q '^::warning file=app/tinybird/_migration/old.pipe' "$work/a.log"
expect "tbvet-findings=${out[tbvet-findings]:-}, want 2" [ "${out[tbvet-findings]:-}" = 2 ]
expect "tbls-findings=${out[tbls-findings]:-}, want 2" [ "${out[tbls-findings]:-}" = 2 ]
expect "findings=${out[findings]:-}, want 4" [ "${out[findings]:-}" = 4 ]
expect "the step summary lacks the counts" grep -q '^| tbvet | ran | 2 |' "$ws/.runner/summary.md"
expect "the failure does not say why" grep -q '::error::4 findings' "$work/a.log"

echo "--- fail-on-findings: false"
run_action "$ws" "$work/b.log" working-directory=app datafiles=tinybird fail-on-findings=false
expect "findings failed the action with fail-on-findings false (status $rc)" [ "$rc" -eq 0 ]
expect "findings=${out[findings]:-}, want 4" [ "${out[findings]:-}" = 4 ]

echo "--- checks and fail inputs reach both tools"
run_action "$ws" "$work/b2.log" working-directory=app datafiles=tinybird checks=inherit,-TB101
expect "tbvet-findings=${out[tbvet-findings]:-} with TB101 off, want 1" [ "${out[tbvet-findings]:-}" = 1 ]
expect "tbls-findings=${out[tbls-findings]:-} with TB101 off, want 1" [ "${out[tbls-findings]:-}" = 1 ]
expect "the remaining findings did not fail the action (status $rc)" [ "$rc" -eq 1 ]
run_action "$ws" "$work/b3.log" working-directory=app datafiles=tinybird fail=none
expect "fail=none failed the action (status $rc)" [ "$rc" -eq 0 ] || cat "$work/b3.log"
expect "findings=${out[findings]:-} with fail=none, want 4" [ "${out[findings]:-}" = 4 ]
run_action "$ws" "$work/b4.log" working-directory=app datafiles=tinybird checks=TB9999
expect "a bad checks input passed (status $rc)" [ "$rc" -eq 1 ]
expect "no tbvet usage failure for a bad checks input" grep -q '::error::tbvet failed (exit status 2)' "$work/b4.log"

echo "--- SARIF files where asked (parent directories created)"
run_action "$ws" "$work/c.log" working-directory=app datafiles=tinybird format=sarif \
	sarif-file=out/reports/tbvet.sarif datafiles-sarif-file=../sarif/deep/tbls.sarif fail-on-findings=false
cat "$work/c.log"
expect "sarif run failed (status $rc)" [ "$rc" -eq 0 ]
expect "tbvet-sarif=${out[tbvet-sarif]:-}" [ "${out[tbvet-sarif]:-}" = "$ws/app/out/reports/tbvet.sarif" ]
expect "tbls-sarif=${out[tbls-sarif]:-}" [ "${out[tbls-sarif]:-}" = "$ws/sarif/deep/tbls.sarif" ]
for f in "$ws/app/out/reports/tbvet.sarif" "$ws/sarif/deep/tbls.sarif"; do
	expect "$f is not a SARIF 2.1.0 report with 2 results" python3 - "$f" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == "2.1.0", doc["version"]
assert len(doc["runs"][0]["results"]) == 2, doc["runs"][0]["results"]
PY
done
expect "tbvet-findings=${out[tbvet-findings]:-}, want 2" [ "${out[tbvet-findings]:-}" = 2 ]
expect "tbls-findings=${out[tbls-findings]:-}, want 2" [ "${out[tbls-findings]:-}" = 2 ]

echo "--- errors are not swallowed"
run_action "$ws" "$work/d.log" working-directory=app datafiles=./missing format=sarif fail-on-findings=false
expect "a missing datafiles path passed (status $rc)" [ "$rc" -eq 1 ]
expect "no error for the missing path" grep -q 'missing: no such file or directory' "$work/d.log"
expect "no tbls check failure annotation" grep -q '::error::tbls check failed (exit status 1)' "$work/d.log"
expect "tbvet did not write its SARIF before tbls failed" [ -s "$ws/app/tbvet.sarif" ]

: > "$ws/app/not-a-dir"
run_action "$ws" "$work/e.log" working-directory=app format=sarif sarif-file=not-a-dir/tbvet.sarif fail-on-findings=false
expect "an unwritable SARIF path passed (status $rc)" [ "$rc" -eq 1 ]
expect "no message about the unwritable SARIF path" grep -q 'not-a-dir' "$work/e.log"

run_action "$ws" "$work/f.log" working-directory=app packages=./nosuchdir/...
expect "a tbvet tool failure passed (status $rc)" [ "$rc" -eq 1 ]
expect "no tbvet failure annotation" grep -q '::error::tbvet failed' "$work/f.log"

run_action "$ws" "$work/g.log" working-directory=app datafiles=empty-dir-that-is-missing packages=
expect "tbls check alone with a missing path passed (status $rc)" [ "$rc" -eq 1 ]

mkdir -p "$ws/app/empty"
run_action "$ws" "$work/g2.log" working-directory=app datafiles=empty packages=
expect "a datafiles directory with nothing to check passed (status $rc)" [ "$rc" -eq 1 ]
expect "no 'nothing to check' message" grep -q 'nothing to check' "$work/g2.log"

run_action "$ws" "$work/h.log" working-directory=app format=text
expect "an unknown format passed (status $rc)" [ "$rc" -eq 1 ]
expect "no message about the format" grep -q 'format: "text" is neither github nor sarif' "$work/h.log"

run_action "$ws" "$work/i.log" working-directory=nowhere
expect "a missing working-directory passed (status $rc)" [ "$rc" -eq 1 ]

echo "--- a clean workspace passes"
sed -i 's/"app-read"/"app_read"/; s/tinybird.Append/tinybird.Read/' "$ws/app/schema.go"
sed -i 's/APPEND/READ/' "$ws/app/tinybird/pipes/top_events.pipe"
sed -i 's/old-reader/old_reader/' "$ws/app/tinybird/_migration/old.pipe"
run_action "$ws" "$work/j.log" working-directory=app datafiles=tinybird
expect "the clean workspace failed (status $rc)" [ "$rc" -eq 0 ] || cat "$work/j.log"
expect "findings=${out[findings]:-}, want 0" [ "${out[findings]:-}" = 0 ]

echo "--- a tbls.conf that makes nothing fail: findings are counted, the action passes"
printf 'NODE n\nSQL >\n    SELECT 1\n\nTYPE endpoint\nTOKEN x APPEND\n' > "$ws/app/tinybird/_migration/legacy.pipe"
printf 'fail = ["none"]\n' > "$ws/app/tinybird/_migration/tbls.conf"
run_action "$ws" "$work/j2.log" working-directory=app datafiles=tinybird
expect "non-failing findings failed the action (status $rc)" [ "$rc" -eq 0 ] || cat "$work/j2.log"
expect "tbls-findings=${out[tbls-findings]:-}, want 1" [ "${out[tbls-findings]:-}" = 1 ]
rm "$ws/app/tinybird/_migration/tbls.conf"
run_action "$ws" "$work/j3.log" working-directory=app datafiles=tinybird
expect "without the tbls.conf, the finding did not fail the action (status $rc)" [ "$rc" -eq 1 ]

echo "--- pull request: the token access changes go to the job summary"
rm "$ws/app/tinybird/_migration/legacy.pipe"
git -C "$ws" init -q
printf '.runner/\n' > "$ws/.gitignore"
git -C "$ws" add -A
git -C "$ws" -c user.email=ci@example.com -c user.name=ci commit -qm base
git -C "$ws" update-ref refs/remotes/origin/main HEAD
printf 'SCHEMA >\n    `n` UInt64\n\nTOKEN app_read APPEND\n' > "$ws/app/tinybird/events.datasource"
EVENT_NAME=pull_request BASE_REF=main run_action "$ws" "$work/p.log" working-directory=app datafiles=tinybird
expect "the pull request run failed (status $rc): $(cat "$work/p.log")" [ "$rc" -eq 0 ]
expect "the job summary lacks the new APPEND grant: $(cat "$ws/.runner/summary.md")" \
	grep -q 'app_read.*events.*APPEND' "$ws/.runner/summary.md"
: > "$ws/.runner/summary.md"
run_action "$ws" "$work/p2.log" working-directory=app datafiles=tinybird
expect "a push wrote an access diff: $(cat "$ws/.runner/summary.md")" \
	bash -c "! grep -q 'APPEND' '$ws/.runner/summary.md'"
EVENT_NAME=pull_request BASE_REF=main run_action "$ws" "$work/p3.log" working-directory=app datafiles=tinybird access-summary=false
expect "access-summary=false wrote an access diff" bash -c "! grep -q 'APPEND' '$ws/.runner/summary.md'"
rm "$ws/app/tinybird/events.datasource"

echo "--- version: the action's ref by default, the input when given"
shim="$work/shim"
mkdir -p "$shim"
cat > "$shim/go" <<'SH'
#!/usr/bin/env bash
# A fake go: records its arguments, and installs fake binaries.
echo "go $*" >> "$GO_SHIM_LOG"
[ "$1" = install ] || exit 1
printf '#!/bin/sh\necho "tbls fake"\n' > "$GOBIN/tbls"
printf '#!/bin/sh\nexit 0\n' > "$GOBIN/tbvet"
chmod +x "$GOBIN/tbls" "$GOBIN/tbvet"
SH
chmod +x "$shim/go"
for case in "v1.2.3||v1.2.3" "v1.2.3|0123456789abcdef|0123456789abcdef" "main||main"; do
	IFS='|' read -r ref input want <<<"$case"
	export GO_SHIM_LOG="$work/shim.log"
	: > "$GO_SHIM_LOG"
	ACTION_REF=$ref RUN_PATH="$shim:$PATH" run_action "$ws" "$work/k.log" packages= ${input:+version=$input}
	expect "version case $case failed (status $rc): $(cat "$work/k.log")" [ "$rc" -eq 0 ]
	expect "version case $case: go ran $(cat "$GO_SHIM_LOG")" \
		grep -qx "go install github.com/tbls-dev/tbls/cmd/tbvet@$want github.com/tbls-dev/tbls/cmd/tbls@$want" "$GO_SHIM_LOG"
done

echo "--- no go on PATH"
nogo="$work/nogo"
mkdir -p "$nogo"
for tool in bash mkdir cat; do ln -sf "$(command -v $tool)" "$nogo/$tool"; done
RUN_PATH="$nogo" run_action "$ws" "$work/l.log"
expect "the action passed without go (status $rc)" [ "$rc" -eq 1 ]
expect "no message about go" grep -q 'go not found: .*actions/setup-go' "$work/l.log"

[ "$fail" -eq 0 ] && echo "action: ok"
exit "$fail"
