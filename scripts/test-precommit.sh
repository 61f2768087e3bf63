#!/usr/bin/env bash
# Tests this repository's pre-commit hooks (.pre-commit-hooks.yaml) with
# Debian's pre-commit, in throw-away git repositories of each layout: a Go
# module at the root, a Go module in a subdirectory, and a root go.work over
# two modules. In each, a commit with a bad Go schema file and a bad .pipe
# is refused with the expected codes and accepted once both are fixed;
# args: narrow the checks (flags and package patterns); and the hook
# environment holds tbvet and tbls only. Needs pre-commit (apt-get install
# pre-commit).
#
# The hooks come from a snapshot of this working tree committed into a
# temporary repository, so uncommitted work is tested too.
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
export PRE_COMMIT_HOME="$work/pre-commit-home"

fail=0
failf() { echo "FAIL: $*" >&2; fail=1; }

# bad_schema FILE PACKAGE writes a schema file with TB101 (line 5) and TB201
# (line 10).
bad_schema() {
	cat > "$1" <<GO
package $2

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app-read")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes:  []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1 AS n"}},
	Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt64())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Append}},
})
GO
}

# bad_pipe FILE writes a pipe with TB201 on line 7.
bad_pipe() {
	mkdir -p "$(dirname "$1")"
	printf 'NODE endpoint\nSQL >\n    SELECT 1\n\nTYPE endpoint\n\nTOKEN app_read APPEND\n' > "$1"
}

# config [ARGS_TBVET [ARGS_TBLS]] writes .pre-commit-config.yaml; each ARGS
# is a YAML flow sequence, or empty for none.
config() {
	{
		echo "repos:"
		echo "  - repo: $hooks"
		echo "    rev: $rev"
		echo "    hooks:"
		echo "      - id: tbvet"
		[ -z "${1:-}" ] || echo "        args: $1"
		echo "      - id: tbls-check"
		[ -z "${2:-}" ] || echo "        args: $2"
	} > .pre-commit-config.yaml
}

# commit NAME WANT(accepted|refused) PATTERN… commits everything and checks
# the outcome and that the hook output matches every PATTERN.
commit() {
	local name=$1 want=$2 got=accepted
	shift 2
	git_q add -A
	git_q commit -qm "$name" > "$work/$name.txt" 2>&1 || got=refused
	if [ "$got" != "$want" ]; then
		cat "$work/$name.txt"
		failf "$name: the commit was $got, want $want"
	fi
	local p
	for p in "$@"; do
		grep -q -- "$p" "$work/$name.txt" || { cat "$work/$name.txt"; failf "$name: no line matching $p in the hook output"; }
	done
}

# new_repo NAME makes an empty git repository with the hooks installed and
# cds into it.
new_repo() {
	mkdir -p "$work/$1"
	cd "$work/$1"
	git_q init -q
	config
	pre-commit install >/dev/null
}

echo "--- a Go module at the root"
new_repo root
write_test_module . example.com/app "$root"
bad_schema schema.go app
bad_pipe datafiles/top_events.pipe
tidy_test_module . >/dev/null
commit root-bad refused 'schema.go:5:.*TB101' 'schema.go:10:.*TB201' 'top_events.pipe:7:.*TB201'
echo "--- args: flags (-checks) narrow both hooks"
config '["-checks=inherit,-TB101,-TB201"]' '["-checks=inherit,-TB201"]'
echo '// touched' >> schema.go
echo '# touched' >> datafiles/top_events.pipe
commit root-args accepted 'tbvet.*Passed' 'tbls check.*Passed'
echo "--- args: package patterns replace ./..."
mkdir -p clean
printf 'package clean\n\nimport "github.com/tbls-dev/tbls/tinybird"\n\nvar T = tinybird.DefineToken("t")\n\nvar P = tinybird.DefinePipe("p", tinybird.PipeOptions{\n\tNodes:  []tinybird.Node{{Name: "n", SQL: "SELECT 1"}},\n\tTokens: []tinybird.TokenAccess{{Token: T, Scope: tinybird.Read}},\n})\n' > clean/clean.go
config '[./clean/...]' '["-checks=inherit,-TB201"]'
commit root-patterns accepted
config '[./clean/..., ./]' '["-checks=inherit,-TB201"]'
echo '// touched' >> clean/clean.go
commit root-patterns-bad refused 'schema.go:5:.*TB101'
config
sed -i 's/"app-read"/"app_read"/; s/tinybird.Append/tinybird.Read/' schema.go
sed -i 's/TOKEN app_read APPEND/TOKEN app_read READ/' datafiles/top_events.pipe
commit root-fixed accepted

echo "--- the hook environment holds tbvet and tbls only"
bins=$(ls "$PRE_COMMIT_HOME"/repo*/.pre-commit-bin | sort | tr '\n' ' ')
[ "$bins" = "tbls tbvet " ] || failf "the hooks installed: $bins; want tbls and tbvet only"

echo "--- a Go module in a subdirectory"
new_repo subdir
write_test_module app example.com/app "$root"
bad_schema app/schema.go app
bad_pipe app/tinybird/pipes/top_events.pipe
tidy_test_module app >/dev/null
printf '# a repository with its Go code in app/\n' > README.md
commit subdir-bad refused 'schema.go:5:.*TB101' 'app/tinybird/pipes/top_events.pipe:7:.*TB201' 'tbvet in app: exit status 3'
sed -i 's/"app-read"/"app_read"/; s/tinybird.Append/tinybird.Read/' app/schema.go
sed -i 's/APPEND/READ/' app/tinybird/pipes/top_events.pipe
commit subdir-fixed accepted

echo "--- a root go.work over two modules"
new_repo gowork
write_test_module a example.com/a "$root"
write_test_module b example.com/b "$root"
printf 'package a\n\nimport "github.com/tbls-dev/tbls/tinybird"\n\nvar T = tinybird.DefineToken("t")\n' > a/a.go
bad_schema b/schema.go b
tidy_test_module a >/dev/null
tidy_test_module b >/dev/null
go work init ./a ./b
commit gowork-bad refused 'b/schema.go:5:.*TB101' 'b/schema.go:10:.*TB201'
sed -i 's/"app-read"/"app_read"/; s/tinybird.Append/tinybird.Read/' b/schema.go
commit gowork-fixed accepted

[ "$fail" -eq 0 ] && echo "pre-commit: ok"
exit "$fail"
