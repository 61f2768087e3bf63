#!/usr/bin/env bash
# Starts Debian's Neovim headless with tbls attached (through
# editors/nvim/tbls.lua, the configuration the README documents) to a Go
# schema file and a .pipe file, and asserts that diagnostics arrive, that
# the settings given to setup() apply, and that scope completion is offered.
# Needs nvim (apt-get install neovim).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. "$root/scripts/testmodule.sh"
command -v nvim >/dev/null || { echo "nvim not found: apt-get install neovim" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/tbls" ./cmd/tbls

mod="$work/schema"
mkdir -p "$mod/datafiles"
write_test_module "$mod" example.com/schema "$root"
cat > "$mod/schema.go" <<'GO'
package schema

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app-read")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes: []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt8())},
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Append},
		{Token: AppRead, Scope: tinybird.Read},
		{Token: AppRead, Scope: tinybird.Read},
	},
})
GO
cat > "$mod/datafiles/top_events.pipe" <<'PIPE'
NODE endpoint
SQL >
    SELECT 1

TYPE endpoint

TOKEN app_read APPEND
PIPE
tidy_test_module "$mod"

cd "$mod"
status=0
TBLS="$work/tbls" TBLS_LOG="$work/tbls.log" TBLS_GO="$mod/schema.go" TBLS_PIPE="$mod/datafiles/top_events.pipe" \
	LUA_PATH="$root/editors/nvim/?.lua;;" GOFLAGS=-mod=mod \
	timeout 180 nvim --headless -u NONE -i NONE -n \
	-c "lua package.path = '$root/editors/nvim/?.lua;' .. package.path" \
	-c "luafile $root/editors/nvim/test/run.lua" || status=$?
if [ "$status" -ne 0 ]; then
	echo "neovim test failed (exit $status); tbls log:" >&2
	tail -50 "$work/tbls.log" >&2 || true
fi
exit "$status"
