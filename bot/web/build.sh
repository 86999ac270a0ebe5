#!/usr/bin/env bash
# Installs the chat widget's one npm dependency (socket.io-client, pinned in
# package-lock.json) and copies its browser build into static/vendor/, where the
# page server serves it. Runs `npm ci` only when node_modules is missing or the
# lock has changed since the last install, so it is cheap to call from setup.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.tend-installed-lock
if [ ! -f node_modules/socket.io-client/dist/socket.io.min.js ] || ! cmp -s package-lock.json "$stamp"; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "bot/web/build.sh needs npm (Node.js 18 or newer) to fetch socket.io-client: install the Debian package npm." >&2
    exit 1
  fi
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

mkdir -p static/vendor
for file in socket.io.min.js socket.io.min.js.map; do
  cp node_modules/socket.io-client/dist/"$file" static/vendor/"$file"
done
