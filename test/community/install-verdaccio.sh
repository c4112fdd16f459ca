#!/usr/bin/env bash
# Installs Verdaccio (a local npm registry) into the same cache folder as n8n, outside the repo. Idempotent.
set -euo pipefail
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS
VERDACCIO_VERSION=6.10.4
CACHE=${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-property-management}
DIR=$CACHE/verdaccio-$VERDACCIO_VERSION
BIN=$DIR/node_modules/.bin/verdaccio
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
mkdir -p "$DIR"
cd "$DIR"
# node-fetch: a dependency asks for the dist-tag `cjs`, which the npm registry here does not serve.
cat > package.json <<JSON
{ "name": "verdaccio-run", "private": true,
  "dependencies": { "verdaccio": "$VERDACCIO_VERSION" },
  "overrides": { "node-fetch": "2.7.0" } }
JSON
npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
[ -x "$BIN" ] || { echo "install-verdaccio.sh: $BIN missing" >&2; exit 1; }
echo "$BIN"
