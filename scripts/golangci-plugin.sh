#!/usr/bin/env bash
# Builds golangci-lint v2.15.0 with the tbvet module plugin and runs it on the
# bundled example of mistakes, checking that the findings are reported.
#
# It builds the way `golangci-lint custom` does (plugins.go import, replace
# directive, go mod tidy, go build), but takes golangci-lint's source from the
# Go module cache instead of its git clone, which needs GitHub. Nothing is
# copied into this repository: everything happens in a temporary directory.
#
# Usage: ./scripts/golangci-plugin.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=v2.15.0

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "golangci-lint $version: fetching its source through the module proxy"
src=$(go mod download -json "github.com/golangci/golangci-lint/v2@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src" ] || { echo "cannot find golangci-lint $version in the module cache" >&2; exit 1; }
cp -r "$src" "$work/gcl"
chmod -R u+w "$work/gcl"

# What `golangci-lint custom` generates for a .custom-gcl.yml naming this
# module with a local path.
cat > "$work/gcl/cmd/golangci-lint/plugins.go" <<'GO'
package main

import (
	_ "github.com/tbls-dev/tbls/plugin"
)
GO
(
	cd "$work/gcl"
	go mod edit -require=github.com/tbls-dev/tbls@v0.0.0 -replace=github.com/tbls-dev/tbls="$root"
	go mod tidy
	echo "building the custom golangci-lint"
	go build -o "$work/custom-gcl" ./cmd/golangci-lint
)

cat > "$work/golangci.yml" <<'YML'
version: "2"
linters:
  default: none
  enable:
    - tbvet
  settings:
    custom:
      tbvet:
        type: module
        description: Tinybird resources declared in Go
        settings:
          disable: [TB302]
YML

echo "running it on ./examples/badschema"
set +e
"$work/custom-gcl" run -c "$work/golangci.yml" --max-issues-per-linter=0 --max-same-issues=0 ./examples/badschema/... > "$work/out.txt" 2>&1
status=$?
set -e
cat "$work/out.txt"

fail=0
[ "$status" -eq 1 ] || { echo "FAIL: exit status $status, want 1 (issues found)" >&2; fail=1; }
for code in TB101 TB102 TB103 TB104 TB201 TB202 TB401 TB404; do
	grep -q "$code.*(tbvet)" "$work/out.txt" || { echo "FAIL: no $code finding reported by the tbvet linter" >&2; fail=1; }
done
# The settings disable TB302: it must not appear.
if grep -q "TB302" "$work/out.txt"; then echo "FAIL: TB302 reported although disabled" >&2; fail=1; fi
# checks, in tbvet's -checks syntax, and a tbls.conf in the package's
# directory: a copy of examples/badschema in a throw-away module.
echo "running it with checks: inherit,-TB2* and a tbls.conf turning TB1* off"
. "$root/scripts/testmodule.sh"
app="$work/app"
write_test_module "$app" example.com/app "$root"
cp "$root"/examples/badschema/*.go "$app/"
rm -f "$app"/*_test.go
printf 'checks = ["inherit", "-TB1*"]\n' > "$app/tbls.conf"
tidy_test_module "$app" >/dev/null
sed 's/disable: \[TB302\]/checks: "inherit,-TB2*"/' "$work/golangci.yml" > "$work/golangci-checks.yml"
set +e
(cd "$app" && "$work/custom-gcl" run -c "$work/golangci-checks.yml" --max-issues-per-linter=0 --max-same-issues=0 ./...) > "$work/out2.txt" 2>&1
status=$?
set -e
cat "$work/out2.txt"
[ "$status" -eq 1 ] || { echo "FAIL: checks run: exit status $status, want 1 (issues found)" >&2; fail=1; }
grep -q "TB401.*(tbvet)" "$work/out2.txt" || { echo "FAIL: checks run: TB401 missing" >&2; fail=1; }
# A finding's line is "file:line:col: analyzer: CODE message (tbvet)"; codes
# inside messages (TB001's "//tbvet:ignore TB201") do not count.
if grep -qE '^[^ ]+:[0-9]+:[0-9]+: [a-z]+: TB(1|2)[0-9]{2} ' "$work/out2.txt"; then echo "FAIL: checks run: a TB1xx or TB2xx finding was reported" >&2; fail=1; fi

[ "$fail" -eq 0 ] && echo "golangci-lint plugin: ok"
exit "$fail"
