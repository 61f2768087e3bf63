#!/usr/bin/env bash
# Runs every test CI runs. On a fresh machine it installs what the tests need:
# Debian's neovim and pre-commit (when root, or with sudo), and the npm
# packages of the parity check and the VS Code extension (npm ci).
#
# Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "go vet ./..."
go vet ./...

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go test ./..."
go test ./...
