#!/usr/bin/env bash
# Runs every test CI runs, and installs what they need on a fresh machine:
# Debian's neovim, emacs (with eglot), pre-commit and python3-yaml (as root, or through sudo) and the npm
# packages of the TypeScript-SDK parity check and of the VS Code extension.
#
# Every step runs even when an earlier one fails; the last line counts them
# ("steps: N passed, M failed") and the exit status is non-zero on any failure.
#
# Usage: ./scripts/test.sh            all steps
#        ./scripts/test.sh go vscode  only the named steps
set -uo pipefail
cd "$(dirname "$0")/.."

# need_debian installs the Debian packages that are missing.
need_debian() {
	local missing=()
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "installing Debian packages: ${missing[*]}"
	$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

step_go() {
	# The parity test compares the Go generator with the real TypeScript one;
	# it needs @tinybirdco/sdk from the npm registry.
	(cd tinybird/testdata/parity && npm ci --no-audit --no-fund --loglevel=error) || return 1
	go vet ./... || return 1
	local unformatted
	unformatted=$(gofmt -l $(git ls-files '*.go'))
	if [ -n "$unformatted" ]; then
		echo "gofmt would change:"
		echo "$unformatted"
		return 1
	fi
	go test ./... || return 1
	# The packages with concurrency, again under the race detector.
	go test -race ./lsp/... ./cmd/...
}

# staticcheck, from the Go module proxy at a pinned version (the first to
# support Go 1.26). Every finding fails the step unless a //lint:ignore
# comment next to it says why it is wrong.
STATICCHECK_VERSION=v0.8.2
step_staticcheck() {
	go run "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" ./...
}

step_vscode() {
	cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error && npm run compile && npm test && npm run package
}

step_nvim() {
	need_debian neovim && ./scripts/test-nvim.sh
}

step_emacs() {
	need_debian emacs-nox elpa-eglot elpa-go-mode && ./editors/emacs/test.sh
}

step_precommit() {
	need_debian pre-commit && ./scripts/test-precommit.sh
}

step_action() {
	need_debian python3-yaml && ./scripts/test-action.sh
}

step_readme() {
	./scripts/test-readme.sh
}

step_golangci() {
	./scripts/golangci-plugin.sh
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(go staticcheck vscode nvim emacs precommit action readme golangci)
passed=0
failed=()
for s in "${steps[@]}"; do
	printf '\n==> %s\n' "$s"
	start=$SECONDS
	if (set -e; "step_$s"); then
		passed=$((passed + 1))
		printf '==> %s: ok (%ds)\n' "$s" $((SECONDS - start))
	else
		failed+=("$s")
		printf '==> %s: FAILED (%ds)\n' "$s" $((SECONDS - start))
	fi
done
echo
[ ${#failed[@]} -eq 0 ] || echo "failed steps: ${failed[*]}"
echo "steps: $passed passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
