#!/usr/bin/env bash
# The entry of this repository's pre-commit hooks (.pre-commit-hooks.yaml).
#
#   pre-commit-hook.sh tbvet [flags] [packages]
#   pre-commit-hook.sh tbls check [flags] [datafiles]
#
# It builds tbvet and tbls — only those two commands — from the hook's own
# checkout (the rev in .pre-commit-config.yaml) into a bin directory of that
# checkout, once, with the Go on PATH, and runs them in the repository being
# committed to.
#
# tbvet without package patterns checks every Go module of the repository:
# with a go.work, the packages of its modules, at once; otherwise each
# go.mod's module (the root's and those in subdirectories), in its
# directory. Flags take their value after "=" (-checks=all,-TB302), so that
# a value is never read as a package pattern. With patterns, tbvet runs once,
# from the repository root, on exactly those.
set -euo pipefail

hookroot=$(cd "$(dirname "$0")/.." && pwd)
bin="$hookroot/.pre-commit-bin"

# build installs tbvet and tbls into $bin unless they are there. Builds run
# in a temporary directory and are renamed into place, so hooks that
# pre-commit runs in parallel never see a half-written binary.
build() {
	[ -x "$bin/tbvet" ] && [ -x "$bin/tbls" ] && return 0
	command -v go >/dev/null || { echo "tbls pre-commit hook: go not found on PATH: install Go 1.26 or later" >&2; exit 1; }
	mkdir -p "$bin"
	local tmp
	tmp=$(mktemp -d "$bin/.build.XXXXXX")
	# The user's GOFLAGS (-mod=vendor) and go.work are not the hook's.
	if ! (cd "$hookroot" && GOFLAGS= GOWORK=off GOBIN="$tmp" go install ./cmd/tbvet ./cmd/tbls); then
		rm -rf "$tmp"
		echo "tbls pre-commit hook: building tbvet and tbls in $hookroot failed" >&2
		exit 1
	fi
	mv -f "$tmp/tbvet" "$tmp/tbls" "$bin/"
	rm -rf "$tmp"
}

# worse returns the worse of two exit statuses: a usage error (2), then a
# tool failure (1), then findings (3), then success.
worse() {
	local rank=(0 2 3 1) # rank by status: 0→0, 1→2, 2→3, 3→1
	if [ "${rank[$1]:-2}" -ge "${rank[$2]:-2}" ]; then echo "$1"; else echo "$2"; fi
}

run_tbvet() {
	local flags=() patterns=() a
	for a in "$@"; do
		case $a in
			-*) flags+=("$a") ;;
			*) patterns+=("$a") ;;
		esac
	done
	if [ ${#patterns[@]} -gt 0 ]; then
		exec "$bin/tbvet" "${flags[@]}" "${patterns[@]}"
	fi
	local gowork
	gowork=$(go env GOWORK)
	if [ -n "$gowork" ] && [ "$gowork" != off ]; then
		# ./... at a workspace root that is not itself a module matches
		# nothing: name each module's tree.
		local dir
		while IFS= read -r dir; do
			patterns+=("./$(realpath -m --relative-to=. "$dir")/...")
		done < <(go list -m -f '{{.Dir}}')
		exec "$bin/tbvet" "${flags[@]}" "${patterns[@]}"
	fi
	local mods=() mod status=0 s
	while IFS= read -r mod; do
		case "/$mod" in
			*/testdata/* | */vendor/* | */_* | */.*) continue ;; # the go command ignores these
		esac
		mods+=("$(dirname "$mod")")
	done < <(git ls-files -- go.mod '*/go.mod')
	if [ ${#mods[@]} -eq 0 ]; then
		echo "tbls pre-commit hook: no go.mod or go.work in the repository: nothing for tbvet to check" >&2
		exit 1
	fi
	for mod in "${mods[@]}"; do
		s=0
		(cd "$mod" && "$bin/tbvet" "${flags[@]}" ./...) || s=$?
		[ "$s" -eq 0 ] || [ "$mod" = . ] || echo "tbls pre-commit hook: tbvet in $mod: exit status $s" >&2
		status=$(worse "$status" "$s")
	done
	exit "$status"
}

[ $# -gt 0 ] || { echo "usage: pre-commit-hook.sh tbvet|tbls [args…]" >&2; exit 2; }
build
tool=$1
shift
case $tool in
	tbvet) run_tbvet "$@" ;;
	tbls) exec "$bin/tbls" "$@" ;;
	*) echo "pre-commit-hook.sh: unknown tool $tool: tbvet or tbls" >&2; exit 2 ;;
esac
