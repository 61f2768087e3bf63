#!/usr/bin/env bash
# Tests this repository's pre-commit hooks (.pre-commit-hooks.yaml) with
# Debian's pre-commit: a throw-away git repository with a bad Go schema file
# and a bad .pipe refuses the commit with the expected codes, and accepts it
# once both are fixed. Needs pre-commit (apt-get install pre-commit).
#
# The hooks come from a snapshot of this working tree committed into a
# temporary repository, so uncommitted work is tested too; pre-commit builds
# them with `go install ./...` as it does for any golang hook.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/scripts/testmodule.sh"
command -v pre-commit >/dev/null || { echo "pre-commit not found: apt-get install pre-commit" >&2; exit 1; }

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
git_q() { git -c user.name=tbls-test -c user.email=test@example.com -c init.defaultBranch=main "$@"; }

hooks="$work/hooks"
mkdir -p "$hooks"
git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t "$hooks"
(cd "$hooks" && git_q init -q && git_q add -A && git_q commit -qm snapshot)
rev=$(git -C "$hooks" rev-parse HEAD)

app="$work/app"
mkdir -p "$app/datafiles"
cd "$app"
git_q init -q
write_test_module . example.com/app "$root"
cat > schema.go <<'GO'
package app

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app-read")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes:  []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt8())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Append}},
})
GO
cat > datafiles/top_events.pipe <<'PIPE'
NODE endpoint
SQL >
    SELECT 1

TYPE endpoint

TOKEN app_read APPEND
PIPE
tidy_test_module .
cat > .pre-commit-config.yaml <<YML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: tbvet
      - id: tbls-check
YML
export PRE_COMMIT_HOME="$work/pre-commit-home"
pre-commit install >/dev/null
git_q add -A

fail=0
echo "--- commit with mistakes (must be refused)"
if git_q commit -m "bad schema" > "$work/bad.txt" 2>&1; then
	echo "FAIL: the commit with mistakes was accepted" >&2
	fail=1
fi
cat "$work/bad.txt"
for want in 'schema.go:5:.*TB101' 'schema.go:9:.*TB201' 'top_events.pipe:7:.*TB201'; do
	grep -q "$want" "$work/bad.txt" || { echo "FAIL: no line matching $want in the hook output" >&2; fail=1; }
done

echo "--- commit once fixed (must be accepted)"
sed -i 's/"app-read"/"app_read"/; s/tinybird.Append/tinybird.Read/' schema.go
sed -i 's/TOKEN app_read APPEND/TOKEN app_read READ/' datafiles/top_events.pipe
git_q add -A
if ! git_q commit -m "fixed schema" > "$work/good.txt" 2>&1; then
	cat "$work/good.txt"
	echo "FAIL: the fixed commit was refused" >&2
	fail=1
fi
[ "$fail" -eq 0 ] && echo "pre-commit: ok"
exit "$fail"
