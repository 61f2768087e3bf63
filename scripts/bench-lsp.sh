#!/bin/sh
# bench-lsp.sh measures tbls against gopls v0.23.0 over stdio on the
# generated 2,000- and 8,000-resource schema modules (internal/schemagen):
# didChange → publishDiagnostics latency for edits never seen before,
# completion latency, and peak memory. It takes several minutes, so it is
# not part of `go test ./...`.
#
#   scripts/bench-lsp.sh [-sizes 2000,8000] [-edits 50]
#
# Set GOPLS to an existing gopls binary to skip installing one.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/tbls" ./cmd/tbls
go build -o "$tmp/lspbench" ./internal/lspbench/cmd/lspbench
gopls=${GOPLS:-}
if [ -z "$gopls" ]; then
	echo "installing gopls v0.23.0 into $tmp/bin" >&2
	GOBIN="$tmp/bin" go install golang.org/x/tools/gopls@v0.23.0
	gopls="$tmp/bin/gopls"
fi
"$tmp/lspbench" -tbls "$tmp/tbls" -gopls "$gopls" "$@"
