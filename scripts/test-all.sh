#!/usr/bin/env bash
# Installs what the tests need on a fresh machine and runs every test (type-check and lint
# included). The last line is "N passed, N failed"; the exit code is 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"

step() { printf '\n== %s\n' "$*"; }

step "npm ci (builds better-sqlite3 from source where no prebuilt binary can be fetched)"
if ! npm ci --no-audit --no-fund; then
  echo "npm ci failed"
  echo "0 passed, 1 failed"
  exit 1
fi

check_failed=0
step "npm run check (type-check and lint)"
npm run check || check_failed=1

step "vitest"
mkdir -p test-results
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_status=$?

node scripts/summarize-tests.mjs test-results/vitest.json "$check_failed" "$vitest_status"
