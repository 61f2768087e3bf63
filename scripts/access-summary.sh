#!/usr/bin/env bash
# access-summary.sh [paths…] — on a GitHub pull request, append what the pull
# request changes in token access (tbls access -base, as markdown) to the job
# summary. Elsewhere (a push, a local run) it prints the access matrix.
#
# The base branch is fetched (one commit) when the checkout lacks it; the
# checked-out tree is compared with it, and is never modified.
set -euo pipefail

summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
if [ -z "${GITHUB_BASE_REF:-}" ]; then
	tbls access -format=markdown "$@" >>"$summary"
	exit 0
fi
base="refs/remotes/origin/$GITHUB_BASE_REF"
if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
	git fetch --no-tags --quiet --depth=1 origin "+refs/heads/$GITHUB_BASE_REF:$base"
fi
tbls access -base "$base" -format=markdown "$@" >>"$summary"
