#!/usr/bin/env bash
# Tests editors/emacs/tbls.el in a real Emacs (Debian: apt-get install
# emacs-nox elpa-eglot; Emacs 29 and later have Eglot built in):
#  1. tbls.el byte-compiles with no warning;
#  2. with Eglot, a .pipe file opens in tinybird-mode, eglot-ensure starts
#     tbls, and Flymake shows TB201 on "TOKEN app_read APPEND", and TB202 on
#     "TOKEN ingest WRITE" in a .datasource;
#  3. when go-mode is installed (apt-get install elpa-go-mode), tbls alone
#     for go-mode, as the README shows for projects without gopls, reports
#     TB201 in a Go file that grants APPEND on an endpoint.
# TBLS may name a tbls binary; otherwise ./cmd/tbls is built.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
. "$root/scripts/testmodule.sh"
command -v emacs >/dev/null || { echo "emacs not found: apt-get install emacs-nox elpa-eglot" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Byte-compile a copy (no .elc left in the tree), warnings as errors.
cp editors/emacs/tbls.el editors/emacs/tbls-test.el "$work/"
emacs --batch -L "$work" \
	--eval '(setq byte-compile-error-on-warn t)' \
	-f batch-byte-compile "$work/tbls.el"
echo "ok: tbls.el byte-compiles without warnings"

if ! emacs --batch --eval '(kill-emacs (if (require (quote eglot) nil t) 0 1))' 2>/dev/null; then
	echo "Eglot is not installed (apt-get install elpa-eglot): skipping the language server test" >&2
	exit 1
fi

# 2. A module with a bad pipe and a clean datasource.
# The binary goes first on PATH, so that Emacs finds "tbls" as users have it.
mkdir -p "$work/bin"
if [ -n "${TBLS:-}" ]; then
	ln -s "$(realpath "$TBLS")" "$work/bin/tbls"
else
	go build -o "$work/bin/tbls" ./cmd/tbls
fi
mod="$work/schema"
mkdir -p "$mod/datafiles"
write_test_module "$mod" example.com/schema "$root"
cat > "$mod/schema.go" <<'GO'
package schema

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app_read")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes: []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt8())},
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Append},
	},
})
GO
tidy_test_module "$mod"
cat > "$mod/datafiles/top_events.pipe" <<'PIPE'
# Top events, for the dashboard.
NODE endpoint
SQL >
    SELECT 1

TYPE endpoint

TOKEN app_read APPEND
PIPE
cat > "$mod/datafiles/events.datasource" <<'DS'
SCHEMA >
    `timestamp` DateTime `json:$.timestamp`,
    `name` String `json:$.name`

ENGINE "MergeTree"
ENGINE_SORTING_KEY "timestamp"

TOKEN app_read READ
TOKEN ingest WRITE
DS

status=0
(cd "$mod" && PATH="$work/bin:$PATH" GOFLAGS=-mod=mod TBLS="$work/bin/tbls" TBLS_LOG="$work/tbls.log" \
	TBLS_PIPE="$mod/datafiles/top_events.pipe" TBLS_DATASOURCE="$mod/datafiles/events.datasource" \
	TBLS_GO="$mod/schema.go" \
	timeout 180 emacs --batch -L "$work" -l "$work/tbls.elc" -l "$work/tbls-test.el") || status=$?
if [ "$status" -ne 0 ]; then
	echo "emacs test failed (exit $status); tbls log:" >&2
	tail -50 "$work/tbls.log" >&2 || true
fi
exit "$status"
